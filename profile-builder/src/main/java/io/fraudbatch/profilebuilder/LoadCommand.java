package io.fraudbatch.profilebuilder;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fraudbatch.core.FraudBatchException;
import io.fraudbatch.core.StorageLayout;
import io.fraudbatch.core.cli.JobOptions;
import io.fraudbatch.core.hbase.HBaseSchema;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hbase.HBaseConfiguration;
import org.apache.hadoop.hbase.KeyValue;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.RegionLocator;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.io.ImmutableBytesWritable;
import org.apache.hadoop.hbase.io.compress.Compression;
import org.apache.hadoop.hbase.mapreduce.HFileOutputFormat2;
import org.apache.hadoop.hbase.tool.BulkLoadHFiles;
import org.apache.hadoop.hbase.util.Bytes;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.TaskCounter;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.parquet.avro.AvroParquetInputFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * Loads a profile snapshot and a risk-context snapshot into HBase: HFiles laid out on the table's
 * regions are generated in this process ({@link LocalHFiles}, the default) or by MapReduce ({@code
 * HFileOutputFormat2.configureIncrementalLoad}), then {@code BulkLoadHFiles} moves them in
 * (splitting any file that spans a region split since generation).
 */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Bulk-loads <root>/warehouse/profiles/as_of=DAY into the profiles table and",
      "<root>/warehouse/risk_context/as_of=DAY into the risk-context table (created when absent,",
      "pre-split on the row-key prefix): HFiles (generated in this process, or by MapReduce with",
      "--generate mapreduce), then BulkLoadHFiles. Every cell",
      "carries the snapshot's watermark as its timestamp: re-loading changes nothing and an older",
      "snapshot never shadows a newer one. Records the live run in the profiles table's meta row."
    },
    footer = {
      "",
      "Examples:",
      "  bin/fraud-batch load --root ./fraud-data --zookeeper 127.0.0.1:2181",
      "  hadoop jar profile-builder/target/fraud-batch-profile-builder.jar load --root hdfs:///fraud --as-of 2026-10-28",
      "  bin/fraud-batch load --root hdfs:///fraud --generate mapreduce   # HFiles by a MapReduce job",
      "",
      "Exit codes: 0 loaded, 2 bad arguments, no snapshot or an incompatible table, 3 counts do not",
      "reconcile (nothing loaded), 1 the load failed."
    })
final class LoadCommand implements Callable<Integer> {
  // Manifests are one line of JSON: hive-ddl's run_manifests table reads one run per line.
  static final ObjectMapper JSON = new ObjectMapper();
  static final String JOB = "load";

  @ParentCommand ProfileBuilder parent;

  @Mixin JobOptions.Root rootOption = new JobOptions.Root();

  @Option(
      names = {"--as-of", "--date"},
      paramLabel = "DATE",
      description = "The profile snapshot to load (default: the latest).")
  String asOf;

  @Option(
      names = "--regions",
      description = "Regions of a new profiles table (default: ${DEFAULT-VALUE}).",
      defaultValue = "16")
  int regions;

  /**
   * New tables' compression. SNAPPY rather than GZ: HBase's guidance for data read often (the
   * online tier's point gets decompress a block each), and GZ's compression alone was a third of
   * the HFile generation's CPU for 1M profiles, for files 1.4x smaller.
   */
  static final String COMPRESSION = "SNAPPY";

  @Option(
      names = "--compression",
      description =
          "Compression of new tables' families (default: ${DEFAULT-VALUE}; GZ for smaller, slower"
              + " files; an existing table keeps its own).",
      defaultValue = COMPRESSION)
  String compression;

  @Option(
      names = "--generate",
      paramLabel = "WHERE",
      description =
          "Where HFiles are generated: local (default: in this process, on every core, rows"
              + " buffered up to a quarter of the heap) or mapreduce (a job with one reducer per"
              + " region, for snapshots too large for one machine).",
      defaultValue = "local")
  String generateIn = "local";

  @Mixin JobOptions.SummaryJson summaryJsonOption = new JobOptions.SummaryJson();

  Map<String, Object> lastRun;

  @Override
  public Integer call() throws Exception {
    long started = System.currentTimeMillis();
    Configuration conf = parent.hbaseConf();
    Compression.Algorithm algo = Tables.compression(compression);
    FraudBatchException.check(
        generateIn.equals("local") || generateIn.equals("mapreduce"),
        "Cannot load: --generate takes local or mapreduce (got %s)",
        generateIn);
    Path rootPath = new Path(rootOption.get());
    // The HFiles and the commit's files are written with a client of their own (HdfsClient).
    try (FileSystem fs = io.fraudbatch.warehouse.HdfsClient.open(rootPath.toUri(), conf)) {
      return call(conf, fs, fs.makeQualified(rootPath), algo, started);
    }
  }

  private int call(
      Configuration conf, FileSystem fs, Path rootPath, Compression.Algorithm algo, long started)
      throws Exception {
    PrintStream out = parent.out;
    Path profilesDir = new Path(rootPath, StorageLayout.PROFILES);
    LocalDate day = asOf != null ? parseDay(asOf) : latest(fs, rootPath);
    Path snapshot =
        io.fraudbatch.warehouse.PartitionLister.location(
                fs, rootPath, io.fraudbatch.warehouse.Table.PROFILES, day.toString())
            .orElse(new Path(profilesDir, StorageLayout.AS_OF + day));
    Path runRecord = new Path(snapshot, "_run.json");
    FraudBatchException.check(
        fs.exists(runRecord),
        "Cannot load: no published profile snapshot %s (run 'profiles --as-of %s' first)",
        snapshot,
        day);
    io.fraudbatch.warehouse.RunRecords.ProfilesRun snap =
        io.fraudbatch.warehouse.RunRecords.read(
            fs, runRecord, io.fraudbatch.warehouse.RunRecords.ProfilesRun.class);
    java.util.Optional<Path> context =
        io.fraudbatch.warehouse.PartitionLister.location(
            fs, rootPath, io.fraudbatch.warehouse.Table.RISK_CONTEXT, day.toString());
    boolean withContext = context.isPresent();
    Path contextDir = context.orElse(null);
    io.fraudbatch.warehouse.JobRun jobRun =
        io.fraudbatch.warehouse.JobRun.begin(
            conf, fs, rootPath, JOB, line -> out.println("load: " + line));
    try (jobRun) {
      return load(conf, fs, jobRun, day, snapshot, snap, contextDir, withContext, algo, started);
    }
  }

  private int load(
      Configuration conf,
      FileSystem fs,
      io.fraudbatch.warehouse.JobRun jobRun,
      LocalDate day,
      Path snapshot,
      io.fraudbatch.warehouse.RunRecords.ProfilesRun snap,
      Path contextDir,
      boolean withContext,
      Compression.Algorithm algo,
      long started)
      throws Exception {
    PrintStream out = parent.out;
    long watermark = Instant.parse(snap.completeUpTo()).toEpochMilli();
    long expectedRows = snap.actorsWritten();
    String runId = jobRun.runId();
    Path staging = jobRun.staging();
    if (conf.get("hbase.fs.tmp.dir") == null
        || conf.get("hbase.fs.tmp.dir").contains("${user.name}")) {
      // HFileOutputFormat2 writes its partitions file there; it must exist.
      conf.set("hbase.fs.tmp.dir", new Path(staging, "hbase-staging").toString());
    }
    out.printf(
        Locale.ROOT,
        "load %s: profiles as of %s (%,d actors, watermark %s)%s into namespace %s%n",
        runId,
        day,
        expectedRows,
        Instant.ofEpochMilli(watermark),
        withContext ? " and the risk context" : "",
        parent.namespace);
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("runId", runId);
    run.put("job", JOB);
    run.put("asOf", day.toString());
    run.put("watermark", Instant.ofEpochMilli(watermark).toString());
    run.put("profileRun", snap.runId());
    try (Connection c = parent.connect();
        Admin admin = c.getAdmin()) {
      boolean created = Tables.ensureProfiles(admin, parent.namespace, regions, algo);
      if (created) {
        out.printf(
            Locale.ROOT,
            "load: created %s (%d regions, %s)%n",
            Tables.profiles(parent.namespace),
            regions,
            algo);
      }
      Map<String, Object> profiles =
          generate(
              conf,
              c,
              fs,
              Tables.profiles(parent.namespace),
              snapshot,
              new Path(staging, "profiles"),
              RowCells.PROFILES,
              watermark,
              out);
      long rows = (Long) profiles.get("rows");
      if (rows != expectedRows) {
        parent.err.printf(
            Locale.ROOT,
            "load: NOT RECONCILED: the snapshot's run record says %,d actors, %,d rows were"
                + " generated; nothing loaded, HFiles left in %s%n",
            expectedRows,
            rows,
            staging);
        return 3;
      }
      bulkLoad(conf, c, Tables.profiles(parent.namespace), profiles, out);
      run.put("profiles", profiles);
      if (withContext) {
        Tables.ensureRiskContext(admin, parent.namespace, algo);
        long contextTs = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        Map<String, Object> context =
            generate(
                conf,
                c,
                fs,
                Tables.riskContext(parent.namespace),
                contextDir,
                new Path(staging, "risk_context"),
                RowCells.CONTEXTS,
                contextTs,
                out);
        bulkLoad(conf, c, Tables.riskContext(parent.namespace), context, out);
        run.put("riskContext", context);
      }
      // Only a reconciled load gets here (else exit 3 above, or the generation refused it).
      run.put(
          "reconciliation",
          Map.of(
              "rule",
              "rows = records read = the snapshot's actors, for each table",
              "balanced",
              true));
      run.put("startedAt", Instant.ofEpochMilli(started).toString());
      run.put("durationMs", System.currentTimeMillis() - started);
      String text = JSON.writeValueAsString(run);
      // The live batch view, for the online tier and operators.
      try (Table t = c.getTable(Tables.profiles(parent.namespace))) {
        Put meta = new Put(HBaseSchema.META_ROW, watermark);
        meta.addColumn(HBaseSchema.BATCH, HBaseSchema.RUN_ID, watermark, Bytes.toBytes(runId));
        meta.addColumn(
            HBaseSchema.BATCH, HBaseSchema.RUN_AS_OF, watermark, Bytes.toBytes(day.toString()));
        meta.addColumn(
            HBaseSchema.BATCH, HBaseSchema.WATERMARK, watermark, Bytes.toBytes(watermark));
        meta.addColumn(HBaseSchema.BATCH, HBaseSchema.RUN_RECORD, watermark, Bytes.toBytes(text));
        t.put(meta);
      }
      jobRun.commit(text, io.fraudbatch.warehouse.RunRecords.LoadRun.class);
      if (summaryJsonOption.get() != null) {
        java.nio.file.Files.writeString(java.nio.file.Path.of(summaryJsonOption.get()), text);
      }
      lastRun = run;
      out.printf(
          Locale.ROOT,
          "load %s: %,d profiles (%d HFiles, %.1f MB)%s loaded in %.1f s; reconciled%n",
          runId,
          rows,
          profiles.get("hfiles"),
          (Long) profiles.get("bytes") / 1e6,
          withContext
              ? String.format(
                  Locale.ROOT,
                  " and %,d risk-context keys",
                  (Long) ((Map<?, ?>) run.get("riskContext")).get("rows"))
              : "",
          (System.currentTimeMillis() - started) / 1000.0);
      return 0;
    }
  }

  /** Generates the HFiles of one snapshot directory for one table; returns its counts. */
  Map<String, Object> generate(
      Configuration conf,
      Connection c,
      FileSystem fs,
      TableName tableName,
      Path input,
      Path hfiles,
      RowCells layout,
      long timestamp,
      PrintStream out)
      throws Exception {
    long t0 = System.currentTimeMillis();
    long read;
    long rows;
    if (generateIn.equals("local")) {
      LocalHFiles.Result r;
      try (Table table = c.getTable(tableName);
          RegionLocator locator = c.getRegionLocator(tableName)) {
        r =
            LocalHFiles.generate(
                conf,
                fs,
                table.getDescriptor().getColumnFamily(HBaseSchema.BATCH),
                locator.getStartKeys(),
                layout,
                timestamp,
                input,
                hfiles,
                line -> out.println("load: " + tableName + ": " + line));
      }
      read = r.recordsRead();
      rows = r.rows();
    } else {
      long[] counts = generateOnMapReduce(conf, c, tableName, input, hfiles, layout, timestamp);
      read = counts[0];
      rows = counts[1];
    }
    if (read != rows) {
      // Every record of a snapshot is one row: a difference means records were lost or doubled.
      throw new IOException(
          String.format(
              Locale.ROOT,
              "NOT RECONCILED: %,d records read from %s but %,d rows generated; nothing loaded"
                  + " into %s, HFiles left in %s",
              read,
              input,
              rows,
              tableName,
              hfiles));
    }
    int files = 0;
    long bytes = 0;
    for (FileStatus family : fs.listStatus(hfiles)) {
      if (family.isDirectory() && !family.getPath().getName().startsWith("_")) {
        for (FileStatus f : fs.listStatus(family.getPath())) {
          files++;
          bytes += f.getLen();
        }
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("table", tableName.getNameAsString());
    m.put("input", input.toString());
    m.put("generatedIn", generateIn);
    m.put("recordsRead", read);
    m.put("rows", rows);
    m.put("hfiles", files);
    m.put("bytes", bytes);
    m.put("generateMs", System.currentTimeMillis() - t0);
    m.put("hfileDir", hfiles.toString());
    out.printf(
        Locale.ROOT,
        "load: %s: %,d rows in %d HFile(s), %.1f MB, generated (%s) in %.1f s%n",
        tableName,
        rows,
        files,
        bytes / 1e6,
        generateIn,
        (System.currentTimeMillis() - t0) / 1000.0);
    return m;
  }

  /** The MapReduce HFile generation; returns {records read, rows generated}. */
  private static long[] generateOnMapReduce(
      Configuration conf,
      Connection c,
      TableName tableName,
      Path input,
      Path hfiles,
      RowCells layout,
      long timestamp)
      throws Exception {
    Configuration jc = new Configuration(conf);
    jc.setLong(CellMappers.TIMESTAMP, timestamp);
    jc.set(CellMappers.LAYOUT, layout.name());
    // Page CRCs checked, as the local generator checks them: a damaged snapshot fails the job.
    jc.setBoolean(org.apache.parquet.hadoop.ParquetInputFormat.PAGE_VERIFY_CHECKSUM_ENABLED, true);
    // The local runner runs one map and one reduce task at a time unless told otherwise.
    io.fraudbatch.warehouse.LocalRunner.configure(jc);
    Job job = Job.getInstance(jc, "fraud-batch load " + tableName);
    job.setJarByClass(LoadCommand.class);
    job.setInputFormatClass(AvroParquetInputFormat.class);
    FileInputFormat.addInputPath(job, input);
    job.setMapperClass(CellMappers.Cells.class);
    job.setMapOutputKeyClass(ImmutableBytesWritable.class);
    job.setMapOutputValueClass(KeyValue.class);
    try (Table table = c.getTable(tableName);
        RegionLocator locator = c.getRegionLocator(tableName)) {
      // One reducer per region, a total order on row keys, CellSortReducer sorting each row's
      // cells.
      HFileOutputFormat2.configureIncrementalLoad(job, table, locator);
    }
    FileOutputFormat.setOutputPath(job, hfiles);
    if (!job.waitForCompletion(false)) {
      throw new IOException(
          "the HFile generation job for "
              + tableName
              + " failed: "
              + job.getStatus().getFailureInfo());
    }
    return new long[] {
      job.getCounters().findCounter(TaskCounter.MAP_INPUT_RECORDS).getValue(),
      job.getCounters().findCounter(CellMappers.COUNTERS, "ROWS").getValue()
    };
  }

  static void bulkLoad(
      Configuration conf, Connection c, TableName table, Map<String, Object> m, PrintStream out)
      throws IOException {
    long t0 = System.currentTimeMillis();
    Path dir = new Path((String) m.remove("hfileDir"));
    if ((Integer) m.get("hfiles") > 0) {
      // A table in the middle of a region split or move is "not available" for a moment.
      try (Admin admin = c.getAdmin()) {
        long deadline = System.currentTimeMillis() + 120_000;
        while (!admin.isTableAvailable(table)) {
          if (System.currentTimeMillis() > deadline) {
            throw new IOException(table + " has not been available for 120 s; nothing loaded");
          }
          try {
            Thread.sleep(500);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + table, e);
          }
        }
      }
      BulkLoadHFiles.create(bulkLoadConf(conf, (Integer) m.get("hfiles"))).bulkLoad(table, dir);
    }
    m.put("bulkLoadMs", System.currentTimeMillis() - t0);
    out.printf(
        Locale.ROOT,
        "load: %s: bulk-loaded in %.1f s%n",
        table,
        (System.currentTimeMillis() - t0) / 1000.0);
  }

  /** BulkLoadHFiles' thread count (its default: this machine's cores). */
  static final String BULK_LOAD_THREADS = "hbase.loadincremental.threads.max";

  /**
   * The bulk load's configuration: unless set, a thread per HFile, up to 16, where BulkLoadHFiles
   * takes the client's cores. Its work per file is waiting (reading the file's first and last keys,
   * the region server's RPC that moves the file in), not the client's CPU: on 2 cores, 8 HFiles
   * went in in 0.3 s instead of 0.4-0.5.
   */
  static Configuration bulkLoadConf(Configuration conf, int hfiles) {
    if (conf.get(BULK_LOAD_THREADS) != null) {
      return conf;
    }
    Configuration c = new Configuration(conf);
    c.setInt(
        BULK_LOAD_THREADS,
        Math.max(Runtime.getRuntime().availableProcessors(), Math.min(hfiles, 16)));
    return c;
  }

  static LocalDate parseDay(String v) {
    try {
      return LocalDate.parse(v);
    } catch (java.time.format.DateTimeParseException e) {
      throw new FraudBatchException(
          "Cannot load: --as-of takes a date like 2026-10-28 (got " + v + ")");
    }
  }

  static LocalDate latest(FileSystem fs, Path root) throws IOException {
    TreeSet<LocalDate> days = new TreeSet<>();
    for (io.fraudbatch.warehouse.PartitionLister.Partition p :
        io.fraudbatch.warehouse.PartitionLister.list(
                fs, root, io.fraudbatch.warehouse.Table.PROFILES)
            .partitions()
            .values()) {
      if (fs.exists(new Path(p.location(), "_run.json"))) {
        days.add(LocalDate.parse(p.value()));
      }
    }
    FraudBatchException.check(
        !days.isEmpty(),
        "Cannot load: no profile snapshot under %s (run 'profiles')",
        new Path(root, StorageLayout.PROFILES));
    return days.last();
  }

  /**
   * HBase's configuration over {@code base}. HBaseConfiguration.create sets the configuration's
   * class loader to HBase's own: under {@code hadoop jar} with HBase on HADOOP_CLASSPATH that is
   * the system loader, which cannot see the job jar, and the job's input format (our relocated
   * Parquet) was "not found" at submission. Ours sees both.
   */
  static Configuration hbase(Configuration base) {
    Configuration c = HBaseConfiguration.create(base);
    c.setClassLoader(LoadCommand.class.getClassLoader());
    return c;
  }
}
