package io.fraudbatch.ingest;

import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import org.apache.hadoop.fs.FSDataInputStream;

/**
 * Reads the records of an uncompressed SequenceFile of {@code LongWritable} keys and {@code
 * BytesWritable} values (Flume's default sink format) and survives damage: a record whose framing
 * does not hold (lengths out of range, a key that is not 8 bytes, a value whose own length
 * disagrees) is damage, and reading resumes at the next sync marker after it — as {@code
 * SequenceFile.Reader.sync} does, without trusting a damaged length enough to allocate it. A sync
 * marker that is itself corrupt is skipped when the record after it is whole.
 *
 * <p>Layout after the header: records {@code int recordLength, int keyLength, key, value}, and
 * every ~2 kB a sync escape {@code int -1} followed by the 16-byte sync of the header.
 */
final class SequenceFileScanner {
  private static final int SYNC_ESCAPE = -1;
  private static final int SYNC_SIZE = 16;

  private final FSDataInputStream in;
  private final long end;
  private final byte[] sync;
  private final int maxRecordBytes;
  private long pos;

  private byte[] body = new byte[1024];
  private int bodyLength;

  private long bytesSkipped;
  private int damagedRegions;
  private boolean truncated;

  SequenceFileScanner(
      FSDataInputStream in, long headerEnd, byte[] sync, long end, int maxRecordBytes) {
    this.in = in;
    this.pos = headerEnd;
    this.sync = sync;
    this.end = end;
    this.maxRecordBytes = maxRecordBytes;
  }

  byte[] body() {
    return body;
  }

  int bodyLength() {
    return bodyLength;
  }

  long bytesSkipped() {
    return bytesSkipped;
  }

  int damagedRegions() {
    return damagedRegions;
  }

  boolean truncated() {
    return truncated;
  }

  /** The next intact record; false at the end of the file. */
  boolean next() throws IOException {
    while (pos < end) {
      long start = pos;
      Frame f = frame(start);
      if (f == Frame.SYNC) {
        pos = start + 4 + SYNC_SIZE;
        continue;
      }
      if (f == Frame.CORRUPT_SYNC) {
        // A corrupt marker is not data: go on if what follows it is a whole record.
        long after = start + 4 + SYNC_SIZE;
        if (after >= end || frame(after) == Frame.RECORD) {
          damage(start, after);
          continue;
        }
        resync(start);
        continue;
      }
      if (f == Frame.SHORT) {
        // A sane frame that runs past the end: the writer stopped here.
        truncated = true;
        bytesSkipped += end - start;
        pos = end;
        return false;
      }
      if (f == Frame.RECORD) {
        readBody(start);
        return true;
      }
      resync(start);
    }
    return false;
  }

  private enum Frame {
    RECORD,
    SYNC,
    CORRUPT_SYNC,
    SHORT,
    BROKEN
  }

  private int recordLength;

  /** What the bytes at {@code at} are. */
  private Frame frame(long at) throws IOException {
    if (end - at < 4) {
      return Frame.SHORT;
    }
    int len = readInt(at);
    if (len == SYNC_ESCAPE) {
      if (end - at < 4 + SYNC_SIZE) {
        return Frame.SHORT;
      }
      byte[] s = new byte[SYNC_SIZE];
      read(at + 4, s, 0, SYNC_SIZE);
      return Arrays.equals(s, sync) ? Frame.SYNC : Frame.CORRUPT_SYNC;
    }
    // recordLength covers key (8) + value (4-byte length + bytes).
    if (len < 12 || len > maxRecordBytes) {
      return Frame.BROKEN;
    }
    if (end - at < 8 + (long) len) {
      return end - at >= 8 && readInt(at + 4) == 8 ? Frame.SHORT : Frame.BROKEN;
    }
    if (readInt(at + 4) != 8 || readInt(at + 16) != len - 12) {
      return Frame.BROKEN;
    }
    recordLength = len;
    return Frame.RECORD;
  }

  private void readBody(long start) throws IOException {
    bodyLength = recordLength - 12;
    if (body.length < bodyLength) {
      body = new byte[Math.max(bodyLength, body.length * 2)];
    }
    read(start + 20, body, 0, bodyLength);
    pos = start + 8 + recordLength;
  }

  /** Skips from {@code start} to the record after the next good sync marker (or the end). */
  private void resync(long start) throws IOException {
    long found = find(start + 1);
    long resume = found < 0 ? end : found + SYNC_SIZE;
    damage(start, resume);
  }

  private void damage(long from, long to) {
    damagedRegions++;
    bytesSkipped += to - from;
    pos = to;
  }

  /** Position of the next full sync marker at or after {@code from}; -1 if none. */
  private long find(long from) throws IOException {
    byte[] window = new byte[64 * 1024];
    long p = from;
    while (p + SYNC_SIZE <= end) {
      int n = (int) Math.min(window.length, end - p);
      read(p, window, 0, n);
      for (int i = 0; i + SYNC_SIZE <= n; i++) {
        if (window[i] == sync[0] && matches(window, i)) {
          return p + i;
        }
      }
      if (p + n >= end) {
        break;
      }
      p += n - SYNC_SIZE + 1;
    }
    return -1;
  }

  private boolean matches(byte[] w, int i) {
    for (int k = 1; k < SYNC_SIZE; k++) {
      if (w[i + k] != sync[k]) {
        return false;
      }
    }
    return true;
  }

  private final byte[] four = new byte[4];
  private final byte[] buf = new byte[1 << 20];
  private long bufStart = -1;
  private int bufLen;

  /** Reads through a 1 MiB window moved forward by streaming reads (one seek per window). */
  private void read(long at, byte[] dst, int off, int len) throws IOException {
    if (len > buf.length) {
      in.seek(at);
      in.readFully(dst, off, len);
      bufStart = -1;
      return;
    }
    if (bufStart < 0 || at < bufStart || at + len > bufStart + bufLen) {
      int n = (int) Math.min(buf.length, end - at);
      if (n < len) {
        throw new EOFException("Cannot read " + len + " bytes at " + at + ": the file ends");
      }
      in.seek(at);
      in.readFully(buf, 0, n);
      bufStart = at;
      bufLen = n;
    }
    System.arraycopy(buf, (int) (at - bufStart), dst, off, len);
  }

  private int readInt(long at) throws IOException {
    if (end - at < 4) {
      return Integer.MIN_VALUE;
    }
    read(at, four, 0, 4);
    return ((four[0] & 0xff) << 24)
        | ((four[1] & 0xff) << 16)
        | ((four[2] & 0xff) << 8)
        | (four[3] & 0xff);
  }
}
