package io.fraudbatch.jobs.anomalies;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudbatch.avro.Anomaly;
import io.fraudbatch.avro.RiskContext;
import io.fraudbatch.core.anomaly.KeyTypes;
import io.fraudbatch.core.anomaly.WindowEvaluation;
import io.fraudbatch.ingest.IngestJob;
import io.fraudbatch.jobs.AvroParquet;
import io.fraudbatch.sample.Generator;
import io.fraudbatch.sample.GeneratorConfig;
import io.fraudbatch.sample.Scenario;
import io.fraudbatch.warehouse.Table;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.util.ToolRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The anomaly job on Spark local[*] over a default-size run of the real generator (2,000 actors, 28
 * days, fixed seed) with eight incidents of each scenario, ingested by the real ingest job.
 */
class AnomaliesJobTest {
  @TempDir static Path root;

  static Configuration conf() {
    Configuration conf = new Configuration();
    conf.set("mapreduce.framework.name", "local");
    conf.set("fs.defaultFS", "file:///");
    // A run killed in-process leaves a lock naming this live JVM: only its age frees it.
    conf.setLong(io.fraudbatch.warehouse.WarehouseConf.LEASE_MS, 300);
    return conf;
  }

  @BeforeAll
  static void generateAndIngest() throws Exception {
    GeneratorConfig d = GeneratorConfig.defaults(root.toString());
    Map<Scenario, Integer> incidents = new EnumMap<>(Scenario.class);
    for (Scenario s : Scenario.values()) {
      incidents.put(s, 8);
    }
    new Generator(
            new GeneratorConfig(
                d.root(),
                d.seed(),
                d.actors(),
                d.days(),
                d.start(),
                d.events(),
                d.formats(),
                d.duplicateRate(),
                d.lateDuplicateShare(),
                d.malformedRate(),
                d.lateDeliveryRate(),
                d.panRate(),
                d.truncatedFile(),
                d.v2From(),
                incidents,
                d.threads(),
                false),
            line -> {})
        .run();
    try (Stream<Path> s = Files.walk(root.resolve("landing"))) {
      for (Path p : s.filter(p -> p.toString().endsWith(".tmp")).toList()) {
        Files.move(p, p.resolveSibling(p.getFileName().toString().replace(".tmp", "")));
      }
    }
    int code =
        ToolRunner.run(
            conf(),
            new IngestJob(),
            new String[] {"--root", root.toString(), "--min-age-seconds", "0"});
    assertThat(code).as("ingest").isZero();
  }

  record Run(int code, AnomaliesJob job, String out, String err) {}

  static Run run(String... args) throws Exception {
    AnomaliesJob job = new AnomaliesJob();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    job.out = new PrintStream(out, true, StandardCharsets.UTF_8);
    job.err = new PrintStream(err, true, StandardCharsets.UTF_8);
    List<String> a = new ArrayList<>(List.of("--root", root.toString()));
    a.addAll(List.of(args));
    int code = ToolRunner.run(conf(), job, a.toArray(String[]::new));
    System.out.print(out.toString(StandardCharsets.UTF_8));
    return new Run(
        code, job, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static <T> List<T> read(Path dir) throws Exception {
    List<T> l = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(p -> p.toString().endsWith(".parquet")).sorted().toList()) {
        AvroParquet.<T>read(conf(), new org.apache.hadoop.fs.Path(p.toUri()), l::add);
      }
    }
    return l;
  }

  /** Rows without the run id, for comparing runs. */
  static List<String> rows(List<Anomaly> as) {
    return as.stream().peek(a -> a.setRunId("")).map(Anomaly::toString).toList();
  }

  @Test
  void findsTheInjectedCrossUserIncidentsAndReRunsDayByDayAlike() throws Exception {
    // Every day but the first (which has no history at all).
    Run all = run("--date", "2026-10-02..2026-10-28");
    assertThat(all.code()).as(all.err()).isZero();
    WindowEvaluation.Report r = all.job().lastReport();
    assertThat(r.scenarios())
        .extracting(WindowEvaluation.ScenarioRecall::scenario)
        .containsExactly("CARD_TESTING", "COMPROMISED_MERCHANT", "REGIONAL_BURST");
    for (WindowEvaluation.ScenarioRecall s : r.scenarios()) {
      assertThat(s.windows()).as(s.scenario()).isGreaterThanOrEqualTo(8);
      assertThat(s.recall()).as(s.scenario()).isGreaterThanOrEqualTo(0.95);
    }
    assertThat(r.precision()).as(r.table()).isGreaterThanOrEqualTo(0.90);
    assertThat(all.out()).contains("reconciled").contains("REGIONAL_BURST");
    Map<?, ?> rec = (Map<?, ?>) all.job().lastRun().get("reconciliation");
    assertThat(rec.get("balanced")).isEqualTo(true);
    // The reference method on the same windows: evaluated, and no better than the job here.
    WindowEvaluation.Report ref = all.job().lastReferenceReport();
    assertThat(ref.scenarios()).hasSameSizeAs(r.scenarios());
    assertThat(ref.precision()).isLessThanOrEqualTo(r.precision());
    assertThat(all.out()).contains("reference: robust z");
    // The run record: numbers are numbers, the reference's flags a day beside the job's.
    Map<?, ?> ev = (Map<?, ?>) all.job().lastRun().get("evaluation");
    assertThat(ev.get("recall")).isInstanceOf(Double.class);
    assertThat((Integer) ev.get("incidentsFound")).isGreaterThanOrEqualTo(23);
    assertThat(((Map<?, ?>) all.job().lastRun().get("reference")).get("flaggedWindowsPerDay"))
        .isInstanceOf(Double.class);
    assertThat(AnomaliesJob.JSON.writeValueAsString(all.job().lastRun())).doesNotContain("NaN");

    // Published: one partition per scored day, the risk context as of the last.
    Path anomalies = root.resolve("warehouse/anomalies");
    try (Stream<Path> s = Files.list(anomalies)) {
      assertThat(s.count()).isEqualTo(27);
    }
    List<Anomaly> found = new ArrayList<>();
    for (int d = 2; d <= 28; d++) {
      found.addAll(read(published(root, Table.ANOMALIES, String.format("2026-10-%02d", d))));
    }
    assertThat(found).hasSize(((Number) all.job().lastRun().get("anomalies")).intValue());
    assertThat(found).allSatisfy(a -> assertThat(a.getScore()).isGreaterThanOrEqualTo(4));
    assertThat(found)
        .extracting(Anomaly::getKeyType)
        .contains(KeyTypes.REGION, KeyTypes.MERCHANT, KeyTypes.IP24);
    List<RiskContext> risk = read(published(root, Table.RISK_CONTEXT, "2026-10-28"));
    long lastDayKeys =
        found.stream()
            .filter(a -> a.getWindowEnd().toString().startsWith("2026-10-28"))
            .map(a -> a.getKeyType() + "/" + a.getKey())
            .distinct()
            .count();
    assertThat(risk).hasSizeGreaterThanOrEqualTo((int) lastDayKeys);

    // One day on its own gives the same rows as that day of the range; the re-run replaces it.
    // (The busiest day of anomalies.)
    String busiest =
        found.stream()
            .collect(
                java.util.stream.Collectors.groupingBy(
                    a -> a.getWindowStart().toString().substring(0, 10),
                    java.util.stream.Collectors.counting()))
            .entrySet()
            .stream()
            .max(Map.Entry.comparingByValue())
            .get()
            .getKey();
    List<String> day = rows(read(published(root, Table.ANOMALIES, busiest)));
    assertThat(day).isNotEmpty();
    Run one = run("--date", busiest);
    assertThat(one.code()).as(one.err()).isZero();
    assertThat(rows(read(published(root, Table.ANOMALIES, busiest)))).isEqualTo(day);
    try (Stream<Path> s = Files.list(root.resolve("staging/anomalies"))) {
      assertThat(s.toList()).as("staging left clean").isEmpty();
    }

    // The risk context of the next day with a 48-hour context: the published anomalies of the
    // busiest day (read back from the warehouse, not this run) put their keys at risk.
    String next = java.time.LocalDate.parse(busiest).plusDays(1).toString();
    Run ctx = run("--date", next, "--context-hours", "48");
    assertThat(ctx.code()).as(ctx.err()).isZero();
    List<RiskContext> risk2 = read(published(root, Table.RISK_CONTEXT, next));
    java.util.Set<String> busyKeys =
        found.stream()
            .filter(a -> a.getWindowStart().toString().startsWith(busiest))
            .map(a -> a.getKeyType() + "/" + a.getKey())
            .collect(java.util.stream.Collectors.toSet());
    assertThat(risk2).extracting(x -> x.getKeyType() + "/" + x.getKey()).containsAll(busyKeys);
    assertThat(risk2)
        .allSatisfy(
            x -> {
              assertThat(x.getLevel()).isIn("LOW", "MEDIUM", "HIGH");
              assertThat(x.getAmountMultiplier()).isBetween(0.5, 0.85);
              assertThat(x.getValidUntil()).isAfter(x.getLastAnomalyEnd());
            });
  }

  @Test
  void badArgumentsSayWhatToDo() throws Exception {
    Run w = run("--window", "7m");
    assertThat(w.code()).isEqualTo(2);
    assertThat(w.err()).contains("--window").contains("7m");
    Run d = run("--date", "2027-01-01");
    assertThat(d.code()).isEqualTo(2);
    assertThat(d.err()).contains("no decisions for 2027-01-01").contains("2026-10-01");
  }

  static final String KILLED_DAY = "2026-10-20";

  /** The killed run: one day against one week of history (what the steps do, cheaper). */
  static final String[] KILLED_RUN = {"--date", KILLED_DAY, "--baseline-weeks", "1"};

  static List<String> cleanAnomalies;
  static List<String> cleanRisk;

  /** The published risk context as of {@code day}, run ids blanked. */
  static List<String> riskRows(String day) throws Exception {
    return read(published(root, Table.RISK_CONTEXT, day)).stream()
        .map(Object::toString)
        .map(x -> x.replaceAll("\"runId\": \"[^\"]*\"", ""))
        .toList();
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "killed at {0}")
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {"begun", "anomalies-staged", "intent-written", "placed", "committed"})
  void aRunKilledAtAnyStepIsRecoveredByAPlainRerun(String step) throws Exception {
    String day = KILLED_DAY;
    List<String> expected;
    List<String> risk;
    synchronized (AnomaliesJobTest.class) {
      if (cleanAnomalies == null) {
        // One clean run for every step: each case's rerun must publish what it published.
        Run clean = run(KILLED_RUN);
        assertThat(clean.code()).as(clean.err()).isZero();
        cleanAnomalies = rows(read(published(root, Table.ANOMALIES, day)));
        assertThat(cleanAnomalies).as("anomalies to compare").isNotEmpty();
        cleanRisk = riskRows(day);
      }
      expected = cleanAnomalies;
      risk = cleanRisk;
    }
    // What readers see before this run (another test may have published the day differently).
    List<String> before = rows(read(published(root, Table.ANOMALIES, day)));
    List<String> riskBefore = riskRows(day);

    io.fraudbatch.warehouse.CrashPoints.crashAt(step, 1);
    try {
      assertThat(run(KILLED_RUN).code()).isNotZero();
    } catch (io.fraudbatch.warehouse.CrashPoints.SimulatedCrash e) {
      // what a kill looks like in-process
    } finally {
      assertThat(io.fraudbatch.warehouse.CrashPoints.crashed()).as(step).isTrue();
      io.fraudbatch.warehouse.CrashPoints.reset();
    }
    // Between the kill and the rerun the day and the risk context are whole (old or new).
    assertThat(rows(read(published(root, Table.ANOMALIES, day)))).isIn(before, expected);
    assertThat(riskRows(day)).isIn(riskBefore, risk);

    Thread.sleep(400); // the killed run's lease expires
    Run again = run(KILLED_RUN);
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("took over the lock");
    assertThat(rows(read(published(root, Table.ANOMALIES, day)))).isEqualTo(expected);
    assertThat(riskRows(day)).isEqualTo(risk);
    try (Stream<Path> s = Files.list(root.resolve("staging/anomalies"))) {
      assertThat(s.toList()).isEmpty();
    }
  }

  /** Where partition {@code value} of {@code table} is published (through the lister). */
  static Path published(Path root, io.fraudbatch.warehouse.Table table, Object value) {
    return io.fraudbatch.jobs.Published.partition(root, table, value);
  }
}
