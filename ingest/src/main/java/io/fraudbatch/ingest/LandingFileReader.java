package io.fraudbatch.ingest;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.io.compress.BZip2Codec;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.GzipCodec;
import org.apache.hadoop.io.compress.SnappyCodec;
import org.apache.hadoop.util.ReflectionUtils;

/**
 * Reads the bodies out of one Flume landing file, whatever sink format wrote it. The format is
 * recognised by content (magic bytes), never by name — except Hadoop's snappy stream, which has no
 * magic and is recognised by Flume's {@code .snappy} suffix.
 *
 * <p>A file cut short by a crashed agent yields every complete record, then {@link #truncated()} is
 * true. For line formats the incomplete last line is returned too (it fails validation and is
 * quarantined, so nothing vanishes); for SequenceFile and Avro the torn record has no frame left.
 *
 * <p>Damage in the middle of a SequenceFile or an Avro container (a corrupt sync marker, a bad disk
 * block) is skipped: reading resumes at the next sync marker, every intact record after it is
 * returned, and {@link #damaged()}, {@link #bytesSkipped()} say what happened. A file that is not
 * in a landing format at all (binary that is none of the containers) cannot be opened: {@link
 * NotALandingFile}.
 */
public final class LandingFileReader implements Closeable {
  /** What a landing file holds. */
  public enum Format {
    SEQUENCEFILE,
    AVRO_EVENTS,
    GZIP_LINES,
    BZIP2_LINES,
    SNAPPY_LINES,
    LINES
  }

  private static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

  /** A file that holds none of the landing formats. */
  public static final class NotALandingFile extends IOException {
    private static final long serialVersionUID = 1L;

    NotALandingFile(String message) {
      super(message);
    }
  }

  private SequenceFileScanner scanner;
  private org.apache.avro.file.DataFileReader<GenericRecord> avroFile;
  private long avroBlockStart;
  private long bytesSkipped;
  private int damagedRegions;

  private final Path path;
  private final Format format;
  private final long length;
  private final byte[] head;
  private final int headLength;
  private SequenceFile.Reader seq;
  private byte[] avroSync;
  private InputStream lines;
  private final FSDataInputStream raw;

  private final LongWritable seqKey = new LongWritable();
  private final BytesWritable seqValue = new BytesWritable();
  private GenericRecord avroRecord;
  private final byte[] buf = new byte[64 * 1024];
  private int bufPos;
  private int bufEnd;

  private byte[] body;
  private int bodyLength;
  private long index = -1;
  private boolean truncated;
  private boolean done;

  public LandingFileReader(FileSystem fs, Path path, Configuration conf) throws IOException {
    this.path = path;
    this.length = fs.getFileStatus(path).getLen();
    this.head = new byte[4096];
    this.headLength = readHead(fs, path, head);
    this.format = detect(head, headLength, path);
    this.raw = fs.open(path);
    switch (format) {
      case SEQUENCEFILE -> {
        seq =
            new SequenceFile.Reader(
                conf, SequenceFile.Reader.stream(raw), SequenceFile.Reader.length(length));
        if (!seq.isCompressed()
            && LongWritable.class.getName().equals(seq.getKeyClassName())
            && BytesWritable.class.getName().equals(seq.getValueClassName())) {
          long headerEnd = seq.getPosition();
          byte[] sync = new byte[16];
          raw.readFully(headerEnd - 16, sync);
          scanner = new SequenceFileScanner(raw, headerEnd, sync, length, MAX_LINE_BYTES);
          seq = null; // its stream is ours; closing raw closes it
        }
      }
      case AVRO_EVENTS -> {
        avroSync = avroHeaderSync(fs, path);
        avroFile =
            new org.apache.avro.file.DataFileReader<>(
                new SeekableStream(raw, length), new GenericDatumReader<>());
        avroBlockStart = avroFile.previousSync();
      }
      case GZIP_LINES -> lines = buffered(codec(GzipCodec.class, conf).createInputStream(raw));
      case BZIP2_LINES -> lines = buffered(codec(BZip2Codec.class, conf).createInputStream(raw));
      case SNAPPY_LINES -> lines = buffered(codec(SnappyCodec.class, conf).createInputStream(raw));
      case LINES -> {
        requireText(head, headLength);
        lines = buffered(raw);
      }
    }
  }

  /**
   * Flume's text formats are UTF-8 JSON lines. A head that is binary (NUL or many control bytes)
   * and has no line starting like a JSON object is no landing file; a text file with some garbage
   * lines is one (the garbage is quarantined line by line).
   */
  private static void requireText(byte[] head, int n) throws IOException {
    int control = 0;
    boolean nul = false;
    boolean jsonLine = false;
    for (int i = 0; i < n; i++) {
      int b = head[i] & 0xff;
      nul |= b == 0;
      if (b < 0x20 && b != '\n' && b != '\r' && b != '\t') {
        control++;
      }
      if ((i == 0 || head[i - 1] == '\n') && b == '{' && i + 1 < n && head[i + 1] == '"') {
        jsonLine = true;
      }
    }
    if (!jsonLine && n > 0 && (nul || control * 10 > n)) {
      throw new NotALandingFile(
          "not a landing file: binary content (no JSON line in its first "
              + n
              + " bytes) that is no SequenceFile, Avro container, gzip or bzip2 stream");
    }
  }

  /** Avro's seekable input over a Hadoop stream. */
  private static final class SeekableStream implements org.apache.avro.file.SeekableInput {
    private final FSDataInputStream in;
    private final long length;

    SeekableStream(FSDataInputStream in, long length) {
      this.in = in;
      this.length = length;
    }

    @Override
    public void seek(long p) throws IOException {
      in.seek(p);
    }

    @Override
    public long tell() throws IOException {
      return in.getPos();
    }

    @Override
    public long length() {
      return length;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return in.read(b, off, len);
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  private static InputStream buffered(InputStream in) {
    return in; // nextLine() reads in 64 KiB chunks itself
  }

  private static CompressionCodec codec(Class<? extends CompressionCodec> c, Configuration conf) {
    return ReflectionUtils.newInstance(c, conf);
  }

  /** The format of a landing file, from its first bytes. */
  public static Format detect(FileSystem fs, Path path) throws IOException {
    byte[] head = new byte[4];
    return detect(head, readHead(fs, path, head), path);
  }

  /** Fills {@code head} from the start of the file; returns how many bytes it holds. */
  private static int readHead(FileSystem fs, Path path, byte[] head) throws IOException {
    int n = 0;
    try (FSDataInputStream in = fs.open(path)) {
      while (n < head.length) {
        int r = in.read(head, n, head.length - n);
        if (r < 0) {
          break;
        }
        n += r;
      }
    }
    return n;
  }

  private static Format detect(byte[] head, int n, Path path) {
    if (n >= 3 && head[0] == 'S' && head[1] == 'E' && head[2] == 'Q') {
      return Format.SEQUENCEFILE;
    }
    if (n >= 4 && head[0] == 'O' && head[1] == 'b' && head[2] == 'j' && head[3] == 1) {
      return Format.AVRO_EVENTS;
    }
    if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      return Format.GZIP_LINES;
    }
    if (n >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') {
      return Format.BZIP2_LINES;
    }
    String name = path.getName().toLowerCase(Locale.ROOT);
    if (name.endsWith(".snappy") || name.contains(".snappy.")) {
      return Format.SNAPPY_LINES;
    }
    return Format.LINES;
  }

  /** Avro files end with the sync marker that closes their header; a torn file does not. */
  private static byte[] avroHeaderSync(FileSystem fs, Path path) throws IOException {
    try (FSDataInputStream in = fs.open(path)) {
      BinaryDecoder d = DecoderFactory.get().directBinaryDecoder(in, null);
      byte[] magic = new byte[4];
      d.readFixed(magic);
      for (long n = d.readMapStart(); n != 0; n = d.mapNext()) {
        for (long i = 0; i < n; i++) {
          d.readString();
          d.skipBytes();
        }
      }
      byte[] sync = new byte[16];
      d.readFixed(sync);
      return sync;
    }
  }

  public Format format() {
    return format;
  }

  public Path path() {
    return path;
  }

  /** Advances to the next record; false at the end (or where a truncated file breaks off). */
  public boolean next() throws IOException {
    if (done) {
      return false;
    }
    boolean more;
    try {
      more =
          switch (format) {
            case SEQUENCEFILE -> scanner != null ? nextScanned() : nextSequence();
            case AVRO_EVENTS -> nextAvroSalvaging();
            default -> nextLine();
          };
    } catch (EOFException e) {
      truncated = true;
      more = false;
    } catch (AvroRuntimeException | org.apache.hadoop.fs.ChecksumException e) {
      truncated = true;
      more = false;
    } catch (IOException e) {
      if (format == Format.LINES) {
        throw e;
      }
      // Codecs report a cut stream in their own words ("Unexpected end of input stream", ...).
      truncated = true;
      more = false;
    }
    if (!more) {
      done = true;
      if (format == Format.AVRO_EVENTS && !truncated) {
        truncated = !endsWithSync();
      }
      return false;
    }
    index++;
    return true;
  }

  private boolean nextScanned() throws IOException {
    boolean more = scanner.next();
    bytesSkipped = scanner.bytesSkipped();
    damagedRegions = scanner.damagedRegions();
    if (scanner.truncated()) {
      truncated = true;
    }
    if (more) {
      body = scanner.body();
      bodyLength = scanner.bodyLength();
    }
    return more;
  }

  /**
   * The next Avro record; a block that fails to decode is skipped to the next sync marker (a block
   * is the unit Avro can resynchronise on), counted as damage, or as truncation when no sync marker
   * follows it.
   */
  private boolean nextAvroSalvaging() throws IOException {
    while (true) {
      long block = avroFile.previousSync();
      try {
        if (!avroFile.hasNext()) {
          return false;
        }
        avroRecord = avroFile.next(avroRecord);
        avroBlockStart = avroFile.previousSync();
        ByteBuffer b = (ByteBuffer) avroRecord.get("body");
        if (body == null || body.length < b.remaining()) {
          body = new byte[Math.max(b.remaining(), 256)];
        }
        bodyLength = b.remaining();
        b.duplicate().get(body, 0, bodyLength);
        return true;
      } catch (IOException | RuntimeException e) {
        long from = Math.max(block, avroBlockStart);
        avroFile.sync(from + 1);
        long to = avroFile.previousSync();
        if (to >= length || to <= from) {
          // Nothing readable after the damage: a cut-off end, or damage in the last block.
          bytesSkipped += length - from;
          if (endsWithSync()) {
            damagedRegions++;
          } else {
            truncated = true;
          }
          done = true;
          return false;
        }
        damagedRegions++;
        bytesSkipped += to - from;
        avroBlockStart = to;
      }
    }
  }

  /** Why a file cannot be read: the error of opening and reading it through. */
  public static String whyUnreadable(FileSystem fs, Path path, Configuration conf) {
    try (LandingFileReader r = new LandingFileReader(fs, path, conf)) {
      while (r.next()) {
        // read through
      }
      return "readable now (the failure was transient)";
    } catch (IOException | RuntimeException e) {
      String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return m.length() > 300 ? m.substring(0, 300) + "…" : m;
    }
  }

  /** Whether reading skipped damage in the middle of the file (known once next() is false). */
  public boolean damaged() {
    return damagedRegions > 0;
  }

  /** Bytes skipped over damage or at a cut-off end. */
  public long bytesSkipped() {
    return bytesSkipped;
  }

  /** Separate damaged regions skipped. */
  public int damagedRegions() {
    return damagedRegions;
  }

  private boolean nextSequence() throws IOException {
    if (!seq.next(seqKey, seqValue)) {
      return false;
    }
    body = seqValue.getBytes();
    bodyLength = seqValue.getLength();
    return true;
  }

  private boolean nextLine() throws IOException {
    int len = 0;
    while (true) {
      if (bufPos >= bufEnd) {
        bufEnd = lines.read(buf, 0, buf.length);
        bufPos = 0;
        if (bufEnd <= 0) {
          bufEnd = 0;
          if (len == 0) {
            return false;
          }
          // A last line without its newline: the writer stopped mid-record.
          truncated = true;
          bodyLength = len;
          return true;
        }
      }
      int start = bufPos;
      int nl = -1;
      for (int i = start; i < bufEnd; i++) {
        if (buf[i] == '\n') {
          nl = i;
          break;
        }
      }
      int take = (nl < 0 ? bufEnd : nl) - start;
      if (len + take > MAX_LINE_BYTES) {
        throw new IOException(
            "Cannot read "
                + path
                + ": a line longer than "
                + MAX_LINE_BYTES
                + " bytes; not a landing file?");
      }
      if (body == null || body.length < len + take) {
        body = Arrays.copyOf(body == null ? new byte[0] : body, Math.max(len + take, 1024) * 2);
      }
      System.arraycopy(buf, start, body, len, take);
      len += take;
      if (nl >= 0) {
        bufPos = nl + 1;
        if (len > 0 && body[len - 1] == '\r') {
          len--;
        }
        bodyLength = len;
        return true;
      }
      bufPos = bufEnd;
    }
  }

  private boolean endsWithSync() {
    try {
      byte[] tail = new byte[16];
      raw.readFully(length - 16, tail);
      return Arrays.equals(tail, avroSync);
    } catch (IOException e) {
      return false;
    }
  }

  /** The current record's body: valid until the next call to {@link #next()}. */
  public byte[] body() {
    return body;
  }

  public int bodyLength() {
    return bodyLength;
  }

  /** 0-based position of the current record in the file. */
  public long index() {
    return index;
  }

  /** Whether the file broke off before its end (known once {@link #next()} returned false). */
  public boolean truncated() {
    return truncated;
  }

  /** Bytes of the file (for progress). */
  public long length() {
    return length;
  }

  @Override
  public void close() throws IOException {
    try {
      if (seq != null) {
        seq.close();
      }
      if (avroFile != null) {
        avroFile.close();
      }
      if (lines != null) {
        lines.close();
      }
    } finally {
      raw.close();
    }
  }
}
