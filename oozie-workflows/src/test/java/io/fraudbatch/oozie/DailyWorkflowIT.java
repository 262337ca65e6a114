package io.fraudbatch.oozie;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fraudbatch.core.testing.JobProcesses;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The shipped ingest and daily workflows run end to end on the embedded defaults, in the order
 * their workflow.xml defines (oozie run-local: Oozie itself needs YARN for java and spark actions),
 * against a real HiveServer2 and a real HBase, each its own process.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DailyWorkflowIT {
  static final Path HOME = JobProcesses.HOME;
  static Path root;
  static Process hive;
  static Process hbase;
  static String hiveUrl;
  static String zookeeper;
  static LocalDate last;

  @BeforeAll
  static void servicesAndData() throws Exception {
    root = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "oozie-it");
    hive =
        JobProcesses.start(
            root.resolve("hive-server.log"),
            "hive-server/target/fraud-batch-hive-server.jar",
            null,
            "--dir",
            root.resolve("hive").toString(),
            "--port",
            "0",
            "--ready-file",
            root.resolve("hive.ready").toString());
    hbase =
        JobProcesses.start(
            root.resolve("hbase.log"),
            "profile-builder/target/fraud-batch-profile-builder.jar",
            "io.fraudbatch.profilebuilder.LocalHBase",
            "--dir",
            root.resolve("hbase").toString(),
            "--port",
            "0",
            "--ready-file",
            root.resolve("hbase.ready").toString());
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
    last = LocalDate.parse("2026-10-01").plusDays(14);
    hiveUrl =
        JobProcesses.awaitReady(hive, root.resolve("hive.ready"), root.resolve("hive-server.log"));
    zookeeper =
        JobProcesses.awaitReady(hbase, root.resolve("hbase.ready"), root.resolve("hbase.log"));
    JobProcesses.run(
        root,
        "hive-ddl/target/fraud-batch-hive-ddl.jar",
        null,
        "apply",
        "--url",
        hiveUrl,
        "--root",
        root.toString());
  }

  @AfterAll
  static void stop() throws Exception {
    JobProcesses.stop(hive, hbase);
  }

  @Test
  @Order(1)
  void theIngestWorkflowIngestsRegistersAndMarksTheHourDone() throws Exception {
    String out =
        runLocal(0, "ingest", "--set", "hour=2026/10/15/23", "--set", "hourLabel=2026101523");
    assertThat(actions(out)).containsExactly("ingest", "hive-register", "mark-done");
    assertThat(root.resolve("warehouse/decisions/dt=" + last)).isDirectory();
    assertThat(root.resolve("warehouse/_done/ingest/2026/10/15/23/_SUCCESS")).exists();
    assertThat(Files.readString(root.resolve("oozie-logs/hive-register.log")))
        .containsPattern("decisions +15 published, +0 already registered, +15 added");
  }

  @Test
  @Order(2)
  void theDailyWorkflowRunsItsStepsInOrder() throws Exception {
    // yesterday's daily run left the profiles as of the day before (the backtest replays the day
    // with them)
    JobProcesses.run(
        root,
        "batch-jobs/target/fraud-batch-batch-jobs.jar",
        null,
        "--root",
        root.toString(),
        "--engine",
        "spark",
        "--mode",
        "full",
        "--as-of",
        last.minusDays(1).toString());

    String out =
        runLocal(0, "daily", "--set", "day=" + last, "--set", "nominalTime=" + last + "T00:00Z");
    assertThat(actions(out))
        .containsExactly("profiles", "anomalies", "load", "hive-register", "backtest");

    assertThat(root.resolve("warehouse/profiles/as_of=" + last)).isDirectory();
    assertThat(root.resolve("warehouse/anomalies/dt=" + last)).isDirectory();
    assertThat(root.resolve("warehouse/risk_context/as_of=" + last)).isDirectory();
    assertThat(root.resolve("warehouse/backtests/to=" + last)).isDirectory();
    // the jobs ran in the workflow's order: their manifests' start times say so
    Instant profiles = started("profiles", "asOf", last.toString());
    Instant anomalies = started("anomalies", null, null);
    Instant load = started("load", "asOf", last.toString());
    assertThat(profiles).isBefore(anomalies);
    assertThat(anomalies).isBefore(load);
    // HBase serves the day's batch view
    String live =
        JobProcesses.run(
            root,
            "profile-builder/target/fraud-batch-profile-builder.jar",
            "io.fraudbatch.profilebuilder.ProfileBuilder",
            "get",
            "--live",
            "--zookeeper",
            zookeeper);
    assertThat(live).contains(last.plusDays(1) + "T00:00:00Z");
    // and the workflow registered the day's partitions: registering again finds nothing to add
    String again =
        JobProcesses.run(
            root,
            "hive-ddl/target/fraud-batch-hive-ddl.jar",
            null,
            "register",
            "--url",
            hiveUrl,
            "--root",
            root.toString(),
            "--table",
            "anomalies",
            "--partition",
            last.toString());
    assertThat(again).contains("1 already registered").contains("0 added");
  }

  @Test
  @Order(3)
  void aFailingActionEndsAtTheKillNodeNamingItAndItsLog() throws Exception {
    // a storage root without decisions: the first action fails, nothing after it runs
    Path empty = Files.createDirectories(root.resolve("empty-root"));
    String err =
        runLocal(
            2,
            "daily",
            "--set",
            "day=" + last,
            "--set",
            "nominalTime=" + last + "T00:00Z",
            "--set",
            "root=" + empty.toUri());
    assertThat(actions(err)).containsExactly("profiles");
    assertThat(err)
        .contains("fraud-batch daily " + last + " failed at [profiles]")
        .contains("profiles.log");
  }

  // ---- helpers ----

  private static final Pattern ACTION =
      Pattern.compile("oozie run-local: \\[\\d+/\\d+] (\\S+) (ok|FAILED) in");

  private static List<String> actions(String out) {
    List<String> names = new ArrayList<>();
    Matcher m = ACTION.matcher(out);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  private static Instant started(String job, String field, String value) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Instant latest = null;
    try (Stream<Path> files = Files.list(root.resolve("warehouse/_manifests/job=" + job))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
        JsonNode m = json.readTree(f.toFile());
        if (field == null || value.equals(m.path(field).asText())) {
          Instant t = Instant.parse(m.path("startedAt").asText());
          latest = latest == null || t.isAfter(latest) ? t : latest;
        }
      }
    }
    assertThat(latest).as("a %s manifest", job).isNotNull();
    return latest;
  }

  private static String runLocal(int exit, String app, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run-local",
                "--app",
                app,
                "--set",
                "root=" + root.toUri(),
                "--set",
                "hiveJdbcUrl=" + hiveUrl,
                "--set",
                "hbaseZookeeperQuorum=" + zookeeper,
                "--jar",
                "io.fraudbatch.ingest=" + HOME.resolve("ingest/target/fraud-batch-ingest.jar"),
                "--jar",
                "io.fraudbatch.jobs="
                    + HOME.resolve("batch-jobs/target/fraud-batch-batch-jobs.jar"),
                "--jar",
                "io.fraudbatch.profilebuilder="
                    + HOME.resolve("profile-builder/target/fraud-batch-profile-builder.jar"),
                "--jar",
                "io.fraudbatch.hive=" + HOME.resolve("hive-ddl/target/fraud-batch-hive-ddl.jar"),
                "--logs",
                root.resolve("oozie-logs").toString()));
    for (String f : JobProcesses.jvmFlags()) {
      args.add("--jvm-flag=" + f);
    }
    args.addAll(List.of(more));
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
    int rc = OozieTool.run(ps, ps, args.toArray(String[]::new));
    String text = buf.toString(StandardCharsets.UTF_8);
    System.out.print(text);
    assertThat(rc).as("oozie %s:%n%s", args, text).isEqualTo(exit);
    return text;
  }
}
