package io.fraudbatch.jobs.profiles;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fraudbatch.core.FraudBatchException;
import io.fraudbatch.core.StorageLayout;
import io.fraudbatch.core.cli.Cli;
import io.fraudbatch.core.cli.DayRange;
import io.fraudbatch.core.cli.JobOptions;
import io.fraudbatch.jobs.SparkParallelism;
import io.fraudbatch.warehouse.CrashPoints;
import io.fraudbatch.warehouse.JobRun;
import io.fraudbatch.warehouse.PartitionLister;
import io.fraudbatch.warehouse.RunRecords;
import io.fraudbatch.warehouse.Table;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.conf.Configured;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.util.Tool;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The profile job: per-actor behavioural profiles as of a day, on Spark or MapReduce, from all
 * history (full) or from the previous snapshot plus what arrived since (incremental). Writes {@code
 * warehouse/profiles/as_of=YYYY-MM-DD/} atomically, with its run record {@code _run.json}.
 */
@Command(
    name = "profiles",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Builds per-actor behavioural profiles as of a day from <root>/warehouse/decisions into",
      "<root>/warehouse/profiles/as_of=YYYY-MM-DD (Parquet, one ActorProfile per actor), published",
      "atomically with its run record (_run.json: watermark, counts). Every engine and both modes",
      "give the same snapshot."
    },
    footer = {
      "",
      "Hadoop generic options (-D key=value, -conf file) come first.",
      "Examples:",
      "  java -jar batch-jobs/target/fraud-batch-batch-jobs.jar --root ./fraud-data",
      "  java -jar batch-jobs/target/fraud-batch-batch-jobs.jar --root ./fraud-data --engine mapreduce --mode full",
      "  java -jar batch-jobs/target/fraud-batch-batch-jobs.jar --root hdfs:///fraud --engine local   # the daily update",
      "  spark-submit --class io.fraudbatch.jobs.profiles.ProfilesJob fraud-batch-batch-jobs-job.jar \\",
      "      --root hdfs:///fraud --as-of 2026-10-28",
      "  hadoop jar fraud-batch-batch-jobs-job.jar --engine mapreduce --root hdfs:///fraud",
      "  java -jar batch-jobs/target/fraud-batch-batch-jobs.jar --root ./fraud-data --as-of 2026-10-21..2026-10-27",
      "",
      "Exit codes: 0 done, 2 bad arguments or nothing to build from, 3 reconciliation mismatch",
      "(nothing published), 1 the job failed."
    })
public final class ProfilesJob extends Configured implements Tool, Callable<Integer> {
  // Manifests are one line of JSON: hive-ddl's run_manifests table reads one run per line.
  static final ObjectMapper JSON = new ObjectMapper();

  @Mixin JobOptions.Root rootOption = new JobOptions.Root();

  @Option(
      names = "--engine",
      description =
          "spark, mapreduce or local (an incremental update in this JVM, no Spark session: the"
              + " daily case; it hands a full recompute, a changed bucket count or a day too large"
              + " for a quarter of the heap to spark, and says so). Default: ${DEFAULT-VALUE}.",
      defaultValue = "spark")
  String engine;

  @Option(
      names = "--mode",
      description =
          "full (all history) or incremental (previous snapshot + what arrived since; full when"
              + " there is no usable previous snapshot). Default: ${DEFAULT-VALUE}.",
      defaultValue = "incremental")
  String mode;

  @Option(
      names = {"--as-of", "--date"},
      paramLabel = "DATE[..DATE]",
      description =
          "Profiles as of the end of this UTC day (default: the latest day ingested); a range"
              + " FIRST..LAST builds one snapshot per day, in order.")
  String asOf;

  @Option(
      names = "--buckets",
      description =
          "Snapshot files (default: full runs one per 128 MB of input, at least one; incremental"
              + " runs the previous snapshot's count).")
  int buckets;

  @Mixin JobOptions.SparkMaster sparkMasterOption = new JobOptions.SparkMaster();

  @Mixin JobOptions.SummaryJson summaryJsonOption = new JobOptions.SummaryJson();

  PrintStream out = System.out;
  PrintStream err = System.err;
  private Map<String, Object> lastRun;

  public Map<String, Object> lastRun() {
    return lastRun;
  }

  public static void main(String[] args) throws Exception {
    System.exit(
        io.fraudbatch.warehouse.ToolMain.run("profiles", new ProfilesJob(), args, System.err));
  }

  @Override
  public int run(String[] args) {
    return Cli.execute(this, "profiles", err, args);
  }

  @Override
  public Integer call() throws Exception {
    long started = System.currentTimeMillis();
    Configuration conf = getConf() == null ? new Configuration() : getConf();
    FraudBatchException.check(
        "spark".equals(engine) || "mapreduce".equals(engine) || "local".equals(engine),
        "Cannot run profiles: --engine must be spark, mapreduce or local (got %s)",
        engine);
    FraudBatchException.check(
        buckets >= 0 && buckets <= 10_000,
        "Cannot run profiles: --buckets must be between 1 and 10000 (got %d)",
        buckets);
    List<LocalDate> days = asOfDays(asOf);
    Path rootPath = new Path(rootOption.get());
    FileSystem fs = rootPath.getFileSystem(conf);
    rootPath = fs.makeQualified(rootPath);
    try {
      for (LocalDate day : days) {
        int code = runOne(conf, fs, rootPath, day, started);
        if (code != 0) {
          return code;
        }
        started = System.currentTimeMillis();
      }
      return 0;
    } finally {
      if (session != null
          && (sparkMasterOption.get() != null || session.sparkContext().isLocal())) {
        session.stop();
      }
      session = null;
    }
  }

  /** --as-of: absent (latest day), one day, or FIRST..LAST (one snapshot per day, in order). */
  static List<LocalDate> asOfDays(String value) {
    return value == null
        ? java.util.Collections.singletonList(null)
        : DayRange.parse(value, "profiles", "--as-of");
  }

  private SparkSession session;

  private int runOne(Configuration conf, FileSystem fs, Path rootPath, LocalDate day, long started)
      throws Exception {
    try (JobRun jobRun =
        JobRun.begin(conf, fs, rootPath, "profiles", line -> out.println("profiles: " + line))) {
      return runOne(conf, fs, jobRun, day, started);
    }
  }

  private int runOne(Configuration conf, FileSystem fs, JobRun jobRun, LocalDate day, long started)
      throws Exception {
    ProfilePlan plan = ProfilePlan.make(fs, jobRun.root(), day, mode);
    int n = plan.buckets(buckets);
    String runId = jobRun.runId();
    Path staging = jobRun.staging();
    Path work = new Path(staging, StorageLayout.AS_OF + plan.asOf());
    if (plan.fallbackReason() != null) {
      out.println("profiles: full recompute instead of incremental: " + plan.fallbackReason());
    }
    out.printf(
        Locale.ROOT,
        "profiles %s: %s on %s as of %s: %d day(s) of decisions (%.1f MB)%s, %d bucket(s)%n",
        runId,
        plan.mode(),
        engine,
        plan.asOf(),
        plan.inputDays().size(),
        plan.inputBytes() / 1e6,
        plan.previousAsOf() == null ? "" : " + snapshot as of " + plan.previousAsOf(),
        n);
    return execute(conf, fs, jobRun, plan, n, work, started);
  }

  private int execute(
      Configuration conf,
      FileSystem fs,
      JobRun jobRun,
      ProfilePlan plan,
      int n,
      Path work,
      long started)
      throws Exception {
    String runId = jobRun.runId();
    Path staging = jobRun.staging();
    long previousEvents = 0;
    long previousActors = 0;
    if (plan.previousSnapshot() != null) {
      RunRecords.ProfilesRun prev =
          RunRecords.read(
              fs,
              new Path(plan.previousSnapshot(), ProfilePlan.RUN_RECORD),
              RunRecords.ProfilesRun.class);
      previousEvents = prev.eventsWritten();
      previousActors = prev.actorsWritten();
    }
    long eventsRead;
    long actors;
    long eventsWritten;
    boolean mergedInPlace = false;
    String used = engine;
    LocalProfiles.Result local = null;
    if ("local".equals(engine)) {
      String why = LocalProfiles.unsuitable(conf, plan, n);
      if (why == null) {
        try {
          local = LocalProfiles.run(conf, plan, n, work, line -> out.println("profiles: " + line));
        } catch (LocalProfiles.TooLarge e) {
          why = e.getMessage();
          fs.delete(work, true);
        }
      }
      if (why != null) {
        out.println("profiles: on spark instead of local: " + why);
        used = "spark";
      }
    }
    if (local != null) {
      eventsRead = local.eventsRead();
      actors = local.actorsWritten();
      eventsWritten = local.eventsWritten();
      mergedInPlace = true;
      out.printf(
          Locale.ROOT,
          "profiles: local: %,d previous profile(s) copied with their new day (no new event, no"
              + " window moved)%n",
          local.copied());
    } else if ("mapreduce".equals(engine)) {
      Job job = MapReduceProfiles.run(conf, plan, n, work);
      if (!job.isSuccessful()) {
        throw io.fraudbatch.warehouse.TaskFailures.failed(job);
      }
      Counters c = job.getCounters();
      eventsRead = c.findCounter(MapReduceProfiles.COUNTERS, "EVENTS_READ").getValue();
      actors = c.findCounter(MapReduceProfiles.COUNTERS, "ACTORS_WRITTEN").getValue();
      eventsWritten = c.findCounter(MapReduceProfiles.COUNTERS, "EVENTS_WRITTEN").getValue();
    } else {
      if (session == null) {
        session = spark(conf, sparkMasterOption.get(), "fraud-batch profiles");
      }
      List<Path> read = new ArrayList<>(plan.inputDays());
      if (plan.previousSnapshot() != null) {
        read.add(plan.previousSnapshot());
      }
      SparkParallelism.apply(session, conf, read, out);
      SparkProfiles.Result r = SparkProfiles.run(session, plan, n, work);
      eventsRead = r.eventsRead();
      actors = r.actorsWritten();
      eventsWritten = r.eventsWritten();
      mergedInPlace = r.mergedInPlace();
    }
    boolean reconciled = eventsWritten == previousEvents + eventsRead;
    long bytes = fs.getContentSummary(work).getLength();
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("runId", runId);
    run.put("job", "profiles");
    run.put("engine", used);
    run.put("mode", plan.mode());
    run.put("requestedMode", plan.requestedMode());
    run.put("fallbackReason", plan.fallbackReason());
    run.put("asOf", plan.asOf().toString());
    run.put("completeUpTo", plan.asOf().plusDays(1) + "T00:00:00Z");
    run.put("ingestWatermark", plan.ingestWatermark());
    run.put("previousAsOf", plan.previousAsOf() == null ? null : plan.previousAsOf().toString());
    run.put("inputDays", plan.inputDays().stream().map(PartitionLister::partitionNameOf).toList());
    run.put("eventsRead", eventsRead);
    run.put("previousActors", previousActors);
    run.put("previousEvents", previousEvents);
    run.put("actorsWritten", actors);
    run.put("eventsWritten", eventsWritten);
    run.put("buckets", n);
    run.put("mergedInPlace", mergedInPlace);
    run.put("bytes", bytes);
    run.put("startedAt", Instant.ofEpochMilli(started).toString());
    run.put("durationMs", System.currentTimeMillis() - started);
    run.put(
        "reconciliation",
        Map.of("rule", "eventsWritten = previousEvents + eventsRead", "balanced", reconciled));
    lastRun = run;
    String text = JSON.writeValueAsString(run);
    if (summaryJsonOption.get() != null) {
      java.nio.file.Files.writeString(java.nio.file.Path.of(summaryJsonOption.get()), text);
    }
    out.printf(
        Locale.ROOT,
        "profiles %s: read %,d events%s; wrote %,d actors (%,d events) in %d file(s), %.1f MB,"
            + " in %.1f s; %s%n",
        runId,
        eventsRead,
        previousEvents == 0
            ? ""
            : String.format(Locale.ROOT, " + %,d from the snapshot", previousEvents),
        actors,
        eventsWritten,
        n,
        bytes / 1e6,
        (System.currentTimeMillis() - started) / 1000.0,
        reconciled ? "reconciled" : "NOT RECONCILED: nothing published, work left in " + staging);
    if (!reconciled) {
      return 3;
    }
    try (OutputStream o = fs.create(new Path(work, ProfilePlan.RUN_RECORD), true)) {
      o.write(text.getBytes(StandardCharsets.UTF_8));
    }
    CrashPoints.reach("profiles-staged");
    jobRun.publishVersion(Table.PROFILES, plan.asOf().toString(), work);
    jobRun.commit(text, RunRecords.ProfilesRun.class);
    out.println(
        "profiles: published "
            + ProfilePlan.snapshot(fs, plan.root(), plan.asOf()).map(Path::toString).orElse("?"));
    return 0;
  }

  /**
   * The Spark session: spark-submit's settings when run by it, else local[*] (or {@code master}),
   * with the Hadoop filesystem settings of {@code conf} (-D, -conf) passed on.
   */
  public static SparkSession spark(Configuration conf, String sparkMaster, String appName) {
    SparkConf sc = new SparkConf().setAppName(appName);
    if (sparkMaster != null) {
      sc.setMaster(sparkMaster);
    } else if (!sc.contains("spark.master")) {
      sc.setMaster("local[*]");
      sc.set("spark.ui.enabled", "false");
    }
    sc.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
    sc.setIfMissing("spark.kryo.registrator", Registrator.class.getName());
    // Every Parquet page read is checked against the CRC its writer stored: a damaged file fails
    // the job instead of feeding it altered values (a flipped bit in a zstd page can decode).
    sc.setIfMissing(
        "spark.hadoop." + org.apache.parquet.hadoop.ParquetInputFormat.PAGE_VERIFY_CHECKSUM_ENABLED,
        "true");
    SparkSession spark = SparkSession.builder().config(sc).getOrCreate();
    for (Map.Entry<String, String> e : conf) {
      if (e.getKey().startsWith("fs.") || e.getKey().startsWith("dfs.")) {
        spark.sparkContext().hadoopConfiguration().set(e.getKey(), e.getValue());
      }
    }
    return spark;
  }
}
