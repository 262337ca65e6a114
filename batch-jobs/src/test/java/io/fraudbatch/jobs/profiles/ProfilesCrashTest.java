package io.fraudbatch.jobs.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudbatch.avro.ActorProfile;
import io.fraudbatch.warehouse.CrashPoints;
import io.fraudbatch.warehouse.PartitionLister;
import io.fraudbatch.warehouse.Table;
import io.fraudbatch.warehouse.WarehouseConf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.util.ToolRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The profile job killed at each step of its run (an incremental run after a published snapshot),
 * what readers see before the rerun, and a plain rerun with no manual action.
 */
class ProfilesCrashTest {
  static final LocalDate FIRST = ProfilesJobTest.START.plusDays(3);
  static final LocalDate NEXT = FIRST.plusDays(1);
  static Path clean;
  static Map<String, ActorProfile> expected;

  @org.junit.jupiter.api.io.TempDir static Path tmp;

  @AfterEach
  void disarm() {
    CrashPoints.reset();
  }

  static Configuration conf() {
    Configuration c = ProfilesJobTest.localConf();
    // The crashed run's lock names this live JVM: only its age frees it.
    c.setLong(WarehouseConf.LEASE_MS, 300);
    return c;
  }

  static int profiles(Path root, LocalDate asOf, String mode) throws Exception {
    return profiles(root, asOf, mode, "spark");
  }

  static int profiles(Path root, LocalDate asOf, String mode, String engine) throws Exception {
    return ToolRunner.run(
        conf(),
        new ProfilesJob(),
        new String[] {
          "--root",
          root.toString(),
          "--buckets",
          "2",
          "--mode",
          mode,
          "--as-of",
          asOf.toString(),
          "--engine",
          engine
        });
  }

  static SortedMap<String, PartitionLister.Partition> snapshots(Path root) throws Exception {
    return PartitionLister.list(
            org.apache.hadoop.fs.FileSystem.getLocal(conf()),
            new org.apache.hadoop.fs.Path(root.toAbsolutePath().toUri()),
            Table.PROFILES)
        .partitions();
  }

  static Path template;

  /**
   * A root with the generated data ingested and a full snapshot as of {@link #FIRST}: made once,
   * then copied for each test (manifests and journals hold paths relative to the root).
   */
  static synchronized Path prepared(String name) throws Exception {
    if (template == null) {
      Path t = tmp.resolve("template");
      ProfilesJobTest.generate(t);
      ProfilesJobTest.ingest(t);
      assertThat(profiles(t, FIRST, "full")).isZero();
      template = t;
    }
    return io.fraudbatch.core.testing.TestRoots.copy(template, tmp.resolve(name));
  }

  @ParameterizedTest(name = "{0} killed at {1}")
  @CsvSource({
    "spark, begun",
    "spark, profiles-staged",
    "spark, intent-written",
    "spark, placed",
    "spark, before-commit",
    "spark, committed",
    "spark, superseded-removed",
    "local, begun",
    "local, " + LocalProfiles.BUCKET_WRITTEN,
    "local, profiles-staged",
    "local, placed",
    "local, committed"
  })
  void aRunKilledAtAnyStepIsRecoveredByAPlainRerun(String engine, String step) throws Exception {
    cleanRun();
    Path root = prepared("killed-" + engine + "-" + step);
    org.apache.hadoop.fs.Path first = snapshots(root).get(FIRST.toString()).location();
    Map<String, ActorProfile> firstProfiles = ProfilesJobTest.read(Path.of(first.toUri()));

    CrashPoints.crashAt(step, 1);
    try {
      assertThat(profiles(root, NEXT, "incremental", engine)).isNotZero();
    } catch (CrashPoints.SimulatedCrash e) {
      // what a kill looks like in-process
    }
    assertThat(CrashPoints.crashed()).as("reached " + step).isTrue();
    CrashPoints.reset();
    assertSeenBetweenAndRepaired(root, first, firstProfiles, step, engine);
  }

  /** The incremental run as of {@link #NEXT} on Spark, never killed: {@link #expected}. */
  static synchronized void cleanRun() throws Exception {
    if (clean == null) {
      clean = prepared("clean");
      assertThat(profiles(clean, NEXT, "incremental")).isZero();
      expected = ProfilesJobTest.read(ProfilesJobTest.snapshot(clean, NEXT));
    }
  }

  /** The arguments of an incremental run as of {@link #NEXT} on the local engine. */
  static String[] localRun(Path root) {
    return new String[] {
      "--root", root.toString(), "--buckets", "2", "--as-of", NEXT.toString(), "--engine", "local"
    };
  }

  @Test
  void aLocalRunSigkilledWhileWritingIsRecoveredByAPlainRerun() throws Exception {
    cleanRun();
    Path root = prepared("sigkilled-local");
    org.apache.hadoop.fs.Path first = snapshots(root).get(FIRST.toString()).location();
    Map<String, ActorProfile> firstProfiles = ProfilesJobTest.read(Path.of(first.toUri()));
    Path paused = tmp.resolve("paused-local");
    List<String> cmd =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
    cmd.addAll(List.of(System.getProperty("fraud.test.add-opens", "").split(" ")));
    cmd.removeIf(String::isEmpty);
    cmd.addAll(io.fraudbatch.core.testing.JobProcesses.childJvmFlags());
    cmd.add("-D" + CrashPoints.PAUSE_AT + "=" + LocalProfiles.BUCKET_WRITTEN);
    cmd.add("-D" + CrashPoints.PAUSE_FILE + "=" + paused);
    cmd.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            ProfilesJob.class.getName(),
            "-D",
            "mapreduce.framework.name=local"));
    cmd.addAll(List.of(localRun(root)));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("sigkilled-local.log").toFile())
            .start();
    try {
      long deadline = System.currentTimeMillis() + 180_000;
      while (!Files.exists(paused)) {
        assertThat(p.isAlive())
            .as("the child JVM runs: %s", Files.readString(tmp.resolve("sigkilled-local.log")))
            .isTrue();
        assertThat(System.currentTimeMillis()).as("waiting for " + paused).isLessThan(deadline);
        Thread.sleep(100);
      }
      // Paused with one bucket file written: nothing of it is published.
      assertThat(snapshots(root)).doesNotContainKey(NEXT.toString());
    } finally {
      p.destroyForcibly(); // SIGKILL
      p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
    }
    assertThat(p.exitValue()).isEqualTo(137);
    assertSeenBetweenAndRepaired(root, first, firstProfiles, LocalProfiles.BUCKET_WRITTEN, "local");
  }

  @Test
  void aDayTooLargeForTheLocalEngineIsHandedToSparkWhichPublishesTheSameSnapshot()
      throws Exception {
    cleanRun();
    Path root = prepared("too-large");
    Configuration c = conf();
    c.setLong(LocalProfiles.BUFFER_BYTES, 10_000);
    ProfilesJob job = new ProfilesJob();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    job.out = new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8);
    int code = ToolRunner.run(c, job, localRun(root));
    assertThat(code).as(out.toString(java.nio.charset.StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8))
        .contains(
            "profiles: on spark instead of local: the selected rows need more than the 0.0 MB");
    assertThat(job.lastRun().get("engine")).isEqualTo("spark");
    assertThat(job.lastRun().get("mode")).isEqualTo("incremental");
    assertThat(ProfilesJobTest.read(ProfilesJobTest.snapshot(root, NEXT))).isEqualTo(expected);
  }

  /**
   * What readers see after a run was killed at {@code step}, and a plain rerun on {@code engine}:
   * the earlier snapshot untouched, the new one absent or whole, then published as a clean run
   * publishes it, no staging left.
   */
  static void assertSeenBetweenAndRepaired(
      Path root,
      org.apache.hadoop.fs.Path first,
      Map<String, ActorProfile> firstProfiles,
      String step,
      String engine)
      throws Exception {
    // Before the rerun: the earlier snapshot is whole and untouched; the new one is either not
    // there or complete.
    SortedMap<String, PartitionLister.Partition> between = snapshots(root);
    assertThat(between.get(FIRST.toString()).location()).isEqualTo(first);
    assertThat(ProfilesJobTest.read(Path.of(first.toUri()))).isEqualTo(firstProfiles);
    boolean committed = step.equals("committed") || step.equals("superseded-removed");
    assertThat(between.containsKey(NEXT.toString())).isEqualTo(committed);
    if (committed) {
      assertThat(ProfilesJobTest.read(ProfilesJobTest.snapshot(root, NEXT))).isEqualTo(expected);
    }

    Thread.sleep(400); // the lease of the killed run expires
    assertThat(profiles(root, NEXT, "incremental", engine)).isZero();
    assertThat(ProfilesJobTest.read(ProfilesJobTest.snapshot(root, NEXT))).isEqualTo(expected);
    try (Stream<Path> left = Files.list(root.resolve("staging/profiles"))) {
      assertThat(left.toList()).isEmpty();
    }
  }

  static int backtest(Path root) throws Exception {
    return ToolRunner.run(
        conf(),
        new BacktestJob(),
        new String[] {
          "--root", root.toString(), "--from", NEXT.toString(), "--to", NEXT.toString()
        });
  }

  static String backtestRows(Path root) throws Exception {
    PartitionLister.Partition p =
        PartitionLister.list(
                org.apache.hadoop.fs.FileSystem.getLocal(conf()),
                new org.apache.hadoop.fs.Path(root.toAbsolutePath().toUri()),
                Table.BACKTESTS)
            .partitions()
            .get(NEXT.toString());
    if (p == null) {
      return null;
    }
    java.util.List<String> rows = new java.util.ArrayList<>();
    try (Stream<Path> s = Files.list(Path.of(p.location().toUri()))) {
      for (Path f : s.filter(x -> x.toString().endsWith(".parquet")).sorted().toList()) {
        io.fraudbatch.jobs.AvroParquet.<org.apache.avro.generic.GenericRecord>read(
            conf(), new org.apache.hadoop.fs.Path(f.toUri()), r -> rows.add(r.toString()));
      }
    }
    return String.join("\n", rows);
  }

  @ParameterizedTest(name = "backtest killed at {0}")
  @ValueSource(strings = {"intent-written", "placed", "committed"})
  void aBacktestKilledAtAnyStepIsRecoveredByAPlainRerun(String step) throws Exception {
    Path root = prepared("backtest-" + step);
    assertThat(backtest(root)).isZero();
    String expected = backtestRows(root);
    assertThat(expected).isNotEmpty();

    CrashPoints.crashAt(step, 1);
    try {
      assertThat(backtest(root)).isNotZero();
    } catch (CrashPoints.SimulatedCrash e) {
      // what a kill looks like in-process
    }
    assertThat(CrashPoints.crashed()).as("reached " + step).isTrue();
    CrashPoints.reset();
    // The published backtest stays whole: the old version or the new one.
    assertThat(backtestRows(root)).isEqualTo(expected);

    Thread.sleep(400);
    assertThat(backtest(root)).isZero();
    assertThat(backtestRows(root)).isEqualTo(expected);
    try (Stream<Path> left = Files.list(root.resolve("staging/backtests"))) {
      assertThat(left.toList()).isEmpty();
    }
  }
}
