package io.fraudbatch.jobs.profiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.apache.parquet.bytes.ByteBufferInputStream;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ValuesType;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.values.ValuesReader;
import org.apache.parquet.column.values.bitpacking.BytePacker;
import org.apache.parquet.column.values.bitpacking.Packer;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.parquet.io.api.Binary;

/**
 * One column of a row group, decoded a page at a time into arrays: the repetition and definition
 * level of every slot, and the values of the slots that hold one. A cursor walks the slots.
 *
 * <p>Why not parquet-column's {@code ColumnReaderImpl}: it decodes value by value through several
 * virtual calls, a level decoder and a values reader per value (in a profile of the local engine,
 * 40% of its CPU was reading the previous snapshot, most of it there). Here a page's plain values
 * are copied out in one bulk call, and RLE/bit-packed levels are expanded a run at a time with
 * Parquet's own bit unpackers. Pages in other encodings (dictionary, delta; files written by other
 * writers) are decoded through Parquet's own {@link ValuesReader}s, value by value, as before.
 */
final class PageColumn {
  private final ColumnDescriptor desc;
  private final PageReader pages;
  private final int maxRep;
  private final int maxDef;
  private Dictionary dictionary;

  /** Slots (values and nulls) left in the row group after the current one. */
  private long left;

  /** The current page: its slots, the current slot, the next value. */
  private int slots;

  private int slot;
  private int value;
  private byte[] rep = new byte[0];
  private byte[] def = new byte[0];
  private long[] longs = new long[0];
  private int[] ints = new int[0];
  private double[] doubles = new double[0];

  /** BINARY values: their bytes in {@code bin} at {@code offsets}, {@code lengths}. */
  private byte[] bin = new byte[0];

  private int[] offsets = new int[0];
  private int[] lengths = new int[0];

  PageColumn(ColumnDescriptor desc, PageReader pages) {
    this.desc = desc;
    this.pages = pages;
    this.maxRep = desc.getMaxRepetitionLevel();
    this.maxDef = desc.getMaxDefinitionLevel();
    this.left = pages.getTotalValueCount();
    if (left > 0) {
      load();
    }
  }

  /** Moves to the next slot. */
  void next() {
    if (def[slot] == maxDef) {
      value++;
    }
    slot++;
    left--;
    if (slot == slots && left > 0) {
      load();
    }
  }

  /** The current slot's definition level. */
  int d() {
    return def[slot];
  }

  /** Whether the column's next slot continues the current row's list. */
  boolean repeats() {
    return left > 0 && rep[slot] > 0;
  }

  long longValue() {
    long v = longs[value];
    next();
    return v;
  }

  int intValue() {
    int v = ints[value];
    next();
    return v;
  }

  double doubleValue() {
    double v = doubles[value];
    next();
    return v;
  }

  String string() {
    String v = new String(bin, offsets[value], lengths[value], StandardCharsets.UTF_8);
    next();
    return v;
  }

  private void load() {
    DataPage page = pages.readPage();
    if (page == null) {
      throw new ParquetDecodingException(
          "column " + desc + " ends " + left + " value(s) before its row group's count");
    }
    slots = page.getValueCount();
    if (slots == 0) {
      load();
      return;
    }
    slot = 0;
    value = 0;
    if (rep.length < slots) {
      rep = new byte[slots];
      def = new byte[slots];
    }
    try {
      if (page instanceof DataPageV1 v1) {
        byte[] b = v1.getBytes().toByteArray();
        int at = levels(b, 0, v1.getRlEncoding(), maxRep, rep, ValuesType.REPETITION_LEVEL, true);
        at = levels(b, at, v1.getDlEncoding(), maxDef, def, ValuesType.DEFINITION_LEVEL, true);
        values(b, at, b.length, v1.getValueEncoding());
      } else {
        DataPageV2 v2 = (DataPageV2) page;
        if (v2.isCompressed()) {
          throw new ParquetDecodingException("compressed page handed over undecompressed");
        }
        byte[] r = v2.getRepetitionLevels().toByteArray();
        levels(r, 0, Encoding.RLE, maxRep, rep, ValuesType.REPETITION_LEVEL, false);
        byte[] d = v2.getDefinitionLevels().toByteArray();
        levels(d, 0, Encoding.RLE, maxDef, def, ValuesType.DEFINITION_LEVEL, false);
        byte[] b = v2.getData().toByteArray();
        values(b, 0, b.length, v2.getDataEncoding());
      }
    } catch (IOException e) {
      throw new ParquetDecodingException("cannot decode a page of column " + desc, e);
    }
  }

  /**
   * Decodes the page's levels of one kind into {@code out}; returns where they end in {@code b}.
   * RLE levels of a v1 page are prefixed with their length; a v2 page holds them apart, unprefixed.
   */
  private int levels(
      byte[] b, int at, Encoding enc, int max, byte[] out, ValuesType type, boolean prefixed)
      throws IOException {
    if (max == 0) {
      java.util.Arrays.fill(out, 0, slots, (byte) 0);
      return at;
    }
    if (enc == Encoding.RLE) {
      int end = b.length;
      if (prefixed) {
        int len = BytesUtils.readIntLittleEndian(b, at);
        at += 4;
        end = at + len;
      }
      Rle.decode(b, at, end, BytesUtils.getWidthFromMaxInt(max), out, slots);
      return end;
    }
    ByteBufferInputStream in = ByteBufferInputStream.wrap(ByteBuffer.wrap(b, at, b.length - at));
    ValuesReader r = enc.getValuesReader(desc, type);
    r.initFromPage(slots, in);
    for (int i = 0; i < slots; i++) {
      out[i] = (byte) r.readInteger();
    }
    return at + (int) in.position();
  }

  private void values(byte[] b, int at, int end, Encoding enc) throws IOException {
    int n = 0;
    for (int i = 0; i < slots; i++) {
      if (def[i] == maxDef) {
        n++;
      }
    }
    var type = desc.getPrimitiveType().getPrimitiveTypeName();
    if (enc == Encoding.PLAIN) {
      ByteBuffer bb = ByteBuffer.wrap(b, at, end - at).order(ByteOrder.LITTLE_ENDIAN);
      switch (type) {
        case INT64 -> bb.asLongBuffer().get(longs = fit(longs, n), 0, n);
        case INT32 -> bb.asIntBuffer().get(ints = fit(ints, n), 0, n);
        case DOUBLE -> bb.asDoubleBuffer().get(doubles = fit(doubles, n), 0, n);
        case BINARY -> {
          bin = b;
          offsets = fit(offsets, n);
          lengths = fit(lengths, n);
          int p = at;
          for (int i = 0; i < n; i++) {
            int len = BytesUtils.readIntLittleEndian(b, p);
            if (len < 0 || p + 4 + len > end) {
              throw new ParquetDecodingException(
                  "a value of column " + desc + " overruns its page");
            }
            offsets[i] = p + 4;
            lengths[i] = len;
            p += 4 + len;
          }
        }
        default -> throw new ParquetDecodingException("unexpected type of column " + desc);
      }
      return;
    }
    ValuesReader r;
    if (enc.usesDictionary()) {
      if (dictionary == null) {
        DictionaryPage page = pages.readDictionaryPage();
        if (page == null) {
          throw new ParquetDecodingException("column " + desc + " has no dictionary page");
        }
        dictionary = page.getEncoding().initDictionary(desc, page);
      }
      r = enc.getDictionaryBasedValuesReader(desc, ValuesType.VALUES, dictionary);
    } else {
      r = enc.getValuesReader(desc, ValuesType.VALUES);
    }
    r.initFromPage(n, ByteBufferInputStream.wrap(ByteBuffer.wrap(b, at, end - at)));
    switch (type) {
      case INT64 -> {
        longs = fit(longs, n);
        for (int i = 0; i < n; i++) {
          longs[i] = r.readLong();
        }
      }
      case INT32 -> {
        ints = fit(ints, n);
        for (int i = 0; i < n; i++) {
          ints[i] = r.readInteger();
        }
      }
      case DOUBLE -> {
        doubles = fit(doubles, n);
        for (int i = 0; i < n; i++) {
          doubles[i] = r.readDouble();
        }
      }
      case BINARY -> {
        offsets = fit(offsets, n);
        lengths = fit(lengths, n);
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
          Binary v = r.readBytes();
          offsets[i] = all.size();
          lengths[i] = v.length();
          v.writeTo(all);
        }
        bin = all.toByteArray();
      }
      default -> throw new ParquetDecodingException("unexpected type of column " + desc);
    }
  }

  private static long[] fit(long[] a, int n) {
    return a.length >= n ? a : new long[Math.max(n, a.length * 2)];
  }

  private static int[] fit(int[] a, int n) {
    return a.length >= n ? a : new int[Math.max(n, a.length * 2)];
  }

  private static double[] fit(double[] a, int n) {
    return a.length >= n ? a : new double[Math.max(n, a.length * 2)];
  }

  /** Parquet's RLE / bit-packing hybrid encoding of small integers, decoded in runs. */
  static final class Rle {
    private Rle() {}

    /**
     * Decodes {@code n} values of {@code width} bits from {@code b[at, end)} into {@code out}.
     * Throws when the runs end before {@code n} values or overrun {@code end}.
     */
    static void decode(byte[] b, int at, int end, int width, byte[] out, int n) {
      BytePacker packer = Packer.LITTLE_ENDIAN.newBytePacker(width);
      int bytesPerValue = (width + 7) / 8;
      int[] eight = new int[8];
      int filled = 0;
      int p = at;
      while (filled < n) {
        long header = 0;
        int shift = 0;
        int x;
        do {
          if (p >= end || shift > 28) {
            throw new ParquetDecodingException("levels end after " + filled + " of " + n);
          }
          x = b[p++] & 0xff;
          header |= (long) (x & 0x7f) << shift;
          shift += 7;
        } while ((x & 0x80) != 0);
        if ((header & 1) == 0) {
          int count = (int) (header >>> 1);
          if (p + bytesPerValue > end || count == 0) {
            throw new ParquetDecodingException("a level run is damaged after " + filled);
          }
          int v = 0;
          for (int i = 0; i < bytesPerValue; i++) {
            v |= (b[p++] & 0xff) << (8 * i);
          }
          int upTo = Math.min(n, filled + count);
          java.util.Arrays.fill(out, filled, upTo, (byte) v);
          filled = upTo;
        } else {
          int groups = (int) (header >>> 1);
          if (groups == 0 || p + (long) groups * width > end) {
            throw new ParquetDecodingException("a bit-packed level run overruns its page");
          }
          for (int g = 0; g < groups && filled < n; g++) {
            packer.unpack8Values(b, p, eight, 0);
            p += width;
            for (int i = 0; i < 8 && filled < n; i++) {
              out[filled++] = (byte) eight[i];
            }
          }
        }
      }
    }
  }
}
