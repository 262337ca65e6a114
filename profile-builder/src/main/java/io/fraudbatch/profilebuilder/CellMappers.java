package io.fraudbatch.profilebuilder;

import io.fraudbatch.core.avro.AvroModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.hadoop.hbase.KeyValue;
import org.apache.hadoop.hbase.io.ImmutableBytesWritable;
import org.apache.hadoop.hbase.util.Bytes;
import org.apache.hadoop.mapreduce.Mapper;

/**
 * The MapReduce HFile generator's mapper ({@code load --generate mapreduce}): snapshot records
 * (Parquet, read as generic Avro records) to the cells of one row each ({@link RowCells}).
 */
final class CellMappers {
  private CellMappers() {}

  /** Configuration key: the timestamp of every cell (epoch ms). */
  static final String TIMESTAMP = "fraud.load.timestamp";

  /** Configuration key: the {@link RowCells} of the snapshot. */
  static final String LAYOUT = "fraud.load.layout";

  static final String COUNTERS = "fraud-batch load";

  static final class Cells extends Mapper<Void, GenericRecord, ImmutableBytesWritable, KeyValue> {
    private RowCells layout;
    private String[] keyFields;
    private BinaryMessageEncoder<GenericRecord> encoder;
    private long ts;

    @Override
    protected void setup(Context context) {
      ts = context.getConfiguration().getLong(TIMESTAMP, -1);
      if (ts < 0) {
        throw new IllegalStateException(TIMESTAMP + " is not set");
      }
      layout = RowCells.valueOf(context.getConfiguration().get(LAYOUT));
      keyFields = layout.keyFields();
      encoder = new BinaryMessageEncoder<>(AvroModel.SPECIFIC, layout.schema);
    }

    @Override
    protected void map(Void key, GenericRecord value, Context context)
        throws IOException, InterruptedException {
      byte[][] keys = new byte[keyFields.length][];
      for (int i = 0; i < keys.length; i++) {
        keys[i] = value.get(keyFields[i]).toString().getBytes(StandardCharsets.UTF_8);
      }
      byte[] row = layout.row(keys);
      ImmutableBytesWritable rowKey = new ImmutableBytesWritable(row);
      for (KeyValue kv : layout.cells(row, Bytes.getBytes(encoder.encode(value)), ts)) {
        context.write(rowKey, kv);
      }
      context.getCounter(COUNTERS, "ROWS").increment(1);
    }
  }
}
