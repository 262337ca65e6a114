package io.fraudbatch.jobs.profiles;

import io.fraudbatch.avro.ActorProfile;
import io.fraudbatch.avro.DecisionEvent;
import io.fraudbatch.core.avro.AvroModel;
import io.fraudbatch.core.money.ReferenceRates;
import io.fraudbatch.core.profile.ProfileAccumulator;
import io.fraudbatch.core.profile.ProfileInput;
import java.io.IOException;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.Mapper;
import org.apache.hadoop.mapreduce.Partitioner;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.RecordWriter;
import org.apache.hadoop.mapreduce.Reducer;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.input.CombineFileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.CombineFileRecordReader;
import org.apache.hadoop.mapreduce.lib.input.CombineFileRecordReaderWrapper;
import org.apache.hadoop.mapreduce.lib.input.CombineFileSplit;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.parquet.avro.AvroDataSupplier;
import org.apache.parquet.avro.AvroParquetInputFormat;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.hadoop.ParquetWriter;

/**
 * The MapReduce engine: mappers fold the rows the plan selects into per-actor partial profiles
 * (in-mapper combining, bounded) and pass previous-snapshot profiles through; reducers, one per
 * snapshot bucket, merge each actor's partials with core's accumulator and write the bucket's file.
 */
public final class MapReduceProfiles {
  static final String COUNTERS = "fraud.profiles";
  static final String AS_OF = "fraud.profiles.internal.as-of";
  static final String FILTER = "fraud.profiles.internal.filter";
  static final String BUCKETS = "fraud.profiles.internal.buckets";

  /**
   * Actors held per mapper before its partials are flushed to the shuffle; by default sized from
   * the task's heap ({@link #mapActors}).
   */
  static final String MAP_ACTORS = "fraud.profiles.map-actors";

  /**
   * An estimate (not measured) bounding one actor's partial profile in memory: at most 90 daily
   * entries, 20 places and 20 IPs with their strings, the histogram and the per-key counts, with
   * HashMap overhead; generous, so the limit stays inside its budget. At 20M events under a 1.5 GB
   * heap the job peaked at 1.74 GB RSS with it.
   */
  static final long ACTOR_BYTES = 16 * 1024;

  /**
   * The in-mapper combiner's actor limit: a quarter of the task's heap (on the local runner the
   * JVM's heap divided among the map slots, {@code LocalRunner.taskHeap}) at {@link #ACTOR_BYTES}
   * an actor (the rest is the sort buffer, the Parquet reader and headroom), between 1,000 and
   * 200,000, unless {@code fraud.profiles.map-actors} says otherwise.
   */
  static int mapActors(org.apache.hadoop.conf.Configuration conf, long maxHeapBytes) {
    int given = conf.getInt(MAP_ACTORS, -1);
    if (given > 0) {
      return given;
    }
    return (int) Math.max(1_000, Math.min(200_000, maxHeapBytes / 4 / ACTOR_BYTES));
  }

  /** Input bytes (Parquet) per map task. */
  static final String SPLIT_BYTES = "fraud.profiles.split-bytes";

  static final long SPLIT_BYTES_DEFAULT = 64L * 1024 * 1024;

  private MapReduceProfiles() {}

  /** Runs the plan, writing the snapshot's part files into {@code out}; returns the job. */
  static Job run(Configuration base, ProfilePlan plan, int buckets, Path out)
      throws IOException, InterruptedException, ClassNotFoundException {
    Configuration conf = new Configuration(base);
    conf.set(AS_OF, plan.asOf().toString());
    RowFilter f = plan.filter();
    conf.set(FILTER, f.asOfDay() + "\t" + f.previousDay() + "\t" + f.lowRun() + "\t" + f.highRun());
    conf.setInt(BUCKETS, buckets);
    conf.setBoolean("mapreduce.fileoutputcommitter.marksuccessfuljobs", false);
    conf.setClass(AvroReadSupport.AVRO_DATA_SUPPLIER, Model.class, AvroDataSupplier.class);
    io.fraudbatch.warehouse.LocalRunner.configure(conf);
    Job job = Job.getInstance(conf, "fraud-batch profiles as of " + plan.asOf());
    job.setJarByClass(MapReduceProfiles.class);
    // Many small day files per map task: an actor has about one event a day, so combining only
    // pays off when a mapper sees many days.
    job.setInputFormatClass(CombinedParquet.class);
    long split = SPLIT_BYTES_DEFAULT;
    if ("local".equals(conf.get("mapreduce.framework.name", "local"))) {
      // Keep every core busy: at least two map tasks per core.
      long perTask = plan.inputBytes() / (2L * Runtime.getRuntime().availableProcessors());
      split = Math.max(4L * 1024 * 1024, Math.min(split, perTask));
    }
    CombineFileInputFormat.setMaxInputSplitSize(job, conf.getLong(SPLIT_BYTES, split));
    for (Path p : plan.inputDays()) {
      FileInputFormat.addInputPath(job, p);
    }
    if (plan.previousSnapshot() != null) {
      FileInputFormat.addInputPath(job, plan.previousSnapshot());
    }
    FileInputFormat.setInputPathFilter(job, PartsOnly.class);
    job.setMapperClass(FoldMapper.class);
    job.setMapOutputKeyClass(Text.class);
    job.setMapOutputValueClass(BytesWritable.class);
    job.setPartitionerClass(BucketPartitioner.class);
    job.setReducerClass(MergeReducer.class);
    job.setNumReduceTasks(buckets);
    job.setOutputFormatClass(SnapshotOutputFormat.class);
    job.setOutputKeyClass(NullWritable.class);
    job.setOutputValueClass(NullWritable.class);
    FileOutputFormat.setOutputPath(job, out);
    job.waitForCompletion(true);
    return job;
  }

  /** Parquet files packed into splits of up to {@link #SPLIT_BYTES}, each file read whole. */
  public static final class CombinedParquet extends CombineFileInputFormat<Void, Object> {
    @Override
    public RecordReader<Void, Object> createRecordReader(
        org.apache.hadoop.mapreduce.InputSplit split, TaskAttemptContext context)
        throws IOException {
      return new CombineFileRecordReader<>((CombineFileSplit) split, context, OneFile.class);
    }

    @Override
    protected boolean isSplitable(org.apache.hadoop.mapreduce.JobContext context, Path file) {
      return false;
    }
  }

  /** One file of a combined split, read by parquet-avro's own reader. */
  public static final class OneFile extends CombineFileRecordReaderWrapper<Void, Object> {
    public OneFile(CombineFileSplit split, TaskAttemptContext context, Integer index)
        throws IOException, InterruptedException {
      super(new AvroParquetInputFormat<>(), split, context, index);
    }
  }

  /** Skips the run record and other side files of a snapshot directory. */
  public static final class PartsOnly implements org.apache.hadoop.fs.PathFilter {
    @Override
    public boolean accept(Path p) {
      String n = p.getName();
      return !n.startsWith("_") && !n.startsWith(".");
    }
  }

  /** parquet-avro reads our generated records with core's model (logical types converted). */
  public static final class Model implements AvroDataSupplier {
    @Override
    public GenericData get() {
      return AvroModel.SPECIFIC;
    }
  }

  static RowFilter filter(Configuration conf) {
    String[] f = conf.get(FILTER).split("\t", -1);
    return new RowFilter(Integer.parseInt(f[0]), Integer.parseInt(f[1]), f[2], f[3]);
  }

  /** Rows → per-actor partial profiles; previous profiles pass through. */
  public static final class FoldMapper extends Mapper<Void, Object, Text, BytesWritable> {
    private final Map<String, ProfileAccumulator> partials = new HashMap<>();
    private final ReferenceRates rates = ReferenceRates.defaults();
    private RowFilter filter;
    private LocalDate asOf;
    private int maxActors;
    private final Text key = new Text();
    private final BytesWritable value = new BytesWritable();

    @Override
    protected void setup(Context context) {
      filter = filter(context.getConfiguration());
      asOf = LocalDate.parse(context.getConfiguration().get(AS_OF));
      maxActors =
          mapActors(
              context.getConfiguration(),
              io.fraudbatch.warehouse.LocalRunner.taskHeap(
                  context.getConfiguration(), Runtime.getRuntime().maxMemory()));
    }

    @Override
    protected void map(Void ignored, Object record, Context context)
        throws IOException, InterruptedException {
      if (record instanceof ActorProfile p) {
        context.getCounter(COUNTERS, "PREVIOUS_PROFILES").increment(1);
        context.getCounter(COUNTERS, "PREVIOUS_EVENTS").increment(p.getEventCount());
        emit(p.getActorId(), p, context);
        return;
      }
      DecisionEvent e = (DecisionEvent) record;
      int day = (int) Math.floorDiv(e.getEventTime().toEpochMilli(), 86_400_000L);
      if (!filter.accept(day, e.getIngestRunId())) {
        context.getCounter(COUNTERS, "ROWS_NOT_SELECTED").increment(1);
        return;
      }
      context.getCounter(COUNTERS, "EVENTS_READ").increment(1);
      partials
          .computeIfAbsent(e.getActorId(), a -> new ProfileAccumulator())
          .add(e.getActorId(), ProfileInput.of(e, rates));
      if (partials.size() >= maxActors) {
        flush(context);
      }
    }

    private void flush(Context context) throws IOException, InterruptedException {
      for (Map.Entry<String, ProfileAccumulator> a : partials.entrySet()) {
        emit(a.getKey(), a.getValue().finish(asOf), context);
      }
      partials.clear();
    }

    private void emit(String actor, ActorProfile p, Context context)
        throws IOException, InterruptedException {
      byte[] b = AvroModel.toBytes(p, ActorProfile.getClassSchema());
      key.set(actor);
      value.set(b, 0, b.length);
      context.write(key, value);
    }

    @Override
    protected void cleanup(Context context) throws IOException, InterruptedException {
      flush(context);
    }
  }

  /** The snapshot bucket of an actor, the same function Spark partitions by. */
  public static final class BucketPartitioner extends Partitioner<Text, BytesWritable> {
    @Override
    public int getPartition(Text key, BytesWritable value, int n) {
      return SnapshotFiles.bucketOf(key.toString(), n);
    }
  }

  /** One bucket: merges each actor's partials and writes the bucket's file, actors in key order. */
  public static final class MergeReducer
      extends Reducer<Text, BytesWritable, NullWritable, NullWritable> {
    private ParquetWriter<ActorProfile> writer;
    private LocalDate asOf;

    @Override
    protected void setup(Context context) throws IOException, InterruptedException {
      asOf = LocalDate.parse(context.getConfiguration().get(AS_OF));
      Path work = FileOutputFormat.getWorkOutputPath(context);
      int bucket = context.getTaskAttemptID().getTaskID().getId();
      writer = SnapshotFiles.open(context.getConfiguration(), SnapshotFiles.partFile(work, bucket));
    }

    @Override
    protected void reduce(Text actor, Iterable<BytesWritable> values, Context context)
        throws IOException {
      ProfileAccumulator a = new ProfileAccumulator();
      for (BytesWritable v : values) {
        byte[] b = java.util.Arrays.copyOf(v.getBytes(), v.getLength());
        ActorProfile p = AvroModel.fromBytes(b, ActorProfile.getClassSchema());
        a.merge(ProfileAccumulator.of(p));
      }
      ActorProfile out = a.finish(asOf);
      writer.write(out);
      context.getCounter(COUNTERS, "ACTORS_WRITTEN").increment(1);
      context.getCounter(COUNTERS, "EVENTS_WRITTEN").increment(out.getEventCount());
    }

    @Override
    protected void cleanup(Context context) throws IOException {
      writer.close();
    }
  }

  /** Files come from the reducers' own writers; the committer makes them appear atomically. */
  public static final class SnapshotOutputFormat
      extends FileOutputFormat<NullWritable, NullWritable> {
    @Override
    public RecordWriter<NullWritable, NullWritable> getRecordWriter(TaskAttemptContext job) {
      return new RecordWriter<>() {
        @Override
        public void write(NullWritable k, NullWritable v) {}

        @Override
        public void close(TaskAttemptContext c) {}
      };
    }
  }
}
