package io.fraudbatch.ingest;

import io.fraudbatch.core.event.DecisionEventJson;
import io.fraudbatch.core.pan.PanTokens;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.DataInputBuffer;
import org.apache.hadoop.io.DataOutputBuffer;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.WritableComparator;
import org.apache.hadoop.mapred.RawKeyValueIterator;
import org.apache.hadoop.mapreduce.Counter;
import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.mapreduce.InputFormat;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.Mapper;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.RecordWriter;
import org.apache.hadoop.mapreduce.StatusReporter;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskType;
import org.apache.hadoop.mapreduce.lib.input.CombineFileSplit;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.map.WrappedMapper;
import org.apache.hadoop.mapreduce.lib.reduce.WrappedReducer;
import org.apache.hadoop.mapreduce.task.MapContextImpl;
import org.apache.hadoop.mapreduce.task.ReduceContextImpl;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.apache.parquet.avro.AvroParquetInputFormat;

/**
 * The ingest job in this JVM, without MapReduce's shuffle: the same mappers and reducer, the same
 * staged output and counters as the MapReduce job, in three passes.
 *
 * <ol>
 *   <li><b>Ids.</b> Every landed record's eventId (found without decoding the record: {@link
 *       DecisionEventJson#eventId}, then PAN-tokenised as the mapper does) and every eventId of the
 *       published days the run checks, as 64-bit hashes; the hashes seen twice or more are the
 *       {@link Suspects}.
 *   <li><b>Rows.</b> The mappers run over the inputs, one per thread. A row whose id is not a
 *       suspect has no other copy, so the mapper writes it to its day itself; the others (about
 *       twice the duplicates) are collected in memory.
 *   <li><b>Duplicates.</b> The collected rows, sorted by eventId, go through the reducer.
 * </ol>
 *
 * <p>The MapReduce job sorts, spills and merges every record to find the 1% that have copies; this
 * finds them with a pass over the ids. A file must give the same records to both passes: one that
 * gives more to the second (a read error in the first) fails the run, as its extra records were not
 * checked for copies. The engine declines a run whose ids or suspects do not fit the heap; the
 * driver then runs the MapReduce job.
 */
final class LocalIngest {
  /** Tests: the most ids the id pass holds (default: a sixth of the heap's worth). */
  static final String MAX_IDS = "fraud.ingest.internal.local-max-ids";

  /** Tests: the most suspect records the engine collects (default: a quarter of the heap's). */
  static final String MAX_SUSPECT_COPIES = "fraud.ingest.internal.local-max-suspect-copies";

  /** How often a pass reading landing files says how far it is. */
  static final long PROGRESS_MS = 15_000;

  /** Landing bytes per unit of work a thread takes (files are read whole). */
  static final long UNIT_BYTES = 32L * 1024 * 1024;

  private final Configuration conf;
  private final int threads;
  private final Consumer<String> log;
  private final long maxMemory = Runtime.getRuntime().maxMemory();
  private final List<Counters> taskCounters = new ArrayList<>();
  private final AtomicInteger taskIds = new AtomicInteger();

  /** Records per landing file in the id pass (by qualified path): the write pass may not exceed. */
  private final Map<String, Long> idPassRecords = new ConcurrentHashMap<>();

  LocalIngest(Configuration conf, int threads, Consumer<String> log) {
    this.conf = new Configuration(conf); // the settings below are the engine's tasks' alone
    this.threads = Math.max(1, threads);
    this.log = log;
  }

  /** What a run reads: landing files, days read whole (compacted), days read by id (appended). */
  record Inputs(List<FileStatus> landing, List<Path> history, List<Path> historyIds) {}

  /**
   * Runs the job into {@code outDir} (the layout of the MapReduce job's output directory); null,
   * having written nothing there, when the run does not fit this JVM's heap.
   */
  Counters run(Inputs in, Path staging, Path outDir) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    conf.set(IngestConf.SIDE_OUTPUT_DIR, outDir.toString());
    // The mappers' Parquet writers together buffer at most a quarter of the heap.
    conf.setLong(
        SideOutputs.BUFFER_BYTES, conf.getLong(SideOutputs.BUFFER_BYTES, maxMemory / 4 / threads));
    List<InputSplit> landing = landingUnits(in.landing());
    List<InputSplit> whole = parquetSplits(new AvroParquetInputFormat<>(), in.history());
    List<InputSplit> ids = parquetSplits(new EventIdReadSupport.InputFormat(), in.historyIds());
    List<InputSplit> allIds = new ArrayList<>(ids);
    allIds.addAll(parquetSplits(new EventIdReadSupport.InputFormat(), in.history()));

    Suspects suspects = idPass(landing, allIds);
    if (suspects == null) {
      return null;
    }
    // The rows collected for the reducer: each copy of a suspect id, about 0.5 kB each.
    long budget = conf.getLong(MAX_SUSPECT_COPIES, maxMemory / 4 / 600);
    if (suspects.copies() > budget) {
      log.accept(
          String.format(
              Locale.ROOT,
              "%,d records have ids that may have copies, more than the local engine keeps in"
                  + " this heap (%,d): running the MapReduce job instead",
              suspects.copies(),
              budget));
      return null;
    }
    Path file = new Path(staging, "suspects");
    suspects.write(file.getFileSystem(conf), file);
    conf.set(Suspects.FILE, file.toString());
    io.fraudbatch.warehouse.CrashPoints.reach("ingest-ids");
    log.accept(
        String.format(
            Locale.ROOT,
            "local engine: id pass %.1f s: %,d ids may have copies (%,d records)",
            (System.nanoTime() - t0) / 1e9,
            suspects.size(),
            suspects.copies()));

    long t1 = System.nanoTime();
    Collected collected = new Collected();
    List<Future<?>> tasks = new ArrayList<>();
    // Each thread writes through one set of files, whichever tasks it runs (the reducer too).
    List<SideOutputs[]> shared = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r ->
                new Thread(
                    () -> {
                      SideOutputs[] mine = new SideOutputs[1];
                      shared.add(mine);
                      SideOutputs.SHARED.set(mine);
                      r.run();
                    },
                    "ingest-local-" + taskIds.get()));
    try (Progress progress = new Progress("write pass", landing)) {
      ConcurrentLinkedQueue<InputSplit> landingQueue = new ConcurrentLinkedQueue<>(landing);
      ConcurrentLinkedQueue<InputSplit> wholeQueue = new ConcurrentLinkedQueue<>(whole);
      ConcurrentLinkedQueue<InputSplit> idQueue = new ConcurrentLinkedQueue<>(ids);
      for (int i = 0; i < threads; i++) {
        if (!idQueue.isEmpty()) {
          tasks.add(
              pool.submit(
                  map(
                      new HistoryIdMapper(),
                      new EventIdReadSupport.InputFormat(),
                      idQueue,
                      collected,
                      null)));
        }
        if (!wholeQueue.isEmpty()) {
          tasks.add(
              pool.submit(
                  map(
                      new HistoryMapper(),
                      new AvroParquetInputFormat<>(),
                      wholeQueue,
                      collected,
                      null)));
        }
        tasks.add(
            pool.submit(
                map(
                    new IngestMapper(),
                    new LandingCombineInputFormat(),
                    landingQueue,
                    collected,
                    progress)));
      }
      await(tasks);
      log.accept(
          String.format(
              Locale.ROOT,
              "local engine: write pass %.1f s: %,d records kept for the duplicate check",
              (System.nanoTime() - t1) / 1e9,
              collected.size()));
      io.fraudbatch.warehouse.CrashPoints.reach("ingest-rows");
      long t2 = System.nanoTime();
      // The reducer writes through the files of the thread that wrote the most rows (an hourly
      // run's one landing thread): its few rows join files already open, not files of their own.
      SideOutputs[] busiest = null;
      for (SideOutputs[] s : shared) {
        if (s[0] != null && (busiest == null || s[0].appends() > busiest[0].appends())) {
          busiest = s;
        }
      }
      SideOutputs[] reducerFiles = busiest;
      await(
          List.of(
              pool.submit(
                  () -> {
                    SideOutputs[] own = SideOutputs.SHARED.get();
                    if (reducerFiles != null) {
                      SideOutputs.SHARED.set(reducerFiles); // the mappers are done: one user
                    }
                    try {
                      reduce(collected);
                    } finally {
                      SideOutputs.SHARED.set(own);
                    }
                    return null;
                  })));
      log.accept(
          String.format(
              Locale.ROOT, "local engine: duplicate check %.1f s", (System.nanoTime() - t2) / 1e9));
      for (SideOutputs[] s : shared) {
        if (s[0] != null) {
          s[0].closeAll();
        }
      }
    } finally {
      pool.shutdownNow();
      for (SideOutputs[] s : shared) {
        if (s[0] != null) {
          try {
            s[0].closeAll(); // after a failure: the run's staged files are discarded
          } catch (IOException | RuntimeException e) {
            // the failure being thrown says what went wrong
          }
        }
      }
    }
    Counters total = new Counters();
    for (Counters c : taskCounters) {
      total.incrAllCounters(c);
    }
    return total;
  }

  /**
   * Sorted landing files in units of about {@link #UNIT_BYTES}, each file whole, hours in order.
   */
  private static List<InputSplit> landingUnits(List<FileStatus> files) {
    List<InputSplit> units = new ArrayList<>();
    List<Path> paths = new ArrayList<>();
    List<Long> lengths = new ArrayList<>();
    long bytes = 0;
    for (FileStatus f : files) {
      paths.add(f.getPath());
      lengths.add(f.getLen());
      bytes += f.getLen();
      if (bytes >= UNIT_BYTES) {
        units.add(unit(paths, lengths));
        paths.clear();
        lengths.clear();
        bytes = 0;
      }
    }
    if (!paths.isEmpty()) {
      units.add(unit(paths, lengths));
    }
    return units;
  }

  private static CombineFileSplit unit(List<Path> paths, List<Long> lengths) {
    long[] l = new long[lengths.size()];
    for (int i = 0; i < l.length; i++) {
      l[i] = lengths.get(i);
    }
    return new CombineFileSplit(paths.toArray(new Path[0]), l);
  }

  private List<InputSplit> parquetSplits(InputFormat<?, ?> format, List<Path> dirs)
      throws IOException, InterruptedException {
    if (dirs.isEmpty()) {
      return List.of();
    }
    Job j = Job.getInstance(conf);
    FileInputFormat.setInputPaths(j, dirs.toArray(new Path[0]));
    return new ArrayList<>(format.getSplits(j));
  }

  // ---- pass 1: ids

  /** The suspects of the run, or null when its ids do not fit the heap. */
  private Suspects idPass(List<InputSplit> landing, List<InputSplit> published)
      throws IOException, InterruptedException {
    // Hashes are 8 bytes each, in one array per thread: at most a sixth of the heap.
    long maxIds = conf.getLong(MAX_IDS, maxMemory / 6 / 8);
    ConcurrentLinkedQueue<InputSplit> landingQueue = new ConcurrentLinkedQueue<>(landing);
    ConcurrentLinkedQueue<InputSplit> publishedQueue = new ConcurrentLinkedQueue<>(published);
    java.util.concurrent.atomic.AtomicLong total = new java.util.concurrent.atomic.AtomicLong();
    long[][] lists = new long[threads][];
    int[] sizes = new int[threads];
    java.util.concurrent.atomic.AtomicBoolean tooMany =
        new java.util.concurrent.atomic.AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> tasks = new ArrayList<>();
    try (Progress progress = new Progress("id pass", landing)) {
      for (int i = 0; i < threads; i++) {
        int slot = i;
        tasks.add(
            pool.submit(
                () -> {
                  IdList ids = new IdList();
                  Text text = new Text();
                  PanTokens tokens = PanKeys.tokens(conf);
                  Reporter reporter = new Reporter(); // the write pass counts what the readers see
                  TaskAttemptContext ctx =
                      new TaskAttemptContextImpl(conf, attempt(TaskType.MAP), reporter);
                  Map<String, long[]> perFile = new HashMap<>();
                  String lastFile = null;
                  long[] lastCount = null;
                  int counted = 0; // of this thread's ids, added to the total
                  InputSplit split;
                  while (!tooMany.get() && (split = landingQueue.poll()) != null) {
                    RecordReader<LandingRecordKey, BytesWritable> r =
                        new LandingCombineInputFormat().createRecordReader(split, ctx);
                    r.initialize(split, ctx);
                    try {
                      while (r.nextKeyValue()) {
                        BytesWritable v = r.getCurrentValue();
                        String file = r.getCurrentKey().file();
                        if (!file.equals(lastFile)) { // a unit's records come file by file
                          lastFile = file;
                          lastCount = perFile.computeIfAbsent(file, f -> new long[1]);
                        }
                        lastCount[0]++;
                        String id = DecisionEventJson.eventId(v.getBytes(), 0, v.getLength());
                        if (id != null) {
                          text.set(tokens.token(id));
                          ids.add(Suspects.hash(text.getBytes(), 0, text.getLength()));
                        }
                      }
                    } finally {
                      r.close();
                    }
                    progress.unitDone(split);
                    if (total.addAndGet(ids.size - counted) > maxIds) {
                      tooMany.set(true);
                    }
                    counted = ids.size;
                  }
                  while (!tooMany.get() && (split = publishedQueue.poll()) != null) {
                    RecordReader<Void, byte[]> r =
                        new EventIdReadSupport.InputFormat().createRecordReader(split, ctx);
                    r.initialize(split, ctx);
                    try {
                      while (r.nextKeyValue()) {
                        byte[] id = r.getCurrentValue();
                        ids.add(Suspects.hash(id, 0, id.length));
                      }
                    } finally {
                      r.close();
                    }
                    if (total.addAndGet(ids.size - counted) > maxIds) {
                      tooMany.set(true);
                    }
                    counted = ids.size;
                  }
                  perFile.forEach((f, count) -> idPassRecords.put(f, count[0]));
                  lists[slot] = ids.values;
                  sizes[slot] = ids.size;
                  return null;
                }));
      }
      await(tasks);
    } finally {
      pool.shutdownNow();
    }
    if (tooMany.get()) {
      log.accept(
          String.format(
              Locale.ROOT,
              "more ids than the local engine keeps in this heap (%,d): running the MapReduce job"
                  + " instead",
              maxIds));
      return null;
    }
    return Suspects.find(lists, sizes);
  }

  /** A line every {@link #PROGRESS_MS} while a pass reads the landing files: how far it is. */
  private final class Progress implements AutoCloseable {
    private final java.util.concurrent.atomic.AtomicLong done =
        new java.util.concurrent.atomic.AtomicLong();
    private final Thread printer;

    Progress(String pass, List<InputSplit> units) {
      long total = 0;
      for (InputSplit u : units) {
        total += ((CombineFileSplit) u).getLength();
      }
      long all = total;
      long start = System.nanoTime();
      printer =
          new Thread(
              () -> {
                try {
                  while (true) {
                    Thread.sleep(PROGRESS_MS);
                    log.accept(
                        String.format(
                            Locale.ROOT,
                            "local engine: %s: %,.0f of %,.0f MB of landing files (%.0f%%) in %.0f s",
                            pass,
                            done.get() / 1e6,
                            all / 1e6,
                            100.0 * done.get() / Math.max(1, all),
                            (System.nanoTime() - start) / 1e9));
                  }
                } catch (InterruptedException e) {
                  // the pass is over
                }
              },
              "ingest-progress");
      printer.setDaemon(true);
      printer.start();
    }

    void unitDone(InputSplit unit) {
      done.addAndGet(((CombineFileSplit) unit).getLength());
    }

    @Override
    public void close() {
      printer.interrupt();
    }
  }

  /** A growing array of hashes. */
  private static final class IdList {
    long[] values = new long[1 << 16];
    int size;

    void add(long v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size + (size >> 1));
      }
      values[size++] = v;
    }
  }

  // ---- pass 2: rows

  /**
   * A task: one mapper over every unit of {@code queue} it takes (a mapper per thread, not per
   * unit, so each writes one file per day, not one per day and unit). {@code landing}: the progress
   * of the landing units (null for published days).
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private java.util.concurrent.Callable<Void> map(
      Mapper<?, ?, Text, BytesWritable> mapper,
      InputFormat<?, ?> format,
      ConcurrentLinkedQueue<InputSplit> queue,
      Collected collected,
      Progress landing) {
    return mapTask((Mapper) mapper, (InputFormat) format, queue, collected, landing);
  }

  private <K, V> java.util.concurrent.Callable<Void> mapTask(
      Mapper<K, V, Text, BytesWritable> mapper,
      InputFormat<K, V> format,
      ConcurrentLinkedQueue<InputSplit> queue,
      Collected collected,
      Progress landing) {
    return () -> {
      Reporter reporter = new Reporter();
      synchronized (taskCounters) {
        taskCounters.add(reporter.counters);
      }
      TaskAttemptID id = attempt(TaskType.MAP);
      TaskAttemptContext ctx = new TaskAttemptContextImpl(conf, id, reporter);
      Chain<K, V> chain =
          new Chain<>(format, queue, ctx, landing != null ? idPassRecords : null, landing);
      MapContextImpl<K, V, Text, BytesWritable> mc =
          new MapContextImpl<>(conf, id, chain, collected, null, reporter, null);
      mapper.run(new WrappedMapper<K, V, Text, BytesWritable>().getMapContext(mc));
      return null;
    };
  }

  /**
   * The records of every unit a task takes from its queue, one unit after another; for landing
   * units, no more records of a file than the id pass saw.
   */
  static final class Chain<K, V> extends RecordReader<K, V> {
    private final InputFormat<K, V> format;
    private final ConcurrentLinkedQueue<InputSplit> queue;
    private final TaskAttemptContext ctx;
    private final Map<String, Long> expected;
    private final Progress progress;
    private InputSplit unit;
    private RecordReader<K, V> current;
    private String file; // the landing file being read (the reader keeps one String per file)
    private long fileRecords;
    private long fileExpected;

    Chain(
        InputFormat<K, V> format,
        ConcurrentLinkedQueue<InputSplit> queue,
        TaskAttemptContext ctx,
        Map<String, Long> expected,
        Progress progress) {
      this.format = format;
      this.queue = queue;
      this.ctx = ctx;
      this.expected = expected;
      this.progress = progress;
    }

    @Override
    public void initialize(InputSplit split, TaskAttemptContext context) {}

    @Override
    public boolean nextKeyValue() throws IOException, InterruptedException {
      while (true) {
        if (current == null) {
          unit = queue.poll();
          if (unit == null) {
            return false;
          }
          current = format.createRecordReader(unit, ctx);
          current.initialize(unit, ctx);
        }
        if (current.nextKeyValue()) {
          if (expected != null) {
            String f = ((LandingRecordKey) current.getCurrentKey()).file();
            if (!f.equals(file)) {
              file = f;
              fileRecords = 0;
              fileExpected = expected.getOrDefault(f, 0L);
            }
            if (++fileRecords > fileExpected) {
              throw new IOException(
                  "landing file "
                      + f
                      + " gave more records to the write pass than to the id pass ("
                      + fileExpected
                      + "): a read error in the first pass? Nothing is published; run the ingest"
                      + " again");
            }
          }
          return true;
        }
        current.close();
        current = null;
        if (progress != null) {
          progress.unitDone(unit);
        }
      }
    }

    @Override
    public K getCurrentKey() throws IOException, InterruptedException {
      return current.getCurrentKey();
    }

    @Override
    public V getCurrentValue() throws IOException, InterruptedException {
      return current.getCurrentValue();
    }

    @Override
    public float getProgress() {
      return 0;
    }

    @Override
    public void close() throws IOException {
      if (current != null) {
        current.close();
      }
    }
  }

  /** The mappers' output (rows whose id is a suspect), serialized as the shuffle would. */
  private static final class Collected extends RecordWriter<Text, BytesWritable> {
    private final List<byte[][]> rows = new ArrayList<>();

    @Override
    public synchronized void write(Text key, BytesWritable value) throws IOException {
      DataOutputBuffer k = new DataOutputBuffer(key.getLength() + 5);
      key.write(k);
      DataOutputBuffer v = new DataOutputBuffer(value.getLength() + 4);
      value.write(v);
      rows.add(
          new byte[][] {
            Arrays.copyOf(k.getData(), k.getLength()), Arrays.copyOf(v.getData(), v.getLength())
          });
    }

    synchronized int size() {
      return rows.size();
    }

    @Override
    public void close(TaskAttemptContext context) {}
  }

  // ---- pass 3: duplicates

  private void reduce(Collected collected) throws IOException, InterruptedException {
    WritableComparator keys = WritableComparator.get(Text.class);
    List<byte[][]> rows = collected.rows;
    rows.sort((a, b) -> keys.compare(a[0], 0, a[0].length, b[0], 0, b[0].length));
    RawKeyValueIterator input =
        new RawKeyValueIterator() {
          private int at = -1;
          private final DataInputBuffer key = new DataInputBuffer();
          private final DataInputBuffer value = new DataInputBuffer();

          @Override
          public DataInputBuffer getKey() {
            return key;
          }

          @Override
          public DataInputBuffer getValue() {
            return value;
          }

          @Override
          public boolean next() {
            if (++at >= rows.size()) {
              return false;
            }
            key.reset(rows.get(at)[0], rows.get(at)[0].length);
            value.reset(rows.get(at)[1], rows.get(at)[1].length);
            return true;
          }

          @Override
          public void close() {}

          @Override
          public org.apache.hadoop.util.Progress getProgress() {
            return new org.apache.hadoop.util.Progress();
          }
        };
    Reporter reporter = new Reporter();
    synchronized (taskCounters) {
      taskCounters.add(reporter.counters);
    }
    TaskAttemptID id = attempt(TaskType.REDUCE);
    Counter none = reporter.getCounter("ingest.local", "REDUCE_RECORDS");
    RecordWriter<NullWritable, NullWritable> nothing =
        new RecordWriter<>() {
          @Override
          public void write(NullWritable k, NullWritable v) {}

          @Override
          public void close(TaskAttemptContext c) {}
        };
    @SuppressWarnings("unchecked")
    org.apache.hadoop.io.RawComparator<Text> comparator =
        (org.apache.hadoop.io.RawComparator<Text>) (org.apache.hadoop.io.RawComparator<?>) keys;
    ReduceContextImpl<Text, BytesWritable, NullWritable, NullWritable> rc =
        new ReduceContextImpl<>(
            conf,
            id,
            input,
            none,
            none,
            nothing,
            null,
            reporter,
            comparator,
            Text.class,
            BytesWritable.class);
    new IngestReducer()
        .run(
            new WrappedReducer<Text, BytesWritable, NullWritable, NullWritable>()
                .getReducerContext(rc));
    rows.clear();
  }

  // ---- tasks

  private TaskAttemptID attempt(TaskType type) {
    return new TaskAttemptID("local", 1, type, taskIds.getAndIncrement(), 0);
  }

  /** Waits for every task; the first failure cancels the others and is thrown as it was. */
  private static void await(List<Future<?>> tasks) throws IOException {
    try {
      for (Future<?> f : tasks) {
        io.fraudbatch.core.Workers.get(f);
      }
    } catch (IOException | RuntimeException | Error e) {
      for (Future<?> f : tasks) {
        f.cancel(true);
      }
      throw e;
    }
  }

  /** A task's counters. */
  private static final class Reporter extends StatusReporter {
    final Counters counters = new Counters();

    @Override
    public Counter getCounter(Enum<?> name) {
      return counters.findCounter(name);
    }

    @Override
    public Counter getCounter(String group, String name) {
      return counters.findCounter(group, name);
    }

    @Override
    public void progress() {}

    @Override
    public float getProgress() {
      return 0;
    }

    @Override
    public void setStatus(String status) {}
  }
}
