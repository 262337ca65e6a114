package io.fraudbatch.hive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fraudbatch.core.testing.JobProcesses;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The DDL and the applier against a real HiveServer2 (hive-server's LocalHiveServer, its own JVM)
 * over hive-jdbc on loopback, with tables over Parquet the real jobs wrote (sample-data → ingest →
 * profiles → anomalies → backtest, each its own process as on a cluster). The example queries'
 * answers are checked against DuckDB computing the same from the same files.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HiveDdlIT {
  static Path root;
  static Process server;
  static String url;
  static LocalDate last;
  static Connection duck;

  @BeforeAll
  static void pipelineAndServer() throws Exception {
    root = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "hive-it");
    Path ready = root.resolve("hive.ready");
    Path serverLog = root.resolve("hive-server.log");
    server =
        JobProcesses.start(
            serverLog,
            "hive-server/target/fraud-batch-hive-server.jar",
            null,
            "--dir",
            root.resolve("hive").toString(),
            "--port",
            "0",
            "--ready-file",
            ready.toString());

    JobProcesses.run(
        root,
        "sample-data/target/fraud-batch-sample-data.jar",
        null,
        "--root",
        root.toString(),
        "--days",
        "15",
        "--actors",
        "400",
        "--overwrite");
    JobProcesses.run(
        root,
        "ingest/target/fraud-batch-ingest.jar",
        null,
        "--root",
        root.toString(),
        "--min-age-seconds",
        "0");
    List<String> days;
    try (Stream<Path> s = Files.list(root.resolve("warehouse/decisions"))) {
      days = s.map(p -> p.getFileName().toString().substring(3)).sorted().toList();
    }
    last = LocalDate.parse(days.get(days.size() - 1));
    String jobs = "batch-jobs/target/fraud-batch-batch-jobs.jar";
    JobProcesses.run(
        root,
        jobs,
        null,
        "--root",
        root.toString(),
        "--engine",
        "spark",
        "--mode",
        "incremental",
        "--as-of",
        last.minusDays(3) + ".." + last);
    // Every scored day but the last: the test publishes that one after the DDL is applied.
    JobProcesses.run(
        root,
        jobs,
        "io.fraudbatch.jobs.anomalies.AnomaliesJob",
        "--root",
        root.toString(),
        "--date",
        days.get(1) + ".." + last.minusDays(1),
        "--no-evaluate");
    JobProcesses.run(
        root,
        jobs,
        "io.fraudbatch.jobs.profiles.BacktestJob",
        "--root",
        root.toString(),
        "--from",
        last.minusDays(2).toString());

    url = JobProcesses.awaitReady(server, ready, serverLog);
    duck = DriverManager.getConnection("jdbc:duckdb:");
  }

  @AfterAll
  static void stop() throws Exception {
    if (duck != null) {
      duck.close();
    }
    JobProcesses.stop(server);
  }

  @Test
  @Order(1)
  void applyCreatesEveryObjectAndRegistersThePublishedPartitions() throws Exception {
    String out = hive(0, "apply");
    assertThat(out).contains("applied 26 statements");
    try (HiveSession h = session()) {
      assertThat(column(h.query("SHOW TABLES IN fraud_files"), 0))
          .containsExactlyInAnyOrder(
              "decisions",
              "quarantine",
              "profiles",
              "anomalies",
              "risk_context",
              "backtests",
              "run_manifests",
              "sample_labels_raw");
      List<String> views = column(h.query("SHOW VIEWS IN fraud"), 0);
      assertThat(views)
          .containsExactlyInAnyOrder(
              "decisions",
              "quarantine",
              "profiles",
              "anomalies",
              "risk_context",
              "backtests",
              "sample_labels",
              "sample_incidents",
              "profile_latest",
              "region_daily",
              "region_currency_daily",
              "reference_rates",
              "anomalous_merchants_7d",
              "quarantine_reasons_daily",
              "backtest_results",
              "run_audit");
      for (HiveTables.Partitioned t : HiveTables.ALL) {
        List<String> registered = column(h.query("SHOW PARTITIONS fraud_files." + t.table()), 0);
        List<String> published = new ArrayList<>();
        Path dir = root.resolve(t.dir());
        if (Files.isDirectory(dir)) {
          try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString())
                .filter(n -> t.valueOf(n).isPresent())
                .forEach(n -> published.add(t.column() + "=" + t.valueOf(n).get()));
          }
        }
        assertThat(registered).as(t.table()).containsExactlyInAnyOrderElementsOf(published);
      }
      // every row of every partition is visible through Hive
      assertThat(single(h, "SELECT count(*) FROM fraud.decisions"))
          .isEqualTo(duckSingle("SELECT count(*) FROM " + parquet("warehouse/decisions")));
      assertThat(single(h, "SELECT count(*) FROM fraud.anomalies"))
          .isEqualTo(duckSingle("SELECT count(*) FROM " + parquet("warehouse/anomalies")));
      // types read back: decimal amounts, UTC timestamps, arrays
      assertThat(
              single(
                  h,
                  "SELECT concat_ws('|', CAST(sum(amount) AS STRING),"
                      + " date_format(min(event_time), 'yyyy-MM-dd HH:mm:ss.SSS'),"
                      + " CAST(sum(greatest(size(reasons), 0)) AS STRING)) FROM fraud.decisions"))
          .isEqualTo(
              duckSingle(
                  "SELECT concat_ws('|', CAST(sum(amount) AS VARCHAR),"
                      + " strftime(min(eventTime), '%Y-%m-%d %H:%M:%S.%g'),"
                      + " CAST(sum(len(reasons)) AS VARCHAR)) FROM "
                      + parquet("warehouse/decisions")));
      // snake_case columns read by position: every column of a row as the files hold it
      assertThat(
              single(
                  h,
                  "SELECT concat_ws('|', event_id, actor_id, currency, decision, ingest_run_id,"
                      + " date_format(decided_at, 'yyyy-MM-dd HH:mm:ss.SSS')) FROM fraud.decisions"
                      + " WHERE event_id = (SELECT min(event_id) FROM fraud.decisions)"))
          .isEqualTo(
              duckSingle(
                  "SELECT concat_ws('|', eventId, actorId, currency, decision, ingestRunId,"
                      + " strftime(decidedAt, '%Y-%m-%d %H:%M:%S.%g')) FROM "
                      + parquet("warehouse/decisions")
                      + " WHERE eventId = (SELECT min(eventId) FROM "
                      + parquet("warehouse/decisions")
                      + ")"));
      // money: per currency, never summed across currencies; USD at the reference rates
      String day = single(h, "SELECT max(event_date) FROM fraud.decisions");
      assertThat(
              h.query(
                      "SELECT region, currency, decisions, CAST(amount AS STRING) FROM"
                          + " fraud.region_currency_daily WHERE event_date = '"
                          + day
                          + "' ORDER BY region, currency")
                  .rows())
          .isEqualTo(
              duckRows(
                  "SELECT coalesce(region, '(none)') AS r, currency, CAST(count(*) AS VARCHAR),"
                      + " CAST(sum(amount) AS VARCHAR) FROM "
                      + parquet("warehouse/decisions")
                      + " WHERE dt = '"
                      + day
                      + "' GROUP BY r, currency ORDER BY r, currency"));
      assertThat(
              single(
                  h,
                  "SELECT CAST(sum(amount_usd) AS STRING) FROM fraud.region_daily WHERE event_date"
                      + " = '"
                      + day
                      + "'"))
          .isEqualTo(
              single(
                  h,
                  "SELECT CAST(sum(amount_usd) AS STRING) FROM fraud.region_currency_daily WHERE"
                      + " event_date = '"
                      + day
                      + "'"));
      // statistics computed at registration: the row count of a partition
      String described =
          String.join(
              "\n",
              h
                  .query("DESCRIBE FORMATTED fraud_files.decisions PARTITION (dt='" + day + "')")
                  .rows()
                  .stream()
                  .map(r -> String.join(" ", r))
                  .toList());
      assertThat(described)
          .containsPattern(
              "numRows\\s+"
                  + duckSingle(
                      "SELECT count(*) FROM "
                          + parquet("warehouse/decisions")
                          + " WHERE dt = '"
                          + day
                          + "'"));
      // a filter on event_date reads that partition only
      String dependency =
          single(
              h,
              "EXPLAIN DEPENDENCY SELECT count(*) FROM fraud.decisions WHERE event_date = '"
                  + day
                  + "'");
      assertThat(dependency).contains("fraud_files@decisions@dt=" + day);
      assertThat(dependency.split("\"partitionName\"", -1)).hasSize(2);
      assertThat(Files.readString(root.resolve("hive-server.log")))
          .doesNotContain("Jdo path is not implemented");
      // the manifests' folders are key=value: a partition dropped from the metastore is found
      // again by MSCK REPAIR (Impala: RECOVER PARTITIONS), where 'register' is not used
      List<String> manifestParts = column(h.query("SHOW PARTITIONS fraud_files.run_manifests"), 0);
      h.execute("ALTER TABLE fraud_files.run_manifests DROP PARTITION (job='ingest')");
      assertThat(column(h.query("SHOW PARTITIONS fraud_files.run_manifests"), 0))
          .doesNotContain("job=ingest");
      h.execute("MSCK REPAIR TABLE fraud_files.run_manifests");
      assertThat(column(h.query("SHOW PARTITIONS fraud_files.run_manifests"), 0))
          .containsExactlyInAnyOrderElementsOf(manifestParts);
    }
  }

  @Test
  @Order(2)
  void reapplyingChangesNothing() throws Exception {
    Map<String, String> before = catalog();
    String out = hive(0, "apply");
    assertThat(out).doesNotContainPattern("[1-9]\\d* added");
    assertThat(catalog()).isEqualTo(before);
  }

  @Test
  @Order(3)
  void registersThePartitionAJobPublishes() throws Exception {
    JobProcesses.run(
        root,
        "batch-jobs/target/fraud-batch-batch-jobs.jar",
        "io.fraudbatch.jobs.anomalies.AnomaliesJob",
        "--root",
        root.toString(),
        "--date",
        last.toString(),
        "--no-evaluate");
    try (HiveSession h = session()) {
      assertThat(column(h.query("SHOW PARTITIONS fraud_files.anomalies"), 0))
          .doesNotContain("dt=" + last);
      String out = hive(0, "register", "--table", "anomalies", "--partition", last.toString());
      assertThat(out).contains("1 added");
      assertThat(column(h.query("SHOW PARTITIONS fraud_files.anomalies"), 0))
          .contains("dt=" + last);
      assertThat(
              single(h, "SELECT count(*) FROM fraud.anomalies WHERE window_date = '" + last + "'"))
          .isEqualTo(
              duckSingle("SELECT count(*) FROM " + parquet("warehouse/anomalies/dt=" + last)));
      // again: nothing to do
      assertThat(hive(0, "register", "--table", "anomalies", "--partition", last.toString()))
          .contains("0 added");

      // The day republished (a rerun: a new version): registration points Hive at it.
      JobProcesses.run(
          root,
          "batch-jobs/target/fraud-batch-batch-jobs.jar",
          "io.fraudbatch.jobs.anomalies.AnomaliesJob",
          "--root",
          root.toString(),
          "--date",
          last.toString(),
          "--no-evaluate");
      String current =
          io.fraudbatch.warehouse.PartitionLister.location(
                  org.apache.hadoop.fs.FileSystem.getLocal(
                      new org.apache.hadoop.conf.Configuration()),
                  new org.apache.hadoop.fs.Path(root.toUri()),
                  io.fraudbatch.warehouse.Table.ANOMALIES,
                  last.toString())
              .orElseThrow()
              .getName();
      assertThat(location(h, "anomalies", last)).doesNotEndWith(current);
      assertThat(hive(0, "register", "--table", "anomalies", "--partition", last.toString()))
          .contains("1 re-pointed");
      assertThat(location(h, "anomalies", last)).endsWith(current);
      assertThat(
              single(h, "SELECT count(*) FROM fraud.anomalies WHERE window_date = '" + last + "'"))
          .isEqualTo(
              duckSingle(
                  "SELECT count(*) FROM read_parquet('"
                      + root.resolve("warehouse/anomalies/dt=" + last).resolve(current)
                      + "/*.parquet')"));
    }
    // a partition nobody published is refused, naming it
    String err =
        hive(2, "register", "--table", "anomalies", "--partition", last.plusDays(1).toString());
    assertThat(err).contains("no published partition [" + last.plusDays(1) + "]");
  }

  @Test
  @Order(4)
  void exampleQueriesAgreeWithDuckDbOnTheSameParquet() throws Exception {
    String decisions = parquet("warehouse/decisions");
    String lastDay = "(SELECT max(dt) FROM " + decisions + ")";
    assertSameRows(
        "decline_rate_by_region",
        "SELECT coalesce(region, '(none)') AS region, count(*) AS decisions, sum(CASE WHEN decision = 'DENIED' THEN 1 ELSE 0 END) AS declines,"
            + " round(sum(CASE WHEN decision = 'DENIED' THEN 1 ELSE 0 END) / count(*), 4) AS decline_rate,"
            + " count(DISTINCT actorId) AS actors FROM "
            + decisions
            + " WHERE dt = "
            + lastDay
            + " GROUP BY coalesce(region, '(none)') HAVING count(*) >= 20"
            + " ORDER BY decline_rate DESC, region LIMIT 10");
    assertSameRows(
        "quarantine_reasons",
        "SELECT reason, sum(n), sum(files), count(*) FROM (SELECT dt, reason, count(*) AS n,"
            + " count(DISTINCT sourceFile) AS files FROM "
            + parquet("warehouse/quarantine")
            + " GROUP BY dt, reason) GROUP BY reason ORDER BY sum(n) DESC, reason");
    String anomalies = parquet("warehouse/anomalies");
    assertSameRows(
        "top_anomalous_merchants",
        "SELECT key, count(*) AS anomalies, count(DISTINCT windowStart) AS windows,"
            + " sum(CASE WHEN severity = 'HIGH' THEN 1 ELSE 0 END) AS high,"
            + " sum(CASE WHEN severity = 'MEDIUM' THEN 1 ELSE 0 END) AS medium,"
            + " round(max(score), 2) AS max_score FROM "
            + anomalies
            + " WHERE keyType = 'merchant' AND dt > CAST((SELECT max(dt) FROM "
            + anomalies
            + ")::DATE - 7 AS VARCHAR) GROUP BY key ORDER BY anomalies DESC, max_score DESC, key LIMIT 10",
        6);
    String backtests = parquet("warehouse/backtests");
    assertSameRows(
        "backtest_by_threshold",
        "SELECT rule, k, sum(tp), sum(fp), sum(fn),"
            + " round(CASE WHEN sum(tp) + sum(fp) > 0 THEN sum(tp) / (sum(tp) + sum(fp)) END, 4),"
            + " round(CASE WHEN sum(tp) + sum(fn) > 0 THEN sum(tp) / (sum(tp) + sum(fn)) END, 4)"
            + " FROM "
            + backtests
            + " WHERE \"to\" = (SELECT max(\"to\") FROM "
            + backtests
            + ")"
            + " GROUP BY rule, k ORDER BY rule, k");
    assertSameRows(
        "daily_spend_distribution",
        "SELECT CASE WHEN spend30.meanCents IS NULL OR spend30.activeDays = 0 THEN '0 (inactive 30 days)'"
            + " WHEN round(spend30.meanCents / 100, 2) < 10 THEN '[0, 10)'"
            + " WHEN round(spend30.meanCents / 100, 2) < 100 THEN '[10, 100)'"
            + " WHEN round(spend30.meanCents / 100, 2) < 1000 THEN '[100, 1000)' ELSE '1000 and up' END AS b, count(*)"
            + " FROM (SELECT *, row_number() OVER (PARTITION BY actorId ORDER BY as_of DESC) AS r FROM "
            + parquet("warehouse/profiles")
            + ") WHERE r = 1 GROUP BY b ORDER BY b");
    // incidents: one row per line of incidents.csv (the header is not a row)
    long incidents;
    try (Stream<String> lines = Files.lines(root.resolve("labels/decisions/incidents.csv"))) {
      incidents = lines.count() - 1;
    }
    assertThat(query("incidents_detected").rows()).hasSize((int) incidents);
    // the run audit: one row per manifest, counts as the manifests say
    Map<String, long[]> expected = new TreeMap<>();
    ObjectMapper json = new ObjectMapper();
    try (Stream<Path> files = Files.walk(root.resolve("warehouse/_manifests"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
        JsonNode m = json.readTree(f.toFile());
        long[] e =
            expected.computeIfAbsent(
                f.getParent().getFileName().toString().replaceFirst("^job=", ""), k -> new long[2]);
        e[0]++;
        e[1] += m.path("counts").path("RECORDS_READ").asLong(m.path("eventsRead").asLong());
      }
    }
    HiveSession.Result audit = query("run_reconciliation");
    Map<String, long[]> actual = new TreeMap<>();
    for (List<String> row : audit.rows()) {
      actual.put(row.get(0), new long[] {Long.parseLong(row.get(1)), Long.parseLong(row.get(2))});
      assertThat(row.get(6)).as("unbalanced runs of %s", row.get(0)).isEqualTo("0");
    }
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    expected.forEach((job, e) -> assertThat(actual.get(job)).as(job).containsExactly(e));
  }

  @Test
  @Order(5)
  void clearErrorsForABadStatementAndAnUnreachableServer() throws Exception {
    Path bad = root.resolve("bad-ddl");
    Files.createDirectories(bad);
    Files.writeString(
        bad.resolve("01_bad.sql"),
        "-- broken on purpose\nCREATE TABLE ${hivevar:db}.x (a INTEGR);\n");
    String err = hive(2, "apply", "--ddl", bad.toString(), "--no-register");
    assertThat(err)
        .contains("01_bad.sql:2")
        .contains("ParseException")
        .contains("CREATE TABLE fraud.x");

    String unreachable =
        hive(
            2,
            List.of(
                "--url",
                "jdbc:hive2://127.0.0.1:1/default",
                "--attempts",
                "2",
                "--retry-pause",
                "0.1"),
            "apply",
            "--no-register");
    assertThat(unreachable).contains("cannot reach HiveServer2 after 2 attempt(s)");
  }

  // ---- helpers ----

  /** Runs an example query through the command line's code path and returns its rows. */
  private static HiveSession.Result query(String name) throws Exception {
    String text = Scripts.bundled(Scripts.QUERIES).get(name + ".sql");
    assertThat(text).as(name).isNotNull();
    try (HiveSession h = session()) {
      return h.query(SqlScript.parse(name, text, Map.of("db", "fraud")).get(0));
    }
  }

  private static void assertSameRows(String name, String duckSql) throws Exception {
    assertSameRows(name, duckSql, Integer.MAX_VALUE);
  }

  /** The example query's rows equal DuckDB's, column by column (the first {@code columns}). */
  private static void assertSameRows(String name, String duckSql, int columns) throws Exception {
    HiveSession.Result hive = query(name);
    List<List<String>> expected = duckRows(duckSql);
    assertThat(hive.rows()).as(name + " returns rows").isNotEmpty();
    assertThat(hive.rows()).as(name + " row count").hasSameSizeAs(expected);
    for (int r = 0; r < expected.size(); r++) {
      List<String> h = hive.rows().get(r);
      List<String> d = expected.get(r);
      for (int c = 0; c < Math.min(columns, d.size()); c++) {
        assertThat(same(h.get(c), d.get(c)))
            .as("%s row %d column %s: hive %s, duckdb %s", name, r, hive.columns().get(c), h, d)
            .isTrue();
      }
    }
  }

  private static boolean same(String a, String b) {
    if (a == null || b == null) {
      return a == b;
    }
    try {
      return new BigDecimal(a).compareTo(new BigDecimal(b)) == 0;
    } catch (NumberFormatException e) {
      return a.equals(b);
    }
  }

  /** The location the metastore has for a partition (DESCRIBE FORMATTED). */
  private static String location(HiveSession h, String table, LocalDate dt) {
    for (List<String> row :
        h.query("DESCRIBE FORMATTED fraud_files." + table + " PARTITION (dt='" + dt + "')")
            .rows()) {
      if (row.get(0) != null && row.get(0).trim().startsWith("Location")) {
        return row.get(1).trim().replaceAll("/+$", "");
      }
    }
    throw new AssertionError("no Location in DESCRIBE FORMATTED of " + table + " " + dt);
  }

  private static String parquet(String dir) {
    return "read_parquet('"
        + root.resolve(dir)
        + "/**/*.parquet', hive_partitioning = true, hive_types_autocast = false)";
  }

  private static List<List<String>> duckRows(String sql) throws SQLException {
    List<List<String>> rows = new ArrayList<>();
    try (Statement s = duck.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(rs.getString(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  private static String duckSingle(String sql) throws SQLException {
    return duckRows(sql).get(0).get(0);
  }

  private static String single(HiveSession h, String sql) {
    return h.query(sql).rows().get(0).get(0);
  }

  private static List<String> column(HiveSession.Result r, int c) {
    return r.rows().stream().map(row -> row.get(c)).toList();
  }

  /** Every table's and view's definition and partitions: what a re-apply must not change. */
  private static Map<String, String> catalog() {
    Map<String, String> out = new LinkedHashMap<>();
    try (HiveSession h = session()) {
      for (String db : List.of("fraud", "fraud_files")) {
        for (String t : column(h.query("SHOW TABLES IN " + db), 0)) {
          out.put(
              db + "." + t,
              String.join("\n", column(h.query("SHOW CREATE TABLE " + db + "." + t), 0)));
        }
      }
      for (HiveTables.Partitioned t : HiveTables.ALL) {
        out.put(
            t.table() + "/partitions",
            String.join(",", column(h.query("SHOW PARTITIONS fraud_files." + t.table()), 0)));
      }
    }
    return out;
  }

  private static HiveSession session() {
    return new HiveSession(url, System.getProperty("user.name"), "", 3, 1000, System.out);
  }

  /** The command line, in this JVM; asserts its exit code; returns what it printed. */
  private static String hive(int exit, String... args) {
    return hive(exit, List.of("--url", url), args);
  }

  private static String hive(int exit, List<String> connection, String... args) {
    List<String> all = new ArrayList<>(List.of(args[0]));
    all.addAll(connection);
    all.addAll(List.of("--root", root.toString()));
    all.addAll(List.of(args).subList(1, args.length));
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
    int rc = HiveDdl.run(ps, ps, all.toArray(String[]::new));
    String text = buf.toString(StandardCharsets.UTF_8);
    System.out.print(text);
    assertThat(rc).as("exit code of hive %s:%n%s", all, text).isEqualTo(exit);
    return text;
  }
}
