import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The reference for bench/profiles.sh: DuckDB (embedded, JDBC) computing the core per-actor
 * aggregates of a profile from the same decisions Parquet, as of a day: counts and sums by
 * decision and channel, first/last seen, amount min/max/sum, daily spend over 30 and 90 days
 * (active days, median, p95) and the last 20 distinct places. Amounts are converted to US cents
 * with core's reference rates (joined as a table). Launched as a single source file: java -cp
 * duckdb_jdbc.jar DuckDbProfiles.java DECISIONS_DIR RATES_CSV AS_OF OUT THREADS.
 *
 * <p>What it leaves out that the jobs compute: IPs, the last place, hour-of-day and merchant
 * category habits, home region, the amount histogram, thresholds, the incremental state, atomic
 * publishing and reconciliation.
 */
public class DuckDbProfiles {
  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println("usage: DuckDbProfiles DECISIONS_DIR RATES_CSV AS_OF OUT THREADS");
      System.exit(2);
    }
    String decisions = Path.of(args[0]).toAbsolutePath().toString();
    List<String> rates = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[1]))) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#") || t.startsWith("currency,")) {
        continue;
      }
      String[] p = t.split(",");
      rates.add("('" + p[0] + "', " + p[1] + ")");
    }
    String asOf = args[2];
    String out = Path.of(args[3]).toAbsolutePath().toString();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute("SET threads=" + Integer.parseInt(args[4]));
      st.execute("SET preserve_insertion_order=false");
      long t0 = System.nanoTime();
      st.execute(
          "CREATE TEMP TABLE rates AS SELECT * FROM (VALUES "
              + String.join(",", rates)
              + ") r(cur, units)");
      st.execute(
          "CREATE TEMP VIEW e AS SELECT actorId, eventTime, decision, channel, country, region,"
              + " city, round(amount * 100 / units)::BIGINT AS cents"
              + " FROM read_parquet('"
              + decisions
              + "/dt=*/v-*/*.parquet', hive_partitioning = false)"
              + " LEFT JOIN rates ON currency = cur"
              + " WHERE eventTime < DATE '"
              + asOf
              + "' + INTERVAL 1 DAY");
      long actors =
          st.executeLargeUpdate(
              "COPY (WITH base AS (SELECT actorId, count(*) AS events,"
                  + " min(eventTime) AS firstSeen, max(eventTime) AS lastSeen,"
                  + " count(*) FILTER (WHERE decision = 'APPROVED') AS approved,"
                  + " sum(cents) FILTER (WHERE decision = 'APPROVED') AS approvedCents,"
                  + " count(*) FILTER (WHERE decision = 'DENIED') AS denied,"
                  + " sum(cents) FILTER (WHERE decision = 'DENIED') AS deniedCents,"
                  + " count(*) FILTER (WHERE decision = 'REVIEW') AS review,"
                  + " sum(cents) FILTER (WHERE decision = 'REVIEW') AS reviewCents,"
                  + " count(*) FILTER (WHERE channel = 'POS') AS pos,"
                  + " count(*) FILTER (WHERE channel = 'WEB') AS web,"
                  + " count(*) FILTER (WHERE channel = 'ATM') AS atm,"
                  + " count(*) FILTER (WHERE channel = 'MOBILE') AS mobile,"
                  + " sum(cents) FILTER (WHERE decision <> 'DENIED') AS spendCents,"
                  + " min(cents) FILTER (WHERE decision <> 'DENIED') AS minCents,"
                  + " max(cents) FILTER (WHERE decision <> 'DENIED') AS maxCents"
                  + " FROM e GROUP BY actorId),"
                  + " daily AS (SELECT actorId, CAST(eventTime AS DATE) AS d, sum(cents) AS s"
                  + " FROM e WHERE decision <> 'DENIED' AND cents IS NOT NULL"
                  + " AND eventTime >= DATE '"
                  + asOf
                  + "' - INTERVAL 89 DAY GROUP BY ALL),"
                  + " spend AS (SELECT actorId, count(*) AS active90,"
                  + " quantile_disc(s, 0.5) AS median90, quantile_disc(s, 0.95) AS p95_90,"
                  + " count(*) FILTER (WHERE d >= DATE '"
                  + asOf
                  + "' - INTERVAL 29 DAY) AS active30,"
                  + " quantile_disc(s, 0.5) FILTER (WHERE d >= DATE '"
                  + asOf
                  + "' - INTERVAL 29 DAY) AS median30 FROM daily GROUP BY actorId),"
                  + " places AS (SELECT actorId, country, region, city, max(eventTime) AS t"
                  + " FROM e WHERE decision <> 'DENIED' AND city IS NOT NULL GROUP BY ALL),"
                  + " recent AS (SELECT actorId,"
                  + " list(city ORDER BY t DESC, country, region, city)[1:20] AS places"
                  + " FROM places GROUP BY actorId)"
                  + " SELECT * FROM base LEFT JOIN spend USING (actorId)"
                  + " LEFT JOIN recent USING (actorId))"
                  + " TO '"
                  + out
                  + "' (FORMAT parquet, COMPRESSION zstd)");
      double secs = (System.nanoTime() - t0) / 1e9;
      long events;
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM e")) {
        rs.next();
        events = rs.getLong(1);
      }
      System.out.printf(
          Locale.ROOT,
          "duckdb: %,d events -> %,d actors in %.1f s: %.0f events/s%n",
          events,
          actors,
          secs,
          events / secs);
    }
  }
}
