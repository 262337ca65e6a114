package io.fraudbatch.jobs.profiles;

import java.util.Arrays;
import org.apache.parquet.column.values.ValuesWriter;

/**
 * A Parquet values writer that writes its encoded bytes into one growing array ({@link
 * PlainValues}, {@link LevelRuns}): what parquet-column's writers put through an output stream of
 * slabs, one call per byte.
 */
abstract class ArrayValues extends ValuesWriter {
  private final String what;
  protected byte[] buf;
  protected int size;

  ArrayValues(String what, int initialBytes) {
    this.what = what;
    this.buf = new byte[Math.max(64, initialBytes)];
  }

  /** Makes room for {@code n} more bytes. */
  protected final void room(int n) {
    if (buf.length - size < n) {
      long want = Math.max(2L * buf.length, (long) size + n);
      buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 8, want));
    }
  }

  @Override
  public long getBufferedSize() {
    return size;
  }

  @Override
  public void reset() {
    size = 0;
  }

  @Override
  public void close() {
    reset();
    buf = new byte[0];
  }

  @Override
  public long getAllocatedSize() {
    return buf.length;
  }

  @Override
  public String memUsageString(String prefix) {
    return prefix + " " + what + " " + size + " of " + buf.length + " bytes";
  }
}
