package io.fraudbatch.ingest;

import io.fraudbatch.avro.DecisionEvent;
import java.io.IOException;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.Text;

/**
 * A row already published in the warehouse, sent to the reducer so duplicates of it are dropped.
 */
public class HistoryMapper
    extends io.fraudbatch.warehouse.RecordedMapper<Object, DecisionEvent, Text, BytesWritable> {
  private final CandidateCodec codec = new CandidateCodec();
  private final Text outKey = new Text();
  private final BytesWritable outValue = new BytesWritable();

  @Override
  protected void map(Object key, DecisionEvent e, Context context)
      throws IOException, InterruptedException {
    context.getCounter(IngestMapper.COUNTERS, "HISTORY_ROWS_READ").increment(1);
    byte[] bytes = codec.encode(true, "warehouse", 0, e);
    outKey.set(e.getEventId());
    outValue.set(bytes, 0, bytes.length);
    context.write(outKey, outValue);
  }
}
