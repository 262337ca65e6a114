package io.fraudbatch.jobs;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * A {@link ByteArrayOutputStream} without its locks, for one thread's per-record buffer: a {@code
 * DataOutputStream} over it writes an int as four single-byte writes, and each of the JDK's takes
 * the stream's monitor (no biased locking since JDK 15). The MapReduce profile mapper encodes every
 * decision this way, about eighty writes each.
 */
public final class ByteSink extends ByteArrayOutputStream {
  public ByteSink(int capacity) {
    super(capacity);
  }

  @Override
  public void write(int b) {
    if (count == buf.length) {
      buf = Arrays.copyOf(buf, Math.max(16, buf.length * 2));
    }
    buf[count++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    if (count + len > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(count + len, buf.length * 2));
    }
    System.arraycopy(b, off, buf, count, len);
    count += len;
  }

  @Override
  public void reset() {
    count = 0;
  }

  @Override
  public int size() {
    return count;
  }

  /** The buffer itself: its first {@link #size} bytes are what was written since the reset. */
  public byte[] array() {
    return buf;
  }

  /** A copy of what was written since the reset. */
  public byte[] copy() {
    return Arrays.copyOf(buf, count);
  }
}
