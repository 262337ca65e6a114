package io.fraudbatch.profilebuilder;

import io.fraudbatch.avro.ActorProfile;
import io.fraudbatch.avro.RiskContext;
import io.fraudbatch.core.avro.AvroModel;
import io.fraudbatch.core.hbase.HBaseSchema;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.hadoop.hbase.KeyValue;
import org.apache.hadoop.hbase.io.ImmutableBytesWritable;
import org.apache.hadoop.hbase.util.Bytes;
import org.apache.hadoop.mapreduce.Mapper;

/**
 * Snapshot records (Parquet, read as generic Avro records) to the cells of one row each, with the
 * run's timestamp on every cell ({@link HBaseSchema}).
 */
final class CellMappers {
  private CellMappers() {}

  /** Configuration key: the timestamp of every cell (epoch ms). */
  static final String TIMESTAMP = "fraud.load.timestamp";

  static final String COUNTERS = "fraud-batch load";

  /** Profiles: row = prefix + actorId; b:p = the profile (single-object Avro), b:w = watermark. */
  static final class Profiles
      extends Mapper<Void, GenericRecord, ImmutableBytesWritable, KeyValue> {
    private final BinaryMessageEncoder<GenericRecord> encoder =
        new BinaryMessageEncoder<>(AvroModel.SPECIFIC, ActorProfile.getClassSchema());
    private long ts;
    private byte[] watermark;

    @Override
    protected void setup(Context context) {
      ts = context.getConfiguration().getLong(TIMESTAMP, -1);
      if (ts < 0) {
        throw new IllegalStateException(TIMESTAMP + " is not set");
      }
      watermark = Bytes.toBytes(ts);
    }

    @Override
    protected void map(Void key, GenericRecord value, Context context)
        throws IOException, InterruptedException {
      byte[] row = HBaseSchema.profileRow(value.get("actorId").toString());
      ByteBuffer profile = encoder.encode(value);
      ImmutableBytesWritable rowKey = new ImmutableBytesWritable(row);
      context.write(
          rowKey,
          new KeyValue(row, HBaseSchema.BATCH, HBaseSchema.PROFILE, ts, Bytes.getBytes(profile)));
      context.write(
          rowKey, new KeyValue(row, HBaseSchema.BATCH, HBaseSchema.WATERMARK, ts, watermark));
      context.getCounter(COUNTERS, "ROWS").increment(1);
    }
  }

  /** Risk context: row = keyType 0x00 key; b:c = the entry (single-object Avro). */
  static final class Contexts
      extends Mapper<Void, GenericRecord, ImmutableBytesWritable, KeyValue> {
    private final BinaryMessageEncoder<GenericRecord> encoder =
        new BinaryMessageEncoder<>(AvroModel.SPECIFIC, RiskContext.getClassSchema());
    private long ts;

    @Override
    protected void setup(Context context) {
      ts = context.getConfiguration().getLong(TIMESTAMP, -1);
      if (ts < 0) {
        throw new IllegalStateException(TIMESTAMP + " is not set");
      }
    }

    @Override
    protected void map(Void key, GenericRecord value, Context context)
        throws IOException, InterruptedException {
      byte[] row =
          HBaseSchema.contextRow(value.get("keyType").toString(), value.get("key").toString());
      context.write(
          new ImmutableBytesWritable(row),
          new KeyValue(
              row,
              HBaseSchema.BATCH,
              HBaseSchema.CONTEXT,
              ts,
              Bytes.getBytes(encoder.encode(value))));
      context.getCounter(COUNTERS, "ROWS").increment(1);
    }
  }
}
