package io.fraudbatch.warehouse;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.schema.PrimitiveType;

/**
 * A Parquet column chunk read a page at a time: levels and values decoded into arrays, then walked
 * entry by entry. Shared by the load's Avro-bytes reader and the snapshot reader of the profile
 * jobs.
 *
 * <p>Why not parquet-column's {@code ColumnReaderImpl}: it decodes value by value through several
 * virtual calls, a level decoder and a values reader per value; in profiles of the load and of the
 * local profile engine that was most of the reading. Here a page's plain values are copied out in
 * one loop and RLE / bit-packed levels a run at a time. Decodes what {@link #ENCODINGS} lists, in
 * data pages V1 and V2; {@link #decodes} says whether a column chunk is.
 */
public final class PageColumn {
  private static final VarHandle LE_INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LE_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** The encodings this class decodes. */
  public static final Set<Encoding> ENCODINGS =
      EnumSet.of(
          Encoding.PLAIN,
          Encoding.RLE,
          Encoding.BIT_PACKED,
          Encoding.PLAIN_DICTIONARY,
          Encoding.RLE_DICTIONARY);

  /** Whether a column chunk of these encodings (its metadata's) is decoded here. */
  public static boolean decodes(Set<Encoding> chunkEncodings) {
    return ENCODINGS.containsAll(chunkEncodings);
  }

  /** The bytes of a BINARY value numbered {@code v} by {@link #nextValue}: in this array... */
  public byte[] bytes() {
    return dictionaryPage ? dictData : data;
  }

  /** ...at this offset (on a plain page, only the value {@link #nextValue} gave last)... */
  public int offset(int v) {
    return dictionaryPage ? dictOffs[v] : binaryOffset;
  }

  /** ...of this length. */
  public int length(int v) {
    return dictionaryPage ? dictLens[v] : binaryLength;
  }

  /**
   * The next value, a UTF-8 string. A dictionary's strings are decoded once per column chunk and
   * then shared: a column of few distinct values (a decision, a currency, a region) costs an array
   * lookup per row instead of a new string.
   */
  public String nextString() {
    int v = nextValue();
    if (dictionaryPage) {
      String s = dictStrings[v];
      if (s == null) {
        s = new String(dictData, dictOffs[v], dictLens[v], StandardCharsets.UTF_8);
        dictStrings[v] = s;
      }
      return s;
    }
    return new String(data, binaryOffset, binaryLength, StandardCharsets.UTF_8);
  }

  public int nextInt() {
    return (int) nextLong();
  }

  public double nextDouble() {
    return Double.longBitsToDouble(nextLong());
  }

  /** Whether the column's next entry continues the current row's list. */
  public boolean repeats() {
    return more() && rep() > 0;
  }

  private final ColumnDescriptor desc;
  private final String path;
  private final int maxRep;
  private final int maxDef;
  private final PrimitiveType.PrimitiveTypeName type;
  private PageReader pages;

  /**
   * Entries of the current page: levels (unused when the maximum is 0), index of the next. Bytes,
   * not ints: a reader assembling rows reads every column's levels and values at once (a profile
   * has about 65 columns), and JFR put most of the reading's samples on the first use of each
   * value; with bytes, and the values below read in place, a warm read of 500k profiles took about
   * a tenth less (bench/README.md).
   */
  private byte[] rep = new byte[0];

  private byte[] def = new byte[0];

  /** Levels as the decoder gives them, before they are narrowed to bytes. */
  private int[] scratch = new int[0];

  private int n;
  private int i;

  /** Values of the current page (non-null entries only), index of the next. */
  private long[] longs = new long[0];

  /**
   * A plain page of 8- or 4-byte numbers is read where it lies ({@link #data} from {@link
   * #valuesAt}), not copied into {@link #longs} first: one stream of memory per column instead of
   * two, and a 4-byte number takes 4 bytes of it, not 8; 0 when the values are in {@link #longs};
   * -1 for the strings of a plain page, read in order (no arrays of offsets and lengths).
   */
  private int valueWidth;

  /** Where the page's next value lies; for strings ({@link #valueWidth} -1), the next one's. */
  private int valuesAt;

  private int binaryOffset;
  private int binaryLength;

  private byte[] data;
  private int v;

  /** Dictionary-encoded page: ids into the dictionary's values. */
  private boolean dictionaryPage;

  private int[] ids = new int[0];
  private long[] dictLongs;
  private int[] dictOffs;
  private int[] dictLens;
  private byte[] dictData;
  private String[] dictStrings;

  public PageColumn(ColumnDescriptor desc) {
    this.desc = desc;
    this.path = String.join(".", desc.getPath());
    this.maxRep = desc.getMaxRepetitionLevel();
    this.maxDef = desc.getMaxDefinitionLevel();
    this.type = desc.getPrimitiveType().getPrimitiveTypeName();
    if (maxRep > Byte.MAX_VALUE || maxDef > Byte.MAX_VALUE) {
      throw new IllegalArgumentException("column " + path + " is nested too deep to be read");
    }
  }

  /** Starts the column's chunk of a row group: its dictionary, if any, then its pages. */
  public void open(PageReader chunk) throws IOException {
    pages = chunk;
    n = 0;
    i = 0;
    v = 0;
    dictionaryPage = false;
    dictLongs = null;
    dictOffs = null;
    dictLens = null;
    dictData = null;
    dictStrings = null;
    DictionaryPage d = chunk.readDictionaryPage();
    if (d != null) {
      dictionary(d);
    }
  }

  /** Whether another entry follows (the next page is read if needed). */
  public boolean more() {
    while (i == n) {
      if (!nextPage()) {
        return false;
      }
    }
    return true;
  }

  private void need() {
    if (!more()) {
      throw new IllegalStateException("column " + path + " ended before its rows");
    }
  }

  public int rep() {
    need();
    return maxRep == 0 ? 0 : rep[i];
  }

  public int def() {
    need();
    return maxDef == 0 ? 0 : def[i];
  }

  /** Skips an entry (a null or an empty list), and its value if it has one. */
  public void skip() {
    need();
    if (maxDef == 0 || def[i] == maxDef) {
      if (valueWidth < 0 && !dictionaryPage) {
        nextBinary();
      }
      v++;
    }
    i++;
  }

  /** The next entry's value as an index into this page's (or the dictionary's) values. */
  public int nextValue() {
    need();
    if (maxDef != 0 && def[i] != maxDef) {
      throw new IllegalStateException("a null where column " + path + " needs a value");
    }
    i++;
    if (dictionaryPage) {
      return ids[v++];
    }
    if (valueWidth < 0) {
      nextBinary();
    }
    return v++;
  }

  /**
   * Moves to the next string of a plain page, which is read in order where it lies (its 4-byte
   * length, then its bytes) instead of every offset and length of the page first.
   */
  private void nextBinary() {
    int len = (int) LE_INT.get(data, valuesAt);
    if (len < 0 || valuesAt + 4L + len > data.length) {
      throw new IllegalStateException("a value past the end of a page of " + path);
    }
    binaryOffset = valuesAt + 4;
    binaryLength = len;
    valuesAt += 4 + len;
  }

  /**
   * The next numeric value: ints and booleans widened, doubles and floats as raw bits, a
   * fixed-length array of at most 8 bytes (a decimal's unscaled value) as the big-endian
   * two's-complement number it holds.
   */
  public long nextLong() {
    int x = nextValue();
    if (dictionaryPage) {
      return dictLongs[x];
    }
    return switch (valueWidth) {
      case 8 -> (long) LE_LONG.get(data, valuesAt + 8 * x);
      case 4 -> (int) LE_INT.get(data, valuesAt + 4 * x);
      default -> longs[x];
    };
  }

  public ColumnDescriptor descriptor() {
    return desc;
  }

  /** The column's dotted path. */
  public String path() {
    return path;
  }

  @Override
  public String toString() {
    return path;
  }

  private boolean nextPage() {
    DataPage page = pages.readPage();
    if (page == null) {
      return false;
    }
    try {
      if (page instanceof DataPageV1 p) {
        v1(p);
      } else if (page instanceof DataPageV2 p) {
        v2(p);
      } else {
        throw new IllegalStateException("unknown page " + page);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return true;
  }

  private void v1(DataPageV1 p) throws IOException {
    byte[] b = array(p.getBytes());
    n = p.getValueCount();
    i = 0;
    int pos = 0;
    if (maxRep > 0) {
      rep = narrow(rep, n);
      pos = levels(p.getRlEncoding(), b, pos, maxRep, rep);
    }
    if (maxDef > 0) {
      def = narrow(def, n);
      pos = levels(p.getDlEncoding(), b, pos, maxDef, def);
    }
    values(p.getValueEncoding(), b, pos);
  }

  private void v2(DataPageV2 p) throws IOException {
    n = p.getValueCount();
    i = 0;
    if (maxRep > 0) {
      rep = narrow(rep, n);
      byte[] r = array(p.getRepetitionLevels());
      scratch = grow(scratch, n);
      hybrid(r, 0, r.length, bitWidth(maxRep), scratch, n);
      narrowInto(rep);
    }
    if (maxDef > 0) {
      def = narrow(def, n);
      byte[] d = array(p.getDefinitionLevels());
      scratch = grow(scratch, n);
      hybrid(d, 0, d.length, bitWidth(maxDef), scratch, n);
      narrowInto(def);
    }
    values(p.getDataEncoding(), array(p.getData()), 0);
  }

  /**
   * A page's bytes as one array, exactly their size: the decompressor's own array when it is one (a
   * page decompressed by {@link PageCodecs} or by parquet-mr's codecs), a copy otherwise. {@code
   * BytesInput.toByteArray} always copies: a second allocation and copy of every page, and a page
   * of 1 MB is a humongous object to G1.
   */
  static byte[] array(BytesInput in) throws IOException {
    ByteBuffer b = in.toByteBuffer();
    if (b.hasArray()
        && b.arrayOffset() == 0
        && b.position() == 0
        && b.remaining() == b.array().length) {
      return b.array();
    }
    byte[] a = new byte[b.remaining()];
    b.duplicate().get(a);
    return a;
  }

  /** Reads the levels at {@code pos}; returns where the next part of the page starts. */
  private int levels(Encoding e, byte[] b, int pos, int max, byte[] levels) {
    int width = bitWidth(max);
    scratch = grow(scratch, n);
    int[] into = scratch;
    if (e == Encoding.RLE) {
      int len = (int) LE_INT.get(b, pos);
      hybrid(b, pos + 4, pos + 4 + len, width, into, n);
      narrowInto(levels);
      return pos + 4 + len;
    }
    if (e == Encoding.BIT_PACKED) {
      // The deprecated encoding: values packed from the most significant bit.
      long bit = (long) pos * 8;
      for (int k = 0; k < n; k++) {
        int x = 0;
        for (int w = 0; w < width; w++, bit++) {
          x = (x << 1) | ((b[(int) (bit >>> 3)] >>> (7 - (int) (bit & 7))) & 1);
        }
        into[k] = x;
      }
      narrowInto(levels);
      return pos + (int) ((n * (long) width + 7) / 8);
    }
    throw new IllegalStateException("levels encoded as " + e + " in column " + path);
  }

  private void values(Encoding e, byte[] b, int pos) {
    int present = 0;
    if (maxDef == 0) {
      present = n;
    } else {
      for (int k = 0; k < n; k++) {
        if (def[k] == maxDef) {
          present++;
        }
      }
    }
    v = 0;
    if (e == Encoding.PLAIN) {
      dictionaryPage = false;
      plain(b, pos, present, false);
    } else if (e == Encoding.RLE && type == PrimitiveType.PrimitiveTypeName.BOOLEAN) {
      // Booleans in data pages V2: the hybrid at width 1, after its length.
      dictionaryPage = false;
      ids = grow(ids, present);
      int len = (int) LE_INT.get(b, pos);
      hybrid(b, pos + 4, pos + 4 + len, 1, ids, present);
      longs = grow(longs, present);
      for (int k = 0; k < present; k++) {
        longs[k] = ids[k];
      }
      valueWidth = 0;
    } else if (e == Encoding.PLAIN_DICTIONARY || e == Encoding.RLE_DICTIONARY) {
      if (dictLongs == null && dictOffs == null) {
        throw new IllegalStateException("a dictionary-encoded page without a dictionary");
      }
      dictionaryPage = true;
      ids = grow(ids, present);
      if (present > 0) {
        hybrid(b, pos + 1, b.length, b[pos] & 0xFF, ids, present);
      }
    } else {
      throw new IllegalStateException("values encoded as " + e + " in column " + path);
    }
  }

  private void dictionary(DictionaryPage d) throws IOException {
    Encoding e = d.getEncoding();
    if (e != Encoding.PLAIN && e != Encoding.PLAIN_DICTIONARY) {
      throw new IOException("dictionary encoded as " + e + " in column " + path);
    }
    byte[] b = array(d.getBytes());
    plain(b, 0, d.getDictionarySize(), true);
  }

  /** PLAIN values: into this page's arrays, or the dictionary's. */
  private void plain(byte[] b, int pos, int count, boolean dict) {
    long[] ls = null;
    int[] os = null;
    int[] ln = null;
    valueWidth = 0;
    if (!dict && type == PrimitiveType.PrimitiveTypeName.BINARY) {
      valueWidth = -1;
      valuesAt = pos;
      data = b;
      return;
    }
    if (!dict
        && (type == PrimitiveType.PrimitiveTypeName.INT64
            || type == PrimitiveType.PrimitiveTypeName.DOUBLE
            || type == PrimitiveType.PrimitiveTypeName.INT32
            || type == PrimitiveType.PrimitiveTypeName.FLOAT)) {
      valueWidth =
          type == PrimitiveType.PrimitiveTypeName.INT64
                  || type == PrimitiveType.PrimitiveTypeName.DOUBLE
              ? 8
              : 4;
      if (pos + (long) valueWidth * count > b.length) {
        throw new IllegalStateException("values past the end of a page of " + path);
      }
      valuesAt = pos;
      data = b;
      return;
    }
    switch (type) {
      case INT64, DOUBLE -> {
        ls = dict ? new long[count] : (longs = grow(longs, count));
        for (int k = 0; k < count; k++, pos += 8) {
          ls[k] = (long) LE_LONG.get(b, pos);
        }
      }
      case INT32, FLOAT -> {
        ls = dict ? new long[count] : (longs = grow(longs, count));
        for (int k = 0; k < count; k++, pos += 4) {
          ls[k] = (int) LE_INT.get(b, pos);
        }
      }
      case BOOLEAN -> {
        ls = dict ? new long[count] : (longs = grow(longs, count));
        for (int k = 0; k < count; k++) {
          ls[k] = (b[pos + (k >>> 3)] >>> (k & 7)) & 1;
        }
      }
      case FIXED_LEN_BYTE_ARRAY -> {
        int width = desc.getPrimitiveType().getTypeLength();
        if (width < 1 || width > 8) {
          throw new IllegalStateException(
              "values of " + width + " bytes in " + path + " (numbers of at most 8 are read)");
        }
        if (pos + (long) width * count > b.length) {
          throw new IllegalStateException("values past the end of a page of " + path);
        }
        ls = dict ? new long[count] : (longs = grow(longs, count));
        for (int k = 0; k < count; k++) {
          long x = b[pos++]; // the first byte carries the sign
          for (int j = 1; j < width; j++) {
            x = (x << 8) | (b[pos++] & 0xFF);
          }
          ls[k] = x;
        }
      }
      case BINARY -> { // a dictionary's (a plain page's are read in order: nextBinary)
        os = new int[count];
        ln = new int[count];
        for (int k = 0; k < count; k++) {
          int len = (int) LE_INT.get(b, pos);
          if (len < 0 || pos + 4 + len > b.length) {
            throw new IllegalStateException("a value past the end of a page of " + path);
          }
          os[k] = pos + 4;
          ln[k] = len;
          pos += 4 + len;
        }
      }
      default -> throw new IllegalStateException("values of type " + type + " in " + path);
    }
    if (dict) {
      dictLongs = ls;
      dictOffs = os;
      dictLens = ln;
      dictData = b;
      dictStrings = os == null ? null : new String[count];
    } else {
      data = b;
    }
  }

  public static int bitWidth(int max) {
    return 32 - Integer.numberOfLeadingZeros(max);
  }

  /** The page's {@code n} levels, from the scratch array (at most 127: checked at construction). */
  private void narrowInto(byte[] levels) {
    for (int k = 0; k < n; k++) {
      levels[k] = (byte) scratch[k];
    }
  }

  private static byte[] narrow(byte[] a, int n) {
    return a.length >= n ? a : new byte[Math.max(n, a.length * 2)];
  }

  public static int[] grow(int[] a, int n) {
    return a.length >= n ? a : new int[Math.max(n, a.length * 2)];
  }

  public static long[] grow(long[] a, int n) {
    return a.length >= n ? a : new long[Math.max(n, a.length * 2)];
  }

  /**
   * Parquet's RLE / bit-packing hybrid: {@code count} values of {@code width} bits from {@code
   * b[pos, end)} into {@code into}.
   */
  public static void hybrid(byte[] b, int pos, int end, int width, int[] into, int count) {
    int k = 0;
    int bytes = (width + 7) / 8;
    int mask = width == 32 ? -1 : (1 << width) - 1;
    while (k < count) {
      if (pos >= end) {
        throw new IllegalStateException("levels or ids end early: " + k + " of " + count);
      }
      int h = 0;
      int shift = 0;
      byte x;
      do {
        x = b[pos++];
        h |= (x & 0x7F) << shift;
        shift += 7;
      } while (x < 0);
      if ((h & 1) == 0) {
        int run = h >>> 1;
        int value = 0;
        for (int j = 0; j < bytes; j++) {
          value |= (b[pos++] & 0xFF) << (8 * j);
        }
        int stop = Math.min(count, k + run);
        Arrays.fill(into, k, stop, value);
        k = stop;
      } else {
        int values = (h >>> 1) * 8;
        long acc = 0;
        int bits = 0;
        int p = pos;
        for (int j = 0; j < values; j++) {
          while (bits < width) {
            acc |= (long) (b[p++] & 0xFF) << bits;
            bits += 8;
          }
          if (k < count) {
            into[k++] = (int) (acc & mask);
          }
          acc >>>= width;
          bits -= width;
        }
        pos += (h >>> 1) * width;
      }
    }
  }
}
