package io.fraudbatch.sample;

import io.fraudbatch.core.FraudBatchException;
import io.fraudbatch.core.cli.Cli;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code generate}: writes seeded sample decision logs into a landing area. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    versionProvider = GenerateCommand.Version.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Writes realistic decision logs in Flume's landing layout",
      "(<root>/landing/decisions/YYYY/MM/DD/HH/FlumeData.<millis>[.tmp]) with injected, labelled fraud",
      "(<root>/labels/decisions/labels.csv, incidents.csv, summary.json). Same seed, same bytes."
    },
    footer = {
      "",
      "Examples:",
      "  generate --root ./fraud-data                           # 2000 actors, 28 days from 2026-10-01",
      "  generate --root ./fraud-data --events 1000000 --overwrite",
      "  generate --root hdfs://nn:8020/fraud --days 90 --formats sequencefile,avro",
      "  generate --root /tmp/t --days 3 --actors 200 --duplicate-rate 0.05 --malformed-rate 0.01",
      "",
      "Exit codes: 0 done, 2 bad arguments or unusable --root, 1 unexpected failure."
    })
public final class GenerateCommand implements Callable<Integer> {

  @Option(
      names = "--root",
      defaultValue = GeneratorConfig.DEFAULT_ROOT,
      description = "Storage root: a local directory or a Hadoop URI (default: ${DEFAULT-VALUE}).")
  String root;

  @Option(
      names = "--seed",
      defaultValue = "" + GeneratorConfig.DEFAULT_SEED,
      description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--actors",
      defaultValue = "" + GeneratorConfig.DEFAULT_ACTORS,
      description = "Card/account holders (default: ${DEFAULT-VALUE}).")
  int actors;

  @Option(
      names = "--days",
      defaultValue = "" + GeneratorConfig.DEFAULT_DAYS,
      description = "Days of traffic (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(
      names = "--start",
      defaultValue = GeneratorConfig.DEFAULT_START,
      description = "First day, UTC (default: ${DEFAULT-VALUE}).")
  String start;

  @Option(
      names = "--events",
      description =
          "Exact number of distinct events (default: what the actors' habits give, ~2.5/actor/day).")
  Long events;

  @Option(
      names = "--formats",
      defaultValue = GeneratorConfig.DEFAULT_FORMATS,
      split = ",",
      description = {
        "One Flume agent per entry, each with its sink format (default: ${DEFAULT-VALUE}).",
        "Formats: sequencefile, datastream, datastream-gzip, datastream-snappy, avro."
      })
  List<String> formats;

  @Option(
      names = "--duplicate-rate",
      defaultValue = "" + GeneratorConfig.DEFAULT_DUPLICATE_RATE,
      description = "Share of events Flume delivers twice (default: ${DEFAULT-VALUE}).")
  double duplicateRate;

  @Option(
      names = "--late-duplicate-share",
      defaultValue = "" + GeneratorConfig.DEFAULT_LATE_DUPLICATE_SHARE,
      description = "Share of duplicates arriving 1-8 hours later (default: ${DEFAULT-VALUE}).")
  double lateDuplicateShare;

  @Option(
      names = "--malformed-rate",
      defaultValue = "" + GeneratorConfig.DEFAULT_MALFORMED_RATE,
      description = "Malformed records per event (default: ${DEFAULT-VALUE}).")
  double malformedRate;

  @Option(
      names = "--late-delivery-rate",
      defaultValue = "" + GeneratorConfig.DEFAULT_LATE_DELIVERY_RATE,
      description = "Share of events reaching HDFS 1-6 hours late (default: ${DEFAULT-VALUE}).")
  double lateDeliveryRate;

  @Option(
      names = "--pan-rate",
      defaultValue = "" + GeneratorConfig.DEFAULT_PAN_RATE,
      description =
          "Share of v2 records with a card number in a free-text field (default: ${DEFAULT-VALUE}).")
  double panRate;

  @Option(
      names = "--v2-from",
      defaultValue = "" + GeneratorConfig.DEFAULT_V2_FROM,
      description =
          "Where in the range landing schema v2 rolls out, 0..1 (default: ${DEFAULT-VALUE}).")
  double v2From;

  @Option(
      names = "--incidents-per-scenario",
      description = "Incidents of each fraud scenario (default: scaled to --actors and --days).")
  Integer incidentsPerScenario;

  @Option(
      names = "--no-truncated-file",
      negatable = false,
      description = "Do not leave a crashed agent's truncated file.")
  boolean noTruncatedFile;

  @Option(names = "--threads", description = "Worker threads (default: the number of cores).")
  Integer threads;

  @Option(
      names = "--overwrite",
      description = "Replace existing landing data and labels under --root.")
  boolean overwrite;

  @Option(
      names = {"-q", "--quiet"},
      description = "No progress lines.")
  boolean quiet;

  GeneratorConfig config() {
    List<LandingFormat> fs = new ArrayList<>();
    for (String f : formats) {
      try {
        fs.add(LandingFormat.parse(f));
      } catch (IllegalArgumentException e) {
        throw new FraudBatchException("Cannot generate: --formats has an " + e.getMessage());
      }
    }
    LocalDate first;
    try {
      first = LocalDate.parse(start);
    } catch (java.time.format.DateTimeParseException e) {
      throw new FraudBatchException(
          "Cannot generate: --start must be a date like 2026-10-01 (got " + start + ")");
    }
    Map<Scenario, Integer> incidents = null;
    if (incidentsPerScenario != null) {
      incidents = new EnumMap<>(Scenario.class);
      for (Scenario s : Scenario.values()) {
        incidents.put(s, incidentsPerScenario);
      }
    }
    return new GeneratorConfig(
        root,
        seed,
        actors,
        days,
        first,
        events,
        List.copyOf(fs),
        duplicateRate,
        lateDuplicateShare,
        malformedRate,
        lateDeliveryRate,
        panRate,
        !noTruncatedFile,
        v2From,
        incidents,
        threads == null ? Runtime.getRuntime().availableProcessors() : threads,
        overwrite);
  }

  @Override
  public Integer call() throws Exception {
    GeneratorConfig cfg = config().validate();
    PrintWriter err = new PrintWriter(System.err, true);
    long t0 = System.nanoTime();
    Generator.Stats s = new Generator(cfg, quiet ? line -> {} : err::println).run();
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "generated %,d events (%,d fraud) as %,d records in %,d files (%.1f MB) under %s in %.1f s:"
            + " %.0f events/s, %.1f MB/s%n",
        s.uniqueEvents,
        s.fraudEvents,
        s.recordsWritten,
        s.files,
        s.bytes / 1e6,
        cfg.root(),
        secs,
        s.uniqueEvents / secs,
        s.bytes / 1e6 / secs);
    System.out.printf(
        Locale.ROOT,
        "duplicates %,d (late %,d, replayed after crash %,d), malformed %,d, in-use files %d,"
            + " truncated file %s%n",
        s.duplicates,
        s.lateDuplicates,
        s.redeliveredAfterCrash,
        s.malformed,
        s.inUseFiles,
        s.truncated.getOrDefault("file", "none"));
    System.out.println("labels and summary: " + cfg.root() + "/" + Generator.LABELS + "/");
    return 0;
  }

  /** Runs the command; returns the exit code. Errors the user can fix print one line, no trace. */
  public static int run(String... args) {
    return Cli.execute(new GenerateCommand(), "generate", System.err, args);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** The version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = GenerateCommand.class.getPackage().getImplementationVersion();
      return new String[] {"fraud-batch sample-data " + (v == null ? "(development build)" : v)};
    }
  }
}
