package io.fraudbatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudbatch.warehouse.CrashPoints;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest in a child JVM killed with SIGKILL in the middle of its commit and in the middle of the
 * local engine's passes, a second run started while it holds the lease, the rerun after the kill,
 * and a root copied elsewhere.
 */
class IngestKillTest {
  @TempDir Path tmp;

  private Process child(Path root, String pauseAt, Path pauseFile) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.addAll(io.fraudbatch.core.testing.JobProcesses.childJvmFlags());
    cmd.add("-D" + CrashPoints.PAUSE_AT + "=" + pauseAt);
    cmd.add("-D" + CrashPoints.PAUSE_FILE + "=" + pauseFile);
    cmd.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            IngestJob.class.getName(),
            "-D",
            "mapreduce.framework.name=local",
            "--root",
            root.toString(),
            "--min-age-seconds",
            "0"));
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(tmp.resolve("child-" + pauseAt + ".log").toFile())
        .start();
  }

  private static void awaitFile(Path f, Process p) throws Exception {
    long deadline = System.currentTimeMillis() + 180_000;
    while (!Files.exists(f)) {
      assertThat(p.isAlive()).as("the child JVM is still running").isTrue();
      assertThat(System.currentTimeMillis()).as("waiting for " + f).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private static String captured(ThrowingRunnable r) throws Exception {
    PrintStream was = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setOut(was);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  /**
   * Runs ingest on {@code root} in a child JVM paused at {@code step}, checks {@code whilePaused},
   * then kills the child with SIGKILL.
   */
  private void killWhilePaused(Path root, String step, ThrowingRunnable whilePaused)
      throws Exception {
    Path paused = tmp.resolve("paused-" + step);
    Process p = child(root, step, paused);
    try {
      awaitFile(paused, p);
      whilePaused.run();
    } finally {
      p.destroyForcibly(); // SIGKILL
      p.waitFor(30, TimeUnit.SECONDS);
    }
    assertThat(p.exitValue()).isEqualTo(137);
  }

  @Test
  void aSigkilledRunIsRecoveredByAPlainRerunAndASecondLiveRunIsRefused() throws Exception {
    Path clean = tmp.resolve("clean");
    IngestJobTest.generate(clean, 21);
    assertThat(IngestJobTest.ingest(clean).code()).isZero();
    Map<String, String> expected = IngestJobTest.withoutRunIds(IngestJobTest.byEventId(clean));
    int expectedQuarantine = IngestJobTest.rows(clean.resolve("warehouse/quarantine")).size();

    Path root = tmp.resolve("killed");
    IngestJobTest.generate(root, 21);
    // Stopped after its first partition version was placed, before the commit point.
    killWhilePaused(
        root,
        "placed",
        () -> {
          // A second run while the first one lives: refused, exit 2, naming the holder.
          IngestJobTest.Result second = IngestJobTest.ingest(root);
          assertThat(second.code()).isEqualTo(2);
          // Readers see nothing half-published.
          assertThat(IngestJobTest.byEventId(root)).isEmpty();
        });
    assertThat(root.resolve("staging/ingest/_LOCK")).exists();
    assertThat(IngestJobTest.byEventId(root)).isEmpty();

    String out = captured(() -> assertThat(IngestJobTest.ingest(root).code()).isZero());
    assertThat(out).contains("took over the lock").contains("that process is dead");
    assertThat(out).contains("crashed before its commit point");
    assertThat(IngestJobTest.withoutRunIds(IngestJobTest.byEventId(root))).isEqualTo(expected);
    assertThat(IngestJobTest.rows(root.resolve("warehouse/quarantine")))
        .hasSize(expectedQuarantine);
    try (Stream<Path> left = Files.list(root.resolve("staging/ingest"))) {
      assertThat(left.toList()).isEmpty();
    }
  }

  /**
   * Killed inside the local engine, between its write pass and its duplicate check: the days'
   * Parquet files are still open in the run's staging directory.
   */
  @Test
  void aRunSigkilledWithItsFilesOpenIsRedoneByAPlainRerun() throws Exception {
    Path clean = tmp.resolve("clean-rows");
    IngestJobTest.generate(clean, 25);
    assertThat(IngestJobTest.ingest(clean).code()).isZero();
    Map<String, String> expected = IngestJobTest.withoutRunIds(IngestJobTest.byEventId(clean));

    Path root = tmp.resolve("killed-rows");
    IngestJobTest.generate(root, 25);
    killWhilePaused(
        root,
        "ingest-rows",
        () -> {
          try (Stream<Path> staged = Files.walk(root.resolve("staging/ingest"))) {
            assertThat(staged.filter(f -> f.toString().endsWith(".parquet")).count())
                .as("the write pass's files, open")
                .isPositive();
          }
        });
    assertThat(IngestJobTest.byEventId(root)).isEmpty();

    assertThat(IngestJobTest.ingest(root).code()).isZero();
    assertThat(IngestJobTest.withoutRunIds(IngestJobTest.byEventId(root))).isEqualTo(expected);
    try (Stream<Path> left = Files.list(root.resolve("staging/ingest"))) {
      assertThat(left.toList()).isEmpty();
    }
  }

  @Test
  void aRootCopiedElsewhereDoesNoWorkTwice() throws Exception {
    Path root = tmp.resolve("original");
    IngestJobTest.generate(root, 23);
    assertThat(IngestJobTest.ingest(root).code()).isZero();
    Map<String, String> rows = IngestJobTest.byEventId(root);
    int quarantine = IngestJobTest.rows(root.resolve("warehouse/quarantine")).size();

    Path copy = tmp.resolve("elsewhere/copy");
    Files.createDirectories(copy.getParent());
    Process cp = new ProcessBuilder("cp", "-a", root.toString(), copy.toString()).start();
    assertThat(cp.waitFor()).isZero();
    IngestJobTest.Result again = IngestJobTest.ingest(copy);
    assertThat(again.code()).isZero();
    assertThat(((Number) ((Map<?, ?>) again.summary().get("skipped")).get("alreadyIngested")))
        .isNotEqualTo(0L);
    assertThat((List<?>) again.summary().get("files")).isEmpty();
    assertThat(IngestJobTest.byEventId(copy)).isEqualTo(rows);
    assertThat(IngestJobTest.rows(copy.resolve("warehouse/quarantine"))).hasSize(quarantine);
  }
}
