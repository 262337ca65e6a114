package io.fraudbatch.jobs.profiles;

import io.fraudbatch.avro.ActorProfile;
import io.fraudbatch.avro.DecisionEvent;
import io.fraudbatch.core.avro.AvroModel;
import io.fraudbatch.core.money.ReferenceRates;
import io.fraudbatch.core.profile.ProfileAccumulator;
import io.fraudbatch.core.profile.ProfileInput;
import io.fraudbatch.jobs.ByteSink;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.avro.generic.GenericData;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Counter;
import org.apache.hadoop.mapreduce.Job;
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
 * The MapReduce engine: mappers turn the rows the plan selects into compact events and pass
 * previous-snapshot profiles through; a combiner folds an actor's values within a spill; reducers,
 * one per snapshot bucket, fold each actor's events and profiles with core's accumulator and write
 * the bucket's file.
 */
public final class MapReduceProfiles {
  static final String COUNTERS = "fraud.profiles";
  static final String AS_OF = "fraud.profiles.internal.as-of";
  static final String FILTER = "fraud.profiles.internal.filter";
  static final String BUCKETS = "fraud.profiles.internal.buckets";

  /** Input bytes (Parquet) per map task. */
  static final String SPLIT_BYTES = "fraud.profiles.split-bytes";

  static final long SPLIT_BYTES_DEFAULT = 64L * 1024 * 1024;

  private MapReduceProfiles() {}

  /** The decision fields the mapper reads: the accumulator's, the actor, the row filter's run. */
  static final org.apache.avro.Schema DECISION_PROJECTION =
      io.fraudbatch.jobs.AvroParquet.projection(
          DecisionEvent.getClassSchema(),
          java.util.stream.Stream.concat(
                  ProfileInput.DECISION_FIELDS.stream(),
                  java.util.stream.Stream.of("actorId", "ingestRunId"))
              .toList());

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
    // Pages failing the CRC their writer stored stop the job (as on Spark: ProfilesJob.spark).
    conf.setIfUnset(
        org.apache.parquet.hadoop.ParquetInputFormat.PAGE_VERIFY_CHECKSUM_ENABLED, "true");
    io.fraudbatch.warehouse.LocalRunner.configure(conf);
    io.fraudbatch.warehouse.TaskFailures.clear();
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
    } else {
      // Only decisions: read only the columns a profile uses (the projection would not fit the
      // previous snapshot's files, which an incremental run reads in the same job).
      AvroReadSupport.setRequestedProjection(job.getConfiguration(), DECISION_PROJECTION);
    }
    FileInputFormat.setInputPathFilter(job, PartsOnly.class);
    job.setMapperClass(FoldMapper.class);
    job.setCombinerClass(FoldCombiner.class);
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

  /**
   * One file of a combined split: a decision file column by column ({@link DecisionColumns}: the
   * mapper gets the reader, positioned on each row in turn), any other file (a previous snapshot's,
   * a decision file of another layout) as parquet-avro's records.
   */
  public static final class OneFile extends RecordReader<Void, Object> {
    private final CombineFileSplit split;
    private final Integer index;
    private DecisionColumns columns;
    private RecordReader<Void, Object> records;

    public OneFile(CombineFileSplit split, TaskAttemptContext context, Integer index) {
      this.split = split;
      this.index = index;
    }

    @Override
    public void initialize(org.apache.hadoop.mapreduce.InputSplit ignored, TaskAttemptContext c)
        throws IOException, InterruptedException {
      columns = DecisionColumns.open(c.getConfiguration(), split.getPath(index));
      if (columns == null) {
        records = new AvroFile(split, c, index);
        records.initialize(split, c);
      }
    }

    @Override
    public boolean nextKeyValue() throws IOException, InterruptedException {
      return columns != null ? columns.next() : records.nextKeyValue();
    }

    @Override
    public Void getCurrentKey() {
      return null;
    }

    @Override
    public Object getCurrentValue() throws IOException, InterruptedException {
      return columns != null ? columns : records.getCurrentValue();
    }

    @Override
    public float getProgress() throws IOException, InterruptedException {
      return columns != null ? columns.progress() : records.getProgress();
    }

    @Override
    public void close() throws IOException {
      try (java.io.Closeable a = columns;
          java.io.Closeable b = records) {
        // both closed
      }
    }
  }

  /** One file of a combined split, read by parquet-avro's own reader. */
  public static final class AvroFile extends CombineFileRecordReaderWrapper<Void, Object> {
    public AvroFile(CombineFileSplit split, TaskAttemptContext context, Integer index)
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

  /** Map output tag: one event, {@link ProfileInput#write} form. */
  static final byte EVENT = 'E';

  /** Map output tag: a profile (Avro binary): a previous snapshot's, or a combiner's partial. */
  static final byte PROFILE = 'P';

  /**
   * Rows → one compact event per selected row (tag {@link #EVENT}); previous profiles pass through
   * (tag {@link #PROFILE}). No state: an actor has about one event per day, so folding in the
   * mapper combined little and shipped a whole serialized profile per event; the combiner folds
   * where an actor does have several events in a spill.
   */
  public static final class FoldMapper
      extends io.fraudbatch.warehouse.RecordedMapper<Void, Object, Text, BytesWritable> {
    private final ReferenceRates rates = ReferenceRates.defaults();
    private RowFilter filter;
    private final Text key = new Text();
    private final BytesWritable value = new BytesWritable();
    private final ByteSink buffer = new ByteSink(256);
    private final DataOutputStream data = new DataOutputStream(buffer);
    private Counter eventsRead;
    private Counter notSelected;

    @Override
    protected void setup(Context context) {
      filter = filter(context.getConfiguration());
      // Looked up once: by name for every row, the lookup was 8% of the mapper's own samples.
      eventsRead = context.getCounter(COUNTERS, "EVENTS_READ");
      notSelected = context.getCounter(COUNTERS, "ROWS_NOT_SELECTED");
    }

    @Override
    protected void map(Void ignored, Object record, Context context)
        throws IOException, InterruptedException {
      if (record instanceof ActorProfile p) {
        context.getCounter(COUNTERS, "PREVIOUS_PROFILES").increment(1);
        context.getCounter(COUNTERS, "PREVIOUS_EVENTS").increment(p.getEventCount());
        key.set(p.getActorId());
        setProfile(value, p);
        context.write(key, value);
        return;
      }
      ProfileInput input;
      if (record instanceof DecisionColumns d) {
        if (!filter.accept(d.day(), d.ingestRunId())) {
          notSelected.increment(1);
          return;
        }
        key.set(d.actorId());
        input = d.input(rates);
      } else {
        DecisionEvent e = (DecisionEvent) record;
        int day = (int) Math.floorDiv(e.getEventTime().toEpochMilli(), 86_400_000L);
        if (!filter.accept(day, e.getIngestRunId())) {
          notSelected.increment(1);
          return;
        }
        key.set(e.getActorId());
        input = ProfileInput.of(e, rates);
      }
      eventsRead.increment(1);
      buffer.reset();
      data.writeByte(EVENT);
      input.write(data);
      value.set(buffer.array(), 0, buffer.size()); // BytesWritable copies
      context.write(key, value);
    }
  }

  static void setProfile(BytesWritable value, ActorProfile p) {
    byte[] b = AvroModel.toBytes(p, ActorProfile.getClassSchema());
    value.setSize(b.length + 1);
    value.getBytes()[0] = PROFILE;
    System.arraycopy(b, 0, value.getBytes(), 1, b.length);
  }

  /** Adds one map output value of {@code actor} (an event or a profile) to {@code a}. */
  static void add(ProfileAccumulator a, String actor, BytesWritable v) throws IOException {
    byte[] b = v.getBytes();
    if (b[0] == EVENT) {
      a.add(
          actor,
          ProfileInput.read(
              new DataInputStream(new ByteArrayInputStream(b, 1, v.getLength() - 1))));
    } else if (b[0] == PROFILE) {
      ActorProfile p =
          AvroModel.fromBytes(
              java.util.Arrays.copyOfRange(b, 1, v.getLength()), ActorProfile.getClassSchema());
      a.merge(ProfileAccumulator.of(p));
    } else {
      throw new IllegalStateException("unknown map output tag " + b[0] + " for " + actor);
    }
  }

  /**
   * Values of one actor in a spill beyond which the combiner folds them into one profile. A profile
   * costs a finish and an Avro encoding here and a decoding in the reducer, and is larger than a
   * few compact events: folding every actor with two values was a third of the job's time at 20M
   * events (an actor has about one event a day); an actor with hundreds of events (a business
   * account, a bot) is still shipped as one profile.
   */
  static final int COMBINE_ABOVE = 16;

  /**
   * An actor's values in a spill pass unchanged, unless there are more than {@link #COMBINE_ABOVE}:
   * then one partial profile (finished as of the run's day, which keeps everything the run's
   * profile needs).
   */
  public static final class FoldCombiner extends Reducer<Text, BytesWritable, Text, BytesWritable> {
    private LocalDate asOf;
    private final BytesWritable out = new BytesWritable();
    private final List<BytesWritable> held = new ArrayList<>();

    @Override
    protected void setup(Context context) {
      asOf = LocalDate.parse(context.getConfiguration().get(AS_OF));
    }

    @Override
    protected void reduce(Text actor, Iterable<BytesWritable> values, Context context)
        throws IOException, InterruptedException {
      Iterator<BytesWritable> it = values.iterator();
      held.clear();
      while (it.hasNext() && held.size() <= COMBINE_ABOVE) {
        BytesWritable v = it.next(); // Hadoop reuses the value object: keep copies
        held.add(new BytesWritable(java.util.Arrays.copyOf(v.getBytes(), v.getLength())));
      }
      if (held.size() <= COMBINE_ABOVE) {
        for (BytesWritable v : held) {
          context.write(actor, v);
        }
        return;
      }
      ProfileAccumulator a = new ProfileAccumulator();
      String id = actor.toString();
      for (BytesWritable v : held) {
        add(a, id, v);
      }
      while (it.hasNext()) {
        add(a, id, it.next());
      }
      setProfile(out, a.finish(asOf));
      context.write(actor, out);
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
      extends io.fraudbatch.warehouse.RecordedReducer<
          Text, BytesWritable, NullWritable, NullWritable> {
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
      String id = actor.toString();
      Iterator<BytesWritable> it = values.iterator();
      BytesWritable first = it.next();
      ActorProfile out;
      if (!it.hasNext() && first.getBytes()[0] == PROFILE) {
        // A previous profile and nothing new: copied with its new day unless a window moved.
        out =
            SparkProfiles.finishAgain(
                AvroModel.fromBytes(
                    java.util.Arrays.copyOfRange(first.getBytes(), 1, first.getLength()),
                    ActorProfile.getClassSchema()),
                asOf);
      } else {
        ProfileAccumulator a = new ProfileAccumulator();
        add(a, id, first);
        while (it.hasNext()) {
          add(a, id, it.next());
        }
        out = a.finish(asOf);
      }
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
