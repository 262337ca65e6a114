package io.fraudbatch.ingest;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The eventIds of a run that may have more than one copy (landed twice, or landed and published),
 * as 64-bit hashes of their UTF-8 bytes: what the local engine's id pass finds ({@link
 * LocalIngest}), and what its mappers ask before writing a row straight to its day. An id whose
 * hash is not here has exactly one copy among the run's landed records and the published days it
 * reads, so it needs no duplicate resolution; a hash shared by two different ids only sends their
 * rows through the resolution, never past it.
 */
final class Suspects {
  /** Where the driver put the file of suspects for the tasks; unset: every row is resolved. */
  static final String FILE = "fraud.ingest.internal.suspects-file";

  private final long[] sorted;

  /** How many records (landed or published) carry a suspect hash. */
  private final long copies;

  private Suspects(long[] sorted, long copies) {
    this.sorted = sorted;
    this.copies = copies;
  }

  int size() {
    return sorted.length;
  }

  long copies() {
    return copies;
  }

  boolean contains(long hash) {
    return Arrays.binarySearch(sorted, hash) >= 0;
  }

  /** FNV-1a over the bytes, then MurmurHash3's finaliser to spread the bits. */
  static long hash(byte[] b, int off, int len) {
    long h = 0xcbf29ce484222325L;
    for (int i = off, end = off + len; i < end; i++) {
      h = (h ^ (b[i] & 0xff)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    return h ^ (h >>> 33);
  }

  /**
   * The hashes found twice or more across {@code lists} (each of {@code sizes[i]} hashes; sorted
   * here, in place).
   */
  static Suspects find(long[][] lists, int[] sizes) {
    int k = lists.length;
    for (int i = 0; i < k; i++) {
      Arrays.sort(lists[i], 0, sizes[i]);
    }
    int[] at = new int[k];
    long[] out = new long[64];
    int n = 0;
    long copies = 0;
    while (true) {
      // The smallest head among the lists, then every copy of it in all of them.
      long min = 0;
      boolean any = false;
      for (int i = 0; i < k; i++) {
        if (at[i] < sizes[i] && (!any || lists[i][at[i]] < min)) {
          min = lists[i][at[i]];
          any = true;
        }
      }
      if (!any) {
        break;
      }
      int count = 0;
      for (int i = 0; i < k; i++) {
        while (at[i] < sizes[i] && lists[i][at[i]] == min) {
          at[i]++;
          count++;
        }
      }
      if (count > 1) {
        if (n == out.length) {
          out = Arrays.copyOf(out, n * 2);
        }
        out[n++] = min;
        copies += count;
      }
    }
    return new Suspects(Arrays.copyOf(out, n), copies);
  }

  void write(FileSystem fs, Path file) throws IOException {
    try (DataOutputStream o =
        new DataOutputStream(new java.io.BufferedOutputStream(fs.create(file, true)))) {
      o.writeInt(sorted.length);
      o.writeLong(copies);
      for (long h : sorted) {
        o.writeLong(h);
      }
    }
  }

  /** The suspects the driver named in {@code conf}, or null when every row is to be resolved. */
  static Suspects of(Configuration conf) throws IOException {
    String file = conf.get(FILE);
    if (file == null) {
      return null;
    }
    Path p = new Path(file);
    try (DataInputStream in =
        new DataInputStream(new java.io.BufferedInputStream(p.getFileSystem(conf).open(p)))) {
      long[] s = new long[in.readInt()];
      long copies = in.readLong();
      for (int i = 0; i < s.length; i++) {
        s[i] = in.readLong();
      }
      return new Suspects(s, copies);
    }
  }
}
