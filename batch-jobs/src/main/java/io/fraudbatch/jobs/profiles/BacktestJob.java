package io.fraudbatch.jobs.profiles;

import io.fraudbatch.avro.ActorProfile;
import io.fraudbatch.core.FraudBatchException;
import io.fraudbatch.core.StorageLayout;
import io.fraudbatch.core.avro.AvroModel;
import io.fraudbatch.core.cli.Cli;
import io.fraudbatch.core.cli.JobOptions;
import io.fraudbatch.core.profile.ProfileInput;
import io.fraudbatch.core.rules.Confusion;
import io.fraudbatch.core.rules.RuleBacktest;
import io.fraudbatch.jobs.SparkParallelism;
import io.fraudbatch.warehouse.JobRun;
import io.fraudbatch.warehouse.PartitionLister;
import io.fraudbatch.warehouse.Table;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.conf.Configured;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.Tool;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import scala.Tuple2;

/**
 * The rule backtest (Spark): replays the online rules ({@link RuleBacktest}) on each day's events
 * with the profiles as of the day before, for a sweep of threshold multipliers, and scores them
 * against the sample-data labels when present. Writes {@code warehouse/backtests/to=DAY/} and
 * prints the table.
 */
@Command(
    name = "backtest",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Replays the online rules (amount over k x normal daily spend, halved k at an unseen place,",
      "impossible travel) on each day D's decisions with the profiles as of D-1, scores them",
      "against <root>/labels/decisions/labels.csv when present, and writes precision/recall per",
      "rule and k to <root>/warehouse/backtests/to=DAY (Parquet), printing the table."
    },
    footer = {
      "",
      "Days: every day D with decisions and a profile snapshot as of D-1 (build them with",
      "'profiles --as-of'), limited by --from/--to.",
      "Examples:",
      "  java -cp batch-jobs/target/fraud-batch-batch-jobs.jar io.fraudbatch.jobs.profiles.BacktestJob --root ./fraud-data",
      "  spark-submit --class io.fraudbatch.jobs.profiles.BacktestJob fraud-batch-batch-jobs-job.jar --root hdfs:///fraud",
      "",
      "Exit codes: 0 done, 2 bad arguments or nothing to backtest, 1 the job failed."
    })
public final class BacktestJob extends Configured implements Tool, Callable<Integer> {
  /** The sweep: wide enough that F1 peaks inside it on the replayed datasets. */
  static final double[] DEFAULT_K = {2, 3, 4, 6, 8, 12, 16, 24, 32};

  static final String[] RULES = {
    RuleBacktest.AMOUNT,
    RuleBacktest.AMOUNT_HALVED,
    RuleBacktest.HOUR,
    RuleBacktest.TRAVEL,
    RuleBacktest.ANY,
    RuleBacktest.PLAIN
  };

  /** Rules whose verdict does not depend on k: printed once. */
  static final Set<String> K_FREE =
      Set.of(RuleBacktest.HOUR, RuleBacktest.TRAVEL, RuleBacktest.PLAIN);

  @Mixin JobOptions.Root rootOption = new JobOptions.Root();

  @Option(names = "--from", paramLabel = "DATE", description = "First day to replay.")
  String from;

  @Option(names = "--to", paramLabel = "DATE", description = "Last day to replay.")
  String to;

  @Option(
      names = "--k",
      split = ",",
      description = "Threshold multipliers to sweep (default: 2,3,4,6,8,12,16,24,32).")
  double[] ks;

  @Option(
      names = "--default-k",
      description =
          "The multiplier the online tier runs with, reported as the rules' default settings"
              + " (default: ${DEFAULT-VALUE}).",
      defaultValue = "" + RuleBacktest.DEFAULT_K)
  double defaultK;

  @Mixin JobOptions.SparkMaster sparkMasterOption = new JobOptions.SparkMaster();

  PrintStream out = System.out;
  PrintStream err = System.err;

  /** (rule, k) → counts over all days, of the last run (for tests). */
  private Map<String, Confusion> lastTotals;

  private boolean lastLabelled;

  public Map<String, Confusion> lastTotals() {
    return lastTotals;
  }

  public boolean lastLabelled() {
    return lastLabelled;
  }

  public static void main(String[] args) throws Exception {
    System.exit(
        io.fraudbatch.warehouse.ToolMain.run("backtest", new BacktestJob(), args, System.err));
  }

  @Override
  public int run(String[] args) {
    return Cli.execute(this, "backtest", err, args);
  }

  static String key(String rule, double k) {
    return rule + "\t" + k;
  }

  @Override
  public Integer call() throws Exception {
    long started = System.currentTimeMillis();
    Configuration conf = getConf() == null ? new Configuration() : getConf();
    double[] sweep = ks == null ? DEFAULT_K : ks;
    if (Arrays.stream(sweep).noneMatch(k -> k == defaultK)) {
      sweep = Arrays.copyOf(sweep, sweep.length + 1);
      sweep[sweep.length - 1] = defaultK;
      Arrays.sort(sweep);
    }
    for (double k : sweep) {
      FraudBatchException.check(
          k > 0 && k < 1000, "Cannot backtest: --k values must be in (0, 1000) (got %s)", k);
    }
    LocalDate first = date("--from", from);
    LocalDate last = date("--to", to);
    Path rootPath = new Path(rootOption.get());
    FileSystem fs = rootPath.getFileSystem(conf);
    rootPath = fs.makeQualified(rootPath);

    // Days with decisions and a snapshot as of the day before.
    List<LocalDate> days = new ArrayList<>();
    Path decisions = new Path(rootPath, StorageLayout.DECISIONS);
    FraudBatchException.check(
        fs.exists(decisions), "Cannot backtest: no decisions under %s (run ingest)", decisions);
    JobRun jobRun =
        JobRun.begin(conf, fs, rootPath, "backtests", line -> out.println("backtest: " + line));
    try (jobRun) {
      return backtest(conf, fs, jobRun, first, last, sweep, days, decisions, started);
    }
  }

  private int backtest(
      Configuration conf,
      FileSystem fs,
      JobRun jobRun,
      LocalDate first,
      LocalDate last,
      double[] sweep,
      List<LocalDate> days,
      Path decisions,
      long started)
      throws Exception {
    Path rootPath = jobRun.root();
    Map<LocalDate, Path> dayDirs = new TreeMap<>();
    Map<LocalDate, Path> snapshots = new TreeMap<>();
    for (PartitionLister.Partition p :
        PartitionLister.list(fs, rootPath, Table.DECISIONS).partitions().values()) {
      LocalDate d = LocalDate.parse(p.value());
      if ((first == null || !d.isBefore(first)) && (last == null || !d.isAfter(last))) {
        java.util.Optional<Path> snap = ProfilePlan.snapshot(fs, rootPath, d.minusDays(1));
        if (snap.isPresent()) {
          days.add(d);
          dayDirs.put(d, p.location());
          snapshots.put(d, snap.get());
        }
      }
    }
    days.sort(null);
    FraudBatchException.check(
        !days.isEmpty(),
        "Cannot backtest: no day in range has a profile snapshot as of the day before under %s"
            + " (build them first, e.g. 'profiles --as-of DAY-1' for each day to replay)",
        ProfilePlan.profilesDir(rootPath));

    Path labelsPath = new Path(rootPath, StorageLayout.LABELS);
    Set<String> fraud = new HashSet<>();
    boolean labelled = fs.exists(labelsPath);
    if (labelled) {
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(fs.open(labelsPath), StandardCharsets.UTF_8))) {
        r.readLine(); // header
        String line;
        while ((line = r.readLine()) != null) {
          int comma = line.indexOf(',');
          if (comma > 0) {
            fraud.add(line.substring(0, comma));
          }
        }
      }
    }
    out.printf(
        Locale.ROOT,
        "backtest: %d day(s) %s..%s, k in %s, %s%n",
        days.size(),
        days.get(0),
        days.get(days.size() - 1),
        Arrays.toString(sweep),
        labelled ? fraud.size() + " labelled fraud events" : "no labels (flag counts only)");

    SparkSession spark = ProfilesJob.spark(conf, sparkMasterOption.get(), "fraud-batch backtest");
    Map<String, Confusion> totals = new TreeMap<>();
    List<Row> rows = new ArrayList<>();
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      Broadcast<Set<String>> fraudIds = jsc.broadcast(fraud);
      // Sized from one day of decisions: the unit each step below shuffles.
      int parallelism =
          SparkParallelism.apply(spark, conf, List.of(dayDirs.get(days.get(days.size() - 1))), out);
      for (LocalDate day : days) {
        Dataset<Row> events =
            spark.read().parquet(dayDirs.get(day).toString()).selectExpr(SparkProfiles.COLUMNS);
        DecimalType amount = InputRows.amountType(events.schema());
        JavaPairRDD<String, ProfileInput> byActor =
            events
                .queryExecution()
                .toRdd()
                .toJavaRDD()
                .mapPartitionsToPair(it -> InputRows.byActor(it, amount));
        JavaPairRDD<String, byte[]> profiles = SparkProfiles.snapshot(jsc, snapshots.get(day));
        Map<String, Confusion> perDay =
            byActor
                .groupByKey(parallelism)
                .leftOuterJoin(profiles, parallelism)
                .flatMapToPair(
                    t -> {
                      List<ProfileInput> es = new ArrayList<>();
                      t._2._1.forEach(es::add);
                      ActorProfile p =
                          t._2._2.isPresent()
                              ? AvroModel.fromBytes(t._2._2.get(), ActorProfile.getClassSchema())
                              : null;
                      Set<String> labels = fraudIds.value();
                      List<Tuple2<String, Confusion>> l = new ArrayList<>();
                      for (double k : sweep) {
                        for (RuleBacktest.Verdict v : RuleBacktest.replay(p, es, k)) {
                          boolean isFraud = labels.contains(v.eventId());
                          for (String rule : RULES) {
                            l.add(new Tuple2<>(key(rule, k), Confusion.of(v.of(rule), isFraud)));
                          }
                        }
                      }
                      return l.iterator();
                    })
                .reduceByKey(Confusion::plus)
                .collectAsMap();
        for (Map.Entry<String, Confusion> e : new TreeMap<>(perDay).entrySet()) {
          totals.merge(e.getKey(), e.getValue(), Confusion::plus);
          String[] rk = e.getKey().split("\t");
          Confusion c = e.getValue();
          rows.add(
              RowFactory.create(
                  java.sql.Date.valueOf(day),
                  rk[0],
                  Double.parseDouble(rk[1]),
                  c.tp(),
                  c.fp(),
                  c.fn(),
                  c.tn(),
                  labelled ? c.precision() : null,
                  labelled ? c.recall() : null));
        }
      }
      StructType schema =
          new StructType()
              .add("day", DataTypes.DateType, false)
              .add("rule", DataTypes.StringType, false)
              .add("k", DataTypes.DoubleType, false)
              .add("tp", DataTypes.LongType, false)
              .add("fp", DataTypes.LongType, false)
              .add("fn", DataTypes.LongType, false)
              .add("tn", DataTypes.LongType, false)
              .add("precision", DataTypes.DoubleType, true)
              .add("recall", DataTypes.DoubleType, true);
      Path staged = new Path(jobRun.staging(), "out");
      spark.createDataFrame(rows, schema).coalesce(1).write().parquet(staged.toString());
      String to = days.get(days.size() - 1).toString();
      jobRun.publishVersion(Table.BACKTESTS, to, staged);
      Map<String, Object> manifest = new java.util.LinkedHashMap<>();
      manifest.put("runId", jobRun.runId());
      manifest.put("job", "backtests");
      manifest.put("from", days.get(0).toString());
      manifest.put("to", to);
      manifest.put("days", days.size());
      manifest.put("rows", rows.size());
      // Every replayed event is scored once by every rule at every k: the totals all agree.
      java.util.Set<Long> scored = new java.util.TreeSet<>();
      totals.values().forEach(c -> scored.add(c.tp() + c.fp() + c.fn() + c.tn()));
      long events = scored.isEmpty() ? 0 : scored.iterator().next();
      manifest.put("eventsRead", events);
      manifest.put(
          "reconciliation",
          Map.of(
              "rule",
              "each rule and k scored every replayed event once",
              "balanced",
              scored.size() <= 1));
      manifest.put("labelled", labelled);
      manifest.put("startedAt", java.time.Instant.ofEpochMilli(started).toString());
      jobRun.commit(
          new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(manifest),
          io.fraudbatch.warehouse.RunRecords.BacktestRun.class);
      print(totals, sweep, labelled);
      out.println(
          "backtest: wrote "
              + jobRun.versionDir(Table.BACKTESTS, to)
              + " ("
              + rows.size()
              + " rows: day x rule x k)");
    } finally {
      if (sparkMasterOption.get() != null || spark.sparkContext().isLocal()) {
        spark.stop();
      }
    }
    lastTotals = totals;
    lastLabelled = labelled;
    return 0;
  }

  private void print(Map<String, Confusion> totals, double[] sweep, boolean labelled) {
    out.printf(
        Locale.ROOT,
        "%-27s %5s %9s %7s %9s %7s %9s %7s %6s%n",
        "rule",
        "k",
        "flagged",
        "tp",
        "fp",
        "fn",
        "precision",
        "recall",
        "F1");
    for (String rule : RULES) {
      for (double k : K_FREE.contains(rule) ? new double[] {sweep[0]} : sweep) {
        Confusion c = totals.getOrDefault(key(rule, k), Confusion.ZERO);
        out.printf(
            Locale.ROOT,
            "%-27s %5s %9d %7d %9d %7d %9s %7s %6s%n",
            rule.equals(RuleBacktest.PLAIN) ? rule + " (ref.)" : rule,
            K_FREE.contains(rule) ? "-" : String.format(Locale.ROOT, "%.1f", k),
            c.tp() + c.fp(),
            c.tp(),
            c.fp(),
            c.fn(),
            labelled ? pct(c.precision()) : "-",
            labelled ? pct(c.recall()) : "-",
            labelled ? f1(c.f1()) : "-");
      }
    }
    if (!labelled) {
      return;
    }
    // The best k of each k-dependent rule, and the rules at their default settings.
    for (String rule : RULES) {
      if (K_FREE.contains(rule)) {
        continue;
      }
      double best = Double.NaN;
      double bestF1 = -1;
      for (double k : sweep) {
        double f = totals.getOrDefault(key(rule, k), Confusion.ZERO).f1();
        if (f > bestF1) {
          bestF1 = f;
          best = k;
        }
      }
      out.printf(
          Locale.ROOT,
          "best k of %-27s %5.1f (F1 %s)%s%n",
          rule,
          best,
          f1(bestF1),
          best == sweep[sweep.length - 1]
              ? "; F1 peaks at the end of the sweep: try larger --k"
              : "");
    }
    String bestRule = null;
    double bestF1 = -1;
    for (String rule : RULES) {
      if (rule.equals(RuleBacktest.PLAIN)) {
        continue;
      }
      double f =
          totals
              .getOrDefault(key(rule, K_FREE.contains(rule) ? sweep[0] : defaultK), Confusion.ZERO)
              .f1();
      if (f > bestF1) {
        bestF1 = f;
        bestRule = rule;
      }
    }
    out.printf(
        Locale.ROOT,
        "at the default settings (k = %.1f) the best rule is %s with F1 %s; the plain rule %s"
            + " has F1 %s on the same events%n",
        defaultK,
        bestRule,
        f1(bestF1),
        RuleBacktest.PLAIN,
        f1(totals.getOrDefault(key(RuleBacktest.PLAIN, sweep[0]), Confusion.ZERO).f1()));
  }

  private static String f1(double v) {
    return Double.isNaN(v) || v < 0 ? "-" : String.format(Locale.ROOT, "%.3f", v);
  }

  private static String pct(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
  }

  private static LocalDate date(String option, String v) {
    if (v == null) {
      return null;
    }
    try {
      return LocalDate.parse(v);
    } catch (DateTimeParseException e) {
      throw new FraudBatchException(
          "Cannot backtest: " + option + " takes a date like 2026-10-28 (got " + v + ")");
    }
  }
}
