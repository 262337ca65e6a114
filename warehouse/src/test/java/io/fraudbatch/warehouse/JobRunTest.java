package io.fraudbatch.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudbatch.core.FraudBatchException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JobRunTest {
  @TempDir java.nio.file.Path tmp;

  @AfterEach
  void disarm() {
    CrashPoints.reset();
  }

  private Configuration conf(long leaseMs) {
    Configuration c = new Configuration();
    c.setLong(WarehouseConf.LEASE_MS, leaseMs);
    c.setLong(WarehouseConf.SUPERSEDED_RETENTION_MS, 0);
    return c;
  }

  private FileSystem fs() throws IOException {
    return FileSystem.getLocal(new Configuration());
  }

  private Path root() {
    return new Path(tmp.resolve("root").toUri());
  }

  /** A toy ingest run: every day in {@code days} gets a new version holding {@code tag}. */
  private void run(Configuration conf, List<String> days, String tag, List<String> said)
      throws IOException {
    FileSystem fs = fs();
    try (JobRun run = JobRun.begin(conf, fs, root(), "ingest", said::add)) {
      for (String d : days) {
        Path staged = new Path(run.staging(), "out/dt=" + d);
        write(fs, new Path(staged, "part-0.txt"), tag + " " + d);
        run.publishVersion(Table.DECISIONS, d, staged);
        Path q = new Path(run.staging(), "q/dt=" + d + "/part-" + run.runId() + ".txt");
        write(fs, q, "bad " + tag + " " + d);
        run.publishFile(Table.QUARANTINE, d, q);
      }
      CrashPoints.reach("computed");
      run.commit("{\"runId\":\"" + run.runId() + "\"}");
    }
  }

  private static void write(FileSystem fs, Path p, String text) throws IOException {
    try (OutputStream o = fs.create(p, true)) {
      o.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** What a reader sees: day → contents of the current version's files. */
  private Map<String, String> published(Table t) throws IOException {
    FileSystem fs = fs();
    Map<String, String> out = new TreeMap<>();
    for (PartitionLister.Partition p : PartitionLister.list(fs, root(), t).partitions().values()) {
      List<String> texts = new ArrayList<>();
      for (FileStatus f : fs.listStatus(p.location())) {
        if (f.isFile() && !f.getPath().getName().startsWith(".")) {
          texts.add(new String(fs.open(f.getPath()).readAllBytes(), StandardCharsets.UTF_8));
        }
      }
      texts.sort(null);
      out.put(p.value(), String.join("|", texts));
    }
    return out;
  }

  static Stream<String> steps() {
    return Stream.of(
        "begun",
        "computed",
        "before-intent",
        "intent-written",
        "placed",
        "before-commit",
        "committed",
        "rolled-forward",
        "superseded-removed",
        "cleaned");
  }

  @ParameterizedTest(name = "crash at {0}")
  @MethodSource("steps")
  void aCrashAtAnyStepIsRecoveredByAPlainRerunAndReadersNeverSeeAHole(String step)
      throws Exception {
    Configuration conf = conf(50);
    List<String> said = new ArrayList<>();
    run(conf, List.of("2026-10-27", "2026-10-28"), "A", said);
    Map<String, String> before = published(Table.DECISIONS);
    assertThat(before).containsEntry("2026-10-28", "A 2026-10-28");

    CrashPoints.crashAt(step, step.equals("placed") ? 2 : 1);
    assertThatThrownBy(() -> run(conf, List.of("2026-10-28", "2026-10-29"), "B", said))
        .isInstanceOf(CrashPoints.SimulatedCrash.class);
    CrashPoints.reset();

    // Between the kill and the rerun: the old state or the new one, whole, never a hole.
    Map<String, String> between = published(Table.DECISIONS);
    boolean committed =
        List.of("committed", "rolled-forward", "superseded-removed", "cleaned").contains(step);
    Map<String, String> after =
        Map.of(
            "2026-10-27",
            "A 2026-10-27",
            "2026-10-28",
            "B 2026-10-28",
            "2026-10-29",
            "B 2026-10-29");
    assertThat(between).isEqualTo(committed ? after : before);

    Thread.sleep(120); // the crashed run's lease expires (same pid: only its age frees it)
    said.clear();
    run(conf, List.of(), "C", said);
    assertThat(String.join("\n", said)).contains("took over the lock");
    assertThat(published(Table.DECISIONS)).isEqualTo(after.equals(between) ? after : before);
    Map<String, String> quarantine = published(Table.QUARANTINE);
    assertThat(quarantine.get("2026-10-28"))
        .isEqualTo(committed ? "bad A 2026-10-28|bad B 2026-10-28" : "bad A 2026-10-28");

    // No orphans: staging holds nothing but what a finished run leaves (nothing), and every
    // partition holds exactly its current version.
    FileSystem fs = fs();
    assertThat(fs.listStatus(new Path(root(), "staging/ingest"))).isEmpty();
    for (FileStatus p : fs.listStatus(new Path(root(), "warehouse/decisions"))) {
      assertThat(fs.listStatus(p.getPath())).hasSize(1);
    }
  }

  @Test
  void aLiveHolderIsRefusedWithItsIdentityAndADeadOneIsTakenOver() throws Exception {
    Configuration conf = conf(60_000);
    FileSystem fs = fs();
    try (JobRun first = JobRun.begin(conf, fs, root(), "profiles", s -> {})) {
      assertThatThrownBy(() -> JobRun.begin(conf, fs, root(), "profiles", s -> {}))
          .isInstanceOf(FraudBatchException.class)
          .hasMessageContaining("Cannot run profiles: run " + first.runId() + " holds")
          .hasMessageContaining("pid " + ProcessHandle.current().pid());
    }
    // A lock left by a process that is gone (same host, a pid that does not exist).
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    Path lock = new Path(root(), "staging/profiles/_LOCK");
    write(
        fs,
        lock,
        "{\"schemaVersion\":1,\"job\":\"profiles\",\"runId\":\"20261101T000000Z-000001\",\"host\":\""
            + RunLease.host()
            + "\",\"pid\":"
            + p.pid()
            + ",\"startedAt\":\"2026-11-01T00:00:00Z\",\"leaseMs\":600000}");
    List<String> said = new ArrayList<>();
    try (JobRun run = JobRun.begin(conf, fs, root(), "profiles", said::add)) {
      assertThat(said).singleElement().asString().contains("that process is dead");
    }
    assertThat(fs.exists(lock)).isFalse();
  }

  @Test
  void runIdsOfSuccessiveRunsSortInCommitOrderEvenWithinOneSecond() throws Exception {
    Configuration conf = conf(60_000);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      try (JobRun run = JobRun.begin(conf, fs(), root(), "ingest", s -> {})) {
        ids.add(run.runId());
        run.commit("{}");
      }
    }
    assertThat(ids).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void foreignEntriesAreSkippedAndListedNeverThrown() throws Exception {
    Configuration conf = conf(60_000);
    run(conf, List.of("2026-10-28"), "A", new ArrayList<>());
    FileSystem fs = fs();
    Path dir = new Path(root(), "warehouse/decisions");
    fs.mkdirs(new Path(dir, "dt=2026-10-28.old"));
    fs.mkdirs(new Path(dir, "dt=2026-13-45"));
    fs.mkdirs(new Path(dir, "notes"));
    write(fs, new Path(dir, "README"), "hello");
    fs.mkdirs(new Path(dir, "dt=2026-10-29/v-20990101T000000Z-abcdef")); // never committed
    write(fs, new Path(dir, "dt=2026-10-30/part-0.parquet"), "legacy"); // before versions
    PartitionLister.Listing l = PartitionLister.list(fs, root(), Table.DECISIONS);
    assertThat(l.partitions()).containsOnlyKeys("2026-10-28", "2026-10-30");
    assertThat(l.partitions().get("2026-10-30").runId()).isNull();
    assertThat(l.skipped())
        .containsExactlyInAnyOrder(
            "dt=2026-10-28.old",
            "dt=2026-13-45",
            "notes",
            "README",
            "dt=2026-10-29 (no committed version)");
  }

  @Test
  void aLegacyPartitionIsReplacedByAVersionAndItsFilesRemovedAfterRetention() throws Exception {
    FileSystem fs = fs();
    write(fs, new Path(root(), "warehouse/decisions/dt=2026-10-28/part-0.txt"), "legacy");
    assertThat(published(Table.DECISIONS)).containsEntry("2026-10-28", "legacy");
    run(conf(60_000), List.of("2026-10-28"), "A", new ArrayList<>());
    assertThat(published(Table.DECISIONS)).containsEntry("2026-10-28", "A 2026-10-28");
    assertThat(fs.exists(new Path(root(), "warehouse/decisions/dt=2026-10-28/part-0.txt")))
        .isFalse();
  }

  @Test
  void supersededVersionsStayForTheRetentionPeriod() throws Exception {
    Configuration conf = conf(60_000);
    conf.setLong(WarehouseConf.SUPERSEDED_RETENTION_MS, 3_600_000);
    run(conf, List.of("2026-10-28"), "A", new ArrayList<>());
    run(conf, List.of("2026-10-28"), "B", new ArrayList<>());
    assertThat(published(Table.DECISIONS)).containsEntry("2026-10-28", "B 2026-10-28");
    assertThat(fs().listStatus(new Path(root(), "warehouse/decisions/dt=2026-10-28"))).hasSize(2);
  }

  @Test
  void relativePathsSurviveACopiedRoot() {
    assertThat(RootPaths.relative(new Path("file:/a/root"), new Path("file:/a/root/landing/x")))
        .isEqualTo("landing/x");
    assertThat(RootPaths.normalize("file:/old/place/landing/decisions/2026/f", "landing"))
        .isEqualTo("landing/decisions/2026/f");
    assertThat(RootPaths.normalize("landing/decisions/2026/f", "landing"))
        .isEqualTo("landing/decisions/2026/f");
  }

  @Test
  void aRunThatLostItsLockDoesNotCommit() throws Exception {
    Configuration conf = conf(60_000);
    FileSystem fs = fs();
    try (JobRun run = JobRun.begin(conf, fs, root(), "ingest", s -> {})) {
      fs.delete(new Path(root(), "staging/ingest/_LOCK"), false);
      assertThatThrownBy(() -> run.commit("{}"))
          .isInstanceOf(FraudBatchException.class)
          .hasMessageContaining("lost its lock");
      assertThat(new RunManifests(fs, root(), "ingest").committed()).isEmpty();
    }
    Files.createDirectories(tmp.resolve("x"));
  }

  @Test
  void aRunRecordThatBreaksItsTypedDefinitionIsNotCommitted() throws Exception {
    Configuration conf = conf(60_000);
    FileSystem fs = fs();
    try (JobRun run = JobRun.begin(conf, fs, root(), "profiles", s -> {})) {
      // "completeUpTo" renamed by a writer: the run fails, not a reader of the snapshot later.
      String bad =
          "{\"runId\":\""
              + run.runId()
              + "\",\"asOf\":\"2026-10-28\",\"completeUp\":\"x\","
              + "\"reconciliation\":{\"balanced\":true}}";
      assertThatThrownBy(() -> run.commit(bad, RunRecords.ProfilesRun.class))
          .isInstanceOf(FraudBatchException.class)
          .hasMessageContaining("no completeUpTo");
      assertThatThrownBy(
              () -> run.commit("{\"runId\": 5, \"asOf\": [", RunRecords.ProfilesRun.class))
          .isInstanceOf(FraudBatchException.class)
          .hasMessageContaining("Cannot read a ProfilesRun run record");
    }
    assertThat(new RunManifests(fs, root(), "profiles").committed()).isEmpty();
  }
}
