package io.fraudbatch.profilebuilder;

import io.fraudbatch.avro.ActorProfile;
import io.fraudbatch.avro.RiskContext;
import io.fraudbatch.core.hbase.HBaseSchema;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.hadoop.hbase.KeyValue;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * How a snapshot record becomes one HBase row ({@link HBaseSchema}): the record's key fields give
 * the row key, its single-object Avro encoding is the value, and every cell carries the load's
 * timestamp. The one definition both HFile generators use (in the load's process and on MapReduce).
 */
enum RowCells {
  /** Profiles: row = prefix + actorId; b:p = the profile, b:w = the watermark. */
  PROFILES(ActorProfile.getClassSchema(), "actorId") {
    @Override
    byte[] row(byte[][] keys) {
      return HBaseSchema.profileRow(new String(keys[0], StandardCharsets.UTF_8));
    }

    @Override
    int cellsLength(int rowLength, int valueLength) {
      return size(rowLength, HBaseSchema.PROFILE, valueLength)
          + size(rowLength, HBaseSchema.WATERMARK, Long.BYTES);
    }

    @Override
    int writeCells(byte[] dst, int off, byte[] row, byte[] value, int vlen, long ts) {
      // Sorted by qualifier ("p" < "w"), as an HFile wants them.
      int p = off + put(dst, off, row, HBaseSchema.PROFILE, ts, value, vlen);
      return p + put(dst, p, row, HBaseSchema.WATERMARK, ts, Bytes.toBytes(ts), Long.BYTES);
    }
  },
  /** Risk context: row = keyType 0x00 key; b:c = the entry. */
  CONTEXTS(RiskContext.getClassSchema(), "keyType", "key") {
    @Override
    byte[] row(byte[][] keys) {
      return HBaseSchema.contextRow(
          new String(keys[0], StandardCharsets.UTF_8), new String(keys[1], StandardCharsets.UTF_8));
    }

    @Override
    int cellsLength(int rowLength, int valueLength) {
      return size(rowLength, HBaseSchema.CONTEXT, valueLength);
    }

    @Override
    int writeCells(byte[] dst, int off, byte[] row, byte[] value, int vlen, long ts) {
      return off + put(dst, off, row, HBaseSchema.CONTEXT, ts, value, vlen);
    }
  };

  final Schema schema;
  private final String[] keyFields;

  RowCells(Schema schema, String... keyFields) {
    this.schema = schema;
    this.keyFields = keyFields;
  }

  /** The top-level string fields the row key is made of. */
  String[] keyFields() {
    return keyFields.clone();
  }

  /** The row key from the key fields' UTF-8 bytes, in {@link #keyFields()} order. */
  abstract byte[] row(byte[][] keys);

  /**
   * The row's cells, sorted as in an HFile: those {@link #writeCells} writes, as KeyValues (the
   * MapReduce generator's).
   */
  final KeyValue[] cells(byte[] row, byte[] value, long ts) {
    byte[] b = new byte[cellsLength(row.length, value.length)];
    writeCells(b, 0, row, value, value.length, ts);
    java.util.List<KeyValue> cells = new java.util.ArrayList<>(2);
    for (int p = 0; p < b.length; ) {
      int length = 8 + Bytes.toInt(b, p) + Bytes.toInt(b, p + 4); // key and value lengths
      cells.add(new KeyValue(b, p, length));
      p += length;
    }
    return cells.toArray(new KeyValue[0]);
  }

  /** Bytes of the row's cells one after another, as {@link #writeCells} writes them. */
  abstract int cellsLength(int rowLength, int valueLength);

  /**
   * Writes the row's cells (one Put cell per qualifier, sorted) at {@code dst[off]} as KeyValue
   * bytes one after another, without building KeyValues (the load's buffer); returns where they
   * end. The one definition of a row's cells.
   */
  abstract int writeCells(byte[] dst, int off, byte[] row, byte[] value, int vlen, long ts);

  private static int size(int rowLength, byte[] qualifier, int valueLength) {
    return (int)
        KeyValue.getKeyValueDataStructureSize(
            rowLength, HBaseSchema.BATCH.length, qualifier.length, valueLength);
  }

  /** One Put cell of family b, as {@code new KeyValue(row, b, qualifier, ts, value)} has it. */
  private static int put(
      byte[] dst, int off, byte[] row, byte[] qualifier, long ts, byte[] value, int vlen) {
    return KeyValue.writeByteArray(
        dst,
        off,
        row,
        0,
        row.length,
        HBaseSchema.BATCH,
        0,
        HBaseSchema.BATCH.length,
        qualifier,
        0,
        qualifier.length,
        ts,
        KeyValue.Type.Put,
        value,
        0,
        vlen,
        null);
  }
}
