package io.fraudbatch.jobs.profiles;

import static org.apache.spark.sql.functions.expr;

import io.fraudbatch.avro.ActorProfile;
import io.fraudbatch.core.avro.AvroModel;
import io.fraudbatch.core.profile.ProfileAccumulator;
import io.fraudbatch.core.profile.ProfileInput;
import io.fraudbatch.jobs.HashRuns;
import io.fraudbatch.jobs.SparkParallelism;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.spark.Partitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.SerializableConfiguration;
import scala.Tuple2;

/**
 * The Spark engine: Spark SQL reads and filters the rows (columnar, only the columns a profile
 * uses), one shuffle brings each actor's rows together (radix-sorted on a hash of the actorId) and
 * core's accumulator folds them as they stream past ({@link ActorFold}), previous-snapshot profiles
 * are merged in, and each snapshot bucket is sorted and written by the same writer the MapReduce
 * engine uses.
 */
public final class SparkProfiles {
  private SparkProfiles() {}

  /** What a run did. */
  public record Result(
      long eventsRead, long actorsWritten, long eventsWritten, boolean mergedInPlace) {}

  static final String[] COLUMNS = {
    "actorId",
    "eventId",
    "unix_millis(eventTime) AS t",
    "decision",
    "channel",
    "amount",
    "currency",
    "mcc",
    "country",
    "region",
    "city",
    "lat",
    "lon",
    "ip",
    "element_at(extraFields, '" + ProfileInput.DIRECTION + "') AS direction"
  };

  static Result run(SparkSession spark, ProfilePlan plan, int buckets, Path out) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration hadoop = jsc.hadoopConfiguration();
    LocalDate asOf = plan.asOf();

    JavaPairRDD<String, byte[]> partials = jsc.parallelizePairs(List.of(), 1);
    long eventsRead = 0;
    if (!plan.inputDays().isEmpty()) {
      String[] paths = plan.inputDays().stream().map(Path::toString).toArray(String[]::new);
      Dataset<Row> selected =
          spark
              .read()
              .parquet(paths)
              .withColumn("_day", expr("floor(unix_millis(eventTime) / 86400000)"))
              .where(plan.filter().sql("_day", "ingestRunId"));
      // The reconciliation's independent count: a scan of two columns, no cache.
      eventsRead = selected.count();
      // Each actor's rows brought together by one shuffle and a radix sort on a 64-bit hash of
      // the actorId, then folded a run at a time (ActorFold): nothing but the rows is shuffled.
      // A typed aggregator shuffled a Kryo-serialized partial accumulator per actor and input
      // partition (about one event each: an actor has about one event a day) and fell back to
      // sort-based aggregation comparing actorId strings.
      Dataset<Row> rows =
          selected
              .selectExpr(COLUMNS)
              .withColumn("_h", expr("xxhash64(actorId)"))
              .repartition(org.apache.spark.sql.functions.col("_h"))
              .sortWithinPartitions("_h");
      // The sorted rows as Spark's internal rows (InputRows decodes them): converting each to
      // an external Row made a new string of every string column.
      DecimalType amount = InputRows.amountType(rows.schema());
      partials =
          rows.queryExecution()
              .toRdd()
              .toJavaRDD()
              .mapPartitionsToPair(it -> new ActorFold(it, asOf, amount));
    }
    String dir = out.toString();
    SerializableConfiguration conf = new SerializableConfiguration(hadoop);
    if (plan.previousSnapshot() != null && sameLayout(hadoop, plan.previousSnapshot(), buckets)) {
      return mergeIntoSnapshot(
          partials, plan.previousSnapshot(), asOf, buckets, dir, conf, eventsRead);
    }
    if (plan.previousSnapshot() != null) {
      JavaPairRDD<String, byte[]> previous = snapshot(jsc, plan.previousSnapshot());
      partials = partials.union(previous);
    }
    // Without a previous snapshot each actor has one profile, already finished as of asOf; with
    // one, actors are merged and every profile is finished again (the windows moved).
    boolean incremental = plan.previousSnapshot() != null;
    JavaPairRDD<String, byte[]> profiles =
        incremental
            ? partials.reduceByKey((a, b) -> merge(a, b, asOf), SparkParallelism.of(spark))
            : partials;
    List<long[]> written =
        profiles
            .repartitionAndSortWithinPartitions(new Buckets(buckets), SnapshotFiles.ACTOR_ORDER)
            .mapPartitions(
                (Iterator<Tuple2<String, byte[]>> it) -> {
                  int bucket = TaskContext.getPartitionId();
                  long actors = 0;
                  long events = 0;
                  Path file = SnapshotFiles.partFile(new Path(dir), bucket);
                  if (!incremental) {
                    // Finished as of asOf already: written from the shuffled bytes as they are.
                    try (ParquetWriter<byte[]> w =
                        SnapshotFiles.openAvroBinary(conf.value(), file)) {
                      while (it.hasNext()) {
                        byte[] p = it.next()._2;
                        w.write(p);
                        actors++;
                        events += ProfileWriteSupport.eventCount(p);
                      }
                    }
                    return List.of(new long[] {actors, events}).iterator();
                  }
                  try (ParquetWriter<ActorProfile> w = SnapshotFiles.open(conf.value(), file)) {
                    while (it.hasNext()) {
                      ActorProfile p =
                          finishAgain(
                              AvroModel.fromBytes(it.next()._2, ActorProfile.getClassSchema()),
                              asOf);
                      w.write(p);
                      actors++;
                      events += p.getEventCount();
                    }
                  }
                  return List.of(new long[] {actors, events}).iterator();
                })
            .collect();
    return result(written, eventsRead, false);
  }

  /**
   * Whether a snapshot has exactly {@code buckets} part files named for buckets 0..n-1: then each
   * file holds one bucket's actors in {@link SnapshotFiles#ACTOR_ORDER}.
   */
  static boolean sameLayout(Configuration conf, Path snapshot, int buckets) {
    try {
      List<Path> parts = SnapshotFiles.parts(conf, snapshot);
      if (parts.size() != buckets) {
        return false;
      }
      for (int b = 0; b < buckets; b++) {
        if (!parts.get(b).getName().equals(SnapshotFiles.partFile(snapshot, b).getName())) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the snapshot " + snapshot, e);
    }
  }

  /**
   * Incremental run over a snapshot of the same layout: only the new partials are shuffled (into
   * the snapshot's buckets, sorted); each task streams its bucket's previous part file, already
   * sorted, beside them (a merge join), so the cost of the previous profiles is one sequential
   * read, decode and re-finish each (their windows moved), with no shuffle. Same bytes as the
   * general path: a profile is finished the same way in both.
   */
  static Result mergeIntoSnapshot(
      JavaPairRDD<String, byte[]> fresh,
      Path previous,
      LocalDate asOf,
      int buckets,
      String dir,
      SerializableConfiguration conf,
      long eventsRead) {
    String prevDir = previous.toString();
    List<long[]> written =
        fresh
            .repartitionAndSortWithinPartitions(new Buckets(buckets), SnapshotFiles.ACTOR_ORDER)
            .mapPartitions(
                (Iterator<Tuple2<String, byte[]>> it) -> {
                  int bucket = TaskContext.getPartitionId();
                  long actors = 0;
                  long events = 0;
                  Path file = SnapshotFiles.partFile(new Path(dir), bucket);
                  Path prevFile = SnapshotFiles.partFile(new Path(prevDir), bucket);
                  try (SnapshotFiles.ProfileSource r =
                          SnapshotFiles.reader(conf.value(), prevFile);
                      ParquetWriter<ActorProfile> w = SnapshotFiles.open(conf.value(), file)) {
                    ActorProfile old = nextInOrder(r, null, bucket, buckets, prevFile);
                    Tuple2<String, byte[]> next = it.hasNext() ? it.next() : null;
                    while (old != null || next != null) {
                      int c =
                          old == null
                              ? 1
                              : next == null
                                  ? -1
                                  : SnapshotFiles.ACTOR_ORDER.compare(old.getActorId(), next._1);
                      ActorProfile p;
                      if (c < 0) {
                        p = finishAgain(old, asOf);
                        old = nextInOrder(r, old, bucket, buckets, prevFile);
                      } else {
                        // The day's partial is already a profile finished as of asOf.
                        p = AvroModel.fromBytes(next._2, ActorProfile.getClassSchema());
                        if (c == 0) {
                          ProfileAccumulator acc = ProfileAccumulator.of(p);
                          acc.merge(ProfileAccumulator.of(old));
                          p = acc.finish(asOf);
                          old = nextInOrder(r, old, bucket, buckets, prevFile);
                        }
                        next = it.hasNext() ? it.next() : null;
                      }
                      w.write(p);
                      actors++;
                      events += p.getEventCount();
                    }
                  }
                  return List.of(new long[] {actors, events}).iterator();
                })
            .collect();
    return result(written, eventsRead, true);
  }

  /**
   * The next profile of a previous part file, checked to belong to its bucket and to follow {@code
   * before}: a merge join over a file out of order would duplicate actors, which no count shows.
   */
  static ActorProfile nextInOrder(
      SnapshotFiles.ProfileSource r, ActorProfile before, int bucket, int buckets, Path file)
      throws IOException {
    ActorProfile p = r.read();
    if (p != null
        && (SnapshotFiles.bucketOf(p.getActorId(), buckets) != bucket
            || (before != null
                && SnapshotFiles.ACTOR_ORDER.compare(before.getActorId(), p.getActorId()) >= 0))) {
      throw new IllegalStateException(
          file
              + " is not bucket "
              + bucket
              + " of "
              + buckets
              + " sorted by actorId (at "
              + p.getActorId()
              + "): run profiles with --mode full");
    }
    return p;
  }

  /**
   * A profile as of an earlier day (or already as of {@code asOf}), with no new event, as of {@code
   * asOf} ({@link ProfileAccumulator#rewindow}: equal to finishing it again). {@code p} is changed
   * and returned.
   */
  static ActorProfile finishAgain(ActorProfile p, LocalDate asOf) {
    return ProfileAccumulator.rewindow(p, asOf);
  }

  /** The run's counts from the tasks' {actors, events}. */
  private static Result result(List<long[]> written, long eventsRead, boolean mergedInPlace) {
    long actors = written.stream().mapToLong(w -> w[0]).sum();
    long events = written.stream().mapToLong(w -> w[1]).sum();
    return new Result(eventsRead, actors, events, mergedInPlace);
  }

  private static byte[] merge(byte[] a, byte[] b, LocalDate asOf) {
    ProfileAccumulator acc =
        ProfileAccumulator.of(AvroModel.fromBytes(a, ActorProfile.getClassSchema()));
    acc.merge(ProfileAccumulator.of(AvroModel.fromBytes(b, ActorProfile.getClassSchema())));
    return AvroModel.toBytes(acc.finish(asOf), ActorProfile.getClassSchema());
  }

  /** A snapshot's profiles by actorId, as Avro binary: one task per part file. */
  static JavaPairRDD<String, byte[]> snapshot(JavaSparkContext jsc, Path dir) {
    List<String> files = new ArrayList<>();
    try {
      for (Path p : SnapshotFiles.parts(jsc.hadoopConfiguration(), dir)) {
        files.add(p.toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the snapshot " + dir, e);
    }
    SerializableConfiguration conf = new SerializableConfiguration(jsc.hadoopConfiguration());
    return jsc.parallelize(files, Math.max(1, files.size()))
        .flatMapToPair(
            f -> {
              List<Tuple2<String, byte[]>> l = new ArrayList<>();
              SnapshotFiles.read(
                  conf.value(),
                  new Path(f),
                  p ->
                      l.add(
                          new Tuple2<>(
                              p.getActorId(),
                              AvroModel.toBytes(p, ActorProfile.getClassSchema()))));
              return l.iterator();
            });
  }

  /** Snapshot buckets as Spark partitions: partition i is bucket i. */
  static final class Buckets extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int n;

    Buckets(int n) {
      this.n = n;
    }

    @Override
    public int numPartitions() {
      return n;
    }

    @Override
    public int getPartition(Object key) {
      return SnapshotFiles.bucketOf((String) key, n);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Buckets b && b.n == n;
    }

    @Override
    public int hashCode() {
      return n;
    }
  }

  /**
   * Spark's internal rows of {@link #COLUMNS} plus the actorId's hash (last column), sorted by that
   * hash, as one (actorId, profile finished as of asOf, Avro binary) per actor. Actors whose hashes
   * collide arrive interleaved: each gets its own accumulator. Memory: one run of equal hashes.
   */
  static final class ActorFold extends HashRuns<InternalRow, Tuple2<String, byte[]>> {
    private final LocalDate asOf;
    private final InputRows inputs;
    private final Map<String, ProfileAccumulator> run = new LinkedHashMap<>();
    // The previous row's actor (a copy) and its accumulator: an actor's rows mostly come in a row.
    private UTF8String lastActor;
    private String lastId;
    private ProfileAccumulator last;

    ActorFold(Iterator<InternalRow> in, LocalDate asOf, DecimalType amount) {
      super(in, r -> r.getLong(COLUMNS.length));
      this.asOf = asOf;
      this.inputs = new InputRows(amount);
    }

    @Override
    protected void add(InternalRow r) {
      UTF8String actor = r.getUTF8String(InputRows.ACTOR);
      if (last == null || !lastActor.equals(actor)) {
        lastId = actor.toString();
        lastActor = actor.copy();
        last = run.computeIfAbsent(lastId, a -> new ProfileAccumulator());
      }
      last.add(lastId, inputs.input(r));
    }

    @Override
    protected void endRun(java.util.function.Consumer<Tuple2<String, byte[]>> out) {
      run.forEach(
          (actor, acc) ->
              out.accept(
                  new Tuple2<>(
                      actor, AvroModel.toBytes(acc.finish(asOf), ActorProfile.getClassSchema()))));
      run.clear();
      last = null;
    }
  }
}
