package io.fraudbatch.oozie;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's demo command, as a user runs it, on a small sample: every step succeeds, each has
 * its log and wall time, and the run report shows the run's own numbers. Here because this module
 * is the reactor's last: every jar the demo runs is built by then.
 */
class DemoIT {
  static final Path HOME = Path.of("..").toAbsolutePath().normalize();

  private static Process demo(Path root, Path out, String... more) throws Exception {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                "bash",
                HOME.resolve("bin/fraud-batch").toString(),
                "demo",
                "--root",
                root.toString()));
    cmd.addAll(List.of(more));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(HOME.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    return pb.start();
  }

  @Test
  void theDemoRunsEveryStepAndWritesAReportWithTheRunsNumbers() throws Exception {
    Path root = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "demo-it");
    Path out = root.resolveSibling(root.getFileName() + ".out");
    Process p = demo(root, out, "--days", "10", "--actors", "300");
    assertThat(p.waitFor(15, TimeUnit.MINUTES)).as("the demo finishes").isTrue();
    String text = Files.readString(out);
    assertThat(p.exitValue()).as("demo exit code; its output:%n%s", text).isEqualTo(0);
    // One line per step on the terminal: its outcome and figures; the engines' logging only in
    // the step logs.
    List<String> stepLines = text.lines().filter(l -> l.matches("\\[[1-8]/8\\] .*")).toList();
    assertThat(stepLines).as(text).hasSize(8);
    for (int step = 1; step <= 8; step++) {
      assertThat(stepLines.get(step - 1)).startsWith("[" + step + "/8] ").contains(" s; log: ");
    }
    assertThat(text)
        .doesNotContainPattern("(?m)^\\d\\d[:/]\\d\\d[:/]\\d\\d.* (INFO|WARN) ")
        .doesNotContain("Map-Reduce Framework")
        .containsPattern(
            "written [0-9,]+ new, quarantined [0-9,]+, duplicates dropped [0-9,]+.*; reconciled")
        .containsPattern("[1-9][0-9]* risk-context keys loaded")
        .containsPattern("read back from HBase: actor \\S+, [1-9][0-9]* events")
        .containsPattern("[1-9][0-9]* partition\\(s\\) registered");
    List<String> steps = Files.readAllLines(root.resolve("logs/steps.tsv"));
    assertThat(steps).hasSize(8);
    try (Stream<Path> logs = Files.list(root.resolve("logs"))) {
      assertThat(
              logs.map(f -> f.getFileName().toString())
                  .filter(n -> n.matches("0[1-8]-.*\\.log"))
                  .count())
          .isEqualTo(8);
    }
    // the report carries this run's own figures: the ingest's records read, from its manifest
    JsonNode ingest;
    try (Stream<Path> m = Files.list(root.resolve("warehouse/_manifests/job=ingest"))) {
      ingest =
          new ObjectMapper()
              .readTree(
                  m.filter(f -> f.toString().endsWith(".json")).findFirst().orElseThrow().toFile());
    }
    String html = Files.readString(root.resolve("report/index.html"));
    String read =
        String.format(Locale.ROOT, "%,d", ingest.path("counts").path("RECORDS_READ").asLong());
    assertThat(ingest.path("counts").path("RECORDS_READ").asLong()).isPositive();
    assertThat(html)
        .contains(read)
        .contains("Decline rate by region")
        .contains("<svg")
        .contains("1 generate");
    try (Stream<Path> logs = Files.list(root.resolve("logs"))) {
      List<Path> l = logs.sorted().toList();
      assertThat(
              Files.readString(
                  l.stream()
                      .filter(f -> f.getFileName().toString().startsWith("06-"))
                      .findFirst()
                      .orElseThrow()))
          .contains("hive: decisions       10 published");
      assertThat(
              Files.readString(
                  l.stream()
                      .filter(f -> f.getFileName().toString().startsWith("07-"))
                      .findFirst()
                      .orElseThrow()))
          .contains("backtest: wrote");
    }
  }

  @Test
  void anUnwritableRootIsRefusedWithTheReason() throws Exception {
    Path out =
        Files.createTempFile(Path.of(System.getProperty("java.io.tmpdir")), "demo-bad", ".out");
    Process p = demo(Path.of("/proc/fraud-batch-demo"), out);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(Files.readString(out)).contains("cannot write to --root /proc/fraud-batch-demo");
  }
}
