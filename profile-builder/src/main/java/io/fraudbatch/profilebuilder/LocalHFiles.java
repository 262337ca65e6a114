package io.fraudbatch.profilebuilder;

import io.fraudbatch.core.FraudBatchException;
import io.fraudbatch.core.avro.AvroModel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hbase.KeyValue;
import org.apache.hadoop.hbase.client.ColumnFamilyDescriptor;
import org.apache.hadoop.hbase.io.hfile.CacheConfig;
import org.apache.hadoop.hbase.io.hfile.HFile;
import org.apache.hadoop.hbase.io.hfile.HFileContext;
import org.apache.hadoop.hbase.io.hfile.HFileContextBuilder;
import org.apache.hadoop.hbase.regionserver.HStoreFile;
import org.apache.hadoop.hbase.regionserver.StoreFileWriter;
import org.apache.hadoop.hbase.regionserver.StoreUtils;
import org.apache.hadoop.hbase.util.Bytes;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetInputFormat;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.parquet.schema.MessageType;

/**
 * Generates a snapshot's HFiles in the load's own process ({@code load --generate local}, the
 * default): threads read the snapshot's row groups straight into Avro bytes ({@link
 * AvroBinaryReadSupport}), route each row to its region, and each region's rows are sorted and
 * written as one HFile with the family's settings, as HFileOutputFormat2 would write them.
 *
 * <p>Why not MapReduce by default: on the local runner the job spent its time serializing, sorting
 * and spilling cells through the map output buffer and re-encoding every profile; a snapshot is
 * already one row per key, so a sort per region in memory is all the ordering needed. Memory
 * follows the heap: rows are buffered up to a quarter of it ({@link #BUFFER_BYTES} overrides), and
 * a thread whose share is full writes its rows as HFiles of their own (a region then gets several
 * files, which a bulk load accepts and a compaction merges).
 */
final class LocalHFiles {
  private LocalHFiles() {}

  /** Configuration key: bytes of rows buffered before a thread writes them out (tests). */
  static final String BUFFER_BYTES = "fraud.load.buffer-bytes";

  /**
   * Configuration key: read row groups column by column ({@link ColumnarAvroReader}) when their
   * encodings allow (default true; false: parquet-mr's record reader for every row group).
   */
  static final String COLUMNAR = "fraud.load.columnar";

  /** Configuration key: threads reading and writing (default: the machine's cores). */
  static final String THREADS = "fraud.load.threads";

  /** Counts of one generation. */
  record Result(long recordsRead, long rows, int hfiles, long bytes, boolean direct) {}

  /**
   * One thread's buffered rows of one region, in parallel arrays, no object per row: a row's key's
   * first 16 bytes as two unsigned numbers ({@code hi}, {@code lo}, zero-padded), to sort without
   * reading the slabs ({@link RowOrder}), and where its cells lie, as KeyValue bytes one after
   * another: slab {@code at >>> 32}, offset {@code (int) at}, {@code len} bytes. Sixteen bytes, not
   * eight: a row key is a 2-byte hash prefix and the actorId, and ids with a common prefix
   * (zero-padded numbers, "user-000123") tie on eight. A record per row was most of what G1 marked
   * and copied while a 1M-profile load read its snapshot.
   */
  private static final class Rows {
    /**
     * Where a KeyValue's row key starts: after key length (4), value length (4), row length (2).
     */
    static final int ROW_AT = 10;

    long[] hi = new long[16];
    long[] lo = new long[16];
    long[] at = new long[16];
    int[] len = new int[16];
    int n;

    void add(long h, long l, long where, int length) {
      if (n == hi.length) {
        int cap = n + (n >> 1);
        hi = Arrays.copyOf(hi, cap);
        lo = Arrays.copyOf(lo, cap);
        at = Arrays.copyOf(at, cap);
        len = Arrays.copyOf(len, cap);
      }
      hi[n] = h;
      lo[n] = l;
      at[n] = where;
      len[n] = length;
      n++;
    }

    /** Rows {@code a} and {@code b} by their whole keys (their first 16 bytes are equal). */
    int compareKeys(List<byte[]> slabs, int a, int b) {
      byte[] ba = slabs.get((int) (at[a] >>> 32));
      byte[] bb = slabs.get((int) (at[b] >>> 32));
      int oa = (int) at[a];
      int ob = (int) at[b];
      return Bytes.compareTo(
          ba, oa + ROW_AT, Bytes.toShort(ba, oa + 8), bb, ob + ROW_AT, Bytes.toShort(bb, ob + 8));
    }

    /** The rows of several threads, each with its slabs, as one: {@code into} gets the slabs. */
    static Rows merge(List<Rows> parts, List<List<byte[]>> slabs, List<byte[]> into) {
      Rows m = new Rows();
      int total = 0;
      for (Rows r : parts) {
        total += r.n;
      }
      m.hi = new long[total];
      m.lo = new long[total];
      m.at = new long[total];
      m.len = new int[total];
      for (int p = 0; p < parts.size(); p++) {
        Rows r = parts.get(p);
        long base = (long) into.size() << 32;
        into.addAll(slabs.get(p));
        System.arraycopy(r.hi, 0, m.hi, m.n, r.n);
        System.arraycopy(r.lo, 0, m.lo, m.n, r.n);
        System.arraycopy(r.len, 0, m.len, m.n, r.n);
        for (int i = 0; i < r.n; i++) {
          m.at[m.n + i] = r.at[i] + base;
        }
        m.n += r.n;
      }
      return m;
    }
  }

  /**
   * Where a thread's buffered rows keep their cells: arrays of {@link #CHUNK} bytes, which G1
   * allocates outside the young generation (humongous) and no collection copies. Before, each row's
   * cells were arrays of their own, and the young collections copied the whole buffer (a quarter of
   * the heap) from space to space: in load.sh at 1M profiles, 1.7 s of pauses on 2 cores while the
   * rows were read.
   */
  private static final class Slabs {
    static final int CHUNK = 8 << 20;
    final List<byte[]> arrays = new ArrayList<>();
    private byte[] cur;
    private int pos;

    Slabs() {
      cur = new byte[CHUNK];
      arrays.add(cur);
    }

    /** Writes the row's cells ({@link RowCells#writeCells}); returns where (see {@link Rows}). */
    long add(RowCells layout, byte[] key, byte[] value, int vlen, long ts, int len) {
      if (pos + len > cur.length) {
        cur = new byte[Math.max(CHUNK, len)];
        arrays.add(cur);
        pos = 0;
      }
      int off = pos;
      pos = layout.writeCells(cur, off, key, value, vlen, ts);
      return ((long) (arrays.size() - 1) << 32) | off;
    }
  }

  /**
   * One thread's rows by region, their cells in slabs, written out as HFiles of their own when they
   * pass the thread's share of the budget. A row is added by a method of its own, compiled once, so
   * that the loop over a row group stays small (the JIT compiles a long-running loop again on its
   * own, with everything it calls inlined).
   */
  private static final class Buffer {
    private final RowCells layout;
    private final Writer writer;
    private final long ts;
    private final long budget;
    Rows[] regions;
    Slabs slabs = new Slabs();
    private long buffered;

    Buffer(RowCells layout, Writer writer, long ts, long budget) {
      this.layout = layout;
      this.writer = writer;
      this.ts = ts;
      this.budget = budget;
      this.regions = newRegions(writer.startKeys.length);
    }

    /** Adds a task's rows; returns how many. */
    long read(RowSource src, Task task) throws IOException {
      long n = 0;
      while (next(src, task)) {
        add(src);
        n++;
      }
      return n;
    }

    private void add(RowSource src) throws IOException {
      byte[] key = layout.row(src.keys());
      int len = layout.cellsLength(key.length, src.valueLength());
      long at = slabs.add(layout, key, src.value(), src.valueLength(), ts, len);
      regions[writer.region(key)].add(RowOrder.word(key, 0), RowOrder.word(key, 8), at, len);
      buffered += len + 64;
      if (buffered > budget) {
        for (Rows r : regions) {
          if (r.n > 0) {
            writer.write(r, slabs.arrays);
          }
        }
        regions = newRegions(regions.length);
        slabs = new Slabs();
        buffered = 0;
      }
    }
  }

  /** A row group; {@code direct}: read as Avro bytes, {@code columnar}: column by column. */
  private record Task(Path file, long start, long end, boolean direct, boolean columnar) {}

  static Result generate(
      Configuration conf,
      FileSystem fs,
      ColumnFamilyDescriptor family,
      byte[][] startKeys,
      RowCells layout,
      long ts,
      Path input,
      Path out,
      Consumer<String> progress)
      throws IOException {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, conf.getInt(THREADS, Runtime.getRuntime().availableProcessors())),
            io.fraudbatch.core.Workers.daemon("load-hfiles"));
    try {
      List<Task> tasks = tasks(conf, layout, dataFiles(fs, input), pool);
      // Every reader checks the snapshot's page CRCs (the columnar one does it itself).
      Configuration readConf = new Configuration(conf);
      readConf.setBoolean(ParquetInputFormat.PAGE_VERIFY_CHECKSUM_ENABLED, true);
      int threads =
          Math.max(
              1,
              Math.min(
                  conf.getInt(THREADS, Runtime.getRuntime().availableProcessors()),
                  Math.max(1, tasks.size())));
      long budget = conf.getLong(BUFFER_BYTES, Runtime.getRuntime().maxMemory() / 4);
      Path familyDir = new Path(out, family.getNameAsString());
      fs.mkdirs(familyDir);
      Writer writer = new Writer(conf, fs, family, familyDir, startKeys);
      ConcurrentLinkedQueue<Task> queue = new ConcurrentLinkedQueue<>(tasks);
      AtomicLong read = new AtomicLong();
      AtomicInteger done = new AtomicInteger();
      long t0 = System.currentTimeMillis();
      AtomicLong lastReport = new AtomicLong(t0);
      List<Buffer> leftovers = Collections.synchronizedList(new ArrayList<>());
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(
            pool.submit(
                () -> {
                  Buffer buffer = new Buffer(layout, writer, ts, budget / threads);
                  Task task;
                  while ((task = queue.poll()) != null) {
                    try (RowSource src = open(readConf, layout, task)) {
                      read.addAndGet(buffer.read(src, task));
                    }
                    int n = done.incrementAndGet();
                    long now = System.currentTimeMillis();
                    long last = lastReport.get();
                    if ((now - last >= 5_000 || n == tasks.size())
                        && lastReport.compareAndSet(last, now)) {
                      progress.accept(
                          String.format(
                              Locale.ROOT,
                              "read %d of %d row groups, %,d rows, %d HFile(s) so far (%.1f s)",
                              n,
                              tasks.size(),
                              read.get(),
                              writer.files.get(),
                              (now - t0) / 1000.0));
                    }
                  }
                  leftovers.add(buffer);
                  return null;
                }));
      }
      await(futures);
      // What every thread still holds: one sorted HFile per region, regions written in parallel.
      List<Future<?>> writes = new ArrayList<>();
      for (int r = 0; r < startKeys.length; r++) {
        List<Rows> parts = new ArrayList<>();
        List<List<byte[]>> slabs = new ArrayList<>();
        for (Buffer b : leftovers) {
          if (b.regions[r].n > 0) {
            parts.add(b.regions[r]);
            slabs.add(b.slabs.arrays);
          }
          b.regions[r] = null;
        }
        if (!parts.isEmpty()) {
          List<byte[]> regionSlabs = new ArrayList<>();
          Rows rows = Rows.merge(parts, slabs, regionSlabs);
          writes.add(pool.submit(() -> writer.write(rows, regionSlabs)));
        }
      }
      await(writes);
      return new Result(
          read.get(),
          writer.rows.get(),
          writer.files.get(),
          writer.bytes.get(),
          tasks.stream().allMatch(Task::direct));
    } finally {
      pool.shutdownNow();
    }
  }

  private static Rows[] newRegions(int n) {
    Rows[] r = new Rows[n];
    for (int i = 0; i < n; i++) {
      r[i] = new Rows();
    }
    return r;
  }

  private static void await(List<Future<?>> futures) throws IOException {
    for (Future<?> f : futures) {
      io.fraudbatch.core.Workers.get(f);
    }
  }

  /** The snapshot's data files, sorted (files named _* or .* are not data). */
  private static FileStatus[] dataFiles(FileSystem fs, Path input) throws IOException {
    // The listing already says which entries are files: no second call per file.
    FileStatus[] files =
        Arrays.stream(
                fs.listStatus(
                    input, p -> !p.getName().startsWith("_") && !p.getName().startsWith(".")))
            .filter(FileStatus::isFile)
            .toArray(FileStatus[]::new);
    Arrays.sort(files);
    return files;
  }

  /**
   * One task per row group of each data file, in file order. The footers are read on the load's
   * threads: read one after another, the eight footers of a 1M-profile snapshot took 0.4 s of a
   * load on a cold JVM.
   */
  private static List<Task> tasks(
      Configuration conf, RowCells layout, FileStatus[] files, ExecutorService pool)
      throws IOException {
    List<Future<List<Task>>> perFile = new ArrayList<>();
    for (FileStatus f : files) {
      perFile.add(pool.submit(() -> tasks(conf, layout, f)));
    }
    List<Task> tasks = new ArrayList<>();
    for (Future<List<Task>> f : perFile) {
      tasks.addAll(io.fraudbatch.core.Workers.get(f));
    }
    return tasks;
  }

  /** One task per row group of a data file. */
  private static List<Task> tasks(Configuration conf, RowCells layout, FileStatus f)
      throws IOException {
    List<Task> tasks = new ArrayList<>();
    try (ParquetFileReader r =
        ParquetFileReader.open(HadoopInputFile.fromPath(f.getPath(), conf))) {
      ParquetMetadata footer = r.getFooter();
      MessageType schema = footer.getFileMetaData().getSchema();
      boolean direct = AvroBinaryReadSupport.supports(layout.schema, schema);
      for (BlockMetaData b : footer.getBlocks()) {
        // A reader given [start, end) reads the row groups whose middle falls inside.
        tasks.add(
            new Task(
                f.getPath(),
                b.getStartingPos(),
                b.getStartingPos() + b.getCompressedSize(),
                direct,
                direct
                    && conf.getBoolean(COLUMNAR, true)
                    && ColumnarAvroReader.supports(layout.schema, schema, List.of(b))));
      }
    }
    return tasks;
  }

  /**
   * Moves the task's source to its next record; a damaged file (a page failing its CRC, data that
   * does not decode) is the user's to fix, in one line: nothing is loaded.
   */
  private static boolean next(RowSource src, Task task) throws IOException {
    try {
      return src.next();
    } catch (ColumnarAvroReader.Damaged | ParquetDecodingException e) {
      throw new FraudBatchException(
          String.format(
              Locale.ROOT,
              "Cannot load: the snapshot file %s is damaged (%s); nothing was loaded. Restore the"
                  + " file or rebuild the snapshot (profiles --as-of DAY), then load again.",
              task.file(),
              rootCause(e).getMessage()),
          e);
    }
  }

  /** What went wrong first ("could not verify page integrity..."), under the readers' wrappers. */
  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  /**
   * Records of one task as Avro bytes and key fields: {@link #next} moves to a record, whose
   * encoding is {@code value()[0, valueLength())}, valid until the next move.
   */
  private interface RowSource extends AutoCloseable {
    boolean next() throws IOException;

    byte[] value();

    int valueLength();

    byte[][] keys();

    @Override
    void close() throws IOException;
  }

  /** The next record of a reader, null at the end. */
  @FunctionalInterface
  private interface Next {
    AvroBinaryReadSupport.Encoded next() throws IOException;
  }

  /** A record reader's records (a copy each) and close, as a {@link RowSource}. */
  private static RowSource source(Next next, java.io.Closeable close) {
    return new RowSource() {
      private AvroBinaryReadSupport.Encoded e;

      @Override
      public boolean next() throws IOException {
        e = next.next();
        return e != null;
      }

      @Override
      public byte[] value() {
        return e.value();
      }

      @Override
      public int valueLength() {
        return e.value().length;
      }

      @Override
      public byte[][] keys() {
        return e.keys();
      }

      @Override
      public void close() throws IOException {
        close.close();
      }
    };
  }

  /** The columnar reader's records in place, as a {@link RowSource}. */
  private static RowSource source(ColumnarAvroReader r) {
    return new RowSource() {
      @Override
      public boolean next() throws IOException {
        return r.nextInPlace();
      }

      @Override
      public byte[] value() {
        return r.value();
      }

      @Override
      public int valueLength() {
        return r.valueLength();
      }

      @Override
      public byte[][] keys() {
        return r.keys();
      }

      @Override
      public void close() throws IOException {
        r.close();
      }
    };
  }

  /** {@code conf}: with page CRCs checked (see {@link #generate}). */
  private static RowSource open(Configuration conf, RowCells layout, Task task) throws IOException {
    InputFile in = HadoopInputFile.fromPath(task.file(), conf);
    if (task.columnar()) {
      return source(
          new ColumnarAvroReader(
              conf, in, task.start(), task.end(), layout.schema, layout.keyFields()));
    }
    if (task.direct()) {
      AvroBinaryReadSupport support = new AvroBinaryReadSupport(layout.schema, layout.keyFields());
      ParquetReader<AvroBinaryReadSupport.Encoded> r =
          new ParquetReader.Builder<AvroBinaryReadSupport.Encoded>(in) {
            @Override
            protected ReadSupport<AvroBinaryReadSupport.Encoded> getReadSupport() {
              return support;
            }
          }.withConf(conf).withFileRange(task.start(), task.end()).build();
      return source(r::read, r::close);
    }
    // Another layout (an older schema, say): parquet-avro resolves it, then Avro encodes.
    // (Both record-reader paths check page CRCs, as the columnar reader does.)
    ParquetReader<GenericRecord> r =
        AvroParquetReader.<GenericRecord>builder(in)
            .withDataModel(AvroModel.SPECIFIC)
            .withConf(conf)
            .withFileRange(task.start(), task.end())
            .build();
    BinaryMessageEncoder<GenericRecord> enc =
        new BinaryMessageEncoder<>(AvroModel.SPECIFIC, layout.schema);
    String[] keyFields = layout.keyFields();
    return source(
        () -> {
          GenericRecord g = r.read();
          if (g == null) {
            return null;
          }
          byte[][] keys = new byte[keyFields.length][];
          for (int i = 0; i < keys.length; i++) {
            keys[i] = Bytes.toBytes(g.get(keyFields[i]).toString());
          }
          return new AvroBinaryReadSupport.Encoded(Bytes.getBytes(enc.encode(g)), keys);
        },
        r::close);
  }

  /** Sorted rows to HFiles of one family, split at the regions' start keys. */
  private static final class Writer {
    private final Configuration conf;
    private final FileSystem fs;
    private final ColumnFamilyDescriptor family;
    private final Path dir;
    private final byte[][] startKeys;
    final AtomicLong rows = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    final AtomicInteger files = new AtomicInteger();

    Writer(
        Configuration conf,
        FileSystem fs,
        ColumnFamilyDescriptor family,
        Path dir,
        byte[][] startKeys) {
      this.conf = conf;
      this.fs = fs;
      this.family = family;
      this.dir = dir;
      this.startKeys = startKeys;
    }

    /** The region of a row: the last start key not after it (the first is empty). */
    int region(byte[] row) {
      int lo = 0;
      int hi = startKeys.length - 1;
      while (lo < hi) {
        int mid = (lo + hi + 1) >>> 1;
        if (Bytes.compareTo(startKeys[mid], row) <= 0) {
          lo = mid;
        } else {
          hi = mid - 1;
        }
      }
      return lo;
    }

    /**
     * A row's cells into the file. A method of its own, called per row: the JIT compiles it (and
     * the writer's append it inlines) once per JVM as an ordinary method. As the body of {@link
     * #write}'s loop, which runs once per file, it was compiled on stack replacement, and again for
     * each next file (JFR: three C2 compilations of {@code write}, 1.2 s of a 2-core machine's time
     * in a 1M-profile load).
     */
    private static void append(StoreFileWriter w, byte[] buf, int off, int len) throws IOException {
      for (int p = off, end = off + len; p < end; ) {
        int length = 8 + Bytes.toInt(buf, p) + Bytes.toInt(buf, p + 4);
        w.append(new WrittenCell(buf, p, length));
        p += length;
      }
    }

    /**
     * A cell {@link RowCells#writeCells} wrote with HBase's own {@code KeyValue.writeByteArray},
     * taken as is: {@code new KeyValue(bytes, offset, length)} walks and checks every length of it
     * again ({@code KeyValueUtil.checkKeyValueBytes}), which was most of the samples JFR put on
     * building the writer's cells in a 1M-profile load. {@code RowCellsTest} checks the bytes
     * against HBase's {@code KeyValue} constructor.
     */
    private static final class WrittenCell extends KeyValue {
      WrittenCell(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
      }
    }

    /** A region's rows, their cells in {@code slabs}, as one sorted HFile. */
    Void write(Rows batch, List<byte[]> slabs) throws IOException {
      int[] order =
          RowOrder.sort(batch.hi, batch.lo, batch.n, (a, b) -> batch.compareKeys(slabs, a, b));
      HFileContextBuilder ctx =
          new HFileContextBuilder()
              .withCompression(family.getCompressionType())
              .withDataBlockEncoding(family.getDataBlockEncoding())
              .withChecksumType(StoreUtils.getChecksumType(conf))
              .withBytesPerCheckSum(StoreUtils.getBytesPerChecksum(conf))
              .withBlockSize(family.getBlocksize())
              .withColumnFamily(family.getName());
      if (HFile.getFormatVersion(conf) >= HFile.MIN_FORMAT_VERSION_WITH_TAGS) {
        ctx.withIncludesTags(true);
      }
      HFileContext context = ctx.build();
      StoreFileWriter w =
          new StoreFileWriter.Builder(conf, CacheConfig.DISABLED, fs)
              .withOutputDir(dir)
              .withBloomType(family.getBloomFilterType())
              .withFileContext(context)
              .build();
      try {
        for (int i : order) {
          long at = batch.at[i];
          append(w, slabs.get((int) (at >>> 32)), (int) at, batch.len[i]);
        }
        // The file info HFileOutputFormat2 gives a bulk-loaded file.
        w.appendFileInfo(HStoreFile.BULKLOAD_TIME_KEY, Bytes.toBytes(System.currentTimeMillis()));
        w.appendFileInfo(HStoreFile.BULKLOAD_TASK_KEY, Bytes.toBytes("fraud-batch load"));
        w.appendFileInfo(HStoreFile.MAJOR_COMPACTION_KEY, Bytes.toBytes(true));
        w.appendFileInfo(HStoreFile.EXCLUDE_FROM_MINOR_COMPACTION_KEY, Bytes.toBytes(false));
        w.appendTrackedTimestampsToMetadata();
      } finally {
        w.close();
      }
      rows.addAndGet(batch.n);
      files.incrementAndGet();
      bytes.addAndGet(fs.getFileStatus(w.getPath()).getLen());
      return null;
    }
  }
}
