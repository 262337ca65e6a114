package io.fraudbatch.jobs.anomalies;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fraudbatch.avro.Anomaly;
import io.fraudbatch.avro.RiskContext;
import io.fraudbatch.avro.WindowEvidence;
import io.fraudbatch.core.FraudBatchException;
import io.fraudbatch.core.StorageLayout;
import io.fraudbatch.core.anomaly.AnomalyMetric;
import io.fraudbatch.core.anomaly.KeyTypes;
import io.fraudbatch.core.anomaly.Pooled;
import io.fraudbatch.core.anomaly.RiskContexts;
import io.fraudbatch.core.anomaly.SeriesScorer;
import io.fraudbatch.core.anomaly.WindowEvaluation;
import io.fraudbatch.core.anomaly.WindowScorer;
import io.fraudbatch.core.anomaly.WindowStats;
import io.fraudbatch.core.avro.AvroModel;
import io.fraudbatch.core.cli.Cli;
import io.fraudbatch.core.cli.DayRange;
import io.fraudbatch.core.cli.JobOptions;
import io.fraudbatch.core.money.ReferenceRates;
import io.fraudbatch.jobs.AvroParquet;
import io.fraudbatch.jobs.profiles.ProfilesJob;
import io.fraudbatch.warehouse.CrashPoints;
import io.fraudbatch.warehouse.JobRun;
import io.fraudbatch.warehouse.PartitionLister;
import io.fraudbatch.warehouse.Table;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
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
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.Tool;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import scala.Tuple2;

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
      "the same time of week in the trailing weeks (median/MAD and exact Poisson/binomial tails;",
      "pooled pattern for keys with little history; no look-ahead). Writes anomalies to",
      "<root>/warehouse/anomalies/dt=DAY and the risk context to",
      "<root>/warehouse/risk_context/as_of=LAST_DAY. With the sample-data labels present, prints",
      "the window-level recall per injected scenario and the precision."
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
      description = "Score thresholds of the severities (default: 4,6,10).")
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

  public Map<String, Object> lastRun() {
    return lastRun;
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
    double[] sev = severity == null ? new double[] {4, 6, 10} : severity;
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

  /** Spark SQL for a decision's amount in US cents, from core's reference rates. */
  static String usdCentsSql(ReferenceRates rates) {
    String map =
        rates.currencies().stream()
            .sorted()
            .map(
                c ->
                    "'"
                        + c
                        + "', CAST('"
                        + rates.unitsPerUsd(c).toPlainString()
                        + "' AS DECIMAL(24,10))")
            .collect(Collectors.joining(", ", "map(", ")"));
    // Half-even to the cent, as ReferenceRates.usdCents.
    return "CAST(bround(amount * 100 / element_at(" + map + ", currency), 0) AS BIGINT)";
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
    spark.udf().register("ip24", (String ip) -> KeyTypes.ip24(ip), DataTypes.StringType);
    spark
        .udf()
        .register(
            "slotOfWeek", (Long t) -> WindowScorer.slotOfWeek(t, windowMs), DataTypes.IntegerType);
    Dataset<Row> events =
        spark
            .read()
            .parquet(inputs.stream().map(Path::toString).toArray(String[]::new))
            .selectExpr(
                "eventId",
                "actorId",
                "unix_millis(eventTime) AS t",
                "decision",
                usdCentsSql(ReferenceRates.defaults()) + " AS usd",
                "merchantId",
                "mcc",
                "region",
                "city",
                "ip24(ip) AS ip24",
                "deviceId");
    Path labelsPath = new Path(rootPath, StorageLayout.LABELS);
    Path incidentsPath = new Path(rootPath, StorageLayout.INCIDENTS);
    boolean evaluate = !noEvaluate && fs.exists(labelsPath) && fs.exists(incidentsPath);
    if (evaluate) {
      Dataset<Row> labels =
          spark
              .read()
              .option("header", "true")
              .csv(labelsPath.toString())
              .selectExpr("eventId AS labelledId")
              .distinct();
      events =
          events
              .join(
                  functions.broadcast(labels),
                  events.col("eventId").equalTo(labels.col("labelledId")),
                  "left")
              .selectExpr("*", "CASE WHEN labelledId IS NULL THEN 0 ELSE 1 END AS labelled")
              .drop("labelledId");
    } else {
      events = events.selectExpr("*", "0 AS labelled");
    }
    // New location: the actor's first transaction at this city in the data read, not its first.
    Dataset<Row> keyed =
        events
            .selectExpr(
                "*",
                "t - pmod(t, " + windowMs + ") AS ws",
                "city IS NOT NULL AND t = min(t) OVER (PARTITION BY actorId, city)"
                    + " AND t > min(t) OVER (PARTITION BY actorId) AS newLoc")
            .selectExpr(
                "ws",
                "t",
                "actorId",
                "deviceId",
                "decision = 'DENIED' AS declined",
                "usd",
                "newLoc",
                "labelled",
                "inline(array("
                    + "named_struct('keyType', '"
                    + KeyTypes.REGION
                    + "', 'key', region),"
                    + "named_struct('keyType', '"
                    + KeyTypes.MERCHANT
                    + "', 'key', merchantId),"
                    + "named_struct('keyType', '"
                    + KeyTypes.MCC
                    + "', 'key', mcc),"
                    + "named_struct('keyType', '"
                    + KeyTypes.IP24
                    + "', 'key', ip24)))")
            .where("key IS NOT NULL");
    keyed.persist(StorageLevel.MEMORY_AND_DISK_SER());
    Dataset<Row> cards =
        keyed
            .where("deviceId IS NOT NULL")
            .groupBy("keyType", "key", "ws", "deviceId")
            .agg(functions.countDistinct("actorId").as("c"))
            .groupBy("keyType", "key", "ws")
            .agg(functions.max("c").as("maxCards"));
    // Per actor first, then per window: only sums, counts and maxima, which Spark aggregates in
    // hash maps (distinct counts and collected lists would force sort-based aggregation). The
    // amount percentiles are evidence, not scored: computed afterwards for anomalous windows only.
    Dataset<Row> stats =
        keyed
            .groupBy("keyType", "key", "ws", "actorId")
            .agg(
                functions.count(functions.lit(1)).as("n"),
                functions.expr("sum(CASE WHEN declined THEN 1 ELSE 0 END)").as("dn"),
                functions
                    .expr(
                        "sum(CASE WHEN usd < " + AnomalyMetric.MICRO_CENTS + " THEN 1 ELSE 0 END)")
                    .as("mi"),
                functions.expr("max(CASE WHEN newLoc THEN 1 ELSE 0 END)").as("nl"),
                functions.sum("labelled").as("lb"))
            .groupBy("keyType", "key", "ws")
            .agg(
                functions.sum("n").as("events"),
                functions.count(functions.lit(1)).as("actors"),
                functions.sum("dn").as("declines"),
                functions.sum("mi").as("micro"),
                functions.sum("nl").as("newLoc"),
                functions.sum("lb").as("labelled"))
            .join(
                cards,
                scala.collection.JavaConverters.asScalaBuffer(List.of("keyType", "key", "ws"))
                    .toSeq(),
                "left")
            .selectExpr(
                "keyType",
                "key",
                "ws",
                "events",
                "actors",
                "declines",
                "micro",
                "newLoc",
                "coalesce(maxCards, 0) AS maxCards",
                "CAST(NULL AS BIGINT) AS p50",
                "CAST(NULL AS BIGINT) AS p95",
                "labelled");
    stats.persist(StorageLevel.MEMORY_AND_DISK_SER());
    try {
      return score(
          spark,
          conf,
          fs,
          rootPath,
          events,
          keyed,
          stats,
          days,
          from,
          to,
          dataFrom,
          settings,
          runId,
          started,
          evaluate,
          labelsPath,
          incidentsPath);
    } finally {
      stats.unpersist();
      keyed.unpersist();
    }
  }

  static WindowStats windowStats(Row r) {
    return new WindowStats(
        r.getString(0),
        r.getString(1),
        r.getLong(2),
        r.getLong(3),
        r.getLong(4),
        r.getLong(5),
        r.getLong(6),
        r.getLong(7),
        r.getLong(8),
        r.isNullAt(9) ? null : r.getLong(9),
        r.isNullAt(10) ? null : r.getLong(10));
  }

  static Anomaly anomaly(SeriesScorer.Scored s, long windowMs, String runId) {
    WindowStats w = s.window();
    List<Double> history = new ArrayList<>(s.history().length);
    for (double h : s.history()) {
      history.add(h);
    }
    return Anomaly.newBuilder()
        .setKeyType(w.keyType())
        .setKey(w.key())
        .setWindowStart(Instant.ofEpochMilli(w.windowStart()))
        .setWindowEnd(Instant.ofEpochMilli(w.windowStart() + windowMs))
        .setMetric(s.metric().column)
        .setObserved(s.score().observed())
        .setExpected(s.score().expected())
        .setSpread(s.score().spread())
        .setScore(s.score().score())
        .setSeverity(s.score().severity().name())
        .setBasis(s.score().basis().name())
        .setHistory(history)
        .setEvidence(
            WindowEvidence.newBuilder()
                .setEvents(w.events())
                .setActors(w.actors())
                .setDeclines(w.declines())
                .setMicro(w.micro())
                .setNewLocationActors(w.newLocationActors())
                .setMaxCardsPerDevice(w.maxCardsPerDevice())
                .setAmountP50Cents(w.amountP50Cents())
                .setAmountP95Cents(w.amountP95Cents())
                .build())
        .setRunId(runId)
        .build();
  }

  static final Comparator<Anomaly> ORDER =
      Comparator.comparing((Anomaly a) -> a.getWindowStart())
          .thenComparing(a -> KeyTypes.ALL.indexOf(a.getKeyType()))
          .thenComparing(a -> a.getKey())
          .thenComparing(a -> a.getMetric());

  private int score(
      SparkSession spark,
      Configuration conf,
      FileSystem fs,
      Path rootPath,
      Dataset<Row> events,
      Dataset<Row> keyed,
      Dataset<Row> stats,
      List<LocalDate> days,
      long from,
      long to,
      long dataFrom,
      SeriesScorer.Settings settings,
      String runId,
      long started,
      boolean evaluate,
      Path labelsPath,
      Path incidentsPath)
      throws IOException {
    long windowMs = settings.windowMs();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    // The pooled pattern of each scored day, from the days read before it (no look-ahead).
    List<Row> slotRows =
        stats
            .where("ws < " + (to - DAY_MS))
            .groupBy("keyType", "ws")
            .agg(
                functions.sum("events"),
                functions.sum("actors"),
                functions.sum("declines"),
                functions.sum("micro"),
                functions.sum("newLoc"))
            .collectAsList();
    progress("windows aggregated (" + slotRows.size() + " type-hours of history)");
    TreeMap<Long, Pooled> pooledByDay = new TreeMap<>();
    for (long day = from; day < to; day += DAY_MS) {
      List<Pooled.SlotTotals> totals = new ArrayList<>();
      for (Row r : slotRows) {
        if (r.getLong(1) < day) {
          totals.add(
              new Pooled.SlotTotals(
                  r.getString(0),
                  WindowScorer.slotOfWeek(r.getLong(1), windowMs),
                  r.getLong(2),
                  r.getLong(3),
                  r.getLong(4),
                  r.getLong(5),
                  r.getLong(6)));
        }
      }
      pooledByDay.put(day, Pooled.of(totals, windowMs, dataFrom, day));
    }
    Broadcast<TreeMap<Long, Pooled>> pooled = jsc.broadcast(pooledByDay);

    // Reconciliation: every event of the scored period is in one window of each key type, or has
    // no key of that type.
    Row counts =
        events
            .where("t >= " + from + " AND t < " + to)
            .selectExpr(
                "count(1)",
                "sum(CASE WHEN region IS NULL THEN 1 ELSE 0 END)",
                "sum(CASE WHEN merchantId IS NULL THEN 1 ELSE 0 END)",
                "sum(CASE WHEN mcc IS NULL THEN 1 ELSE 0 END)",
                "sum(CASE WHEN ip24 IS NULL THEN 1 ELSE 0 END)")
            .first();
    progress("events counted");
    long eventsRead = counts.getLong(0);
    Map<String, Long> unkeyed = new LinkedHashMap<>();
    for (int i = 0; i < KeyTypes.ALL.size(); i++) {
      unkeyed.put(KeyTypes.ALL.get(i), counts.isNullAt(i + 1) ? 0 : counts.getLong(i + 1));
    }
    Map<String, long[]> keyedByType = new TreeMap<>();
    for (Row r :
        stats
            .where("ws >= " + from + " AND ws < " + to)
            .groupBy("keyType")
            .agg(functions.sum("events"), functions.count(functions.lit(1)))
            .collectAsList()) {
      keyedByType.put(r.getString(0), new long[] {r.getLong(1), r.getLong(2)});
    }

    long scoredFrom = from;
    long scoredTo = to;
    List<byte[]> found =
        stats
            .javaRDD()
            .mapToPair(
                r -> new Tuple2<>(r.getString(0) + "\u0000" + r.getString(1), windowStats(r)))
            .groupByKey()
            .flatMap(
                t -> {
                  List<WindowStats> series = new ArrayList<>();
                  t._2.forEach(series::add);
                  List<byte[]> l = new ArrayList<>();
                  for (SeriesScorer.Scored s :
                      SeriesScorer.score(
                          series,
                          w -> pooled.value().floorEntry(w).getValue(),
                          settings,
                          scoredFrom,
                          scoredTo)) {
                    l.add(AvroModel.toBytes(anomaly(s, windowMs, runId), Anomaly.getClassSchema()));
                  }
                  return l.iterator();
                })
            .collect();
    progress("windows scored");
    List<Anomaly> anomalies = new ArrayList<>(found.size());
    for (byte[] b : found) {
      anomalies.add(AvroModel.fromBytes(b, Anomaly.getClassSchema()));
    }
    anomalies.sort(ORDER);
    addPercentiles(spark, keyed, anomalies);

    // The run record.
    Map<String, Object> reconciliation = new LinkedHashMap<>();
    boolean balanced = true;
    for (String type : KeyTypes.ALL) {
      long inWindows = keyedByType.getOrDefault(type, new long[2])[0];
      boolean ok = inWindows + unkeyed.get(type) == eventsRead;
      balanced &= ok;
      reconciliation.put(
          type,
          Map.of(
              "inWindows",
              inWindows,
              "withoutKey",
              unkeyed.get(type),
              "windows",
              keyedByType.getOrDefault(type, new long[2])[1],
              "balanced",
              ok));
    }
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("runId", runId);
    run.put("job", JOB);
    run.put("days", days.stream().map(LocalDate::toString).toList());
    run.put("windowMs", windowMs);
    run.put("baselineWeeks", settings.baselineWeeks());
    run.put("config", settings.config());
    run.put("eventsRead", eventsRead);
    run.put(
        "reconciliation",
        Map.of(
            "rule",
            "per key type: events in windows + events without that key = eventsRead",
            "balanced",
            balanced,
            "byKeyType",
            reconciliation));
    run.put("anomalies", anomalies.size());
    run.put("anomaliesBySeverity", countBy(anomalies, a -> a.getSeverity()));
    run.put("anomaliesByKeyType", countBy(anomalies, a -> a.getKeyType()));
    run.put("anomaliesByMetric", countBy(anomalies, a -> a.getMetric()));
    Map<WindowEvaluation.WindowId, WindowScorer.Severity> flagged = new HashMap<>();
    for (Anomaly a : anomalies) {
      flagged.merge(
          new WindowEvaluation.WindowId(
              a.getKeyType(), a.getKey(), a.getWindowStart().toEpochMilli()),
          WindowScorer.Severity.valueOf(a.getSeverity()),
          (x, y) -> x.compareTo(y) >= 0 ? x : y);
    }
    run.put("flaggedWindows", flagged.size());
    lastReport = null;
    if (evaluate) {
      Map<WindowEvaluation.WindowId, Long> labelled = new HashMap<>();
      for (Row r :
          stats
              .where("labelled > 0 AND ws >= " + from + " AND ws < " + to)
              .select("keyType", "key", "ws", "labelled")
              .collectAsList()) {
        labelled.put(
            new WindowEvaluation.WindowId(r.getString(0), r.getString(1), r.getLong(2)),
            r.getLong(3));
      }
      List<WindowEvaluation.Incident> incidents =
          incidents(fs, incidentsPath, labelsPath, windowMs, from, to);
      lastReport = WindowEvaluation.evaluate(flagged, labelled, incidents, minVolume);
      Map<String, Object> ev = new LinkedHashMap<>();
      ev.put("recall", lastReport.recall());
      ev.put("precision", lastReport.precision());
      ev.put("scenarios", lastReport.scenarios());
      ev.put("keyTypes", lastReport.types());
      ev.put("bySeverity", lastReport.bySeverity());
      run.put("evaluation", ev);
    }

    // Files: anomalies per day, the risk context as of the end of the period.
    Path staging = jobRun.staging();
    Map<LocalDate, List<Anomaly>> byDay = new TreeMap<>();
    for (LocalDate d : days) {
      byDay.put(d, new ArrayList<>());
    }
    for (Anomaly a : anomalies) {
      byDay.get(LocalDate.ofInstant(a.getWindowStart(), ZoneOffset.UTC)).add(a);
    }
    for (Map.Entry<LocalDate, List<Anomaly>> e : byDay.entrySet()) {
      AvroParquet.write(
          conf,
          new Path(staging, StorageLayout.DT + e.getKey() + "/part-00000.parquet"),
          Anomaly.getClassSchema(),
          e.getValue());
    }
    long contextMs = contextHours * 3_600_000L;
    List<Anomaly> context = new ArrayList<>(anomalies);
    PartitionLister.Listing previous = PartitionLister.list(fs, rootPath, Table.ANOMALIES);
    // Anomalies of earlier days still inside the context period, from earlier runs.
    for (LocalDate d = LocalDate.ofInstant(Instant.ofEpochMilli(to - contextMs), ZoneOffset.UTC);
        d.isBefore(days.get(0));
        d = d.plusDays(1)) {
      java.util.Optional<PartitionLister.Partition> published = previous.get(d.toString());
      if (published.isPresent()) {
        Path dir = published.get().location();
        for (FileStatus s : fs.listStatus(dir)) {
          if (s.getPath().getName().endsWith(".parquet")) {
            AvroParquet.<Anomaly>read(conf, s.getPath(), context::add);
          }
        }
      }
    }
    List<RiskContext> risk = RiskContexts.build(context, to, contextMs, runId);
    LocalDate asOf = days.get(days.size() - 1);
    AvroParquet.write(
        conf,
        new Path(staging, "risk_context/" + StorageLayout.AS_OF + asOf + "/part-00000.parquet"),
        RiskContext.getClassSchema(),
        risk);
    run.put("riskContextKeys", risk.size());
    run.put("riskContextAsOf", Instant.ofEpochMilli(to).toString());
    run.put("startedAt", Instant.ofEpochMilli(started).toString());
    run.put("durationMs", System.currentTimeMillis() - started);
    lastRun = run;
    String text = JSON.writeValueAsString(run);
    if (summaryJsonOption.get() != null) {
      java.nio.file.Files.writeString(java.nio.file.Path.of(summaryJsonOption.get()), text);
    }
    printSummary(run, keyedByType, anomalies, risk);
    if (lastReport != null) {
      out.print(lastReport.table());
    }
    if (!balanced) {
      err.println(
          "anomalies: NOT RECONCILED: nothing published, work left in "
              + staging
              + ": "
              + reconciliation);
      return 3;
    }
    for (LocalDate d : days) {
      Path dir = new Path(staging, StorageLayout.DT + d);
      fs.mkdirs(dir); // a day without anomalies publishes an empty partition
      jobRun.publishVersion(Table.ANOMALIES, d.toString(), dir);
    }
    jobRun.publishVersion(
        Table.RISK_CONTEXT,
        asOf.toString(),
        new Path(staging, "risk_context/" + StorageLayout.AS_OF + asOf));
    CrashPoints.reach("anomalies-staged");
    jobRun.commit(text, io.fraudbatch.warehouse.RunRecords.AnomaliesRun.class);
    out.printf(
        Locale.ROOT,
        "anomalies: published %s/dt=%s..%s and %s/as_of=%s%n",
        new Path(rootPath, StorageLayout.ANOMALIES),
        days.get(0),
        asOf,
        new Path(rootPath, StorageLayout.RISK_CONTEXT),
        asOf);
    return 0;
  }

  /**
   * The nearest-rank median and 95th percentile of the converted amounts of each anomalous window,
   * into the anomalies' evidence.
   */
  private void addPercentiles(SparkSession spark, Dataset<Row> keyed, List<Anomaly> anomalies) {
    if (anomalies.isEmpty()) {
      return;
    }
    List<Row> windows =
        anomalies.stream()
            .map(
                a ->
                    org.apache.spark.sql.RowFactory.create(
                        a.getKeyType(), a.getKey(), a.getWindowStart().toEpochMilli()))
            .distinct()
            .toList();
    Dataset<Row> flagged =
        spark.createDataFrame(
            windows,
            new org.apache.spark.sql.types.StructType()
                .add("keyType", DataTypes.StringType)
                .add("key", DataTypes.StringType)
                .add("ws", DataTypes.LongType));
    Map<String, Row> byWindow = new HashMap<>();
    for (Row r :
        keyed
            .join(
                functions.broadcast(flagged),
                scala.collection.JavaConverters.asScalaBuffer(List.of("keyType", "key", "ws"))
                    .toSeq())
            .groupBy("keyType", "key", "ws")
            .agg(
                functions.expr("percentile_disc(0.5) WITHIN GROUP (ORDER BY usd)"),
                functions.expr("percentile_disc(0.95) WITHIN GROUP (ORDER BY usd)"))
            .collectAsList()) {
      byWindow.put(r.getString(0) + "\u0000" + r.getString(1) + "\u0000" + r.getLong(2), r);
    }
    for (Anomaly a : anomalies) {
      Row r =
          byWindow.get(
              a.getKeyType()
                  + "\u0000"
                  + a.getKey()
                  + "\u0000"
                  + a.getWindowStart().toEpochMilli());
      if (r != null) {
        a.getEvidence().setAmountP50Cents(r.isNullAt(3) ? null : ((Number) r.get(3)).longValue());
        a.getEvidence().setAmountP95Cents(r.isNullAt(4) ? null : ((Number) r.get(4)).longValue());
      }
    }
    progress("amount percentiles of " + windows.size() + " anomalous windows computed");
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
      Map<String, long[]> keyedByType,
      List<Anomaly> anomalies,
      List<RiskContext> risk) {
    out.printf(
        Locale.ROOT,
        "anomalies %s: %,d events; windows scored: %s; %,d anomalies in %,d windows %s;"
            + " risk context: %,d keys; %s in %.1f s%n",
        run.get("runId"),
        (Long) run.get("eventsRead"),
        keyedByType.entrySet().stream()
            .map(e -> e.getKey() + " " + e.getValue()[1])
            .collect(Collectors.joining(", ")),
        anomalies.size(),
        (Integer) run.get("flaggedWindows"),
        run.get("anomaliesBySeverity"),
        risk.size(),
        Boolean.TRUE.equals(((Map<?, ?>) run.get("reconciliation")).get("balanced"))
            ? "reconciled"
            : "NOT RECONCILED",
        ((Long) run.get("durationMs")) / 1000.0);
  }

  private static Map<String, Long> countBy(
      List<Anomaly> anomalies, java.util.function.Function<Anomaly, String> f) {
    return anomalies.stream()
        .collect(Collectors.groupingBy(f, TreeMap::new, Collectors.counting()));
  }

  /**
   * The cross-user incidents of the sample labels (keyed on a merchant or a region) with their
   * labelled events per window of the scored period.
   */
  static List<WindowEvaluation.Incident> incidents(
      FileSystem fs, Path incidentsPath, Path labelsPath, long windowMs, long from, long to)
      throws IOException {
    Map<String, String[]> cross = new LinkedHashMap<>();
    for (String[] f : csv(fs, incidentsPath)) {
      // incidentId,scenario,keyType,key,windowStart,windowEnd,actors,events
      if (f[2].equals(KeyTypes.MERCHANT) || f[2].equals(KeyTypes.REGION)) {
        cross.put(f[0], f);
      }
    }
    Map<String, Map<Long, Integer>> perWindow = new LinkedHashMap<>();
    for (String[] f : csv(fs, labelsPath)) {
      // eventId,scenario,incidentId,actorId,eventTime
      if (!cross.containsKey(f[2])) {
        continue;
      }
      long t = Instant.parse(f[4]).toEpochMilli();
      if (t >= from && t < to) {
        perWindow
            .computeIfAbsent(f[2], k -> new TreeMap<>())
            .merge(t - Math.floorMod(t, windowMs), 1, Integer::sum);
      }
    }
    List<WindowEvaluation.Incident> out = new ArrayList<>();
    for (Map.Entry<String, Map<Long, Integer>> e : perWindow.entrySet()) {
      String[] f = cross.get(e.getKey());
      out.add(new WindowEvaluation.Incident(f[0], f[1], f[2], f[3], e.getValue()));
    }
    return out;
  }

  private static List<String[]> csv(FileSystem fs, Path p) throws IOException {
    List<String[]> rows = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(fs.open(p), StandardCharsets.UTF_8))) {
      String line = r.readLine(); // header
      while ((line = r.readLine()) != null) {
        if (!line.isBlank()) {
          rows.add(line.split(",", -1));
        }
      }
    }
    return rows;
  }
}
