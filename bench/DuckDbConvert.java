import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The reference for bench/ingest.sh: DuckDB (embedded, through its JDBC driver) converts the same
 * JSON-lines landing files the ingest job reads into Parquet zstd, one directory per event day,
 * keeping one row per eventId. Launched as a single source file: java -cp duckdb_jdbc.jar
 * DuckDbConvert.java LANDING_DIR OUT_DIR THREADS.
 *
 * <p>What it does not do, and ingest does: validate each record against the contract, quarantine
 * the bad ones with their reasons, mask PANs, read SequenceFile or Avro containers, deduplicate
 * against days already published, publish atomically and reconcile. It reads the contract's columns
 * with their types (auto-detection stops at the deliberately malformed lines); lines DuckDB cannot
 * parse or type are skipped (ignore_errors), not counted.
 */
public class DuckDbConvert {
  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: DuckDbConvert LANDING_DIR OUT_DIR THREADS");
      System.exit(2);
    }
    Path landing = Path.of(args[0]);
    Path out = Path.of(args[1]);
    int threads = Integer.parseInt(args[2]);
    List<Path> files;
    try (Stream<Path> s = Files.walk(landing)) {
      // The same selection as ingest: closed files only (Flume's in-use suffix is .tmp).
      files =
          s.filter(Files::isRegularFile)
              .filter(p -> p.getFileName().toString().startsWith("FlumeData."))
              .filter(p -> !p.toString().endsWith(".tmp"))
              .sorted()
              .toList();
    }
    long bytes = 0;
    for (Path p : files) {
      bytes += Files.size(p);
    }
    String list =
        files.stream()
            .map(p -> "'" + p.toAbsolutePath().toString().replace("'", "''") + "'")
            .collect(Collectors.joining(",", "[", "]"));
    String source =
        "read_json("
            + list
            + ", format='newline_delimited', ignore_errors=true, maximum_object_size=1048576,"
            + " columns={eventId: 'VARCHAR', actorId: 'VARCHAR', eventTime: 'BIGINT',"
            + " channel: 'VARCHAR', amount: 'DECIMAL(18,4)', currency: 'VARCHAR',"
            + " merchantId: 'VARCHAR', mcc: 'VARCHAR', country: 'VARCHAR', region: 'VARCHAR',"
            + " city: 'VARCHAR', lat: 'DOUBLE', lon: 'DOUBLE', ip: 'VARCHAR', deviceId: 'VARCHAR',"
            + " decision: 'VARCHAR', reasons: 'VARCHAR[]', score: 'DOUBLE', rulesVersion: 'VARCHAR',"
            + " decidedAt: 'BIGINT'})";
    long t0 = System.nanoTime();
    long rowsIn;
    long rowsOut;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute("SET threads=" + threads);
      st.execute("SET preserve_insertion_order=false");
      st.execute(
          "CREATE TEMP VIEW landed AS SELECT *, strftime(epoch_ms(eventTime),"
              + " '%Y-%m-%d') AS dt FROM "
              + source);
      rowsOut =
          st.executeLargeUpdate(
              "COPY (SELECT DISTINCT ON (eventId) * FROM landed WHERE eventId IS NOT NULL) TO '"
                  + out.toAbsolutePath().toString().replace("'", "''")
                  + "' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (dt))");
      long t1 = System.nanoTime();
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + source)) {
        rs.next();
        rowsIn = rs.getLong(1);
      }
      double secs = (t1 - t0) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "duckdb: %d files (%.1f MB) in %.1f s; parsed %,d lines, wrote %,d rows (%,d duplicates"
              + " dropped); %.0f events/s, %.1f MB/s%n",
          files.size(),
          bytes / 1e6,
          secs,
          rowsIn,
          rowsOut,
          rowsIn - rowsOut,
          rowsIn / secs,
          bytes / 1e6 / secs);
    }
  }
}
