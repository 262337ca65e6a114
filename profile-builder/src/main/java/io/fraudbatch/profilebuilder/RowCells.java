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
    KeyValue[] cells(byte[] row, byte[] value, long ts) {
      // Sorted by qualifier ("p" < "w"), as an HFile wants them.
      return new KeyValue[] {
        new KeyValue(row, HBaseSchema.BATCH, HBaseSchema.PROFILE, ts, value),
        new KeyValue(row, HBaseSchema.BATCH, HBaseSchema.WATERMARK, ts, Bytes.toBytes(ts))
      };
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
    KeyValue[] cells(byte[] row, byte[] value, long ts) {
      return new KeyValue[] {new KeyValue(row, HBaseSchema.BATCH, HBaseSchema.CONTEXT, ts, value)};
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

  /** The row's cells, sorted as in an HFile. */
  abstract KeyValue[] cells(byte[] row, byte[] value, long ts);
}
