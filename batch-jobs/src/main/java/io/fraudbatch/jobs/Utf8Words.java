package io.fraudbatch.jobs;

import org.apache.spark.unsafe.types.UTF8String;

/**
 * Java strings for the short, repetitive string values of Spark's internal rows (decisions,
 * channels, currencies, merchant categories, countries, regions, cities): one string per distinct
 * value seen recently instead of a new one per row. A direct-mapped cache of fixed size: a value
 * whose slot another value took is decoded again, so memory stays bounded whatever the column's
 * cardinality, and the result is always the value's own text.
 *
 * <p>Why: turning every row's UTF-8 into new strings (Spark's conversion to external rows) was a
 * fifth of the profile fold's CPU at 20M events. Not thread-safe: one per task.
 */
public final class Utf8Words {
  /** Longer values are decoded every time: they are rarely repeated (ids, addresses). */
  static final int MAX_BYTES = 48;

  private final UTF8String[] keys;
  private final String[] values;
  private final int mask;

  /** A cache of {@code 2^bits} slots. */
  public Utf8Words(int bits) {
    keys = new UTF8String[1 << bits];
    values = new String[1 << bits];
    mask = (1 << bits) - 1;
  }

  /** {@code s} as a Java string ({@code null} for {@code null}). */
  public String get(UTF8String s) {
    if (s == null) {
      return null;
    }
    if (s.numBytes() > MAX_BYTES) {
      return s.toString();
    }
    int i = s.hashCode() & mask;
    UTF8String k = keys[i];
    if (k != null && k.equals(s)) {
      return values[i];
    }
    String v = s.toString();
    keys[i] = s.copy(); // the row's bytes are reused by the next row
    values[i] = v;
    return v;
  }
}
