package io.fraudbatch.ingest;

import io.fraudbatch.avro.DecisionEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Counter;
import org.apache.hadoop.mapreduce.TaskInputOutputContext;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;

/**
 * Where a task's kept rows go: the day partitions this run writes, with the rows and new rows of
 * each day counted in a side file for the driver. The reducer writes the row it keeps of each
 * eventId; on the local engine a mapper writes the rows whose eventId has no other copy ({@link
 * Suspects}) itself.
 */
final class DayWriter {
  /** Side files of rows per day: "dt TAB rows TAB new rows" lines, one file per task. */
  static final String DAY_COUNTS = "_daycounts";

  /** The field set on new rows: the run that published them. */
  static final String INGEST_RUN_ID = "ingestRunId";

  private final TaskInputOutputContext<?, ?, ?, ?> context;
  private final SideOutputs side;
  private final String onlyDt;
  private final String runId;
  private final Map<String, String> sourceRuns = new HashMap<>();
  private final Counter newRows;

  // Rows per day go to a side file, not counters: a backfill of months would pass Hadoop's
  // counter limit (mapreduce.job.counters.max, 120 by default).
  private final Map<String, Long> newByDt = new TreeMap<>();
  private final Map<String, Long> rowsByDt = new TreeMap<>();

  DayWriter(TaskInputOutputContext<?, ?, ?, ?> context, SideOutputs side) {
    this.context = context;
    this.side = side;
    this.newRows = context.getCounter(IngestMapper.COUNTERS, "NEW_ROWS");
    this.onlyDt = context.getConfiguration().get(IngestConf.ONLY_DT);
    this.runId = context.getConfiguration().get(IngestConf.RUN_ID);
    for (String line : context.getConfiguration().get(IngestConf.SOURCE_RUNS, "").split("\n")) {
      int tab = line.indexOf('\t');
      if (tab > 0) {
        sourceRuns.put(line.substring(tab + 1), line.substring(0, tab));
      }
    }
  }

  /**
   * The run a new row from {@code sourceFile} carries: the one that first published it, or this.
   */
  String runIdFor(String sourceFile) {
    return sourceRuns.getOrDefault(sourceFile, runId);
  }

  /**
   * Whether the kept row of day {@code dt} is written by this run (not when --reprocess rebuilds
   * another day: rows of other days in the same files stay as published); counts it.
   */
  boolean publishes(String dt, boolean isNew) {
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

  void write(String dt, AvroBinaryWriteSupport.Value row) throws IOException {
    side.write("decisions", dt, DecisionEvent.getClassSchema(), INGEST_RUN_ID, row);
  }

  /** The only copy of an event, as shuffled (a published row, or a newly landed one). */
  void single(byte[] candidate, int length) throws IOException {
    CandidateCodec.Header h = CandidateCodec.header(candidate);
    String dt = Dates.dt(h.eventTime());
    if (!publishes(dt, !h.history())) {
      return;
    }
    write(
        dt,
        new AvroBinaryWriteSupport.Value(
            candidate,
            h.eventOffset(),
            length - h.eventOffset(),
            h.history() ? null : runIdFor(h.sourceFile())));
  }

  /** The only copy of an event, decoded: a published row, or one landed in {@code sourceFile}. */
  void single(DecisionEvent e, boolean history, String sourceFile, CandidateCodec codec)
      throws IOException {
    String dt = Dates.dt(e.getEventTime());
    if (!publishes(dt, !history)) {
      return;
    }
    byte[] bytes = codec.encodeEvent(e);
    write(
        dt,
        new AvroBinaryWriteSupport.Value(
            bytes, 0, bytes.length, history ? null : runIdFor(sourceFile)));
  }

  /** Writes the task's day counts (if it kept any row). */
  void close() throws IOException, InterruptedException {
    if (rowsByDt.isEmpty()) {
      return;
    }
    org.apache.hadoop.mapreduce.TaskID task = context.getTaskAttemptID().getTaskID();
    String name =
        String.format(
            Locale.ROOT,
            "part-%s-%05d",
            task.getTaskType() == org.apache.hadoop.mapreduce.TaskType.MAP ? "m" : "r",
            task.getId());
    String override = context.getConfiguration().get(IngestConf.SIDE_OUTPUT_DIR);
    Path base = override != null ? new Path(override) : FileOutputFormat.getWorkOutputPath(context);
    Path out = new Path(base, DAY_COUNTS + "/" + name);
    StringBuilder sb = new StringBuilder();
    rowsByDt.forEach(
        (dt, rows) ->
            sb.append(dt)
                .append('\t')
                .append(rows)
                .append('\t')
                .append(newByDt.getOrDefault(dt, 0L))
                .append('\n'));
    try (OutputStream os = out.getFileSystem(context.getConfiguration()).create(out, true)) {
      os.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
  }
}
