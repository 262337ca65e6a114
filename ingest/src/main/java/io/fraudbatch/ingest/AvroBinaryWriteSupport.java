package io.fraudbatch.ingest;

import io.fraudbatch.warehouse.AvroBinaryIn;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Writes records given as Avro binary (the shuffle's bytes) to Parquet exactly as parquet-avro's
 * writer would write the same records (three-level lists, the same schema and footer metadata, so
 * every reader, parquet-avro's included, sees no difference), without decoding them into Avro
 * objects: the reducers' Parquet writing through parquet-avro and the decoding before it were most
 * of ingest's CPU (bench/README.md). Avro's binary encoding follows the schema's order, which is
 * also the order Parquet's record consumer takes fields in, so each value is handed on as it is
 * read.
 *
 * <p>One top-level nullable string field can be given another value per record ({@link
 * Value#override}): the run that published the row, decided in the reducer.
 */
final class AvroBinaryWriteSupport extends WriteSupport<AvroBinaryWriteSupport.Value> {

  /**
   * A record's Avro binary in {@code bytes[offset, offset + length)}; {@code override}, when not
   * null, replaces the override field's value.
   */
  record Value(byte[] bytes, int offset, int length, String override) {}

  private final Schema schema;
  private final MessageType parquet;
  private final int overrideField;
  private RecordConsumer out;
  private final AvroBinaryIn in = new AvroBinaryIn();

  AvroBinaryWriteSupport(Schema schema, String overrideField) {
    this.schema = schema;
    Configuration c = new Configuration(false);
    c.setBoolean(AvroWriteSupport.WRITE_OLD_LIST_STRUCTURE, false);
    this.parquet = new AvroSchemaConverter(c).convert(schema);
    Schema.Field f = overrideField == null ? null : schema.getField(overrideField);
    if (overrideField != null
        && (f == null
            || f.schema().getType() != Schema.Type.UNION
            || f.schema().getIndexNamed("string") == null)) {
      throw new IllegalArgumentException(overrideField + " is not a nullable string field");
    }
    this.overrideField = f == null ? -1 : f.pos();
    check(schema);
  }

  /** Refuses, at construction, a type {@link #write} would not know. */
  private static void check(Schema s) {
    switch (s.getType()) {
      case RECORD -> s.getFields().forEach(f -> check(f.schema()));
      case ARRAY -> check(s.getElementType());
      case MAP -> check(s.getValueType());
      case UNION -> {
        List<Schema> t = s.getTypes();
        if (t.size() != 2 || t.stream().noneMatch(x -> x.getType() == Schema.Type.NULL)) {
          throw new IllegalArgumentException("only unions of null and one type: " + s);
        }
        t.forEach(AvroBinaryWriteSupport::check);
      }
      case STRING, BYTES, FIXED, LONG, INT, DOUBLE, FLOAT, BOOLEAN, NULL, ENUM -> {}
    }
  }

  @Override
  public WriteContext init(Configuration configuration) {
    Map<String, String> meta = new HashMap<>();
    // What parquet-avro's writer records: readers take the Avro schema from here.
    meta.put("parquet.avro.schema", schema.toString());
    return new WriteContext(parquet, meta);
  }

  @Override
  public String getName() {
    return "avro"; // the footer's writer.model.name, as parquet-avro's writer gives it
  }

  @Override
  public void prepareForWrite(RecordConsumer recordConsumer) {
    this.out = recordConsumer;
  }

  @Override
  public void write(Value v) {
    in.buf = v.bytes();
    in.pos = v.offset();
    int end = v.offset() + v.length();
    out.startMessage();
    List<Schema.Field> fields = schema.getFields();
    for (int i = 0; i < fields.size(); i++) {
      Schema.Field f = fields.get(i);
      if (i == overrideField && v.override() != null) {
        skip(f.schema());
        out.startField(f.name(), i);
        out.addBinary(Binary.fromString(v.override()));
        out.endField(f.name(), i);
        continue;
      }
      field(f.schema(), parquet.getType(i), i);
    }
    out.endMessage();
    if (in.pos != end) {
      throw new IllegalArgumentException(
          "a record of " + (end - v.offset()) + " bytes ended at " + (in.pos - v.offset()));
    }
  }

  /** A field of a group: nothing at all when its value is null (a null union branch). */
  private void field(Schema s, Type t, int index) {
    if (s.getType() == Schema.Type.UNION) {
      Schema branch = s.getTypes().get((int) in.readLong());
      if (branch.getType() == Schema.Type.NULL) {
        return;
      }
      s = branch;
    }
    out.startField(t.getName(), index);
    value(s, t);
    out.endField(t.getName(), index);
  }

  private void value(Schema s, Type t) {
    switch (s.getType()) {
      case RECORD -> {
        GroupType g = t.asGroupType();
        out.startGroup();
        List<Schema.Field> fields = s.getFields();
        for (int i = 0; i < fields.size(); i++) {
          field(fields.get(i).schema(), g.getType(i), i);
        }
        out.endGroup();
      }
      case ARRAY -> {
        // required group f (LIST) { repeated group list { element } }
        GroupType list = t.asGroupType().getType(0).asGroupType();
        Type element = list.getType(0);
        out.startGroup();
        long n = in.readBlockCount();
        if (n > 0) {
          out.startField(list.getName(), 0);
          for (; n > 0; n = in.readBlockCount()) {
            for (long i = 0; i < n; i++) {
              out.startGroup();
              field(s.getElementType(), element, 0);
              out.endGroup();
            }
          }
          out.endField(list.getName(), 0);
        }
        out.endGroup();
      }
      case MAP -> {
        // required group f (MAP) { repeated group key_value { key; value } }
        GroupType kv = t.asGroupType().getType(0).asGroupType();
        out.startGroup();
        long n = in.readBlockCount();
        if (n > 0) {
          out.startField(kv.getName(), 0);
          for (; n > 0; n = in.readBlockCount()) {
            for (long i = 0; i < n; i++) {
              out.startGroup();
              out.startField(kv.getFieldName(0), 0);
              out.addBinary(in.readBinary());
              out.endField(kv.getFieldName(0), 0);
              field(s.getValueType(), kv.getType(1), 1);
              out.endGroup();
            }
          }
          out.endField(kv.getName(), 0);
        }
        out.endGroup();
      }
      case STRING, BYTES -> out.addBinary(in.readBinary());
      case ENUM -> out.addBinary(Binary.fromString(s.getEnumSymbols().get((int) in.readLong())));
      case FIXED -> {
        out.addBinary(Binary.fromReusedByteArray(in.buf, in.pos, s.getFixedSize()));
        in.pos += s.getFixedSize();
      }
      case LONG -> out.addLong(in.readLong());
      case INT -> out.addInteger((int) in.readLong());
      case DOUBLE -> out.addDouble(Double.longBitsToDouble(in.readFixed(8)));
      case FLOAT -> out.addFloat(Float.intBitsToFloat((int) in.readFixed(4)));
      case BOOLEAN -> out.addBoolean(in.buf[in.pos++] != 0);
      default -> throw new IllegalStateException("not written: " + s);
    }
  }

  /** Moves past a value without writing it. */
  private void skip(Schema s) {
    switch (s.getType()) {
      case UNION -> skip(s.getTypes().get((int) in.readLong()));
      case NULL -> {}
      case STRING, BYTES -> {
        long len = in.readLong();
        in.pos += (int) len;
      }
      case FIXED -> in.pos += s.getFixedSize();
      case LONG, INT, ENUM -> in.readLong();
      case DOUBLE -> in.pos += 8;
      case FLOAT -> in.pos += 4;
      case BOOLEAN -> in.pos++;
      case RECORD -> s.getFields().forEach(f -> skip(f.schema()));
      case ARRAY -> {
        for (long n = in.readBlockCount(); n > 0; n = in.readBlockCount()) {
          for (long i = 0; i < n; i++) {
            skip(s.getElementType());
          }
        }
      }
      case MAP -> {
        for (long n = in.readBlockCount(); n > 0; n = in.readBlockCount()) {
          for (long i = 0; i < n; i++) {
            skip(Schema.create(Schema.Type.STRING));
            skip(s.getValueType());
          }
        }
      }
    }
  }
}
