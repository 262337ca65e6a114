package io.fraudbatch.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line as a user meets it: help, exit codes, one-line errors without stack traces. */
class GenerateCommandTest {
  @TempDir Path tmp;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream oldOut;
  private PrintStream oldErr;

  @BeforeEach
  void capture() {
    oldOut = System.out;
    oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(oldOut);
    System.setErr(oldErr);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpListsTheOptionsWithExamples() {
    assertThat(GenerateCommand.run("--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("--root", "--events", "--formats", "--seed", "Examples:", "Exit codes");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--formats=csv                | unknown landing format 'csv' (expected one of sequencefile",
        "--actors=-5                  | --actors must be at least 10 (got -5)",
        "--events=-1                  | --events must be positive (got -1)",
        "--days=0                     | --days must be 1..3660 (got 0)",
        "--duplicate-rate=2           | --duplicate-rate must be between 0 and 0.5 (got 2.0)",
        "--start=yesterday            | --start must be a date like 2026-10-01 (got yesterday)",
        "--actors=many                | Invalid value for option '--actors': 'many' is not an int",
        "--bogus                      | Unknown option: '--bogus'"
      })
  void badArgumentsEndWithOneClearLineAndExitCode2(String arg, String message) {
    int code = GenerateCommand.run("--root", tmp.resolve("out").toString(), "-q", arg);
    assertThat(code).isEqualTo(2);
    assertThat(err()).contains(message).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void aRootThatIsAFileIsRefused() throws Exception {
    Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
    assertThat(GenerateCommand.run("--root", file.toString(), "-q", "--days=1", "--actors=10"))
        .isEqualTo(2);
    assertThat(err())
        .contains("Cannot write to --root")
        .contains("it is a file")
        .doesNotContain("\tat ");
  }

  @Test
  void aRootBelowAFileIsUnwritable() throws Exception {
    Path file = Files.writeString(tmp.resolve("blocker"), "x");
    assertThat(
            GenerateCommand.run(
                "--root", file.resolve("sub").toString(), "-q", "--days=1", "--actors=10"))
        .isEqualTo(2);
    assertThat(err())
        .contains("Cannot write to --root")
        .contains("writable")
        .doesNotContain("\tat ");
  }

  @Test
  void existingDataIsNotOverwrittenUnlessAsked() {
    String root = tmp.resolve("twice").toString();
    String[] args = {"--root", root, "-q", "--days=1", "--actors=20", "--events=300"};
    assertThat(GenerateCommand.run(args)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("generated 300 events");
    assertThat(GenerateCommand.run(args)).isEqualTo(2);
    assertThat(err()).contains("already holds data").contains("--overwrite");
    String[] again = {
      "--root", root, "-q", "--days=1", "--actors=20", "--events=300", "--overwrite"
    };
    assertThat(GenerateCommand.run(again)).isZero();
  }

  @Test
  void tooFewEventsForThePlannedIncidentsIsExplained() {
    int code =
        GenerateCommand.run(
            "--root", tmp.resolve("few").toString(), "-q", "--events=5", "--days=3", "--actors=50");
    assertThat(code).isEqualTo(2);
    assertThat(err())
        .contains("Cannot generate exactly 5 events")
        .contains("--incidents-per-scenario");
  }

  @Test
  void aDayTooLargeForTheHeapIsRefusedBeforeTheOldDataIsReplaced() throws Exception {
    String root = tmp.resolve("big").toString();
    assertThat(GenerateCommand.run("--root", root, "-q", "--days=1", "--actors=20", "--events=300"))
        .isZero();
    java.util.List<String> before;
    try (var files = Files.walk(Path.of(root))) {
      before = files.map(p -> p + " " + p.toFile().length()).sorted().toList();
    }
    // 100M events in one day need about 60 GiB of heap: far more than this test JVM has.
    int code =
        GenerateCommand.run(
            "--root", root, "-q", "--days=1", "--actors=1000", "--events=100000000", "--overwrite");
    assertThat(code).isEqualTo(2);
    assertThat(err())
        .contains("Cannot generate: its busiest day (2026-10-01) has 100,000,000 events")
        .contains("more --days")
        .contains("FRAUD_BATCH_HEAP=")
        .doesNotContain("OutOfMemoryError");
    try (var files = Files.walk(Path.of(root))) {
      assertThat(files.map(p -> p + " " + p.toFile().length()).sorted().toList()).isEqualTo(before);
    }
  }

  @Test
  void moreActorsThanTheHeapHoldsAreRefusedAtOnce() {
    long t0 = System.nanoTime();
    int code =
        GenerateCommand.run(
            "--root", tmp.resolve("crowd").toString(), "-q", "--actors=5000000", "--days=365");
    assertThat(code).isEqualTo(2);
    assertThat(err())
        .contains("Cannot generate: 5,000,000 actors over 365 days need about")
        .contains("fewer --actors")
        .doesNotContain("OutOfMemoryError");
    // Refused before the world is built (building it would take minutes and run out of memory).
    assertThat((System.nanoTime() - t0) / 1e9).isLessThan(30.0);
    assertThat(tmp.resolve("crowd")).doesNotExist();
  }

  @Test
  void commandLineDefaultsAreTheLibraryDefaults() {
    GenerateCommand cmd = new GenerateCommand();
    new picocli.CommandLine(cmd).parseArgs();
    GeneratorConfig fromCli = cmd.config();
    GeneratorConfig library = GeneratorConfig.defaults(GeneratorConfig.DEFAULT_ROOT);
    assertThat(fromCli).usingRecursiveComparison().ignoringFields("threads").isEqualTo(library);
  }
}
