package io.fraudbatch.profilebuilder;

import io.fraudbatch.warehouse.PageCodecs;
import io.fraudbatch.warehouse.PageColumn;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.page.PageReadStore;
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

  private final ParquetFileReader file;
  private final byte[] header;
  private final AvroBinaryReadSupport.Out out = new AvroBinaryReadSupport.Out();
  private final Node root;
  private final PageColumn[] cols;
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
                .withCodecFactory(new PageCodecs(conf))
                .build());
    MessageType fileSchema = file.getFooter().getFileMetaData().getSchema();
    List<PageColumn> leaves = new ArrayList<>();
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
    this.cols = leaves.toArray(new PageColumn[0]);
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
        if (!PageColumn.decodes(c.getEncodings())) {
          return false;
        }
      }
    }
    return true;
  }

  /** The next record, or null at the end of the range. */
  AvroBinaryReadSupport.Encoded next() throws IOException {
    return nextInPlace()
        ? new AvroBinaryReadSupport.Encoded(Arrays.copyOf(out.buf, out.pos), keys.clone())
        : null;
  }

  /** The file's data is damaged: a page fails its CRC, or its levels or values do not add up. */
  static final class Damaged extends IOException {
    private static final long serialVersionUID = 1L;

    Damaged(String file, Throwable cause) {
      super("cannot read " + file + ": damaged column data (" + cause.getMessage() + ")", cause);
    }
  }

  /**
   * Moves to the next record, false at the end of the range: its encoding is then {@code value()[0,
   * valueLength())} and its key fields {@link #keys()}, both valid until the next call (no copy:
   * the load writes them straight into its buffer).
   */
  boolean nextInPlace() throws IOException {
    try {
      return advance();
    } catch (RuntimeException e) {
      // A page failing its CRC, levels or values that do not add up: a damaged file, said as
      // such with where.
      throw new Damaged(file.getFile(), e);
    }
  }

  byte[] value() {
    return out.buf;
  }

  int valueLength() {
    return out.pos;
  }

  byte[][] keys() {
    return keys;
  }

  private boolean advance() throws IOException {
    while (rowsLeft == 0) {
      PageReadStore group = file.readNextRowGroup();
      if (group == null) {
        return false;
      }
      open(group);
    }
    rowsLeft--;
    out.pos = 0;
    out.writeRaw(header, 0, header.length);
    Arrays.fill(keys, null);
    root.write(out, this);
    for (PageColumn c : cols) {
      if (c.more() && c.rep() != 0) {
        throw new IllegalStateException("column " + c.path() + " does not end its row");
      }
    }
    return true;
  }

  private void open(PageReadStore group) throws IOException {
    for (PageColumn c : cols) {
      c.open(group.getPageReader(c.descriptor()));
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
    PageColumn first;

    /** All the columns under this node (one entry each is skipped when it is null or empty). */
    PageColumn[] all;

    abstract void write(AvroBinaryReadSupport.Out out, ColumnarAvroReader r);

    final void skip() {
      for (PageColumn c : all) {
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
      // Avro's encoder writes one block: the count, the items, then a zero.
      int at = out.reserve();
      long count = 0;
      do {
        item.write(out, r);
        count++;
      } while (first.more() && first.rep() >= repetition);
      out.count(at, count);
      out.writeLong(0);
    }
  }

  /**
   * An array of required ints or longs (a profile's hour-of-day counts): its items are read in one
   * loop over the column, without a call per item through the node tree.
   */
  private static final class LongArrayNode extends Node {
    int present;
    int repetition;

    @Override
    void write(AvroBinaryReadSupport.Out out, ColumnarAvroReader r) {
      PageColumn c = first;
      if (c.def() < present) {
        c.skip();
        out.writeLong(0);
        return;
      }
      int at = out.reserve();
      long count = 0;
      do {
        out.writeLong(c.nextLong());
        count++;
      } while (c.more() && c.rep() >= repetition);
      out.count(at, count);
      out.writeLong(0);
    }
  }

  private static final class Leaf extends Node {
    final Schema.Type type;
    int key = -1;

    Leaf(PageColumn col, Schema.Type type) {
      this.first = col;
      this.all = new PageColumn[] {col};
      this.type = type;
    }

    @Override
    void write(AvroBinaryReadSupport.Out out, ColumnarAvroReader r) {
      PageColumn c = first;
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
          byte[] bytes = c.bytes();
          int off = c.offset(v);
          int len = c.length(v);
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
    /** The file's leaf columns, in order ({@code MessageType.getColumns} builds them per call). */
    private final List<ColumnDescriptor> columns;

    private final boolean oldLists;

    Builder(MessageType file, boolean oldLists) {
      this.columns = file.getColumns();
      this.oldLists = oldLists;
    }

    RecordNode record(Schema s, GroupType t, int def, int rep, List<PageColumn> cols) {
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

    private void finish(Node n, List<PageColumn> cols, int from) {
      if (cols.size() == from) {
        throw new IllegalArgumentException("a record without fields");
      }
      n.all = cols.subList(from, cols.size()).toArray(new PageColumn[0]);
      n.first = n.all[0];
    }

    /** {@code t} is the Parquet field holding a value of {@code s}; def/rep: its parent's. */
    Node node(Schema s, Type t, int def, int rep, List<PageColumn> cols) {
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
    private Node value(Schema s, Type t, int def, int rep, List<PageColumn> cols) {
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
            if (n.item instanceof Leaf leaf
                && (leaf.type == Schema.Type.INT || leaf.type == Schema.Type.LONG)) {
              LongArrayNode l = new LongArrayNode();
              l.present = n.present;
              l.repetition = n.repetition;
              l.first = n.first;
              l.all = n.all;
              return l;
            }
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
            ColumnDescriptor desc = columns.get(cols.size());
            if (desc.getMaxDefinitionLevel() != def || desc.getMaxRepetitionLevel() != rep) {
              throw new IllegalArgumentException("unexpected levels of " + desc);
            }
            PageColumn c = new PageColumn(desc);
            cols.add(c);
            return new Leaf(c, s.getType());
          }
        default:
          throw new IllegalArgumentException("not read column by column: " + s);
      }
    }
  }
}
