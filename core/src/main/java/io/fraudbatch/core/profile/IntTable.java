package io.fraudbatch.core.profile;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Rows of {@code width} longs keyed by int, kept in ascending key order in two parallel arrays: the
 * accumulator's day buckets and amount histogram. A profile holds tens of keys, usually arriving in
 * order (a profile's own lists, a day's events), so a binary search and the occasional shift cost
 * less than a {@code TreeMap<Integer, long[]>}, which boxed every key and allocated a node and an
 * array per entry (most of the accumulator's time per event in a profile of the Spark fold).
 */
final class IntTable implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int width;
  private int[] keys;
  private long[] values;
  private int n;

  IntTable(int width) {
    this(width, 8);
  }

  IntTable(int width, int capacity) {
    this.width = width;
    this.keys = new int[Math.max(1, capacity)];
    this.values = new long[keys.length * width];
  }

  int size() {
    return n;
  }

  /** The key of row {@code i} (rows ascend by key). */
  int key(int i) {
    return keys[i];
  }

  long get(int i, int column) {
    return values[i * width + column];
  }

  void set(int i, int column, long v) {
    values[i * width + column] = v;
  }

  void add(int i, int column, long delta) {
    values[i * width + column] += delta;
  }

  void or(int i, int column, long bits) {
    values[i * width + column] |= bits;
  }

  /** The row of {@code key}, added with zeros if absent. */
  int row(int key) {
    if (n > 0 && keys[n - 1] < key) {
      return insert(n, key); // the common case: keys in order
    }
    int i = Arrays.binarySearch(keys, 0, n, key);
    return i >= 0 ? i : insert(-i - 1, key);
  }

  /** The first row whose key is {@code >= key} ({@link #size} if none). */
  int from(int key) {
    int i = Arrays.binarySearch(keys, 0, n, key);
    if (i >= 0) {
      return i;
    }
    return -i - 1;
  }

  /** Drops every row whose key is below {@code key}. */
  void dropBelow(int key) {
    int k = from(key);
    if (k == 0) {
      return;
    }
    System.arraycopy(keys, k, keys, 0, n - k);
    System.arraycopy(values, k * width, values, 0, (n - k) * width);
    n -= k;
  }

  /** Makes room for {@code capacity} rows in all (a table about to take a known number). */
  void reserve(int capacity) {
    if (capacity > keys.length) {
      keys = Arrays.copyOf(keys, capacity);
      values = Arrays.copyOf(values, capacity * width);
    }
  }

  private int insert(int i, int key) {
    if (n == keys.length) {
      keys = Arrays.copyOf(keys, n * 2);
      values = Arrays.copyOf(values, n * 2 * width);
    }
    System.arraycopy(keys, i, keys, i + 1, n - i);
    System.arraycopy(values, i * width, values, (i + 1) * width, (n - i) * width);
    keys[i] = key;
    Arrays.fill(values, i * width, (i + 1) * width, 0L);
    n++;
    return i;
  }
}
