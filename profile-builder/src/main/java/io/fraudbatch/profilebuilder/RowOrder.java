package io.fraudbatch.profilebuilder;

import java.util.function.IntBinaryOperator;

/**
 * The order of a region's buffered rows by row key, from each key's first 16 bytes as two unsigned
 * numbers ({@code hi}, {@code lo}, zero-padded), without objects: a least-significant-digit radix
 * sort of the rows' numbers over the bytes where they differ, then the rows equal on both numbers
 * put in order by their whole keys.
 *
 * <p>Why not {@code List.sort} of a record per row: a million records were most of what G1 marked
 * and copied while a 1M-profile load read its snapshot, and the merge sort compared them through
 * pointers. Radix passes over a byte every key shares are skipped (row keys of ids with a common
 * prefix share several), so a pass is paid only for the bytes that order the rows.
 */
final class RowOrder {
  private RowOrder() {}

  /** Bytes {@code [from, from + 8)} of {@code key} as an unsigned number, zero-padded. */
  static long word(byte[] key, int from) {
    long p = 0;
    for (int i = from; i < from + 8; i++) {
      p = (p << 8) | (i < key.length ? key[i] & 0xFF : 0);
    }
    return p;
  }

  /**
   * The indexes {@code 0..n-1} in the order of the rows' keys; {@code tie} compares two rows whose
   * first 16 bytes are equal, by their whole keys.
   */
  static int[] sort(long[] hi, long[] lo, int n, IntBinaryOperator tie) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    int[] spare = new int[n];
    int[] count = new int[257];
    // Least significant digit first: lo's eight bytes, then hi's; each pass is stable.
    for (int pass = 0; pass < 16; pass++) {
      long[] words = pass < 8 ? lo : hi;
      int shift = 8 * (pass % 8);
      java.util.Arrays.fill(count, 0);
      for (int i = 0; i < n; i++) {
        count[(int) ((words[i] >>> shift) & 0xFF) + 1]++;
      }
      if (oneDigit(count, n)) {
        continue; // every row has the same byte here: the pass would not move any
      }
      for (int d = 0; d < 256; d++) {
        count[d + 1] += count[d];
      }
      for (int i = 0; i < n; i++) {
        int r = order[i];
        spare[count[(int) ((words[r] >>> shift) & 0xFF)]++] = r;
      }
      int[] t = order;
      order = spare;
      spare = t;
    }
    // Rows equal on their first 16 bytes lie next to each other: order each such run.
    for (int i = 0; i < n; ) {
      int j = i + 1;
      while (j < n && hi[order[j]] == hi[order[i]] && lo[order[j]] == lo[order[i]]) {
        j++;
      }
      if (j - i > 16) {
        // A long run (ids sharing their first 14 bytes): a merge sort, not quadratic.
        Integer[] run = new Integer[j - i];
        for (int k = i; k < j; k++) {
          run[k - i] = order[k];
        }
        java.util.Arrays.sort(run, tie::applyAsInt);
        for (int k = i; k < j; k++) {
          order[k] = run[k - i];
        }
      } else if (j - i > 1) {
        insertionSort(order, i, j, tie);
      }
      i = j;
    }
    return order;
  }

  private static boolean oneDigit(int[] count, int n) {
    for (int d = 1; d <= 256; d++) {
      if (count[d] != 0) {
        return count[d] == n;
      }
    }
    return true;
  }

  private static void insertionSort(int[] a, int from, int to, IntBinaryOperator cmp) {
    for (int i = from + 1; i < to; i++) {
      int x = a[i];
      int j = i - 1;
      while (j >= from && cmp.applyAsInt(a[j], x) > 0) {
        a[j + 1] = a[j];
        j--;
      }
      a[j + 1] = x;
    }
  }
}
