import io.fraudbatch.jobs.SparkParallelism;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The second reference for bench/profiles.sh: the same core aggregates as DuckDbProfiles, written
 * by hand in Spark SQL with built-in functions only (exact percentiles, the last 20 distinct
 * places), on the same engine and session settings as the profile job (local[*], shuffle partitions
 * sized by the job's own rule). What Spark itself costs for a full recompute, beside what the job's
 * design costs. Launched as a single source file with the batch-jobs jar and its lib/ on the
 * classpath: SparkSqlProfiles DECISIONS_DIR RATES_CSV AS_OF OUT.
 *
 * <p>Left out, as in DuckDbProfiles: IPs, the last place, habits, home region, the histogram,
 * thresholds, the incremental state, atomic publishing and reconciliation.
 */
public class SparkSqlProfiles {
  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: SparkSqlProfiles DECISIONS_DIR RATES_CSV AS_OF OUT");
      System.exit(2);
    }
    long t0 = System.nanoTime();
    String decisions = Path.of(args[0]).toAbsolutePath().toString();
    List<String> rates = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[1]))) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#") || t.startsWith("currency,")) {
        continue;
      }
      String[] p = t.split(",");
      rates.add("('" + p[0] + "', CAST(" + p[1] + " AS DECIMAL(18,6)))");
    }
    String asOf = args[2];
    String out = Path.of(args[3]).toAbsolutePath().toString();
    SparkSession spark =
        SparkSession.builder()
            .config(
                new SparkConf()
                    .setMaster("local[*]")
                    .setAppName("spark-sql profiles reference")
                    .set("spark.ui.enabled", "false"))
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    // The one published version of each day (a fresh ingest), as DuckDbProfiles reads them.
    String files = decisions + "/dt=*/v-*/*.parquet";
    SparkParallelism.apply(
        spark,
        new Configuration(),
        List.of(new org.apache.hadoop.fs.Path(decisions)),
        System.err);
    spark.read().parquet(files).createOrReplaceTempView("decisions");
    spark
        .sql("SELECT * FROM VALUES " + String.join(",", rates) + " AS r(cur, units)")
        .createOrReplaceTempView("rates");
    String end = "TIMESTAMP '" + asOf + " 00:00:00' + INTERVAL 1 DAY";
    spark
        .sql(
            "SELECT actorId, eventTime, decision, channel, country, region, city,"
                + " CAST(round(amount * 100 / units) AS BIGINT) AS cents"
                + " FROM decisions LEFT JOIN rates ON currency = cur WHERE eventTime < "
                + end)
        .createOrReplaceTempView("e");
    String since90 = "DATE '" + asOf + "' - INTERVAL 89 DAY";
    String since30 = "DATE '" + asOf + "' - INTERVAL 29 DAY";
    spark
        .sql(
            "WITH base AS (SELECT actorId, count(*) AS events,"
                + " min(eventTime) AS firstSeen, max(eventTime) AS lastSeen,"
                + " count_if(decision = 'APPROVED') AS approved,"
                + " sum(CASE WHEN decision = 'APPROVED' THEN cents END) AS approvedCents,"
                + " count_if(decision = 'DENIED') AS denied,"
                + " sum(CASE WHEN decision = 'DENIED' THEN cents END) AS deniedCents,"
                + " count_if(decision = 'REVIEW') AS review,"
                + " sum(CASE WHEN decision = 'REVIEW' THEN cents END) AS reviewCents,"
                + " count_if(channel = 'POS') AS pos, count_if(channel = 'WEB') AS web,"
                + " count_if(channel = 'ATM') AS atm, count_if(channel = 'MOBILE') AS mobile,"
                + " sum(CASE WHEN decision <> 'DENIED' THEN cents END) AS spendCents,"
                + " min(CASE WHEN decision <> 'DENIED' THEN cents END) AS minCents,"
                + " max(CASE WHEN decision <> 'DENIED' THEN cents END) AS maxCents"
                + " FROM e GROUP BY actorId),"
                + " daily AS (SELECT actorId, to_date(eventTime) AS d, sum(cents) AS s FROM e"
                + " WHERE decision <> 'DENIED' AND cents IS NOT NULL AND eventTime >= "
                + since90
                + " GROUP BY actorId, to_date(eventTime)),"
                + " spend AS (SELECT actorId, count(*) AS active90,"
                + " percentile_disc(0.5) WITHIN GROUP (ORDER BY s) AS median90,"
                + " percentile_disc(0.95) WITHIN GROUP (ORDER BY s) AS p95_90,"
                + " count_if(d >= "
                + since30
                + ") AS active30,"
                + " percentile_disc(0.5) WITHIN GROUP (ORDER BY s) FILTER (WHERE d >= "
                + since30
                + ") AS median30 FROM daily GROUP BY actorId),"
                + " places AS (SELECT actorId, country, region, city, max(eventTime) AS t FROM e"
                + " WHERE decision <> 'DENIED' AND city IS NOT NULL"
                + " GROUP BY actorId, country, region, city),"
                + " recent AS (SELECT actorId, transform(slice(sort_array(collect_list(struct("
                + "-unix_millis(t) AS k, country, region, city))), 1, 20), x -> x.city) AS places"
                + " FROM places GROUP BY actorId)"
                + " SELECT * FROM base LEFT JOIN spend USING (actorId)"
                + " LEFT JOIN recent USING (actorId)")
        .write()
        .mode("overwrite")
        .parquet(out);
    double secs = (System.nanoTime() - t0) / 1e9;
    long actors = spark.read().parquet(out).count();
    long events = spark.sql("SELECT count(*) FROM e").first().getLong(0);
    System.out.printf(
        Locale.ROOT,
        "spark-sql: %,d events -> %,d actors in %.1f s: %.0f events/s%n",
        events,
        actors,
        secs,
        events / secs);
    spark.stop();
  }
}
