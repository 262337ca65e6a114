package io.fraudbatch.profilebuilder;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.hadoop.api.InitContext;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Reads Parquet written by parquet-avro straight into Avro's single-object encoding (the bytes
 * {@code BinaryMessageEncoder} gives for the same record), with no Avro objects in between: the
 * load's values are Avro bytes, and decoding a snapshot into objects and encoding them again was
 * most of the HFile generation's CPU (bench/README.md, "profile-builder bulk load").
 *
 * <p>It works because Parquet's record assembly calls converters in schema order, which is also the
 * order of Avro's binary encoding: each value is appended as it arrives. A skipped optional field
 * is a null union branch, written when a later field (or the record's end) shows it was skipped; an
 * array's item count, which Avro writes before the items, is inserted when the array ends. Only
 * files whose schema is exactly what parquet-avro writes for the Avro schema (either list
 * structure) are read this way: {@link #supports} says so, and a caller falls back to parquet-avro
 * for anything else (an older schema with defaults to fill in, say).
 *
 * <p>Each record also hands out the raw bytes of a few top-level string fields (the row key's
 * parts), named at construction.
 */
final class AvroBinaryReadSupport extends ReadSupport<AvroBinaryReadSupport.Encoded> {

  /** One record: its single-object encoding and the named top-level string fields' bytes. */
  record Encoded(byte[] value, byte[][] keys) {}

  private final Schema schema;
  private final String[] keyFields;

  AvroBinaryReadSupport(Schema schema, String... keyFields) {
    this.schema = schema;
    this.keyFields = keyFields.clone();
  }

  /** True when {@code file} is laid out exactly as parquet-avro writes {@code schema}. */
  static boolean supports(Schema schema, MessageType file) {
    Boolean oldLists = oldLists(schema, file);
    if (oldLists == null) {
      return false;
    }
    try {
      new Materializer(schema, file, oldLists, new String[0]);
      return true;
    } catch (IllegalArgumentException e) {
      return false; // a type this reader does not write (a map, a union of several types)
    }
  }

  /**
   * Which of parquet-avro's list structures {@code file} has (true: the older two levels), or null
   * when it is not parquet-avro's layout of {@code schema} at all.
   */
  static Boolean oldLists(Schema schema, MessageType file) {
    for (boolean old : new boolean[] {true, false}) {
      Configuration c = new Configuration(false);
      c.setBoolean(AvroWriteSupport.WRITE_OLD_LIST_STRUCTURE, old);
      if (new AvroSchemaConverter(c).convert(schema).equals(file)) {
        return old;
      }
    }
    return null;
  }

  @Override
  public ReadContext init(InitContext context) {
    return new ReadContext(context.getFileSchema());
  }

  @Override
  public RecordMaterializer<Encoded> prepareForRead(
      Configuration conf, Map<String, String> meta, MessageType fileSchema, ReadContext context) {
    if (!supports(schema, fileSchema)) {
      throw new IllegalArgumentException(
          "not parquet-avro's layout of " + schema.getFullName() + ": " + fileSchema);
    }
    return new Materializer(schema, fileSchema, oldLists(schema, fileSchema), keyFields);
  }

  /** The single-object encoding's header: marker C3 01 and the schema's fingerprint (LE). */
  static byte[] header(Schema schema) {
    return ByteBuffer.allocate(10)
        .order(ByteOrder.LITTLE_ENDIAN)
        .put((byte) 0xC3)
        .put((byte) 0x01)
        .putLong(SchemaNormalization.parsingFingerprint64(schema))
        .array();
  }

  /** Avro binary being written: a growable array with zig-zag varints and inserts. */
  static final class Out {
    byte[] buf = new byte[4096];
    int pos;

    void ensure(int n) {
      if (pos + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
      }
    }

    void writeLong(long n) {
      long v = (n << 1) ^ (n >> 63);
      if ((v & ~0x7FL) == 0 && pos < buf.length) {
        buf[pos++] = (byte) v; // most counts, indexes, small values: one byte
        return;
      }
      ensure(10);
      while ((v & ~0x7FL) != 0) {
        buf[pos++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      buf[pos++] = (byte) v;
    }

    void writeByte(int b) {
      ensure(1);
      buf[pos++] = (byte) b;
    }

    void writeRaw(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, buf, pos, len);
      pos += len;
    }

    void writeDouble(double d) {
      writeFixed64(Double.doubleToRawLongBits(d));
    }

    void writeFixed64(long bits) {
      ensure(8);
      for (int i = 0; i < 8; i++) {
        buf[pos++] = (byte) (bits >>> (8 * i));
      }
    }

    void writeFloat(float f) {
      ensure(4);
      int bits = Float.floatToRawIntBits(f);
      for (int i = 0; i < 4; i++) {
        buf[pos++] = (byte) (bits >>> (8 * i));
      }
    }

    /** Inserts Avro's varint of {@code n} at {@code at}, moving what follows. */
    void insertLong(int at, long n) {
      int end = pos;
      writeLong(n);
      int len = pos - end;
      byte[] v = Arrays.copyOfRange(buf, end, pos);
      System.arraycopy(buf, at, buf, at + len, end - at);
      System.arraycopy(v, 0, buf, at, len);
    }

    /**
     * Reserves one byte at {@link #pos} for a count written later with {@link #count}: most counts
     * fit in it, so the items written after it are not moved.
     */
    int reserve() {
      ensure(1);
      return pos++;
    }

    /** Writes Avro's varint of {@code n} into the byte {@link #reserve} kept at {@code at}. */
    void count(int at, long n) {
      if (n >= 0 && n < 64) {
        buf[at] = (byte) (n << 1); // zigzag of a small count: one byte
        return;
      }
      // A longer varint: drop the reserved byte and insert the whole varint there.
      System.arraycopy(buf, at + 1, buf, at, pos - at - 1);
      pos--;
      insertLong(at, n);
    }
  }

  /** Called before a value is written: the record field's pending nulls, an array's count... */
  @FunctionalInterface
  interface Before {
    void run();
  }

  private static final class Materializer extends RecordMaterializer<Encoded> {
    private final Out out = new Out();
    private final byte[] header;
    private final byte[][] keys;
    private final RecordConverter root;

    Materializer(Schema schema, MessageType file, boolean oldLists, String[] keyFields) {
      header = header(schema);
      keys = new byte[keyFields.length][];
      root =
          new RecordConverter(
              out,
              oldLists,
              schema,
              file,
              () -> {
                out.pos = 0;
                out.writeRaw(header, 0, header.length);
                Arrays.fill(keys, null);
              });
      for (int k = 0; k < keyFields.length; k++) {
        Schema.Field f = schema.getField(keyFields[k]);
        if (f == null || f.schema().getType() != Schema.Type.STRING) {
          throw new IllegalArgumentException(
              keyFields[k] + " is not a string field of " + schema.getFullName());
        }
        int slot = k;
        ((StringConverter) root.children[f.pos()]).capture = b -> keys[slot] = b;
      }
    }

    @Override
    public Encoded getCurrentRecord() {
      for (byte[] k : keys) {
        if (k == null) {
          throw new IllegalStateException("a record without one of its key fields");
        }
      }
      return new Encoded(Arrays.copyOf(out.buf, out.pos), keys.clone());
    }

    @Override
    public GroupConverter getRootConverter() {
      return root;
    }
  }

  /** The converter of a value of Avro type {@code s} stored as Parquet {@code t}. */
  static Converter converter(Out out, boolean oldLists, Schema s, Type t, Before before) {
    if (s.getType() == Schema.Type.UNION) {
      List<Schema> branches = s.getTypes();
      int nonNull = -1;
      for (int i = 0; i < branches.size(); i++) {
        if (branches.get(i).getType() != Schema.Type.NULL) {
          if (nonNull >= 0) {
            throw new IllegalArgumentException("only unions of null and one type: " + s);
          }
          nonNull = i;
        }
      }
      long index = nonNull;
      return converter(
          out,
          oldLists,
          branches.get(nonNull),
          t,
          () -> {
            before.run();
            out.writeLong(index);
          });
    }
    switch (s.getType()) {
      case RECORD:
        return new RecordConverter(out, oldLists, s, t.asGroupType(), before);
      case ARRAY:
        return new ArrayConverter(out, oldLists, s.getElementType(), t.asGroupType(), before);
      case STRING:
      case BYTES:
        return new StringConverter(out, before);
      case FIXED:
        return new PrimitiveConverter() {
          @Override
          public void addBinary(Binary value) {
            before.run();
            byte[] b = value.getBytesUnsafe();
            out.writeRaw(b, 0, b.length);
          }
        };
      case ENUM:
        List<String> symbols = s.getEnumSymbols();
        return new PrimitiveConverter() {
          @Override
          public void addBinary(Binary value) {
            before.run();
            out.writeLong(symbols.indexOf(value.toStringUsingUTF8()));
          }
        };
      case INT:
      case LONG:
        return new PrimitiveConverter() {
          @Override
          public void addInt(int value) {
            before.run();
            out.writeLong(value);
          }

          @Override
          public void addLong(long value) {
            before.run();
            out.writeLong(value);
          }
        };
      case DOUBLE:
        return new PrimitiveConverter() {
          @Override
          public void addDouble(double value) {
            before.run();
            out.writeDouble(value);
          }
        };
      case FLOAT:
        return new PrimitiveConverter() {
          @Override
          public void addFloat(float value) {
            before.run();
            out.writeFloat(value);
          }
        };
      case BOOLEAN:
        return new PrimitiveConverter() {
          @Override
          public void addBoolean(boolean value) {
            before.run();
            out.writeByte(value ? 1 : 0);
          }
        };
      default:
        throw new IllegalArgumentException("not read directly: " + s);
    }
  }

  static final class StringConverter extends PrimitiveConverter {
    private final Out out;
    private final Before before;
    java.util.function.Consumer<byte[]> capture;

    StringConverter(Out out, Before before) {
      this.out = out;
      this.before = before;
    }

    @Override
    public void addBinary(Binary value) {
      before.run();
      int len = value.length();
      out.writeLong(len);
      if (capture != null) {
        byte[] b = value.getBytes();
        capture.accept(b);
        out.writeRaw(b, 0, len);
      } else {
        ByteBuffer bb = value.toByteBuffer();
        out.ensure(len);
        bb.get(out.buf, out.pos, len);
        out.pos += len;
      }
    }
  }

  /** Fields in order; a field skipped by Parquet (null) is written when a later one arrives. */
  static final class RecordConverter extends GroupConverter {
    private final Out out;
    private final Before before;
    final Converter[] children;
    private final long[] nullIndex;
    private int next;

    RecordConverter(Out out, boolean oldLists, Schema s, GroupType t, Before before) {
      this.out = out;
      this.before = before;
      List<Schema.Field> fields = s.getFields();
      children = new Converter[fields.size()];
      nullIndex = new long[fields.size()];
      for (Schema.Field f : fields) {
        int i = f.pos();
        nullIndex[i] = -1;
        if (f.schema().getType() == Schema.Type.UNION) {
          nullIndex[i] = f.schema().getIndexNamed(Schema.Type.NULL.getName());
        }
        children[i] = converter(out, oldLists, f.schema(), t.getType(i), () -> field(i));
      }
    }

    /** Field {@code i} is about to be written: the optional fields before it were null. */
    private void field(int i) {
      while (next < i) {
        skipped(next++);
      }
      next = i + 1;
    }

    private void skipped(int i) {
      if (nullIndex[i] < 0) {
        throw new IllegalStateException("required field " + i + " is missing from a record");
      }
      out.writeLong(nullIndex[i]);
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      return children[fieldIndex];
    }

    @Override
    public void start() {
      before.run();
      next = 0;
    }

    @Override
    public void end() {
      while (next < children.length) {
        skipped(next++);
      }
    }
  }

  /**
   * An Avro array from a Parquet LIST: {@code repeated group list { element }} (three levels) or
   * the repeated element itself (parquet-avro's older two levels). Written as one block: the item
   * count, the items, a zero; an empty array is the zero alone (as Avro's BinaryEncoder does).
   */
  static final class ArrayConverter extends GroupConverter {
    private final Out out;
    private final Before before;
    private final Converter repeated;
    private int start;
    private long count;

    ArrayConverter(Out out, boolean oldLists, Schema element, GroupType list, Before before) {
      this.out = out;
      this.before = before;
      Type rep = list.getType(0);
      Before item = () -> count++;
      if (!oldLists) {
        Converter value = converter(out, oldLists, element, rep.asGroupType().getType(0), () -> {});
        repeated =
            new GroupConverter() {
              @Override
              public Converter getConverter(int i) {
                return value;
              }

              @Override
              public void start() {
                count++;
              }

              @Override
              public void end() {}
            };
      } else {
        repeated = converter(out, oldLists, element, rep, item);
      }
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      return repeated;
    }

    @Override
    public void start() {
      before.run();
      start = out.pos;
      count = 0;
    }

    @Override
    public void end() {
      if (count > 0) {
        out.insertLong(start, count);
      }
      out.writeLong(0);
    }
  }
}
