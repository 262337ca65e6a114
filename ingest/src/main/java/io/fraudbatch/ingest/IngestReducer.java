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
  /** Per-day counts of newly landed rows: the driver publishes only days that have some. */
  /** Side files of rows per day: "dt TAB rows TAB new rows" lines, one file per reduce task. */
  public static final String DAY_COUNTS = "_daycounts";

  private final CandidateCodec codec = new CandidateCodec();
  private SideOutputs side;
  private String onlyDt;
  private String runId;
  private final java.util.Map<String, String> sourceRuns = new java.util.HashMap<>();

  private org.apache.hadoop.mapreduce.Counter dupsOfPublished;
  private org.apache.hadoop.mapreduce.Counter dupsInRun;
  private org.apache.hadoop.mapreduce.Counter newRows;
  private Context context;

  /** The field the reducer sets on new rows: the run that published them. */
  static final String INGEST_RUN_ID = "ingestRunId";

  // Rows per day go to a side file, not counters: a backfill of months would pass Hadoop's
  // counter limit (mapreduce.job.counters.max, 120 by default).
  private final java.util.Map<String, Long> newByDt = new java.util.TreeMap<>();
  private final java.util.Map<String, Long> rowsByDt = new java.util.TreeMap<>();

  @Override
  protected void setup(Context context) throws IOException, InterruptedException {
    dupsOfPublished = context.getCounter(IngestMapper.COUNTERS, "DUPLICATES_OF_PUBLISHED");
    dupsInRun = context.getCounter(IngestMapper.COUNTERS, "DUPLICATES_IN_RUN");
    newRows = context.getCounter(IngestMapper.COUNTERS, "NEW_ROWS");
    this.context = context;
    side = new SideOutputs(context);
    onlyDt = context.getConfiguration().get(IngestConf.ONLY_DT);
    runId = context.getConfiguration().get(IngestConf.RUN_ID);
    for (String line : context.getConfiguration().get(IngestConf.SOURCE_RUNS, "").split("\n")) {
      int tab = line.indexOf('\t');
      if (tab > 0) {
        sourceRuns.put(line.substring(tab + 1), line.substring(0, tab));
      }
    }
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
      single(first);
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
    if (!publishes(dt, history == null)) {
      return;
    }
    if (history == null) {
      // A rebuilt day keeps the run that first published each row; a new row gets this run.
      keep.setIngestRunId(sourceRuns.getOrDefault(best.getSourceFile(), runId));
    }
    byte[] bytes = codec.encodeEvent(keep);
    write(dt, new AvroBinaryWriteSupport.Value(bytes, 0, bytes.length, null));
  }

  /** The only copy of an event: a published row, or a newly landed one. */
  private void single(BytesWritable v) throws IOException {
    CandidateCodec.Header h = CandidateCodec.header(v.getBytes());
    String dt = Dates.dt(h.eventTime());
    if (!publishes(dt, !h.history())) {
      return;
    }
    write(
        dt,
        new AvroBinaryWriteSupport.Value(
            v.getBytes(),
            h.eventOffset(),
            v.getLength() - h.eventOffset(),
            // A new row gets the run that first published its file (a rebuilt day), or this run.
            h.history() ? null : sourceRuns.getOrDefault(h.sourceFile(), runId)));
  }

  /**
   * Whether the kept row of day {@code dt} is written by this run (not when --reprocess rebuilds
   * another day: rows of other days in the same files stay as published); counts it.
   */
  private boolean publishes(String dt, boolean isNew) {
    if (onlyDt != null && !onlyDt.equals(dt)) {
      context.getCounter(IngestMapper.COUNTERS, "OTHER_DAY_ON_REPROCESS").increment(isNew ? 1 : 0);
      return false;
    }
    if (isNew) {
      newRows.increment(1);
      newByDt.merge(dt, 1L, Long::sum);
    }
    rowsByDt.merge(dt, 1L, Long::sum);
    return true;
  }

  private void write(String dt, AvroBinaryWriteSupport.Value row) throws IOException {
    side.write("decisions", dt, DecisionEvent.getClassSchema(), INGEST_RUN_ID, row);
  }

  private static boolean before(IngestCandidate a, IngestCandidate b) {
    int c = a.getSourceFile().compareTo(b.getSourceFile());
    return c < 0 || (c == 0 && a.getRecordIndex() < b.getRecordIndex());
  }

  @Override
  protected void cleanup(Context context) throws IOException, InterruptedException {
    side.close();
    if (rowsByDt.isEmpty()) {
      return;
    }
    String task = String.format("%05d", context.getTaskAttemptID().getTaskID().getId());
    String override = context.getConfiguration().get(IngestConf.SIDE_OUTPUT_DIR);
    org.apache.hadoop.fs.Path base =
        override != null
            ? new org.apache.hadoop.fs.Path(override)
            : org.apache.hadoop.mapreduce.lib.output.FileOutputFormat.getWorkOutputPath(context);
    org.apache.hadoop.fs.Path out =
        new org.apache.hadoop.fs.Path(base, DAY_COUNTS + "/part-r-" + task);
    StringBuilder sb = new StringBuilder();
    rowsByDt.forEach(
        (dt, rows) ->
            sb.append(dt)
                .append('\t')
                .append(rows)
                .append('\t')
                .append(newByDt.getOrDefault(dt, 0L))
                .append('\n'));
    try (java.io.OutputStream os =
        out.getFileSystem(context.getConfiguration()).create(out, true)) {
      os.write(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
