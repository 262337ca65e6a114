package io.fraudbatch.ingest;

import io.fraudbatch.avro.DecisionEvent;
import io.fraudbatch.avro.IngestCandidate;
import java.io.IOException;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;

/**
 * One eventId, every copy of it: keeps the published row if there is one (copies are duplicates of
 * history), otherwise the first newly landed copy by (file, position), so re-runs choose the same.
 * Writes the day partitions being rebuilt.
 */
public class IngestReducer
    extends io.fraudbatch.warehouse.RecordedReducer<
        Text, BytesWritable, NullWritable, NullWritable> {
  private final CandidateCodec codec = new CandidateCodec();
  private SideOutputs side;
  private DayWriter days;

  private org.apache.hadoop.mapreduce.Counter dupsOfPublished;
  private org.apache.hadoop.mapreduce.Counter dupsInRun;

  @Override
  protected void setup(Context context) throws IOException, InterruptedException {
    dupsOfPublished = context.getCounter(IngestMapper.COUNTERS, "DUPLICATES_OF_PUBLISHED");
    dupsInRun = context.getCounter(IngestMapper.COUNTERS, "DUPLICATES_IN_RUN");
    side = SideOutputs.open(context);
    days = new DayWriter(context, side);
  }

  @Override
  protected void reduce(Text eventId, Iterable<BytesWritable> values, Context context)
      throws IOException, InterruptedException {
    java.util.Iterator<BytesWritable> it = values.iterator();
    BytesWritable first = it.next();
    if (!it.hasNext()) {
      if (CandidateCodec.isMarker(first.getBytes(), first.getLength())) {
        return; // a published row of an appended day, alone: it stays where it is
      }
      // One copy, as nearly every event: its shuffled bytes go to Parquet without decoding.
      days.single(first.getBytes(), first.getLength());
      return;
    }
    IngestCandidate history = null;
    IngestCandidate best = null;
    long landed = 0;
    long historyCopies = 0;
    long markers = 0;
    boolean conflicting = false;
    for (BytesWritable v = first; v != null; v = it.hasNext() ? it.next() : null) {
      if (CandidateCodec.isMarker(v.getBytes(), v.getLength())) {
        markers++;
        continue;
      }
      IngestCandidate c = codec.decode(v.getBytes(), v.getLength());
      if (c.getHistory()) {
        historyCopies++;
        if (history == null) {
          history = c;
        }
        continue;
      }
      landed++;
      if (best == null) {
        best = c;
      } else {
        if (!best.getEvent().equals(c.getEvent())) {
          conflicting = true;
        }
        if (before(c, best)) {
          best = c;
        }
      }
    }
    if (conflicting) {
      context.getCounter(IngestMapper.COUNTERS, "DUPLICATES_WITH_DIFFERENT_CONTENT").increment(1);
    }
    if (markers > 0) {
      // Published in an appended day, where it stays: every landed copy is a duplicate of it, and
      // a copy in a day being rewritten is not written again.
      if (markers > 1) {
        context.getCounter(IngestMapper.COUNTERS, "HISTORY_DUPLICATES_KEPT").increment(markers - 1);
      }
      if (historyCopies > 0) {
        context
            .getCounter(IngestMapper.COUNTERS, "HISTORY_DUPLICATES_REMOVED")
            .increment(historyCopies);
      }
      dupsOfPublished.increment(landed);
      return;
    }
    if (historyCopies > 1) {
      context
          .getCounter(IngestMapper.COUNTERS, "HISTORY_DUPLICATES_REMOVED")
          .increment(historyCopies - 1);
    }
    DecisionEvent keep;
    if (history != null) {
      keep = history.getEvent();
      dupsOfPublished.increment(landed);
    } else {
      keep = best.getEvent();
      dupsInRun.increment(landed - 1);
    }
    String dt = Dates.dt(keep.getEventTime());
    if (!days.publishes(dt, history == null)) {
      return;
    }
    if (history == null) {
      // A rebuilt day keeps the run that first published each row; a new row gets this run.
      keep.setIngestRunId(days.runIdFor(best.getSourceFile()));
    }
    byte[] bytes = codec.encodeEvent(keep);
    days.write(dt, new AvroBinaryWriteSupport.Value(bytes, 0, bytes.length, null));
  }

  private static boolean before(IngestCandidate a, IngestCandidate b) {
    int c = a.getSourceFile().compareTo(b.getSourceFile());
    return c < 0 || (c == 0 && a.getRecordIndex() < b.getRecordIndex());
  }

  @Override
  protected void cleanup(Context context) throws IOException, InterruptedException {
    side.close();
    days.close();
  }
}
