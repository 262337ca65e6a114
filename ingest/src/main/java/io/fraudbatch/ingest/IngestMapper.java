package io.fraudbatch.ingest;

import io.fraudbatch.avro.DecisionEvent;
import io.fraudbatch.avro.QuarantineProblem;
import io.fraudbatch.avro.QuarantineRecord;
import io.fraudbatch.core.event.DecisionEventJson;
import io.fraudbatch.core.event.DecodeResult;
import io.fraudbatch.core.event.RecordLimits;
import io.fraudbatch.core.event.RecordProblem;
import io.fraudbatch.core.pan.EventPanMasking;
import io.fraudbatch.core.pan.PanMasker;
import io.fraudbatch.core.pan.PanTokens;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;

/**
 * Landed record → validated, PAN-masked candidate keyed by eventId; invalid records go to the
 * quarantine (masked) with their reason and position. Logic lives in core; this only adapts.
 */
public class IngestMapper
    extends io.fraudbatch.warehouse.RecordedMapper<
        LandingRecordKey, BytesWritable, Text, BytesWritable> {
  /** Side files of which days each landing file fed: "file TAB dt TAB rows" lines, one per task. */
  static final String FILE_DAYS = "_filedays";

  /** Counter group of the reconciliation. */
  public static final String COUNTERS = "ingest";

  private static final Pattern EVENT_ID = Pattern.compile("\"eventId\"\\s*:\\s*\"([^\"]{1,128})\"");

  private final CandidateCodec codec = new CandidateCodec();
  private final Text outKey = new Text();
  private final BytesWritable outValue = new BytesWritable();
  private SideOutputs side;
  private DayWriter days;

  /** On the local engine: the ids that may have copies; other rows are written here. */
  private Suspects suspects;

  private boolean writeQuarantine;
  private String runId;
  private Instant started;

  /** file → dt → valid records: the manifest's record of which days each file fed. */
  private final Map<String, Map<String, Long>> fileDays = new TreeMap<>();

  private org.apache.hadoop.mapreduce.Counter read;
  private org.apache.hadoop.mapreduce.Counter valid;
  private org.apache.hadoop.mapreduce.Counter quarantined;
  private org.apache.hadoop.mapreduce.Counter panMasked;
  private PanTokens panTokens;
  private RecordLimits limits;

  @Override
  protected void setup(Context context) throws IOException, InterruptedException {
    // Counter lookups by name are slow on the hot path: resolve them once.
    read = context.getCounter(COUNTERS, "RECORDS_READ");
    valid = context.getCounter(COUNTERS, "VALID");
    quarantined = context.getCounter(COUNTERS, "QUARANTINED");
    panMasked = context.getCounter(COUNTERS, "RECORDS_WITH_PAN_MASKED");
    side = SideOutputs.open(context);
    days = new DayWriter(context, side);
    suspects = Suspects.of(context.getConfiguration());
    panTokens = PanKeys.tokens(context.getConfiguration());
    limits =
        new RecordLimits(
            context
                .getConfiguration()
                .getInt(IngestConf.MAX_RECORD_BYTES, IngestConf.MAX_RECORD_BYTES_DEFAULT),
            context
                .getConfiguration()
                .getInt(IngestConf.MAX_FIELD_CHARS, IngestConf.MAX_FIELD_CHARS_DEFAULT));
    writeQuarantine = context.getConfiguration().getBoolean(IngestConf.WRITE_QUARANTINE, true);
    runId = context.getConfiguration().get(IngestConf.RUN_ID, "run");
    started =
        Instant.ofEpochMilli(
            context
                .getConfiguration()
                .getLong(IngestConf.RUN_STARTED_MS, System.currentTimeMillis()));
  }

  @Override
  protected void map(LandingRecordKey key, BytesWritable value, Context context)
      throws IOException, InterruptedException {
    read.increment(1);
    DecodeResult r = DecisionEventJson.decode(value.getBytes(), 0, value.getLength(), limits);
    if (r.isValid()) {
      DecisionEvent e = r.event();
      if (EventPanMasking.mask(e, panTokens) > 0) {
        panMasked.increment(1);
      }
      valid.increment(1);
      fileDays
          .computeIfAbsent(key.file(), f -> new TreeMap<>())
          .merge(Dates.dt(e.getEventTime()), 1L, Long::sum);
      outKey.set(e.getEventId());
      if (suspects != null
          && !suspects.contains(Suspects.hash(outKey.getBytes(), 0, outKey.getLength()))) {
        days.single(e, false, key.file(), codec); // no other copy: no shuffle
        return;
      }
      byte[] bytes = codec.encode(false, key.file(), key.index(), e);
      outValue.set(bytes, 0, bytes.length);
      context.write(outKey, outValue);
      return;
    }
    quarantined.increment(1);
    context.getCounter(COUNTERS, "QUARANTINED_" + r.primaryProblem()).increment(1);
    if (!writeQuarantine) {
      return;
    }
    // An oversized body is kept in part: enough to find where it came from and what it was.
    int keep = Math.min(value.getLength(), limits.maxRecordBytes());
    String text =
        PanMasker.mask(new String(value.getBytes(), 0, keep, StandardCharsets.UTF_8))
            + (keep < value.getLength() ? "…(" + value.getLength() + " bytes in all)" : "");
    List<QuarantineProblem> problems = new ArrayList<>(r.problems().size());
    for (RecordProblem p : r.problems()) {
      problems.add(
          new QuarantineProblem(
              p.field(),
              PanMasker.mask(p.value()),
              p.problem().name(),
              PanMasker.mask(p.message())));
    }
    Matcher m = EVENT_ID.matcher(text);
    long hour = key.landingHour() >= 0 ? key.landingHour() : started.toEpochMilli();
    QuarantineRecord q =
        new QuarantineRecord(
            r.primaryProblem().name(),
            problems,
            m.find() ? m.group(1) : null,
            text,
            value.getLength(),
            key.file(),
            key.index(),
            Instant.ofEpochMilli(hour),
            runId,
            started);
    side.write("quarantine", Dates.dt(hour), QuarantineRecord.getClassSchema(), q);
  }

  @Override
  protected void cleanup(Context context) throws IOException, InterruptedException {
    side.close();
    days.close();
    if (fileDays.isEmpty()) {
      return;
    }
    // A small side file: which partition days each landing file fed (for --reprocess).
    String task = String.format("%05d", context.getTaskAttemptID().getTaskID().getId());
    String override = context.getConfiguration().get(IngestConf.SIDE_OUTPUT_DIR);
    Path base = override != null ? new Path(override) : FileOutputFormat.getWorkOutputPath(context);
    Path out = new Path(base, FILE_DAYS + "/part-m-" + task);
    try (OutputStream os = out.getFileSystem(context.getConfiguration()).create(out, true)) {
      StringBuilder sb = new StringBuilder();
      for (var f : fileDays.entrySet()) {
        for (var d : f.getValue().entrySet()) {
          sb.append(f.getKey())
              .append('\t')
              .append(d.getKey())
              .append('\t')
              .append(d.getValue())
              .append('\n');
        }
      }
      os.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
  }
}
