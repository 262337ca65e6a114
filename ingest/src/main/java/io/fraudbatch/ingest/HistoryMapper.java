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

  private SideOutputs side;
  private DayWriter days;

  /** On the local engine: the ids that may have copies; other rows are written here. */
  private Suspects suspects;

  @Override
  protected void setup(Context context) throws IOException, InterruptedException {
    suspects = Suspects.of(context.getConfiguration());
    if (suspects != null) {
      side = SideOutputs.open(context);
      days = new DayWriter(context, side);
    }
  }

  @Override
  protected void map(Object key, DecisionEvent e, Context context)
      throws IOException, InterruptedException {
    context.getCounter(IngestMapper.COUNTERS, "HISTORY_ROWS_READ").increment(1);
    outKey.set(e.getEventId());
    if (suspects != null
        && !suspects.contains(Suspects.hash(outKey.getBytes(), 0, outKey.getLength()))) {
      days.single(e, true, null, codec); // no other copy: rewritten as it is
      return;
    }
    byte[] bytes = codec.encode(true, "warehouse", 0, e);
    outValue.set(bytes, 0, bytes.length);
    context.write(outKey, outValue);
  }

  @Override
  protected void cleanup(Context context) throws IOException, InterruptedException {
    if (side != null) {
      side.close();
      days.close();
    }
  }
}
