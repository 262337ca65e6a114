package io.fraudbatch.ingest;

import java.io.IOException;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.Text;

/**
 * The id of a row published in a day that new rows are appended to: sent to the reducer as a {@link
 * CandidateCodec#MARKER marker} so copies of the row are dropped, without reading or rewriting the
 * row itself.
 */
public class HistoryIdMapper
    extends io.fraudbatch.warehouse.RecordedMapper<Void, byte[], Text, BytesWritable> {
  private final Text outKey = new Text();
  private final BytesWritable outValue =
      new BytesWritable(CandidateCodec.MARKER.clone(), CandidateCodec.MARKER.length);

  /** On the local engine: the ids that may have copies; the others need no marker. */
  private Suspects suspects;

  @Override
  protected void setup(Context context) throws IOException, InterruptedException {
    suspects = Suspects.of(context.getConfiguration());
  }

  @Override
  protected void map(Void key, byte[] eventId, Context context)
      throws IOException, InterruptedException {
    context.getCounter(IngestMapper.COUNTERS, "HISTORY_IDS_READ").increment(1);
    if (suspects != null && !suspects.contains(Suspects.hash(eventId, 0, eventId.length))) {
      return; // no landed copy: the row stays where it is
    }
    outKey.set(eventId);
    context.write(outKey, outValue);
  }
}
