package io.fraudbatch.jobs.anomalies;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fraudbatch.avro.Anomaly;
import io.fraudbatch.avro.RiskContext;
import io.fraudbatch.core.FraudBatchException;
import io.fraudbatch.core.StorageLayout;
import io.fraudbatch.core.anomaly.AnomalyMetric;
import io.fraudbatch.core.anomaly.KeyTypes;
import io.fraudbatch.core.anomaly.SeriesScorer;
import io.fraudbatch.core.anomaly.WindowEvaluation;
import io.fraudbatch.core.anomaly.WindowScorer;
import io.fraudbatch.core.cli.Cli;
import io.fraudbatch.core.cli.DayRange;
import io.fraudbatch.core.cli.JobOptions;
import io.fraudbatch.jobs.SparkParallelism;
import io.fraudbatch.jobs.profiles.ProfilesJob;
import io.fraudbatch.warehouse.JobRun;
import io.fraudbatch.warehouse.PartitionLister;
import io.fraudbatch.warehouse.Table;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.conf.Configured;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.Tool;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Cross-user anomalies (Spark): per time window and per region, merchant, merchant category and IP
 * /24 prefix, the window's metrics ({@link AnomalyMetric}) are scored against the key's own history
 * at the same time of week ({@link SeriesScorer}); anomalous metrics go to {@code
 * warehouse/anomalies/dt=DAY/}, and the risk context (level and threshold multipliers per key) to
 * {@code warehouse/risk_context/as_of=DAY/} for profile-builder to load into HBase.
 */
@Command(
    name = "anomalies",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Scores every time window of every region, merchant, merchant category (mcc) and IP /24",
      "prefix on the day(s) given: volume, distinct actors, decline rate, micro-transaction share,",
      "share of actors at a new location and most cards per device, each against the same key at",
      "the same time of week in the trailing weeks, never below its level at that time of day over",
      "28 days, moved up with its peers in a population-wide swing (median/MAD and exact",
      "Poisson/binomial tails; pooled pattern for keys with little history; no look-ahead). Writes",
      "anomalies to <root>/warehouse/anomalies/dt=DAY (one partition per day) and the risk context",
      "to <root>/warehouse/risk_context/as_of=LAST_DAY. Prints the flags a day of this job and of",
      "a reference method (a trailing robust z-score); with labels under <root>/labels/decisions,",
      "the incidents found and the precision of both."
    },
    footer = {
      "",
      "Examples:",
      "  java -cp batch-jobs/target/fraud-batch-batch-jobs.jar io.fraudbatch.jobs.anomalies.AnomaliesJob --root ./fraud-data",
      "  ... AnomaliesJob --root ./fraud-data --date 2026-10-08..2026-10-28 --window 15m",
      "  spark-submit --class io.fraudbatch.jobs.anomalies.AnomaliesJob fraud-batch-batch-jobs-job.jar --root hdfs:///fraud",
      "",
      "Exit codes: 0 done, 2 bad arguments or no decisions, 3 reconciliation mismatch (nothing",
      "published), 1 the job failed."
    })
public final class AnomaliesJob extends Configured implements Tool, Callable<Integer> {
  // Manifests are one line of JSON: hive-ddl's run_manifests table reads one run per line.
  static final ObjectMapper JSON = new ObjectMapper();
  static final String JOB = "anomalies";

  /** The current run (its lease, staging and commit). */
  private JobRun jobRun;

  static final long DAY_MS = 86_400_000L;

  @Mixin JobOptions.Root rootOption = new JobOptions.Root();

  @Option(
      names = "--date",
      paramLabel = "DATE[..DATE]",
      description = "UTC day(s) to score (default: the latest day ingested).")
  String date;

  @Option(
      names = "--window",
      description = "Window length: 5m, 15m, 30m, 1h, 2h... dividing a day (default: 1h).",
      defaultValue = "1h")
  String window;

  @Option(
      names = "--baseline-weeks",
      description = "Trailing weeks of history per key (default: ${DEFAULT-VALUE}).",
      defaultValue = "4")
  int baselineWeeks;

  @Option(
      names = "--min-history",
      description =
          "Earlier weeks a key needs to be judged on its own history, else pooled (default:"
              + " ${DEFAULT-VALUE}).",
      defaultValue = "3")
  int minHistory;

  @Option(
      names = "--min-volume",
      description =
          "Windows with fewer events (or, for rates, trials) are never reported (default:"
              + " ${DEFAULT-VALUE}).",
      defaultValue = "8")
  int minVolume;

  @Option(
      names = "--severity",
      split = ",",
      paramLabel = "LOW,MEDIUM,HIGH",
      description =
          "Score thresholds of the severities (default: 4,6,10; a merchant category's volume is"
              + " reported from MEDIUM).")
  double[] severity;

  @Option(
      names = "--context-hours",
      description =
          "How long an anomaly keeps its key in the risk context (default: ${DEFAULT-VALUE}).",
      defaultValue = "24")
  int contextHours;

  @Option(
      names = "--no-evaluate",
      description = "Skip the evaluation against sample-data labels even when they are present.")
  boolean noEvaluate;

  @Mixin JobOptions.SparkMaster sparkMasterOption = new JobOptions.SparkMaster();

  @Mixin JobOptions.SummaryJson summaryJsonOption = new JobOptions.SummaryJson();

  PrintStream out = System.out;
  PrintStream err = System.err;
  private Map<String, Object> lastRun;
  private WindowEvaluation.Report lastReport;
  private WindowEvaluation.Report lastReferenceReport;

  public Map<String, Object> lastRun() {
    return lastRun;
  }

  /** The reference method's evaluation on the last run's windows, or null without labels. */
  public WindowEvaluation.Report lastReferenceReport() {
    return lastReferenceReport;
  }

  /** The evaluation of the last run, or null without labels. */
  public WindowEvaluation.Report lastReport() {
    return lastReport;
  }

  public static void main(String[] args) throws Exception {
    System.exit(
        io.fraudbatch.warehouse.ToolMain.run("anomalies", new AnomaliesJob(), args, System.err));
  }

  @Override
  public int run(String[] args) {
    return Cli.execute(this, JOB, err, args);
  }

  /** "15m", "1h", "90s"... → milliseconds. */
  static long windowMs(String v) {
    long ms;
    try {
      String s = v.trim().toLowerCase(Locale.ROOT);
      long n = Long.parseLong(s.substring(0, s.length() - 1));
      ms =
          switch (s.charAt(s.length() - 1)) {
            case 's' -> Duration.ofSeconds(n).toMillis();
            case 'm' -> Duration.ofMinutes(n).toMillis();
            case 'h' -> Duration.ofHours(n).toMillis();
            default -> -1;
          };
    } catch (RuntimeException e) {
      ms = -1;
    }
    FraudBatchException.check(
        ms > 0 && DAY_MS % ms == 0,
        "Cannot run anomalies: --window takes a length dividing a day, like 15m or 1h (got %s)",
        v);
    return ms;
  }

  @Override
  public Integer call() throws Exception {
    long started = System.currentTimeMillis();
    Configuration conf = getConf() == null ? new Configuration() : getConf();
    long windowMs = windowMs(window);
    WindowScorer.Config defaults = WindowScorer.Config.DEFAULT;
    double[] sev =
        severity == null
            ? new double[] {defaults.low(), defaults.medium(), defaults.high()}
            : severity;
    FraudBatchException.check(
        sev.length == 3, "Cannot run anomalies: --severity takes three scores, like 4,6,10");
    FraudBatchException.check(
        contextHours >= 1 && contextHours <= 24 * 31,
        "Cannot run anomalies: --context-hours must be between 1 and 744 (got %d)",
        contextHours);
    SeriesScorer.Settings settings;
    try {
      settings =
          new SeriesScorer.Settings(
              windowMs,
              baselineWeeks,
              new WindowScorer.Config(minHistory, minVolume, sev[0], sev[1], sev[2]));
    } catch (FraudBatchException e) {
      throw new FraudBatchException("Cannot run anomalies: " + e.getMessage());
    }
    Path rootPath = new Path(rootOption.get());
    FileSystem fs = rootPath.getFileSystem(conf);
    rootPath = fs.makeQualified(rootPath);
    Path decisions = new Path(rootPath, StorageLayout.DECISIONS);
    TreeMap<LocalDate, Path> available = new TreeMap<>();
    for (PartitionLister.Partition p :
        PartitionLister.list(fs, rootPath, Table.DECISIONS).partitions().values()) {
      available.put(LocalDate.parse(p.value()), p.location());
    }
    FraudBatchException.check(
        !available.isEmpty(),
        "Cannot run anomalies: no decisions under %s (run ingest)",
        decisions);
    List<LocalDate> days = days(date, available.lastKey());
    for (LocalDate d : days) {
      FraudBatchException.check(
          available.containsKey(d),
          "Cannot run anomalies: no decisions for %s under %s (days ingested: %s..%s)",
          d,
          decisions,
          available.firstKey(),
          available.lastKey());
    }
    LocalDate first = days.get(0);
    LocalDate last = days.get(days.size() - 1);
    LocalDate historyFirst = first.minusDays(7L * baselineWeeks);
    List<Path> inputs = new ArrayList<>(available.subMap(historyFirst, true, last, true).values());
    long from = epochMs(first);
    long to = epochMs(last.plusDays(1));
    // The pooled pattern's history starts where the data read does.
    long dataFrom = epochMs(available.ceilingKey(historyFirst));
    jobRun = JobRun.begin(conf, fs, rootPath, JOB, line -> out.println("anomalies: " + line));
    String runId = jobRun.runId();
    out.printf(
        Locale.ROOT,
        "anomalies %s: scoring %s..%s in %s windows against %d week(s) of history (%d day(s) of"
            + " decisions read)%n",
        runId,
        first,
        last,
        window,
        baselineWeeks,
        inputs.size());
    try (JobRun l = jobRun) {
      SparkSession spark =
          ProfilesJob.spark(conf, sparkMasterOption.get(), "fraud-batch anomalies");
      try {
        return execute(
            spark, conf, fs, rootPath, inputs, days, from, to, dataFrom, settings, runId, started);
      } finally {
        if (sparkMasterOption.get() != null || spark.sparkContext().isLocal()) {
          spark.stop();
        }
      }
    }
  }

  static long epochMs(LocalDate d) {
    return d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  static List<LocalDate> days(String value, LocalDate latest) {
    return value == null ? List.of(latest) : DayRange.parse(value, JOB, "--date");
  }

  private int execute(
      SparkSession spark,
      Configuration conf,
      FileSystem fs,
      Path rootPath,
      List<Path> inputs,
      List<LocalDate> days,
      long from,
      long to,
      long dataFrom,
      SeriesScorer.Settings settings,
      String runId,
      long started)
      throws IOException {
    long windowMs = settings.windowMs();
    progress("Spark started");
    SparkParallelism.apply(spark, conf, inputs, out);
    AnomalyEvaluation evaluation = new AnomalyEvaluation(rootPath);
    boolean evaluate = !noEvaluate && evaluation.present(fs);
    try (WindowFeatures f =
        WindowFeatures.of(
            spark, inputs, windowMs, evaluate ? evaluation.labelledIds(spark) : null)) {
      Baselines baselines = Baselines.of(f.stats, from, to, dataFrom, settings);
      progress("windows aggregated (" + baselines.typeWindows() + " type-windows of history)");
      WindowReconciliation rec = WindowReconciliation.of(f.events, f.stats, from, to);
      progress("events counted");
      WindowScoring.Result scored =
          WindowScoring.score(spark, f.stats, baselines, settings, from, to, runId);
      List<Anomaly> anomalies = scored.anomalies();
      progress("windows scored");
      int withPercentiles = WindowScoring.addPercentiles(spark, f, anomalies);
      progress("amount percentiles of " + withPercentiles + " anomalous windows computed");

      Map<WindowEvaluation.WindowId, WindowScorer.Severity> flagged = new HashMap<>();
      for (Anomaly a : anomalies) {
        flagged.merge(
            new WindowEvaluation.WindowId(
                a.getKeyType(), a.getKey(), a.getWindowStart().toEpochMilli()),
            WindowScorer.Severity.valueOf(a.getSeverity()),
            (x, y) -> x.compareTo(y) >= 0 ? x : y);
      }
      double scoredDays = days.size();
      Map<String, Object> run = new LinkedHashMap<>();
      run.put("runId", runId);
      run.put("job", JOB);
      run.put("days", days.stream().map(LocalDate::toString).toList());
      run.put("windowMs", windowMs);
      run.put("baselineWeeks", settings.baselineWeeks());
      run.put("config", settings.config());
      run.put("eventsRead", rec.eventsRead());
      run.put("reconciliation", rec.json());
      run.put("anomalies", anomalies.size());
      run.put("anomaliesBySeverity", countBy(anomalies, a -> a.getSeverity()));
      run.put("anomaliesByKeyType", countBy(anomalies, a -> a.getKeyType()));
      run.put("anomaliesByMetric", countBy(anomalies, a -> a.getMetric()));
      run.put("flaggedWindows", flagged.size());
      run.put("flaggedWindowsPerDay", flagged.size() / scoredDays);
      run.put(
          "reference",
          Map.of(
              "method",
              AnomalyEvaluation.REFERENCE,
              "flaggedWindows",
              scored.reference().size(),
              "flaggedWindowsPerDay",
              scored.reference().size() / scoredDays));
      lastReport = null;
      AnomalyEvaluation.Result result = null;
      if (evaluate) {
        result =
            evaluation.evaluate(
                fs,
                f.stats,
                flagged,
                scored.reference(),
                windowMs,
                from,
                to,
                (int) settings.config().minVolume());
        lastReport = result.job();
        lastReferenceReport = result.reference();
        run.put("evaluation", result.json());
      }

      AnomalyPublisher publisher = new AnomalyPublisher(conf, fs, rootPath, jobRun);
      publisher.stageAnomalies(days, anomalies);
      List<RiskContext> risk =
          publisher.stageRiskContext(anomalies, days, to, contextHours * 3_600_000L, runId);
      run.put("riskContextKeys", risk.size());
      run.put("riskContextAsOf", Instant.ofEpochMilli(to).toString());
      run.put("startedAt", Instant.ofEpochMilli(started).toString());
      run.put("durationMs", System.currentTimeMillis() - started);
      lastRun = run;
      String text = JSON.writeValueAsString(run);
      if (summaryJsonOption.get() != null) {
        java.nio.file.Files.writeString(java.nio.file.Path.of(summaryJsonOption.get()), text);
      }
      printSummary(run, rec, anomalies, risk, scored.reference().size(), scoredDays);
      if (result != null) {
        out.print(result.table());
      }
      if (!rec.balanced()) {
        err.println(
            "anomalies: NOT RECONCILED: nothing published, work left in "
                + jobRun.staging()
                + ": "
                + rec.json());
        return 3;
      }
      publisher.publish(days, text);
      LocalDate asOf = days.get(days.size() - 1);
      out.printf(
          Locale.ROOT,
          "anomalies: published %d partition(s) of %s, one per day (dt=%s%s), and %s/as_of=%s%n",
          days.size(),
          new Path(rootPath, StorageLayout.ANOMALIES),
          days.get(0),
          days.size() > 1 ? " to dt=" + asOf : "",
          new Path(rootPath, StorageLayout.RISK_CONTEXT),
          asOf);
      return 0;
    }
  }

  private long lastProgress = System.currentTimeMillis();

  /** One progress line per phase, with its time. */
  private void progress(String what) {
    long now = System.currentTimeMillis();
    out.printf(Locale.ROOT, "anomalies: %s in %.1f s%n", what, (now - lastProgress) / 1000.0);
    lastProgress = now;
  }

  private void printSummary(
      Map<String, Object> run,
      WindowReconciliation rec,
      List<Anomaly> anomalies,
      List<RiskContext> risk,
      int referenceFlags,
      double days) {
    out.printf(
        Locale.ROOT,
        "anomalies %s: %,d events; windows scored: %s; %,d anomalies in %,d windows %s"
            + " (%.2f flagged windows a day; the reference method: %,d, %.2f a day);"
            + " risk context: %,d keys; %s in %.1f s%n",
        run.get("runId"),
        rec.eventsRead(),
        KeyTypes.ALL.stream().map(t -> t + " " + rec.windows(t)).collect(Collectors.joining(", ")),
        anomalies.size(),
        (Integer) run.get("flaggedWindows"),
        run.get("anomaliesBySeverity"),
        (Integer) run.get("flaggedWindows") / days,
        referenceFlags,
        referenceFlags / days,
        risk.size(),
        rec.balanced() ? "reconciled" : "NOT RECONCILED",
        ((Long) run.get("durationMs")) / 1000.0);
  }

  private static Map<String, Long> countBy(
      List<Anomaly> anomalies, java.util.function.Function<Anomaly, String> f) {
    return anomalies.stream()
        .collect(Collectors.groupingBy(f, TreeMap::new, Collectors.counting()));
  }
}
