package io.fraudbatch.profilebuilder;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads the row groups of a file laid out by parquet-avro into Avro's single-object encoding column
 * by column: each column's pages are decoded in bulk (levels and values into arrays), then every
 * row is assembled from the columns by walking the Avro schema, with the repetition and definition
 * levels saying where lists end and which optional values are null (Dremel's record assembly,
 * specialised to what parquet-avro writes). The bytes are those {@link AvroBinaryReadSupport} and
 * Avro's {@code BinaryMessageEncoder} give for the same records.
 *
 * <p>Why not parquet-mr's record reader: in a profile of the load, its generic assembly (a state
 * machine per value, a converter call per value, a decoder reading levels a run at a time through a
 * stream) was three quarters of the HFile generation's CPU; a snapshot of 1M profiles holds a few
 * hundred million values. Here a value costs an array read and a varint.
 *
 * <p>What it reads: PLAIN and dictionary-encoded values of the primitive types Avro maps to (int,
 * long, float, double, boolean, string, bytes), RLE or BIT_PACKED levels, data pages V1 and V2,
 * both list structures, nulls only as unions of null and one type. {@link #supports} says whether a
 * row group is all of that; anything else goes to the record reader.
 */
final class ColumnarAvroReader implements AutoCloseable {

  private static final VarHandle LE_INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LE_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final Set<Encoding> ENCODINGS =
      EnumSet.of(
          Encoding.PLAIN,
          Encoding.RLE,
          Encoding.BIT_PACKED,
          Encoding.PLAIN_DICTIONARY,
          Encoding.RLE_DICTIONARY);

  private final ParquetFileReader file;
  private final byte[] header;
  private final AvroBinaryReadSupport.Out out = new AvroBinaryReadSupport.Out();
  private final Node root;
  private final Col[] cols;
  private final byte[][] keys;
  private long rowsLeft;

  /**
   * Reads the row groups of {@code in} whose middle falls in [{@code start}, {@code end}), as
   * {@code ParquetReader.withFileRange} does; {@link #supports} must hold for each.
   */
  ColumnarAvroReader(
      Configuration conf, InputFile in, long start, long end, Schema schema, String... keyFields)
      throws IOException {
    // Pages carry a CRC (parquet-mr writes one by default): a damaged page is refused, where
    // decoding it would give other values without a word.
    this.file =
        ParquetFileReader.open(
            in,
            HadoopReadOptions.builder(conf)
                .withRange(start, end)
                .usePageChecksumVerification(true)
                .build());
    MessageType fileSchema = file.getFooter().getFileMetaData().getSchema();
    List<Col> leaves = new ArrayList<>();
    try {
      Boolean old = AvroBinaryReadSupport.oldLists(schema, fileSchema);
      if (old == null) {
        throw new IllegalArgumentException(
            "not parquet-avro's layout of " + schema.getFullName() + ": " + fileSchema);
      }
      // The tree and its columns serve every row group; the key fields are checked once.
      root = new Builder(fileSchema, old).record(schema, fileSchema, 0, 0, leaves);
      keys = new byte[keyFields.length][];
      for (int k = 0; k < keyFields.length; k++) {
        Schema.Field f = schema.getField(keyFields[k]);
        if (f == null
            || f.schema().getType() != Schema.Type.STRING
            || !(((RecordNode) root).fields[f.pos()] instanceof Leaf leaf)) {
          throw new IllegalArgumentException(
              keyFields[k] + " is not a required string field of " + schema.getFullName());
        }
        leaf.key = k;
      }
    } catch (IllegalArgumentException e) {
      file.close();
      throw e;
    }
    this.cols = leaves.toArray(new Col[0]);
    this.header = AvroBinaryReadSupport.header(schema);
  }

  /**
   * True when every row group of the file in [{@code start}, {@code end}) can be read here: the
   * file is parquet-avro's layout of {@code schema} with types and encodings this reader decodes.
   */
  static boolean supports(Schema schema, MessageType file, List<BlockMetaData> blocks) {
    Boolean old = AvroBinaryReadSupport.oldLists(schema, file);
    if (old == null) {
      return false;
    }
    try {
      new Builder(file, old).record(schema, file, 0, 0, new ArrayList<>());
    } catch (IllegalArgumentException e) {
      return false;
    }
    for (BlockMetaData b : blocks) {
      for (ColumnChunkMetaData c : b.getColumns()) {
        if (!ENCODINGS.containsAll(c.getEncodings())) {
          return false;
        }
      }
    }
    return true;
  }

  /** The next record, or null at the end of the range. */
  AvroBinaryReadSupport.Encoded next() throws IOException {
    try {
      return read();
    } catch (RuntimeException e) {
      // A page failing its CRC, levels or values that do not add up: a damaged file, said as
      // such with where.
      throw new Damaged(file.getFile(), e);
    }
  }

  /** The file's data is damaged: a page fails its CRC, or its levels or values do not add up. */
  static final class Damaged extends IOException {
    private static final long serialVersionUID = 1L;

    Damaged(String file, Throwable cause) {
      super("cannot read " + file + ": damaged column data (" + cause.getMessage() + ")", cause);
    }
  }

  private AvroBinaryReadSupport.Encoded read() throws IOException {
    while (rowsLeft == 0) {
      PageReadStore group = file.readNextRowGroup();
      if (group == null) {
        return null;
      }
      open(group);
    }
    rowsLeft--;
    out.pos = 0;
    out.writeRaw(header, 0, header.length);
    Arrays.fill(keys, null);
    root.write(out, this);
    for (Col c : cols) {
      if (c.more() && c.rep() != 0) {
        throw new IllegalStateException("column " + c.path + " does not end its row");
      }
    }
    return new AvroBinaryReadSupport.Encoded(Arrays.copyOf(out.buf, out.pos), keys.clone());
  }

  private void open(PageReadStore group) throws IOException {
    for (Col c : cols) {
      c.open(group.getPageReader(c.desc));
    }
    rowsLeft = group.getRowCount();
  }

  @Override
  public void close() throws IOException {
    file.close();
  }

  // ---- the schema as a tree of nodes, each writing its Avro binary from the columns ----

  private abstract static class Node {
    /** The first column under this node: its levels say whether the node is null or empty. */
    Col first;

    /** All the columns under this node (one entry each is skipped when it is null or empty). */
    Col[] all;

    abstract void write(AvroBinaryReadSupport.Out out, ColumnarAvroReader r);

    final void skip() {
      for (Col c : all) {
        c.skip();
      }
    }
  }

  private static final class RecordNode extends Node {
    Node[] fields;

    @Override
    void write(AvroBinaryReadSupport.Out out, ColumnarAvroReader r) {
      for (Node f : fields) {
        f.write(out, r);
      }
    }
  }

  /** A union of null and one type: Parquet's optional field, null below its definition level. */
  private static final class NullableNode extends Node {
    Node value;
    int present;
    long nullIndex;
    long valueIndex;

    @Override
    void write(AvroBinaryReadSupport.Out out, ColumnarAvroReader r) {
      if (first.def() < present) {
        skip();
        out.writeLong(nullIndex);
      } else {
        out.writeLong(valueIndex);
        value.write(out, r);
      }
    }
  }

  /** An array: empty below its definition level; its items go on while the repetition does. */
  private static final class ArrayNode extends Node {
    Node item;
    int present;
    int repetition;

    @Override
    void write(AvroBinaryReadSupport.Out out, ColumnarAvroReader r) {
      if (first.def() < present) {
        skip();
        out.writeLong(0);
        return;
      }
      int start = out.pos;
      long count = 0;
      do {
        item.write(out, r);
        count++;
      } while (first.more() && first.rep() >= repetition);
      // Avro's encoder writes one block: the count, the items, then a zero.
      out.insertLong(start, count);
      out.writeLong(0);
    }
  }

  private static final class Leaf extends Node {
    final Schema.Type type;
    int key = -1;

    Leaf(Col col, Schema.Type type) {
      this.first = col;
      this.all = new Col[] {col};
      this.type = type;
    }

    @Override
    void write(AvroBinaryReadSupport.Out out, ColumnarAvroReader r) {
      Col c = first;
      switch (type) {
        case INT, LONG -> out.writeLong(c.nextLong());
        case DOUBLE -> out.writeFixed64(c.nextLong());
        case FLOAT -> {
          int bits = (int) c.nextLong();
          out.ensure(4);
          LE_INT.set(out.buf, out.pos, bits);
          out.pos += 4;
        }
        case BOOLEAN -> out.writeByte((int) c.nextLong());
        default -> {
          // STRING, BYTES: the length, then the bytes
          int v = c.nextValue();
          boolean d = c.dictionaryPage;
          byte[] bytes = d ? c.dictData : c.data;
          int off = d ? c.dictOffs[v] : c.offs[v];
          int len = d ? c.dictLens[v] : c.lens[v];
          out.writeLong(len);
          out.writeRaw(bytes, off, len);
          if (key >= 0) {
            r.keys[key] = Arrays.copyOfRange(bytes, off, off + len);
          }
        }
      }
    }
  }

  /** Builds the node tree of an Avro schema over its Parquet layout, collecting the columns. */
  private static final class Builder {
    private final MessageType file;
    private final boolean oldLists;

    Builder(MessageType file, boolean oldLists) {
      this.file = file;
      this.oldLists = oldLists;
    }

    RecordNode record(Schema s, GroupType t, int def, int rep, List<Col> cols) {
      RecordNode n = new RecordNode();
      List<Schema.Field> fields = s.getFields();
      n.fields = new Node[fields.size()];
      int from = cols.size();
      for (Schema.Field f : fields) {
        n.fields[f.pos()] = node(f.schema(), t.getType(f.pos()), def, rep, cols);
      }
      finish(n, cols, from);
      return n;
    }

    private void finish(Node n, List<Col> cols, int from) {
      if (cols.size() == from) {
        throw new IllegalArgumentException("a record without fields");
      }
      n.all = cols.subList(from, cols.size()).toArray(new Col[0]);
      n.first = n.all[0];
    }

    /** {@code t} is the Parquet field holding a value of {@code s}; def/rep: its parent's. */
    Node node(Schema s, Type t, int def, int rep, List<Col> cols) {
      if (s.getType() == Schema.Type.UNION) {
        List<Schema> branches = s.getTypes();
        int nonNull = -1;
        int nullBranch = -1;
        for (int i = 0; i < branches.size(); i++) {
          if (branches.get(i).getType() == Schema.Type.NULL) {
            nullBranch = i;
          } else if (nonNull >= 0) {
            throw new IllegalArgumentException("only unions of null and one type: " + s);
          } else {
            nonNull = i;
          }
        }
        if (nullBranch < 0 || nonNull < 0 || !t.isRepetition(Type.Repetition.OPTIONAL)) {
          throw new IllegalArgumentException("not a nullable field: " + s);
        }
        NullableNode n = new NullableNode();
        int from = cols.size();
        n.present = def + 1;
        n.nullIndex = nullBranch;
        n.valueIndex = nonNull;
        n.value = value(branches.get(nonNull), t, def + 1, rep, cols);
        finish(n, cols, from);
        return n;
      }
      if (!t.isRepetition(Type.Repetition.REQUIRED)) {
        throw new IllegalArgumentException("not a required field: " + t);
      }
      return value(s, t, def, rep, cols);
    }

    /** The value of a field present at definition level {@code def}. */
    private Node value(Schema s, Type t, int def, int rep, List<Col> cols) {
      switch (s.getType()) {
        case RECORD:
          return record(s, t.asGroupType(), def, rep, cols);
        case ARRAY:
          {
            Type repeated = t.asGroupType().getType(0);
            if (!repeated.isRepetition(Type.Repetition.REPEATED)) {
              throw new IllegalArgumentException("not a list: " + t);
            }
            ArrayNode n = new ArrayNode();
            int from = cols.size();
            n.present = def + 1;
            n.repetition = rep + 1;
            n.item =
                oldLists
                    ? value(s.getElementType(), repeated, def + 1, rep + 1, cols)
                    : node(
                        s.getElementType(),
                        repeated.asGroupType().getType(0),
                        def + 1,
                        rep + 1,
                        cols);
            finish(n, cols, from);
            return n;
          }
        case INT:
        case LONG:
        case DOUBLE:
        case FLOAT:
        case BOOLEAN:
        case STRING:
        case BYTES:
          {
            if (!t.isPrimitive()) {
              throw new IllegalArgumentException("not a primitive: " + t);
            }
            PrimitiveType.PrimitiveTypeName want =
                switch (s.getType()) {
                  case INT -> PrimitiveType.PrimitiveTypeName.INT32;
                  case LONG -> PrimitiveType.PrimitiveTypeName.INT64;
                  case DOUBLE -> PrimitiveType.PrimitiveTypeName.DOUBLE;
                  case FLOAT -> PrimitiveType.PrimitiveTypeName.FLOAT;
                  case BOOLEAN -> PrimitiveType.PrimitiveTypeName.BOOLEAN;
                  default -> PrimitiveType.PrimitiveTypeName.BINARY;
                };
            if (t.asPrimitiveType().getPrimitiveTypeName() != want) {
              throw new IllegalArgumentException(s + " stored as " + t);
            }
            ColumnDescriptor desc = file.getColumns().get(cols.size());
            if (desc.getMaxDefinitionLevel() != def || desc.getMaxRepetitionLevel() != rep) {
              throw new IllegalArgumentException("unexpected levels of " + desc);
            }
            Col c = new Col(desc);
            cols.add(c);
            return new Leaf(c, s.getType());
          }
        default:
          throw new IllegalArgumentException("not read column by column: " + s);
      }
    }
  }

  // ---- one column's pages, decoded in bulk ----

  /** A column chunk read a page at a time: levels and values decoded into arrays. */
  static final class Col {
    final ColumnDescriptor desc;
    final String path;
    final int maxRep;
    final int maxDef;
    final PrimitiveType.PrimitiveTypeName type;
    PageReader pages;

    /** Entries of the current page: levels (null when the maximum is 0), index of the next. */
    int[] rep = new int[0];

    int[] def = new int[0];
    int n;
    int i;

    /** Values of the current page (non-null entries only), index of the next. */
    long[] longs = new long[0];

    int[] offs = new int[0];
    int[] lens = new int[0];
    byte[] data;
    int v;

    /** Dictionary-encoded page: ids into the dictionary's values. */
    boolean dictionaryPage;

    int[] ids = new int[0];
    long[] dictLongs;
    int[] dictOffs;
    int[] dictLens;
    byte[] dictData;

    Col(ColumnDescriptor desc) {
      this.desc = desc;
      this.path = String.join(".", desc.getPath());
      this.maxRep = desc.getMaxRepetitionLevel();
      this.maxDef = desc.getMaxDefinitionLevel();
      this.type = desc.getPrimitiveType().getPrimitiveTypeName();
    }

    /** Starts the column's chunk of a row group: its dictionary, if any, then its pages. */
    void open(PageReader chunk) throws IOException {
      pages = chunk;
      n = 0;
      i = 0;
      v = 0;
      dictionaryPage = false;
      dictLongs = null;
      dictOffs = null;
      dictLens = null;
      dictData = null;
      DictionaryPage d = chunk.readDictionaryPage();
      if (d != null) {
        dictionary(d);
      }
    }

    /** Whether another entry follows (the next page is read if needed). */
    boolean more() {
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

    int rep() {
      need();
      return maxRep == 0 ? 0 : rep[i];
    }

    int def() {
      need();
      return maxDef == 0 ? 0 : def[i];
    }

    /** Skips an entry (a null or an empty list), and its value if it has one. */
    void skip() {
      need();
      if (maxDef == 0 || def[i] == maxDef) {
        v++;
      }
      i++;
    }

    /** The next entry's value as an index into this page's (or the dictionary's) values. */
    int nextValue() {
      need();
      if (maxDef != 0 && def[i] != maxDef) {
        throw new IllegalStateException("a null where column " + path + " needs a value");
      }
      i++;
      return dictionaryPage ? ids[v++] : v++;
    }

    /** The next numeric value: ints and booleans widened, doubles and floats as raw bits. */
    long nextLong() {
      int x = nextValue();
      return dictionaryPage ? dictLongs[x] : longs[x];
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
      byte[] b = p.getBytes().toByteArray();
      n = p.getValueCount();
      i = 0;
      int pos = 0;
      if (maxRep > 0) {
        rep = grow(rep, n);
        pos = levels(p.getRlEncoding(), b, pos, maxRep, rep);
      }
      if (maxDef > 0) {
        def = grow(def, n);
        pos = levels(p.getDlEncoding(), b, pos, maxDef, def);
      }
      values(p.getValueEncoding(), b, pos);
    }

    private void v2(DataPageV2 p) throws IOException {
      n = p.getValueCount();
      i = 0;
      if (maxRep > 0) {
        rep = grow(rep, n);
        byte[] r = p.getRepetitionLevels().toByteArray();
        hybrid(r, 0, r.length, bitWidth(maxRep), rep, n);
      }
      if (maxDef > 0) {
        def = grow(def, n);
        byte[] d = p.getDefinitionLevels().toByteArray();
        hybrid(d, 0, d.length, bitWidth(maxDef), def, n);
      }
      values(p.getDataEncoding(), p.getData().toByteArray(), 0);
    }

    /** Reads the levels at {@code pos}; returns where the next part of the page starts. */
    private int levels(Encoding e, byte[] b, int pos, int max, int[] into) {
      int width = bitWidth(max);
      if (e == Encoding.RLE) {
        int len = (int) LE_INT.get(b, pos);
        hybrid(b, pos + 4, pos + 4 + len, width, into, n);
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

    void dictionary(DictionaryPage d) throws IOException {
      Encoding e = d.getEncoding();
      if (e != Encoding.PLAIN && e != Encoding.PLAIN_DICTIONARY) {
        throw new IOException("dictionary encoded as " + e + " in column " + path);
      }
      byte[] b = d.getBytes().toByteArray();
      plain(b, 0, d.getDictionarySize(), true);
    }

    /** PLAIN values: into this page's arrays, or the dictionary's. */
    private void plain(byte[] b, int pos, int count, boolean dict) {
      long[] ls = null;
      int[] os = null;
      int[] ln = null;
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
        case BINARY -> {
          os = dict ? new int[count] : (offs = grow(offs, count));
          ln = dict ? new int[count] : (lens = grow(lens, count));
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
      } else {
        data = b;
      }
    }
  }

  static int bitWidth(int max) {
    return 32 - Integer.numberOfLeadingZeros(max);
  }

  static int[] grow(int[] a, int n) {
    return a.length >= n ? a : new int[Math.max(n, a.length * 2)];
  }

  static long[] grow(long[] a, int n) {
    return a.length >= n ? a : new long[Math.max(n, a.length * 2)];
  }

  /**
   * Parquet's RLE / bit-packing hybrid: {@code count} values of {@code width} bits from {@code
   * b[pos, end)} into {@code into}.
   */
  static void hybrid(byte[] b, int pos, int end, int width, int[] into, int count) {
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
