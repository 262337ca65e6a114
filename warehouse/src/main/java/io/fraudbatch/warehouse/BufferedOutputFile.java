package io.fraudbatch.warehouse;

import java.io.IOException;
import java.util.Objects;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * A Parquet output file whose stream hands the filesystem's stream large writes. Parquet writes a
 * column chunk's pages through {@code Channels.newChannel(out)}, which copies them out in 8 KB
 * pieces: one call of the Hadoop stream (a position update, a checksum call on the local
 * filesystem, a packet on HDFS) per 8 KB, and page headers a few bytes at a time. On a 160 MB
 * snapshot that was about 20,000 calls, enough for the JIT's optimising compiler to spend 0.8 s of
 * a ten-second run compiling that stream's call chain. Here those writes land in a buffer ({@link
 * #BUFFER_BYTES}) that goes to the file in one call when full; what is left of a write after the
 * buffer is filled goes straight through if it is at least as long. Every write the file's stream
 * gets is at least a buffer long, but for the last one (at flush or close). {@link
 * PositionOutputStream#getPos} counts buffered bytes, so the offsets Parquet records in its footer
 * are the file's.
 */
public final class BufferedOutputFile implements OutputFile {
  /** Bytes held before a write reaches the filesystem's stream. */
  public static final int BUFFER_BYTES = 1 << 20;

  private final OutputFile file;
  private final int bufferBytes;

  public BufferedOutputFile(OutputFile file) {
    this(file, BUFFER_BYTES);
  }

  BufferedOutputFile(OutputFile file, int bufferBytes) {
    this.file = Objects.requireNonNull(file, "file");
    if (bufferBytes < 1) {
      throw new IllegalArgumentException("buffer of " + bufferBytes + " bytes");
    }
    this.bufferBytes = bufferBytes;
  }

  @Override
  public PositionOutputStream create(long blockSizeHint) throws IOException {
    return new Stream(file.create(blockSizeHint), bufferBytes);
  }

  @Override
  public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
    return new Stream(file.createOrOverwrite(blockSizeHint), bufferBytes);
  }

  @Override
  public boolean supportsBlockSize() {
    return file.supportsBlockSize();
  }

  @Override
  public long defaultBlockSize() {
    return file.defaultBlockSize();
  }

  @Override
  public String getPath() {
    return file.getPath();
  }

  @Override
  public String toString() {
    return file.toString();
  }

  /** The buffering stream; not thread-safe (one Parquet writer writes it). */
  static final class Stream extends PositionOutputStream {
    private final PositionOutputStream out;
    private final byte[] buffer;
    private int count;
    private boolean closed;

    Stream(PositionOutputStream out, int bufferBytes) {
      this.out = out;
      this.buffer = new byte[bufferBytes];
    }

    @Override
    public long getPos() throws IOException {
      return out.getPos() + count;
    }

    @Override
    public void write(int b) throws IOException {
      if (count == buffer.length) {
        drain();
      }
      buffer[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      int room = buffer.length - count;
      if (len < room) {
        System.arraycopy(b, off, buffer, count, len);
        count += len;
        return;
      }
      // The buffer fills: it goes out whole, then the rest goes straight out or is held.
      System.arraycopy(b, off, buffer, count, room);
      count = buffer.length;
      drain();
      off += room;
      len -= room;
      if (len >= buffer.length) {
        out.write(b, off, len);
      } else {
        System.arraycopy(b, off, buffer, 0, len);
        count = len;
      }
    }

    private void drain() throws IOException {
      if (count > 0) {
        out.write(buffer, 0, count);
        count = 0;
      }
    }

    @Override
    public void flush() throws IOException {
      drain();
      out.flush();
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      try (PositionOutputStream o = out) {
        drain();
      }
    }
  }
}
