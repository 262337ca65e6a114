package io.fraudbatch.ingest;

import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.TaskInputOutputContext;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.OutputFile;

/**
 * Parquet files written beside a task's regular output, in its work directory, so the output
 * committer promotes them only when the task (and the job) succeeds. One rolling writer per dataset
 * and partition; a new file starts near the target size.
 */
final class SideOutputs implements AutoCloseable {
  private final TaskInputOutputContext<?, ?, ?, ?> context;
  private final Path work;
  private final Configuration conf;
  private final long targetBytes;
  private final CompressionCodecName codec;
  private final String taskTag;
  private final Map<String, Open> open = new HashMap<>();

  /**
   * The override field of the binary records being written (see {@link AvroBinaryWriteSupport}).
   */
  private String overrideField;

  /**
   * Set by the local engine: the bytes this task's open writers may buffer together (0: no cap).
   */
  static final String BUFFER_BYTES = "fraud.ingest.internal.side-buffer-bytes";

  private final long bufferBytes;
  private long appends;

  private static final class Open {
    ParquetWriter<Object> writer;
    int fileNo;
    long records;
    long lastAppend;
  }

  /**
   * Set by the local engine in its threads: the one instance every task of the thread writes
   * through (so a thread writes one file per day, whichever tasks it runs), closed by the engine.
   */
  static final ThreadLocal<SideOutputs[]> SHARED = new ThreadLocal<>();

  /** The thread's shared instance under the local engine, else one of the task's own. */
  static SideOutputs open(TaskInputOutputContext<?, ?, ?, ?> context)
      throws IOException, InterruptedException {
    SideOutputs[] shared = SHARED.get();
    if (shared == null) {
      return new SideOutputs(context);
    }
    if (shared[0] == null) {
      shared[0] = new SideOutputs(context);
      shared[0].sharedBy = shared;
    }
    return shared[0];
  }

  /** Rows written through this instance so far. */
  long appends() {
    return appends;
  }

  /** The engine's holder when shared: {@link #close} is then the engine's, not the task's. */
  private SideOutputs[] sharedBy;

  SideOutputs(TaskInputOutputContext<?, ?, ?, ?> context) throws IOException, InterruptedException {
    this.context = context;
    String override = context.getConfiguration().get(IngestConf.SIDE_OUTPUT_DIR);
    this.work = override != null ? new Path(override) : FileOutputFormat.getWorkOutputPath(context);
    this.conf = context.getConfiguration();
    this.targetBytes =
        conf.getLong(IngestConf.TARGET_FILE_SIZE_BYTES, IngestConf.TARGET_FILE_SIZE_BYTES_DEFAULT);
    this.codec =
        CompressionCodecName.fromConf(
            conf.get(IngestConf.COMPRESSION, IngestConf.COMPRESSION_DEFAULT)
                .toUpperCase(Locale.ROOT));
    this.bufferBytes = conf.getLong(BUFFER_BYTES, 0);
    String runId = conf.get(IngestConf.RUN_ID, "run");
    org.apache.hadoop.mapreduce.TaskID task = context.getTaskAttemptID().getTaskID();
    this.taskTag =
        String.format(
            Locale.ROOT,
            "%s-%s-%05d",
            runId,
            task.getTaskType() == org.apache.hadoop.mapreduce.TaskType.MAP ? "m" : "r",
            task.getId());
  }

  /** Appends a record to {@code <work>/<dataset>/dt=<dt>/}. */
  void write(String dataset, String dt, Schema schema, IndexedRecord record) throws IOException {
    append(dataset, dt, schema, record, false);
  }

  /**
   * Appends a record given as Avro binary ({@link AvroBinaryWriteSupport}, whose override field is
   * {@code overrideField}); the file is the same as {@link #write} would give for the decoded
   * record.
   */
  void write(
      String dataset,
      String dt,
      Schema schema,
      String overrideField,
      AvroBinaryWriteSupport.Value value)
      throws IOException {
    this.overrideField = overrideField;
    append(dataset, dt, schema, value, true);
  }

  private void append(String dataset, String dt, Schema schema, Object record, boolean binary)
      throws IOException {
    String key = dataset + "/dt=" + dt;
    Open o = open.computeIfAbsent(key, k -> new Open());
    if (o.writer != null && o.records % 1000 == 0 && o.writer.getDataSize() >= targetBytes) {
      o.writer.close();
      o.writer = null;
      o.fileNo++;
    }
    if (o.writer == null) {
      Path dir = new Path(work, key);
      Path file =
          new Path(dir, String.format(Locale.ROOT, "part-%s-%03d.parquet", taskTag, o.fileNo));
      OutputFile out = HadoopOutputFile.fromPath(file, conf);
      ParquetWriter<?> w =
          binary
              ? build(new BinaryBuilder(out, new AvroBinaryWriteSupport(schema, overrideField)))
              : build(
                  AvroParquetWriter.<IndexedRecord>builder(out)
                      .withSchema(schema)
                      .withDataModel(CandidateCodec.MODEL));
      @SuppressWarnings("unchecked")
      ParquetWriter<Object> any = (ParquetWriter<Object>) w;
      o.writer = any;
    }
    o.writer.write(record);
    o.records++;
    o.lastAppend = ++appends;
    if (bufferBytes > 0 && appends % 1000 == 0) {
      capBuffers();
    }
  }

  /**
   * Closes the least recently written files while the open ones buffer more than {@link
   * #BUFFER_BYTES} together. A Parquet writer keeps its row group in memory until it reaches the
   * block size (128 MB) or closes; a mapper reading hours in order writes one day after another, so
   * this closes the days it has finished; on input mixing many days it bounds the memory at the
   * price of smaller files.
   */
  private void capBuffers() throws IOException {
    long total = 0;
    for (Open o : open.values()) {
      if (o.writer != null) {
        total += o.writer.getDataSize();
      }
    }
    while (total > bufferBytes) {
      Open lru = null;
      for (Open o : open.values()) {
        if (o.writer != null && (lru == null || o.lastAppend < lru.lastAppend)) {
          lru = o;
        }
      }
      if (lru == null) {
        return;
      }
      total -= lru.writer.getDataSize();
      lru.writer.close();
      lru.writer = null;
      lru.fileNo++;
    }
  }

  /** Records given as Avro binary. */
  static final class BinaryBuilder
      extends ParquetWriter.Builder<AvroBinaryWriteSupport.Value, BinaryBuilder> {
    private final AvroBinaryWriteSupport support;

    BinaryBuilder(OutputFile file, AvroBinaryWriteSupport support) {
      super(file);
      this.support = support;
    }

    @Override
    protected BinaryBuilder self() {
      return this;
    }

    @Override
    protected WriteSupport<AvroBinaryWriteSupport.Value> getWriteSupport(Configuration c) {
      return support;
    }
  }

  /** The one set of writer settings of every side output, whichever the records' form. */
  private <T, B extends ParquetWriter.Builder<T, B>> ParquetWriter<T> build(B b)
      throws IOException {
    return configure(b, codec, conf).build();
  }

  static <T, B extends ParquetWriter.Builder<T, B>> B configure(
      B b, CompressionCodecName codec, Configuration conf) {
    return b.withCompressionCodec(codec)
        // Dictionaries only for the low-cardinality columns: on ids (unique or nearly) they
        // cost hashing on every value before Parquet gives up on them, which was the
        // reducers' largest cost in a profile; zstd compresses those columns anyway.
        .withDictionaryEncoding(false)
        .withDictionaryEncoding("channel", true)
        .withDictionaryEncoding("currency", true)
        .withDictionaryEncoding("mcc", true)
        .withDictionaryEncoding("country", true)
        .withDictionaryEncoding("region", true)
        .withDictionaryEncoding("city", true)
        .withDictionaryEncoding("decision", true)
        .withDictionaryEncoding("rulesVersion", true)
        .withDictionaryEncoding("reason", true)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .withConf(conf)
        // Standard three-level lists (after withConf, which replaces the configuration): Hive
        // reads an empty two-level list as NULL (hive-ddl/README.md).
        .config(AvroWriteSupport.WRITE_OLD_LIST_STRUCTURE, "false");
  }

  @Override
  public void close() throws IOException {
    if (sharedBy == null) {
      closeAll();
    }
  }

  /** Closes every open file (the local engine's call for a shared instance). */
  void closeAll() throws IOException {
    IOException first = null;
    for (Open o : open.values()) {
      if (o.writer != null) {
        try {
          o.writer.close();
        } catch (IOException e) {
          first = first == null ? e : first;
        }
      }
    }
    open.clear();
    if (first != null) {
      throw first;
    }
  }
}
