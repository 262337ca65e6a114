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
 * The reference for bench/anomalies.sh: DuckDB (embedded, JDBC) doing the anomaly job's work from
 * the same decisions Parquet: hourly windows per region, merchant, merchant category and IP /24
 * prefix with the same metrics (events, distinct actors, declines, micro-transactions, actors at a
 * new city, most cards per device), then each window of the
 * scored days against the same key's same hour in the four weeks before (median, MAD, a robust z)
 * keeping the windows with z >= 4 and at least 8 events. Amounts in US cents with core's
 * reference rates. Launched as a single source file: java -cp duckdb_jdbc.jar
 * DuckDbAnomalies.java DECISIONS_DIR RATES_CSV FIRST_SCORED_DAY OUT THREADS.
 *
 * <p>What it leaves out that the job does: the daily and pooled fallbacks, the predictive
 * negative-binomial and binomial tails, rates' own scoring, the amount percentiles of anomalous
 * windows, the risk context, labels and evaluation, atomic publishing and reconciliation.
 */
public class DuckDbAnomalies {
  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println("usage: DuckDbAnomalies DECISIONS_DIR RATES_CSV FIRST_SCORED_DAY OUT THREADS");
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
    String first = args[2];
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
          "CREATE TEMP VIEW e AS SELECT actorId, epoch_ms(eventTime) AS t,"
              + " epoch_ms(eventTime) // 3600000 * 3600000 AS ws, decision = 'DENIED' AS declined,"
              + " round(amount * 100 / units)::BIGINT AS cents, merchantId, mcc, region, city,"
              + " CASE WHEN regexp_full_match(ip, '[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+')"
              + " THEN regexp_replace(ip, '\\.[0-9]+$', '') END AS ip24, deviceId"
              + " FROM read_parquet('"
              + decisions
              + "/dt=*/v-*/*.parquet', hive_partitioning = false)"
              + " LEFT JOIN rates ON currency = cur");
      st.execute(
          "CREATE TEMP TABLE k AS SELECT ws, actorId, deviceId, declined, cents,"
              + " (city IS NOT NULL AND t = min(t) OVER (PARTITION BY actorId, city)"
              + " AND t > min(t) OVER (PARTITION BY actorId)) AS newLoc,"
              + " unnest([{'keyType': 'region', 'key': region}, {'keyType': 'merchant', 'key': merchantId},"
              + " {'keyType': 'mcc', 'key': mcc}, {'keyType': 'ip24', 'key': ip24}], recursive := true)"
              + " FROM e");
      st.execute(
              "CREATE TEMP TABLE w AS WITH cards AS (SELECT keyType, key, ws, max(c) AS maxCards"
                  + " FROM (SELECT keyType, key, ws, deviceId, count(DISTINCT actorId) AS c FROM k"
                  + " WHERE key IS NOT NULL AND deviceId IS NOT NULL GROUP BY ALL) GROUP BY ALL)"
                  + " SELECT keyType, key, ws, count(*) AS events, count(DISTINCT actorId) AS actors,"
                  + " count(*) FILTER (WHERE declined) AS declines,"
                  + " count(*) FILTER (WHERE cents < 200) AS micro,"
                  + " count(DISTINCT actorId) FILTER (WHERE newLoc) AS newLoc,"
                  + " coalesce(any_value(maxCards), 0) AS maxCards"
                  + " FROM k LEFT JOIN cards USING (keyType, key, ws) WHERE key IS NOT NULL"
                  + " GROUP BY ALL");
      long anomalies =
          st.executeLargeUpdate(
              "COPY (WITH h AS (SELECT w.keyType, w.key, w.ws, w.events,"
                  + " list(coalesce(p.events, 0)) AS hist FROM w"
                  + " CROSS JOIN range(1, 5) r(k)"
                  + " LEFT JOIN w p ON p.keyType = w.keyType AND p.key = w.key"
                  + " AND p.ws = w.ws - r.k * 604800000"
                  + " WHERE w.ws >= epoch_ms(DATE '"
                  + first
                  + "') GROUP BY ALL),"
                  + " m AS (SELECT *, list_median(hist) AS med FROM h),"
                  + " s AS (SELECT *, list_median(list_transform(hist, x -> abs(x - med))) * 1.4826"
                  + " AS spread FROM m)"
                  + " SELECT keyType, key, ws, events, med AS expected,"
                  + " (events - med) / greatest(spread, sqrt(greatest(med, 1))) AS z FROM s"
                  + " WHERE events >= 8 AND (events - med) / greatest(spread, sqrt(greatest(med, 1))) >= 4)"
                  + " TO '"
                  + out
                  + "' (FORMAT parquet, COMPRESSION zstd)");
      double secs = (System.nanoTime() - t0) / 1e9;
      long windows;
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM w")) {
        rs.next();
        windows = rs.getLong(1);
      }
      long events;
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM e")) {
        rs.next();
        events = rs.getLong(1);
      }
      System.out.printf(
          Locale.ROOT,
          "duckdb: %,d events -> %,d windows, %,d anomalous, in %.1f s: %.0f windows/s, %.0f events/s%n",
          events,
          windows,
          anomalies,
          secs,
          windows / secs,
          events / secs);
    }
  }
}
