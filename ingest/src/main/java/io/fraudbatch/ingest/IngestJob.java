package io.fraudbatch.ingest;

import io.fraudbatch.avro.DecisionEvent;
import io.fraudbatch.core.FraudBatchException;
import io.fraudbatch.core.cli.Cli;
import io.fraudbatch.core.cli.JobOptions;
import io.fraudbatch.warehouse.CrashPoints;
import io.fraudbatch.warehouse.JobRun;
import io.fraudbatch.warehouse.PartitionLister;
import io.fraudbatch.warehouse.RootPaths;
import io.fraudbatch.warehouse.Table;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.conf.Configured;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Counter;
import org.apache.hadoop.mapreduce.CounterGroup;
import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.input.MultipleInputs;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.mapreduce.lib.output.LazyOutputFormat;
import org.apache.hadoop.mapreduce.lib.output.TextOutputFormat;
import org.apache.hadoop.util.Tool;
import org.apache.parquet.avro.AvroParquetInputFormat;
import org.apache.parquet.avro.AvroReadSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The ingest job: Flume landing files → validated, PAN-masked, deduplicated Parquet under {@code
 * warehouse/decisions/dt=YYYY-MM-DD/}, quarantine beside it, a manifest per run.
 *
 * <p>A standard Hadoop tool: {@code hadoop jar fraud-batch-ingest.jar [generic options] [options]}.
 */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Turns Flume landing files under <root>/landing/decisions into the decisions dataset",
      "(<root>/warehouse/decisions/dt=YYYY-MM-DD, Parquet), quarantining invalid records",
      "(<root>/warehouse/quarantine/dt=…) and recording each run in <root>/warehouse/_manifests/job=ingest.",
      "Files already ingested are skipped: re-running is a no-op."
    },
    footer = {
      "",
      "Hadoop generic options (-D key=value, -conf file, -libjars, -fs) come first.",
      "Examples:",
      "  java -jar ingest/target/fraud-batch-ingest.jar --root ./fraud-data",
      "  hadoop jar fraud-batch-ingest.jar -D fraud.ingest.target-file-size-bytes=268435456 --root hdfs:///fraud",
      "  java -jar ingest/target/fraud-batch-ingest.jar --root ./fraud-data --reprocess 2026-10-14",
      "",
      "Exit codes: 0 done (or nothing to do), 2 bad arguments, 3 run finished and published but",
      "found errors (files set aside as unreadable, read again next run; changed files;",
      "reconciliation mismatch), 1 the job failed."
    })
public final class IngestJob extends Configured
    implements Tool, java.util.concurrent.Callable<Integer> {
  @Mixin JobOptions.Root rootOption = new JobOptions.Root();

  @Option(
      names = "--reprocess",
      paramLabel = "DATE",
      description = "Rebuild one day (YYYY-MM-DD) from the landing files that fed it.")
  String reprocess;

  @Option(
      names = "--min-age-seconds",
      description =
          "Skip files modified more recently (default: "
              + IngestConf.MIN_AGE_SECONDS_DEFAULT
              + ").")
  Long minAgeSeconds;

  @Option(
      names = "--in-use-suffix",
      description = "Suffix of files Flume is writing (default: .tmp).")
  String inUseSuffix;

  @Option(names = "--target-file-size", description = "Parquet file size target in bytes.")
  Long targetFileSize;

  @Mixin JobOptions.SummaryJson summaryJsonOption = new JobOptions.SummaryJson();

  private PrintStream out = System.out;
  PrintStream err = System.err; // tests read it
  private Map<String, Object> lastSummary;

  /** The summary of the last run (for tests and the launcher). */
  public Map<String, Object> lastSummary() {
    return lastSummary;
  }

  @Override
  public int run(String[] args) {
    return Cli.execute(this, "ingest", err, args);
  }

  public static void main(String[] args) throws Exception {
    System.exit(io.fraudbatch.warehouse.ToolMain.run("ingest", new IngestJob(), args, System.err));
  }

  @Override
  public Integer call() throws Exception {
    Configuration conf = getConf() == null ? new Configuration() : getConf();
    // Command line > -D/-conf > defaults, resolved here once.
    if (rootOption.explicit() != null) {
      conf.set(IngestConf.ROOT, rootOption.explicit());
    }
    if (minAgeSeconds != null) {
      conf.setLong(IngestConf.MIN_AGE_SECONDS, minAgeSeconds);
    }
    if (inUseSuffix != null) {
      conf.set(IngestConf.IN_USE_SUFFIX, inUseSuffix);
    }
    if (targetFileSize != null) {
      FraudBatchException.check(
          targetFileSize >= 1024 * 1024,
          "Cannot ingest: --target-file-size must be at least 1048576 bytes (got %d)",
          targetFileSize);
      conf.setLong(IngestConf.TARGET_FILE_SIZE_BYTES, targetFileSize);
    }
    engine(conf); // a bad value stops here, before anything is read
    LocalDate day = null;
    if (reprocess != null) {
      try {
        day = LocalDate.parse(reprocess);
      } catch (java.time.format.DateTimeParseException e) {
        throw new FraudBatchException(
            "Cannot reprocess: --reprocess takes a date like 2026-10-14 (got " + reprocess + ")");
      }
    }
    // Local file: paths without Hadoop's native library fork a process per file status.
    conf.setIfUnset("fs.file.impl", NioLocalFileSystem.class.getName());
    conf.setBoolean("fs.file.impl.disable.cache", false);
    Path rootPath = new Path(conf.get(IngestConf.ROOT, IngestConf.ROOT_DEFAULT));
    FileSystem fs = rootPath.getFileSystem(conf);
    rootPath = fs.makeQualified(rootPath);
    JobRun.checkRoot(fs, rootPath, "ingest");
    Path landing = new Path(rootPath, LandingLayout.LANDING);
    if (!fs.exists(landing)) {
      throw new FraudBatchException(
          "Cannot ingest: no landing directory at "
              + landing
              + ". Point --root at the storage root (it holds landing/decisions/)");
    }
    try (JobRun jobRun =
        JobRun.begin(conf, fs, rootPath, "ingest", line -> out.println("ingest: " + line))) {
      return new Run(conf, fs, jobRun, day).execute();
    }
  }

  /** One ingest run. */
  private final class Run {
    final Configuration conf;
    final FileSystem fs;
    final Path root;
    final LocalDate day;
    final JobRun jobRun;
    final String runId;
    final long started = System.currentTimeMillis();
    final PartitionLister.Listing published;
    final Map<String, Object> summary = new LinkedHashMap<>();
    final List<String> errors = new ArrayList<>();

    Run(Configuration conf, FileSystem fs, JobRun jobRun, LocalDate day) throws IOException {
      this.conf = conf;
      this.fs = fs;
      this.root = jobRun.root();
      this.day = day;
      this.jobRun = jobRun;
      this.runId = jobRun.runId();
      this.published = PartitionLister.list(fs, root, Table.DECISIONS);
    }

    int execute() throws Exception {
      summary.put("runId", runId);
      summary.put("mode", day == null ? "ingest" : "reprocess");
      summary.put("reprocessDay", day == null ? null : day.toString());
      summary.put("startedAt", Instant.ofEpochMilli(started).toString());

      Manifests manifests = new Manifests(fs, root);
      Map<String, Manifests.Consumed> consumed = manifests.consumed();
      List<FileStatus> inputs =
          day == null ? selectNew(consumed) : selectForDay(consumed, day.toString());
      if (inputs.isEmpty()) {
        summary.put("files", List.of());
        finish(Map.of(), 0);
        fs.delete(jobRun.staging(), true);
        out.println(
            day == null
                ? "ingest: nothing new to ingest (" + summary.get("skipped") + ")"
                : "ingest: no landing files fed " + day);
        return errors.isEmpty() ? 0 : 3;
      }

      long landingBytes = inputs.stream().mapToLong(FileStatus::getLen).sum();
      List<Path> history = new ArrayList<>(); // published days read back whole, then rewritten
      List<Path> historyIds = new ArrayList<>(); // published days new rows are appended to
      if (day == null) {
        splitHistory(historyDays(inputs), history, historyIds);
      }
      Path outDir = new Path(jobRun.staging(), "out");

      PanKeys.load(conf, fs, root, line -> out.println("ingest: " + line));
      conf.set(IngestConf.RUN_ID, runId);
      conf.setLong(IngestConf.RUN_STARTED_MS, started);
      conf.setBoolean(IngestConf.WRITE_QUARANTINE, day == null);
      if (day != null) {
        conf.set(IngestConf.ONLY_DT, day.toString());
      }
      io.fraudbatch.warehouse.LocalRunner.configure(conf);
      // Published days read back (to compact, or their ids) are checked page by page against the
      // CRCs their writer stored: a damaged file stops the run instead of being rewritten altered.
      conf.setIfUnset(
          org.apache.parquet.hadoop.ParquetInputFormat.PAGE_VERIFY_CHECKSUM_ENABLED, "true");
      AvroReadSupport.setAvroReadSchema(conf, DecisionEvent.getClassSchema());
      conf.setClass(
          AvroReadSupport.AVRO_DATA_SUPPLIER,
          DecisionDataSupplier.class,
          org.apache.parquet.avro.AvroDataSupplier.class);

      Counters counters = null;
      if (useLocalEngine(conf)) {
        int threads = cores(conf);
        announce(
            inputs, history, historyIds, landingBytes, "local engine, " + threads + " threads");
        counters =
            new LocalIngest(conf, threads, line -> err.println("ingest: " + line))
                .run(new LocalIngest.Inputs(inputs, history, historyIds), jobRun.staging(), outDir);
      }
      summary.put("engine", counters != null ? "local" : "mapreduce");
      if (counters == null) {
        fs.delete(outDir, true);
        counters = runMapReduce(inputs, history, historyIds, outDir, landingBytes);
      }
      Map<String, Map<String, Long>> fileDays = readFileDays(outDir);
      Map<String, Long> rowsByDt = new TreeMap<>();
      Map<String, Long> newByDt = new TreeMap<>();
      readDayCounts(outDir, rowsByDt, newByDt);

      List<String> replace = new ArrayList<>();
      List<String> append = new ArrayList<>();
      TreeSet<String> historyDts = new TreeSet<>();
      for (PartitionLister.Partition p : published.partitions().values()) {
        if (history.contains(p.location())) {
          historyDts.add(p.value());
        }
      }
      for (String dt : newByDt.keySet()) {
        if (day != null || historyDts.contains(dt) || published.get(dt).isEmpty()) {
          replace.add(dt);
        } else {
          // A day whose ids alone were read, or outside the dedup window: the new rows go beside
          // its published files.
          append.add(dt);
        }
      }
      if (day != null && newByDt.isEmpty()) {
        replace.add(day.toString()); // every row of the day came from elsewhere: still rebuild
      }
      for (String dt : append) {
        // The rows of an appended day: its published files' (from their footers) and the new.
        rowsByDt.merge(dt, publishedRows(published.get(dt).orElseThrow().location()), Long::sum);
      }

      java.util.Set<String> unreadable =
          group(counters, LandingCombineInputFormat.UNREADABLE).keySet();
      List<Map<String, Object>> setAside = new ArrayList<>();
      List<Map<String, Object>> files = new ArrayList<>();
      for (FileStatus f : inputs) {
        if (unreadable.contains(LandingLayout.relativeName(f.getPath()))) {
          // Not consumed: read again by the next run.
          Map<String, Object> a = new LinkedHashMap<>();
          a.put("path", RootPaths.relative(root, f.getPath()));
          a.put("reason", LandingFileReader.whyUnreadable(fs, f.getPath(), conf));
          setAside.add(a);
          errors.add("set aside (read again next run): " + a.get("path") + ": " + a.get("reason"));
          continue;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        String p = f.getPath().toString();
        m.put("path", RootPaths.relative(root, f.getPath()));
        m.put("length", f.getLen());
        m.put("modificationTime", Instant.ofEpochMilli(f.getModificationTime()).toString());
        m.put("days", fileDays.getOrDefault(p, Map.of()));
        files.add(m);
      }
      summary.put("files", files);
      summary.put("setAsideFiles", setAside);
      summary.put(
          "truncatedFiles",
          new ArrayList<>(group(counters, LandingCombineInputFormat.TRUNCATED).keySet()));
      summary.put("damagedFiles", group(counters, LandingCombineInputFormat.DAMAGED));
      summary.put("formats", group(counters, LandingCombineInputFormat.COUNTERS));
      Map<String, Long> counts = group(counters, IngestMapper.COUNTERS);
      summary.put("counts", counts);
      summary.put("rowsByDt", rowsByDt);
      summary.put("newRowsByDt", newByDt);
      summary.put("replacedDays", replace);
      summary.put("appendedDays", append);
      reconcile(counts);
      Map<String, Object> manifest = finish(counts, inputs.size());
      stageCommit(outDir, replace, append);
      jobRun.commit(
          Manifests.JSON.writeValueAsString(manifest),
          io.fraudbatch.warehouse.RunRecords.IngestRun.class);
      print(counts, inputs.size(), landingBytes);
      return errors.isEmpty() ? 0 : 3;
    }

    /** The run's first line: what it reads, and what runs it. */
    private void announce(
        List<FileStatus> inputs,
        List<Path> history,
        List<Path> historyIds,
        long landingBytes,
        String engine) {
      err.printf(
          Locale.ROOT,
          "ingest: run %s: %d landing files (%.1f MB), %d published days for dedup (%d read"
              + " whole to be compacted, %d by eventId to be appended to), %s%n",
          runId,
          inputs.size(),
          landingBytes / 1e6,
          history.size() + historyIds.size(),
          history.size(),
          historyIds.size(),
          engine);
    }

    /** The MapReduce job: every record shuffled by eventId to the reducers. */
    private Counters runMapReduce(
        List<FileStatus> inputs,
        List<Path> history,
        List<Path> historyIds,
        Path outDir,
        long landingBytes)
        throws IOException, InterruptedException, ClassNotFoundException {
      Job job = Job.getInstance(conf, "fraud-batch ingest " + runId);
      job.setJarByClass(IngestJob.class);
      boolean local = "local".equals(conf.get("mapreduce.framework.name", "local"));
      // Enough splits to keep every core (local) or a few waves of containers busy.
      long split =
          Math.max(
              local ? 4L * 1024 * 1024 : 64L * 1024 * 1024,
              Math.min(512L * 1024 * 1024, landingBytes / Math.max(1, 2L * cores(conf))));
      job.getConfiguration().setLong("mapreduce.input.fileinputformat.split.maxsize", split);
      // What MultipleInputs.addInputPath does, built once: calling it per file is quadratic
      // (it re-appends the whole list each time), which hurt at thousands of landing files.
      StringBuilder formats = new StringBuilder();
      StringBuilder mappers = new StringBuilder();
      for (FileStatus f : inputs) {
        addInput(
            formats, mappers, f.getPath(), LandingCombineInputFormat.class, IngestMapper.class);
      }
      for (Path h : history) {
        addInput(formats, mappers, h, AvroParquetInputFormat.class, HistoryMapper.class);
      }
      for (Path h : historyIds) {
        addInput(formats, mappers, h, EventIdReadSupport.InputFormat.class, HistoryIdMapper.class);
      }
      job.getConfiguration().set(MultipleInputs.DIR_FORMATS, formats.toString());
      job.getConfiguration().set(MultipleInputs.DIR_MAPPERS, mappers.toString());
      job.setInputFormatClass(org.apache.hadoop.mapreduce.lib.input.DelegatingInputFormat.class);
      job.setMapperClass(org.apache.hadoop.mapreduce.lib.input.DelegatingMapper.class);
      job.setMapOutputKeyClass(Text.class);
      job.setMapOutputValueClass(BytesWritable.class);
      job.setReducerClass(IngestReducer.class);
      job.setOutputKeyClass(NullWritable.class);
      job.setOutputValueClass(NullWritable.class);
      long historyBytes = 0;
      for (Path h : history) {
        historyBytes += fs.getContentSummary(h).getLength();
      }
      int reducers = conf.getInt(IngestConf.REDUCERS, IngestConf.REDUCERS_DEFAULT);
      if (reducers <= 0) {
        long target =
            conf.getLong(
                IngestConf.TARGET_FILE_SIZE_BYTES, IngestConf.TARGET_FILE_SIZE_BYTES_DEFAULT);
        // JSON shrinks about fivefold into zstd Parquet.
        long expected = landingBytes / 5 + historyBytes;
        reducers = (int) Math.max(1, Math.min(1000, (expected + target - 1) / target));
        if (local) {
          reducers = Math.max(reducers, cores(conf));
        }
      }
      job.setNumReduceTasks(reducers);
      LazyOutputFormat.setOutputFormatClass(job, TextOutputFormat.class);
      FileOutputFormat.setOutputPath(job, outDir);
      announce(inputs, history, historyIds, landingBytes, reducers + " reducers");
      io.fraudbatch.warehouse.TaskFailures.clear();
      if (!job.waitForCompletion(true)) {
        throw io.fraudbatch.warehouse.TaskFailures.failed(job);
      }
      return job.getCounters();
    }

    /**
     * Names what the commit publishes: each replaced day's new directory becomes its new version;
     * an appended day's new version is its current files (copied) plus the new ones; quarantine
     * files are appended after the commit point.
     */
    private void stageCommit(Path outDir, List<String> replace, List<String> append)
        throws IOException {
      for (String dt : replace) {
        Path staged = new Path(outDir, "decisions/dt=" + dt);
        fs.mkdirs(staged); // a reprocessed day left with no rows publishes an empty version
        jobRun.publishVersion(Table.DECISIONS, dt, staged);
      }
      for (String dt : append) {
        Path staged = new Path(outDir, "decisions/dt=" + dt);
        Path current = published.get(dt).orElseThrow().location();
        for (FileStatus f : fs.listStatus(current)) {
          if (f.isFile() && !f.getPath().getName().startsWith(".")) {
            org.apache.hadoop.fs.FileUtil.copy(
                fs, f.getPath(), fs, new Path(staged, f.getPath().getName()), false, conf);
          }
        }
        jobRun.publishVersion(Table.DECISIONS, dt, staged);
      }
      Path quarantine = new Path(outDir, "quarantine");
      if (fs.exists(quarantine)) {
        for (FileStatus d : fs.listStatus(quarantine)) {
          java.util.Optional<String> dt = Table.QUARANTINE.partitionValue(d.getPath().getName());
          if (!d.isDirectory() || dt.isEmpty()) {
            continue;
          }
          for (FileStatus f : fs.listStatus(d.getPath())) {
            if (f.isFile() && !f.getPath().getName().startsWith(".")) {
              jobRun.publishFile(Table.QUARANTINE, dt.get(), f.getPath());
            }
          }
        }
      }
      CrashPoints.reach("ingest-staged");
    }

    private int cores(Configuration c) {
      return c.getInt("mapreduce.local.map.tasks.maximum", 2);
    }

    /** Whether this run goes to {@link LocalIngest} ({@link IngestConf#ENGINE}). */
    private boolean useLocalEngine(Configuration c) {
      return switch (engine(c)) {
        case "local" -> true;
        case "mapreduce" -> false;
        default -> io.fraudbatch.warehouse.LocalRunner.isLocal(c);
      };
    }

    /** read = valid + quarantined; valid = new + duplicates (+ other days when reprocessing). */
    private void reconcile(Map<String, Long> c) {
      long read = c.getOrDefault("RECORDS_READ", 0L);
      long valid = c.getOrDefault("VALID", 0L);
      long quarantined = c.getOrDefault("QUARANTINED", 0L);
      long written = c.getOrDefault("NEW_ROWS", 0L);
      long dups =
          c.getOrDefault("DUPLICATES_IN_RUN", 0L) + c.getOrDefault("DUPLICATES_OF_PUBLISHED", 0L);
      long other = c.getOrDefault("OTHER_DAY_ON_REPROCESS", 0L);
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("read", read);
      r.put("written", written);
      r.put("quarantined", quarantined);
      r.put("duplicatesDropped", dups);
      r.put("otherDaysOnReprocess", other);
      @SuppressWarnings("unchecked")
      Map<String, Long> landing =
          (Map<String, Long>) summary.getOrDefault("formats", Map.<String, Long>of());
      // Records inside damaged bytes cannot be counted (their framing is what broke): the bytes.
      r.put("bytesLostToDamage", landing.getOrDefault("BYTES_SKIPPED", 0L));
      r.put("filesDamaged", landing.getOrDefault("FILES_DAMAGED", 0L));
      r.put("filesSetAside", landing.getOrDefault("FILES_UNREADABLE", 0L));
      boolean ok = read == valid + quarantined && (day != null || valid == written + dups);
      r.put("balanced", ok);
      summary.put("reconciliation", r);
      if (!ok) {
        errors.add(
            String.format(
                Locale.ROOT,
                "reconciliation failed: read %d != written %d + quarantined %d + duplicates %d + other days %d",
                read,
                written,
                quarantined,
                dups,
                other));
      }
    }

    private Map<String, Object> finish(Map<String, Long> counts, int files) throws IOException {
      summary.put("finishedAt", Instant.now().toString());
      summary.put("errors", errors);
      lastSummary = summary;
      String summaryJson = summaryJsonOption.get();
      if (summaryJson != null) {
        java.nio.file.Files.writeString(
            java.nio.file.Path.of(summaryJson), Manifests.JSON.writeValueAsString(summary));
      }
      errors.forEach(e -> err.println("ingest: ERROR: " + e));
      return summary;
    }

    private void print(Map<String, Long> c, int files, long bytes) {
      double secs = (System.currentTimeMillis() - started) / 1000.0;
      out.printf(
          Locale.ROOT,
          "ingest %s: %d files (%.1f MB) in %.1f s; read %,d, written %,d new, quarantined %,d,"
              + " duplicates dropped %,d (in run %,d, of published %,d); %s%n",
          runId,
          files,
          bytes / 1e6,
          secs,
          c.getOrDefault("RECORDS_READ", 0L),
          c.getOrDefault("NEW_ROWS", 0L),
          c.getOrDefault("QUARANTINED", 0L),
          c.getOrDefault("DUPLICATES_IN_RUN", 0L) + c.getOrDefault("DUPLICATES_OF_PUBLISHED", 0L),
          c.getOrDefault("DUPLICATES_IN_RUN", 0L),
          c.getOrDefault("DUPLICATES_OF_PUBLISHED", 0L),
          errors.isEmpty() ? "reconciled" : "ERRORS: " + errors);
      out.println("  skipped: " + summary.get("skipped"));
      out.println("  truncated files: " + summary.get("truncatedFiles"));
      out.println("  damaged files (bytes skipped): " + summary.get("damagedFiles"));
      out.println("  set aside, read again next run: " + summary.get("setAsideFiles"));
      out.println("  rows by day: " + summary.get("rowsByDt"));
      Map<String, Long> reasons = new TreeMap<>();
      c.forEach(
          (k, v) -> {
            if (k.startsWith("QUARANTINED_")) {
              reasons.put(k.substring("QUARANTINED_".length()), v);
            }
          });
      out.println("  quarantined by reason: " + reasons);
    }

    /** Landing files no committed run consumed; reports consumed files whose size changed. */
    private List<FileStatus> selectNew(Map<String, Manifests.Consumed> consumed)
        throws IOException {
      String suffix = conf.get(IngestConf.IN_USE_SUFFIX, IngestConf.IN_USE_SUFFIX_DEFAULT);
      String prefix = conf.get(IngestConf.IN_USE_PREFIX, IngestConf.IN_USE_PREFIX_DEFAULT);
      long minAgeMs =
          1000 * conf.getLong(IngestConf.MIN_AGE_SECONDS, IngestConf.MIN_AGE_SECONDS_DEFAULT);
      long inUse = 0;
      long young = 0;
      long already = 0;
      long outside = 0;
      List<FileStatus> selected = new ArrayList<>();
      for (FileStatus f : listRecursively(new Path(root, LandingLayout.LANDING))) {
        String name = f.getPath().getName();
        if (name.startsWith(".") || name.startsWith("_")) {
          continue;
        }
        if ((!suffix.isEmpty() && name.endsWith(suffix))
            || (!prefix.isEmpty() && name.startsWith(prefix))) {
          inUse++;
          continue;
        }
        if (LandingLayout.hourOf(f.getPath()) < 0) {
          outside++;
          errors.add("not in the landing layout (YYYY/MM/DD/HH/file), left alone: " + f.getPath());
          continue;
        }
        Manifests.Consumed c = consumed.get(RootPaths.relative(root, f.getPath()));
        if (c != null) {
          if (c.length() != f.getLen()) {
            errors.add(
                String.format(
                    Locale.ROOT,
                    "%s changed after run %s ingested it (%d bytes then, %d now); not read again:"
                        + " find out why Flume rewrote it, then re-ingest its days with --reprocess",
                    f.getPath(),
                    c.runId(),
                    c.length(),
                    f.getLen()));
          }
          already++;
          continue;
        }
        if (started - f.getModificationTime() < minAgeMs) {
          young++;
          continue;
        }
        selected.add(f);
      }
      selected.sort((a, b) -> a.getPath().compareTo(b.getPath()));
      Map<String, Object> skipped = new LinkedHashMap<>();
      skipped.put("inUse", inUse);
      skipped.put("tooYoung", young);
      skipped.put("alreadyIngested", already);
      skipped.put("outsideLayout", outside);
      summary.put("skipped", skipped);
      return selected;
    }

    /** Plain listStatus: listFiles() asks for block locations and permissions of every file. */
    private List<FileStatus> listRecursively(Path dir) throws IOException {
      List<FileStatus> out = new ArrayList<>();
      for (FileStatus s : fs.listStatus(dir)) {
        if (s.isDirectory()) {
          out.addAll(listRecursively(s.getPath()));
        } else {
          out.add(s);
        }
      }
      return out;
    }

    /** For --reprocess: every consumed landing file whose records fed the day. */
    private List<FileStatus> selectForDay(Map<String, Manifests.Consumed> consumed, String dt)
        throws IOException {
      List<FileStatus> selected = new ArrayList<>();
      StringBuilder sourceRuns = new StringBuilder();
      for (Map.Entry<String, Manifests.Consumed> e : consumed.entrySet()) {
        if (!e.getValue().days().containsKey(dt)) {
          continue;
        }
        Path p = RootPaths.resolve(root, e.getKey());
        if (!fs.exists(p)) {
          errors.add(
              "landing file " + p + " fed " + dt + " but is gone: the rebuilt day lacks its rows");
          continue;
        }
        FileStatus f = fs.getFileStatus(p);
        if (f.getLen() != e.getValue().length()) {
          throw new FraudBatchException(
              "Cannot reprocess "
                  + dt
                  + ": "
                  + p
                  + " changed since it was ingested ("
                  + e.getValue().length()
                  + " bytes then, "
                  + f.getLen()
                  + " now)");
        }
        selected.add(f);
        sourceRuns.append(e.getValue().runId()).append('\t').append(f.getPath()).append('\n');
      }
      conf.set(IngestConf.SOURCE_RUNS, sourceRuns.toString());
      selected.sort((a, b) -> a.getPath().compareTo(b.getPath()));
      summary.put("skipped", Map.of());
      return selected;
    }

    /**
     * Sorts the published days to check for duplicates: those with {@link
     * IngestConf#COMPACT_SMALL_FILES} small files or more are read whole and rewritten (compacted)
     * if they get new rows; the others give only their eventIds, and new rows are appended beside
     * their files (an hourly run then reads back the day's ids, not its rows, and writes only its
     * own rows).
     */
    private void splitHistory(List<Path> days, List<Path> whole, List<Path> ids)
        throws IOException {
      int compactAt =
          conf.getInt(IngestConf.COMPACT_SMALL_FILES, IngestConf.COMPACT_SMALL_FILES_DEFAULT);
      long small =
          conf.getLong(IngestConf.TARGET_FILE_SIZE_BYTES, IngestConf.TARGET_FILE_SIZE_BYTES_DEFAULT)
              / 2;
      for (Path d : days) {
        int smallFiles = 0;
        for (FileStatus f : fs.listStatus(d)) {
          if (f.isFile() && !f.getPath().getName().startsWith(".") && f.getLen() < small) {
            smallFiles++;
          }
        }
        (compactAt <= 0 || smallFiles >= compactAt ? whole : ids).add(d);
      }
    }

    /** Rows in a published day's files, from their Parquet footers. */
    private long publishedRows(Path dir) throws IOException {
      long rows = 0;
      for (FileStatus f : fs.listStatus(dir)) {
        if (f.isFile() && !f.getPath().getName().startsWith(".")) {
          try (org.apache.parquet.hadoop.ParquetFileReader r =
              org.apache.parquet.hadoop.ParquetFileReader.open(
                  org.apache.parquet.hadoop.util.HadoopInputFile.fromStatus(f, conf))) {
            rows += r.getRecordCount();
          }
        }
      }
      return rows;
    }

    /** Published days that rows of these files can belong to: their hours, less the late window. */
    private List<Path> historyDays(List<FileStatus> inputs) throws IOException {
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      for (FileStatus f : inputs) {
        long h = LandingLayout.hourOf(f.getPath());
        min = Math.min(min, h);
        max = Math.max(max, h);
      }
      int late = conf.getInt(IngestConf.LATE_DAYS, IngestConf.LATE_DAYS_DEFAULT);
      LocalDate from =
          Instant.ofEpochMilli(min).atZone(ZoneOffset.UTC).toLocalDate().minusDays(late);
      LocalDate to = Instant.ofEpochMilli(max + 3_600_000L).atZone(ZoneOffset.UTC).toLocalDate();
      List<Path> out = new ArrayList<>();
      for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
        java.util.Optional<PartitionLister.Partition> p = published.get(d.toString());
        if (p.isPresent() && hasData(p.get().location())) {
          out.add(p.get().location());
        }
      }
      return out;
    }

    private boolean hasData(Path dir) throws IOException {
      for (FileStatus f : fs.listStatus(dir)) {
        if (f.isFile() && !f.getPath().getName().startsWith(".")) {
          return true;
        }
      }
      return false;
    }

    /** Rows and new rows per day, from the reducers' side files (then deleted). */
    private void readDayCounts(Path outDir, Map<String, Long> rows, Map<String, Long> fresh)
        throws IOException {
      readSideFiles(
          new Path(outDir, DayWriter.DAY_COUNTS),
          f -> {
            rows.merge(f[0], Long.parseLong(f[1]), Long::sum);
            if (Long.parseLong(f[2]) > 0) {
              fresh.merge(f[0], Long.parseLong(f[2]), Long::sum);
            }
          });
    }

    /** Which days each landing file fed, from the mappers' side files (then deleted). */
    private Map<String, Map<String, Long>> readFileDays(Path outDir) throws IOException {
      Map<String, Map<String, Long>> m = new TreeMap<>();
      readSideFiles(
          new Path(outDir, IngestMapper.FILE_DAYS),
          f ->
              m.computeIfAbsent(f[0], k -> new TreeMap<>())
                  .merge(f[1], Long.parseLong(f[2]), Long::sum));
      return m;
    }

    /** Feeds every tab-separated line of the task side files in {@code dir}, then deletes it. */
    private void readSideFiles(Path dir, java.util.function.Consumer<String[]> line)
        throws IOException {
      if (!fs.exists(dir)) {
        return;
      }
      for (FileStatus s : fs.listStatus(dir)) {
        try (BufferedReader r =
            new BufferedReader(
                new InputStreamReader(fs.open(s.getPath()), StandardCharsets.UTF_8))) {
          String l;
          while ((l = r.readLine()) != null) {
            line.accept(l.split("\t"));
          }
        }
      }
      fs.delete(dir, true);
    }
  }

  /** The engine named by {@link IngestConf#ENGINE}: auto, local or mapreduce. */
  static String engine(Configuration conf) {
    String e =
        conf.get(IngestConf.ENGINE, IngestConf.ENGINE_DEFAULT).trim().toLowerCase(Locale.ROOT);
    FraudBatchException.check(
        e.equals("auto") || e.equals("local") || e.equals("mapreduce"),
        "Cannot ingest: %s must be auto, local or mapreduce (got %s)",
        IngestConf.ENGINE,
        e);
    return e;
  }

  private static void addInput(
      StringBuilder formats, StringBuilder mappers, Path p, Class<?> format, Class<?> mapper) {
    String path = org.apache.hadoop.util.StringUtils.escapeString(p.toString());
    if (formats.length() > 0) {
      formats.append(',');
      mappers.append(',');
    }
    formats.append(path).append(';').append(format.getName());
    mappers.append(path).append(';').append(mapper.getName());
  }

  private static Map<String, Long> group(Counters counters, String name) {
    Map<String, Long> m = new TreeMap<>();
    CounterGroup g = counters.getGroup(name);
    for (Counter c : g) {
      m.put(c.getName(), c.getValue());
    }
    return m;
  }
}
