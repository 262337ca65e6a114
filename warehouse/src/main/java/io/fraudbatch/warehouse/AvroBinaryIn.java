package io.fraudbatch.warehouse;

import org.apache.parquet.io.api.Binary;

/**
 * Avro binary (the specification's encoding: zigzag varints, little-endian fixed-width numbers,
 * length-prefixed bytes, lists and maps as blocks of items ending with a zero count) read in place
 * from an array: the one reader of it for the writers that turn Avro records into Parquet columns
 * without building the records (ingest's decisions, the profile snapshots). A cursor: {@link #buf}
 * and {@link #pos} are set by the caller and advanced by every read; a value running past the
 * array's end throws {@link ArrayIndexOutOfBoundsException}.
 */
public final class AvroBinaryIn {
  /** The bytes being read. */
  public byte[] buf;

  /** Where the next value starts. */
  public int pos;

  /** A long or int (zigzag varint). */
  public long readLong() {
    long v = 0;
    int shift = 0;
    byte b;
    do {
      if (shift > 63) {
        throw new IllegalArgumentException("not Avro: a varint longer than ten bytes at " + pos);
      }
      b = buf[pos++];
      v |= (long) (b & 0x7F) << shift;
      shift += 7;
    } while (b < 0);
    return (v >>> 1) ^ -(v & 1);
  }

  /** An int, refused when the varint holds a value out of its range. */
  public int readInt() {
    long v = readLong();
    if (v != (int) v) {
      throw new IllegalArgumentException("not Avro: an int out of range before " + pos);
    }
    return (int) v;
  }

  /** An array or map block's item count (a negative count is followed by the block's size). */
  public long readBlockCount() {
    long n = readLong();
    if (n < 0) {
      readLong();
      n = -n;
    }
    return n;
  }

  /** {@code bytes} bytes, little-endian (a double's or float's bits). */
  public long readFixed(int bytes) {
    long v = 0;
    for (int i = 0; i < bytes; i++) {
      v |= (long) (buf[pos++] & 0xFF) << (8 * i);
    }
    return v;
  }

  public double readDouble() {
    return Double.longBitsToDouble(readFixed(8));
  }

  /** Length-prefixed bytes, as a view of {@link #buf} that the caller will overwrite. */
  public Binary readBinary() {
    int len = length();
    Binary b = Binary.fromReusedByteArray(buf, pos, len);
    pos += len;
    return b;
  }

  /** Length-prefixed bytes, as a view of {@link #buf}, which must not change afterwards. */
  public Binary readConstantBinary() {
    int len = length();
    Binary b = Binary.fromConstantByteArray(buf, pos, len);
    pos += len;
    return b;
  }

  private int length() {
    long len = readLong();
    if (len < 0 || len > buf.length - pos) {
      throw new IllegalArgumentException("not Avro: " + len + " bytes announced at " + pos);
    }
    return (int) len;
  }
}
