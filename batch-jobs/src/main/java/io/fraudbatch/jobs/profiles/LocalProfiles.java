package io.fraudbatch.jobs.profiles;

import io.fraudbatch.avro.ActorProfile;
import io.fraudbatch.avro.DecisionEvent;
import io.fraudbatch.core.Workers;
import io.fraudbatch.core.money.ReferenceRates;
import io.fraudbatch.core.profile.ProfileAccumulator;
import io.fraudbatch.core.profile.ProfileInput;
import io.fraudbatch.jobs.AvroParquet;
import io.fraudbatch.jobs.ByteSink;
import io.fraudbatch.warehouse.CrashPoints;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetInputFormat;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;

/**
 * The local engine ({@code --engine local}): an incremental run in the job's own JVM, without a
 * Spark session or a MapReduce job, for the daily case where the new rows are few and the previous
 * snapshot is large. Threads read the selected rows into compact events, kept per snapshot bucket;
 * then each bucket's events are sorted by actorId and merged with the previous snapshot's part file
 * of that bucket (already in that order: a merge join, as Spark's in-place merge does), and the
 * bucket is written by the writer the other engines use. A previous profile without new events is
 * copied with its new day, or re-windowed when a day with spend left one of its windows ({@link
 * ProfileAccumulator#rewindow}): the snapshot is byte for byte the one Spark and MapReduce write.
 *
 * <p>What one JVM should not do it leaves to Spark ({@link #unsuitable}, {@link TooLarge}): a full
 * recompute, a previous snapshot of another layout or bucket count, selected rows beyond a quarter
 * of the heap ({@link #BUFFER_BYTES}).
 */
final class LocalProfiles {
  private LocalProfiles() {}

  /** Configuration key: bytes of selected rows held in memory at most (default: heap / 4). */
  static final String BUFFER_BYTES = "fraud.profiles.local.buffer-bytes";

  /** Configuration key: threads (default: the machine's cores). */
  static final String THREADS = "fraud.profiles.local.threads";

  /** Crash point reached after each bucket's file is written (tests). */
  static final String BUCKET_WRITTEN = "profiles-local-bucket-written";

  /** What a run did; {@code copied}: previous profiles copied with their new day. */
  record Result(long eventsRead, long actorsWritten, long eventsWritten, long copied) {}

  /** The selected rows do not fit the memory this engine may use: Spark does the run. */
  static final class TooLarge extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooLarge(String message) {
      super(message);
    }
  }

  /** Why the local engine cannot run {@code plan} with {@code buckets} buckets; null if it can. */
  static String unsuitable(Configuration conf, ProfilePlan plan, int buckets) {
    if (plan.previousSnapshot() == null) {
      return "a full recompute reads all history (the local engine runs incremental updates)";
    }
    if (!SparkProfiles.sameLayout(conf, plan.previousSnapshot(), buckets)) {
      return "the snapshot as of "
          + plan.previousAsOf()
          + " is not "
          + buckets
          + " bucket file(s) (--buckets changes the layout)";
    }
    return null;
  }

  /** A selected row: its actor (and the id's UTF-8 bytes, the sort key) and its compact event. */
  private record Event(byte[] key, String actor, byte[] event) {
    static int compare(Event a, Event b) {
      return Arrays.compareUnsigned(a.key, b.key);
    }
  }

  static Result run(
      Configuration base, ProfilePlan plan, int buckets, Path out, Consumer<String> progress)
      throws IOException {
    Configuration conf = new Configuration(base);
    // Pages failing their CRC stop the run, as on the other engines.
    conf.setIfUnset(ParquetInputFormat.PAGE_VERIFY_CHECKSUM_ENABLED, "true");
    FileSystem fs = out.getFileSystem(conf);
    List<Path> files = new ArrayList<>();
    for (Path day : plan.inputDays()) {
      for (FileStatus s :
          fs.listStatus(day, p -> !p.getName().startsWith("_") && !p.getName().startsWith("."))) {
        if (s.isFile()) {
          files.add(s.getPath());
        }
      }
    }
    int threads = Math.max(1, conf.getInt(THREADS, Runtime.getRuntime().availableProcessors()));
    long budget = conf.getLong(BUFFER_BYTES, Runtime.getRuntime().maxMemory() / 4);
    ExecutorService pool = Executors.newFixedThreadPool(threads, Workers.daemon("profiles-local"));
    try {
      long t0 = System.nanoTime();
      List<List<Event>> byBucket = read(conf, plan, files, buckets, threads, budget, pool);
      long eventsRead = byBucket.stream().mapToLong(List::size).sum();
      progress.accept(
          String.format(
              Locale.ROOT,
              "local: %,d selected events from %d file(s) in %.1f s",
              eventsRead,
              files.size(),
              (System.nanoTime() - t0) / 1e9));
      LocalDate asOf = plan.asOf();
      String prev = plan.previousSnapshot().toString();
      List<Future<long[]>> written = new ArrayList<>();
      for (int b = 0; b < buckets; b++) {
        int bucket = b;
        List<Event> events = byBucket.get(b);
        byBucket.set(b, null);
        written.add(
            pool.submit(
                () -> {
                  long[] counts =
                      mergeBucket(
                          conf,
                          events,
                          SnapshotFiles.partFile(new Path(prev), bucket),
                          SnapshotFiles.partFile(out, bucket),
                          bucket,
                          buckets,
                          asOf);
                  CrashPoints.reach(BUCKET_WRITTEN);
                  return counts;
                }));
      }
      long actors = 0;
      long eventsWritten = 0;
      long copied = 0;
      for (Future<long[]> f : written) {
        long[] c = Workers.get(f);
        actors += c[0];
        eventsWritten += c[1];
        copied += c[2];
      }
      return new Result(eventsRead, actors, eventsWritten, copied);
    } finally {
      // A failed bucket stops the others before the run reports: nothing writes into the
      // staging directory after the run has ended.
      pool.shutdownNow();
      try {
        pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The rows {@code plan} selects from {@code files}, as events per bucket. */
  private static List<List<Event>> read(
      Configuration conf,
      ProfilePlan plan,
      List<Path> files,
      int buckets,
      int threads,
      long budget,
      ExecutorService pool)
      throws IOException {
    ConcurrentLinkedQueue<Path> queue = new ConcurrentLinkedQueue<>(files);
    AtomicLong held = new AtomicLong();
    RowFilter filter = plan.filter();
    List<Future<List<List<Event>>>> readers = new ArrayList<>();
    for (int t = 0; t < Math.min(threads, Math.max(1, files.size())); t++) {
      readers.add(
          pool.submit(
              () -> {
                ReferenceRates rates = ReferenceRates.defaults();
                Selected mine = new Selected(buckets, held, budget);
                Path file;
                while ((file = queue.poll()) != null) {
                  try (DecisionColumns d = DecisionColumns.open(conf, file)) {
                    if (d != null) {
                      while (d.next()) {
                        if (filter.accept(d.day(), d.ingestRunId())) {
                          String actor = d.actorId();
                          mine.add(actor, d.input(rates));
                        }
                      }
                      continue;
                    }
                  }
                  // A file of another layout: parquet-avro's records.
                  try (ParquetReader<DecisionEvent> r = AvroParquet.reader(conf, file)) {
                    DecisionEvent e;
                    while ((e = r.read()) != null) {
                      int day = (int) Math.floorDiv(e.getEventTime().toEpochMilli(), 86_400_000L);
                      if (filter.accept(day, e.getIngestRunId())) {
                        mine.add(e.getActorId(), ProfileInput.of(e, rates));
                      }
                    }
                  }
                }
                return mine.byBucket;
              }));
    }
    List<List<Event>> all = new ArrayList<>(buckets);
    for (int b = 0; b < buckets; b++) {
      all.add(new ArrayList<>());
    }
    for (Future<List<List<Event>>> f : readers) {
      List<List<Event>> mine = Workers.get(f);
      for (int b = 0; b < buckets; b++) {
        all.get(b).addAll(mine.get(b));
      }
    }
    return all;
  }

  /** One reader thread's selected rows, as events per bucket, within the run's memory budget. */
  private static final class Selected {
    final List<List<Event>> byBucket;
    private final AtomicLong held;
    private final long budget;
    private final ByteSink buffer = new ByteSink(256);
    private final DataOutputStream data = new DataOutputStream(buffer);

    Selected(int buckets, AtomicLong held, long budget) {
      byBucket = new ArrayList<>(buckets);
      for (int b = 0; b < buckets; b++) {
        byBucket.add(new ArrayList<>());
      }
      this.held = held;
      this.budget = budget;
    }

    void add(String actor, ProfileInput input) throws IOException {
      buffer.reset();
      input.write(data);
      byte[] key = actor.getBytes(StandardCharsets.UTF_8);
      // The arrays, the id's chars, the record: about 100 bytes besides.
      if (held.addAndGet(buffer.size() + 3L * key.length + 100) > budget) {
        throw new TooLarge(
            String.format(
                Locale.ROOT,
                "the selected rows need more than the %.1f MB the local engine"
                    + " may hold (a quarter of the heap; %s)",
                budget / 1e6,
                BUFFER_BYTES));
      }
      byBucket
          .get(SnapshotFiles.bucketOf(actor, byBucket.size()))
          .add(new Event(key, actor, buffer.copy()));
    }
  }

  /**
   * One bucket: its events sorted by actor, merged with the previous part file (sorted the same
   * way), written to {@code file}. Returns {actors, events, profiles copied}.
   */
  static long[] mergeBucket(
      Configuration conf,
      List<Event> events,
      Path previous,
      Path file,
      int bucket,
      int buckets,
      LocalDate asOf)
      throws IOException {
    events.sort(Event::compare);
    long actors = 0;
    long eventCount = 0;
    long copied = 0;
    try (SnapshotFiles.ProfileSource r = SnapshotFiles.reader(conf, previous);
        ParquetWriter<ActorProfile> w = SnapshotFiles.open(conf, file)) {
      ActorProfile old = SparkProfiles.nextInOrder(r, null, bucket, buckets, previous);
      byte[] oldKey = old == null ? null : old.getActorId().getBytes(StandardCharsets.UTF_8);
      int i = 0;
      while (old != null || i < events.size()) {
        int c =
            old == null
                ? 1
                : i == events.size() ? -1 : Arrays.compareUnsigned(oldKey, events.get(i).key);
        ActorProfile p;
        if (c < 0) {
          copied += ProfileAccumulator.sameAsOf(old, asOf) ? 1 : 0;
          p = SparkProfiles.finishAgain(old, asOf);
        } else {
          // The previous profile's accumulator takes the day's few events (cheaper than merging
          // it into theirs; the accumulator's result does not depend on the order).
          ProfileAccumulator a = c == 0 ? ProfileAccumulator.of(old) : new ProfileAccumulator();
          Event first = events.get(i);
          for (; i < events.size() && Arrays.equals(events.get(i).key, first.key); i++) {
            a.add(first.actor, decode(events.get(i).event));
          }
          p = a.finish(asOf);
        }
        if (c <= 0) {
          old = SparkProfiles.nextInOrder(r, old, bucket, buckets, previous);
          oldKey = old == null ? null : old.getActorId().getBytes(StandardCharsets.UTF_8);
        }
        w.write(p);
        actors++;
        eventCount += p.getEventCount();
      }
    }
    return new long[] {actors, eventCount, copied};
  }

  private static ProfileInput decode(byte[] event) {
    try {
      return ProfileInput.read(new DataInputStream(new ByteArrayInputStream(event)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
