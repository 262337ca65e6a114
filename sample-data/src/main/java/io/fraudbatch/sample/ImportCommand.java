package io.fraudbatch.sample;

import io.fraudbatch.core.FraudBatchException;
import io.fraudbatch.core.cli.Cli;
import io.fraudbatch.core.money.ReferenceRates;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code import sparkov|paysim|nab}: replays public datasets through the landing contract. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    versionProvider = GenerateCommand.Version.class,
    description = {
      "Replays a public dataset through the landing contract: its transactions",
      "are decided by the same stand-in online rules as generated ones, written",
      "as Flume landing files under <root>/landing/decisions/, and its fraud",
      "flags become <root>/labels/decisions/labels.csv, incidents.csv and",
      "summary.json (sample-data/README.md)."
    },
    subcommands = {
      ImportCommand.Sparkov.class,
      ImportCommand.PaySim.class,
      ImportCommand.Nab.class
    },
    footer = {
      "",
      "Examples:",
      "  import sparkov --input ../shared/external-data/sparkov/transactions.csv.gz --root ./sparkov",
      "  import paysim --input ../shared/external-data/paysim --root ./paysim --start 2026-10-01",
      "  import nab --input ../shared/external-data/nab/data/realKnownCause/nyc_taxi.csv --root ./nab-taxi",
      "",
      "Exit codes: 0 done, 2 bad arguments or input, 1 unexpected failure."
    })
public final class ImportCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new FraudBatchException("name a dataset: import sparkov|paysim|nab (see --help)");
  }

  /** Options every importer takes. */
  static final class Common {
    @Option(
        names = "--input",
        required = true,
        description = "The dataset's file (plain or gzip), or its directory.")
    Path input;

    @Option(
        names = "--root",
        defaultValue = GeneratorConfig.DEFAULT_ROOT,
        description =
            "Storage root: a local directory or a Hadoop URI (default: ${DEFAULT-VALUE}).")
    String root;

    @Option(
        names = "--format",
        defaultValue = "sequencefile",
        description =
            "Flume sink format of the landing files (default: ${DEFAULT-VALUE}; also datastream,"
                + " datastream-gzip, datastream-snappy, avro).")
    String format;

    @Option(
        names = "--seed",
        defaultValue = "" + GeneratorConfig.DEFAULT_SEED,
        description =
            "Seed of the rules' noise and of delivery delays (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
        names = "--inject",
        paramLabel = "KIND=N[,KIND=N...]",
        description = {
          "Add labelled cross-user incidents at the dataset's own merchants and regions, after a",
          "35-day warm-up: card-testing, merchant-compromise, regional-spike, decline-wave, or",
          "all=N (see sample-data/README.md). Seeded by --seed."
        })
    String inject;

    @Option(
        names = "--inject-scale",
        defaultValue = "1",
        description =
            "Multiplies every injected incident's cards (attempts) by this (default:"
                + " ${DEFAULT-VALUE}): smaller incidents, to find where detection stops.")
    double injectScale;

    @Option(names = "--overwrite", description = "Replace existing landing data and labels.")
    boolean overwrite;

    @Option(
        names = {"-q", "--quiet"},
        description = "No progress lines.")
    boolean quiet;

    Replay.Options options(String source, double panRate) {
      LandingFormat f;
      try {
        f = LandingFormat.parse(format);
      } catch (IllegalArgumentException e) {
        throw new FraudBatchException("--format: " + e.getMessage());
      }
      return new Replay.Options(
          root, source, f, seed, panRate, overwrite, quiet ? line -> {} : System.err::println);
    }
  }

  /** The --hash-key-file option of importers with card or account numbers. */
  static final class Keys {
    @Option(
        names = "--hash-key-file",
        description = {
          "Secret key (a file) for the keyed hash that turns card/account numbers into actor ids.",
          "Default: the built-in development key, which protects nothing: fine for public data."
        })
    Path keyFile;

    KeyedHash keys() {
      if (keyFile == null) {
        System.err.println(
            "import: actor ids are keyed with the built-in development key (public data only;"
                + " pass --hash-key-file for real numbers)");
        return KeyedHash.development();
      }
      return KeyedHash.fromFile(keyFile);
    }
  }

  static int finish(Common common, Replay.Options o, Replay.Imported in) throws Exception {
    long t0 = System.nanoTime();
    if (common.inject != null) {
      int before = in.incidents().size();
      in =
          IncidentInjector.inject(
              in, IncidentInjector.parse(common.inject), o.seed(), common.injectScale);
      o.progress()
          .accept(
              String.format(
                  Locale.ROOT,
                  "injected %,d incidents %s after %s",
                  in.incidents().size() - before,
                  in.about().get("injected"),
                  in.about().get("injectedAfter")));
    }
    o.progress()
        .accept(
            String.format(
                Locale.ROOT,
                "read %,d rows of %s: %,d labelled in %,d incidents",
                in.events().size(),
                in.about().get("file"),
                in.events().stream().filter(e -> e.scenario != null).count(),
                in.incidents().size()));
    Replay.Result r = Replay.write(o, in.events(), in.incidents(), in.about());
    System.out.printf(
        Locale.ROOT,
        "imported %,d of %,d rows (%,d labelled, %,d incidents) for %,d actors, %s .. %s, as %,d"
            + " landing files (%.1f MB) under %s in %.1f s%n",
        r.events(),
        in.events().size(),
        r.labelled(),
        in.incidents().size(),
        r.actors(),
        r.first(),
        r.last(),
        r.files(),
        r.bytes() / 1e6,
        o.root(),
        (System.nanoTime() - t0) / 1e9);
    System.out.printf(
        Locale.ROOT,
        "decisions %s; reasons %s; card numbers in a free-text memo: %,d%n",
        r.decisions(),
        r.reasons(),
        r.panRecords());
    System.out.println("labels and summary: " + o.root() + "/" + LandingOutput.LABELS + "/");
    return 0;
  }

  @Command(
      name = "sparkov",
      mixinStandardHelpOptions = true,
      usageHelpAutoWidth = true,
      description = {
        "Sparkov card transactions (transactions.csv[.gz], '|'-separated).",
        "Card numbers become actor ids by a keyed hash; a few records carry the",
        "raw number in a free-text memo for ingest's PAN masking (--pan-rate).",
        "POS region: US- and the cardholder's state; city: the merchant's 1-degree grid cell."
      },
      footer = {
        "",
        "Example:",
        "  import sparkov --input ../shared/external-data/sparkov --root ./sparkov"
      })
  static final class Sparkov implements Callable<Integer> {
    @Mixin Common common;
    @Mixin Keys keys;

    @Option(
        names = "--pan-rate",
        defaultValue = "0.002",
        description =
            "Share of records with the card number in a memo (default: ${DEFAULT-VALUE}).")
    double panRate;

    @Override
    public Integer call() throws Exception {
      if (panRate < 0 || panRate > 1) {
        throw new FraudBatchException("--pan-rate must be between 0 and 1 (got " + panRate + ")");
      }
      Replay.Options o = common.options("sparkov", panRate);
      return finish(common, o, SparkovImport.read(common.input, keys.keys()));
    }
  }

  @Command(
      name = "paysim",
      mixinStandardHelpOptions = true,
      usageHelpAutoWidth = true,
      description = {
        "PaySim mobile-money transactions (*_rawLog.csv[.gz]). Account names",
        "become actor ids by a keyed hash; step N is hour N from --start (UTC)."
      },
      footer = {
        "",
        "Example:",
        "  import paysim --input ../shared/external-data/paysim --root ./paysim"
      })
  static final class PaySim implements Callable<Integer> {
    @Mixin Common common;
    @Mixin Keys keys;

    @Option(
        names = "--start",
        defaultValue = GeneratorConfig.DEFAULT_START,
        description = "The day of step 1, UTC (default: ${DEFAULT-VALUE}).")
    String start;

    @Option(
        names = "--currency",
        defaultValue = "USD",
        description = "Currency of PaySim's amounts, which name none (default: ${DEFAULT-VALUE}).")
    String currency;

    @Override
    public Integer call() throws Exception {
      LocalDate day;
      try {
        day = LocalDate.parse(start);
      } catch (DateTimeParseException e) {
        throw new FraudBatchException("--start must be a date like 2026-10-01 (got " + start + ")");
      }
      try {
        ReferenceRates.defaults().unitsPerUsd(currency);
      } catch (RuntimeException e) {
        throw new FraudBatchException(
            "--currency " + currency + " has no reference rate in core's reference-rates.csv");
      }
      Replay.Options o = common.options("paysim", 0);
      return finish(common, o, PaySimImport.read(common.input, keys.keys(), day, currency));
    }
  }

  @Command(
      name = "nab",
      mixinStandardHelpOptions = true,
      usageHelpAutoWidth = true,
      description = {
        "A Numenta Anomaly Benchmark series (timestamp,value) as the card traffic",
        "of one region (NAB-<SERIES>): value/median x --per-hour transactions per",
        "hour; NAB's labelled anomaly windows become incidents keyed on the region,",
        "for scoring the anomaly job (not the rule backtest)."
      },
      footer = {
        "",
        "Example:",
        "  import nab --root ./nab-taxi \\",
        "      --input ../shared/external-data/nab/data/realKnownCause/nyc_taxi.csv",
        "  then: ingest --root ./nab-taxi; anomalies --root ./nab-taxi --date FROM..TO",
        "  (FROM after warmupEnds in <root>/labels/decisions/summary.json)"
      })
  static final class Nab implements Callable<Integer> {
    @Mixin Common common;

    @Option(
        names = "--labels",
        description =
            "NAB's labels/combined_windows.json (default: found beside the data/ directory).")
    Path labels;

    @Option(
        names = "--per-hour",
        defaultValue = "60",
        description =
            "Transactions per hour at the series' median value (default: ${DEFAULT-VALUE}).")
    double perHour;

    @Option(
        names = "--actors",
        defaultValue = "300",
        description =
            "Card holders the region's traffic is drawn from (default: ${DEFAULT-VALUE}).")
    int actors;

    @Override
    public Integer call() throws Exception {
      if (!(perHour > 0) || actors < 1) {
        throw new FraudBatchException("--per-hour and --actors must be positive");
      }
      Replay.Options o = common.options("nab", 0);
      Path l = labels != null ? labels : NabImport.defaultLabels(common.input);
      return finish(common, o, NabImport.read(common.input, l, perHour, actors, common.seed));
    }
  }

  /** Runs the command; returns the exit code. */
  public static int run(String... args) {
    return Cli.execute(new ImportCommand(), "import", System.err, args);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }
}
