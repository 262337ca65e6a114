package io.fraudbatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudbatch.avro.DecisionEvent;
import io.fraudbatch.avro.IngestCandidate;
import io.fraudbatch.core.event.DecisionEventJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mrunit.mapreduce.MapDriver;
import org.apache.hadoop.mrunit.mapreduce.ReduceDriver;
import org.apache.hadoop.mrunit.types.Pair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IngestMapper and IngestReducer through MRUnit's drivers (Hadoop's contexts, no job). */
class IngestMapReduceTest {
  @TempDir Path side;

  private static final String FILE = "file:/r/landing/decisions/2026/05/02/10/FlumeData.1";

  private static String json(String id, String actor, long time, String amount) {
    return "{\"eventId\":\""
        + id
        + "\",\"actorId\":\""
        + actor
        + "\",\"eventTime\":"
        + time
        + ",\"channel\":\"POS\",\"amount\":\""
        + amount
        + "\",\"currency\":\"USD\",\"decision\":\"APPROVED\",\"reasons\":[]}";
  }

  private static BytesWritable bytes(String s) {
    return new BytesWritable(s.getBytes(StandardCharsets.UTF_8));
  }

  private MapDriver<LandingRecordKey, BytesWritable, Text, BytesWritable> mapDriver() {
    MapDriver<LandingRecordKey, BytesWritable, Text, BytesWritable> d =
        MapDriver.newMapDriver(new IngestMapper());
    d.getConfiguration().set(IngestConf.SIDE_OUTPUT_DIR, side.toUri().toString());
    d.getConfiguration().set(IngestConf.RUN_ID, "test-run");
    return d;
  }

  @Test
  void aValidRecordIsKeyedByEventIdWithAnActorIdThatIsACardTokenised() throws Exception {
    var d = mapDriver();
    d.withInput(
        new LandingRecordKey(FILE, 7, 1777716000000L),
        bytes(json("e-1", "4111111111111111", 1777716000000L, "12.50")));
    List<Pair<Text, BytesWritable>> out = d.run();
    assertThat(out).hasSize(1);
    assertThat(out.get(0).getFirst().toString()).isEqualTo("e-1");
    BytesWritable v = out.get(0).getSecond();
    IngestCandidate c = new CandidateCodec().decode(v.getBytes(), v.getLength());
    assertThat(c.getHistory()).isFalse();
    assertThat(c.getSourceFile()).isEqualTo(FILE);
    assertThat(c.getRecordIndex()).isEqualTo(7);
    assertThat(c.getEvent().getActorId())
        .startsWith("pan-")
        .isEqualTo(
            PanKeys.tokens(new org.apache.hadoop.conf.Configuration()).token("4111111111111111"));
    assertThat(c.getEvent().getAmount()).isEqualByComparingTo("12.50");
    assertThat(d.getCounters().findCounter(IngestMapper.COUNTERS, "VALID").getValue()).isEqualTo(1);
    assertThat(
            d.getCounters()
                .findCounter(IngestMapper.COUNTERS, "RECORDS_WITH_PAN_MASKED")
                .getValue())
        .isEqualTo(1);
  }

  @Test
  void anInvalidRecordIsCountedByReasonAndEmitsNothing() throws Exception {
    var d = mapDriver();
    d.withInput(new LandingRecordKey(FILE, 0, 1777716000000L), bytes("{\"eventId\":\"x\""));
    d.withInput(
        new LandingRecordKey(FILE, 1, 1777716000000L),
        bytes(json("e-2", "C1", 1777716000000L, "-4.00")));
    assertThat(d.run()).isEmpty();
    var c = d.getCounters();
    assertThat(c.findCounter(IngestMapper.COUNTERS, "RECORDS_READ").getValue()).isEqualTo(2);
    assertThat(c.findCounter(IngestMapper.COUNTERS, "QUARANTINED").getValue()).isEqualTo(2);
    assertThat(c.findCounter(IngestMapper.COUNTERS, "QUARANTINED_MALFORMED_JSON").getValue())
        .isEqualTo(1);
    assertThat(c.findCounter(IngestMapper.COUNTERS, "QUARANTINED_OUT_OF_RANGE").getValue())
        .isEqualTo(1);
  }

  @Test
  void oversizedRecordsAndFieldsAreQuarantinedAndTheirNeighboursKept() throws Exception {
    var d = mapDriver();
    String huge = "x".repeat(1_000_000);
    String withCity =
        json("e-1", "C1", 1777716000000L, "3.00").replace("}", ",\"city\":\"" + huge + "\"}");
    d.withInput(new LandingRecordKey(FILE, 0, 1777716000000L), bytes(withCity));
    d.withInput(
        new LandingRecordKey(FILE, 1, 1777716000000L),
        bytes(json("e-2", "C1", 1777716000000L, "4.00")));
    d.getConfiguration().setInt(IngestConf.MAX_RECORD_BYTES, 2_000_000);
    List<Pair<Text, BytesWritable>> out = d.run();
    assertThat(out).extracting(p -> p.getFirst().toString()).containsExactly("e-2");
    var c = d.getCounters();
    assertThat(c.findCounter(IngestMapper.COUNTERS, "QUARANTINED_TOO_LARGE").getValue())
        .isEqualTo(1);

    var small = mapDriver();
    small.getConfiguration().setInt(IngestConf.MAX_RECORD_BYTES, 4096);
    small.withInput(new LandingRecordKey(FILE, 0, 1777716000000L), bytes(withCity));
    assertThat(small.run()).isEmpty();
    assertThat(
            small
                .getCounters()
                .findCounter(IngestMapper.COUNTERS, "QUARANTINED_TOO_LARGE")
                .getValue())
        .isEqualTo(1);
  }

  private ReduceDriver<Text, BytesWritable, NullWritable, NullWritable> reduceDriver() {
    ReduceDriver<Text, BytesWritable, NullWritable, NullWritable> d =
        ReduceDriver.newReduceDriver(new IngestReducer());
    d.getConfiguration().set(IngestConf.SIDE_OUTPUT_DIR, side.toUri().toString());
    d.getConfiguration().set(IngestConf.RUN_ID, "test-run");
    d.getConfiguration().set(IngestConf.COMPRESSION, "snappy");
    return d;
  }

  private static BytesWritable candidate(boolean history, String file, long index, String json) {
    DecisionEvent e = DecisionEventJson.decode(json).event();
    return new BytesWritable(new CandidateCodec().encode(history, file, index, e));
  }

  /** The reducer's rows-per-day side file: "dt TAB rows TAB new rows" lines. */
  private List<String> dayCounts() throws java.io.IOException {
    try (var files = java.nio.file.Files.list(side.resolve(DayWriter.DAY_COUNTS))) {
      List<String> lines = new java.util.ArrayList<>();
      for (var f : files.filter(f -> !f.getFileName().toString().startsWith(".")).toList()) {
        lines.addAll(java.nio.file.Files.readAllLines(f)); // not Hadoop's .crc files
      }
      return lines;
    }
  }

  private long counter(ReduceDriver<?, ?, ?, ?> d, String name) {
    return d.getCounters().findCounter(IngestMapper.COUNTERS, name).getValue();
  }

  @Test
  void thePublishedCopyWinsAndLandedCopiesAreDuplicatesOfIt() throws Exception {
    var d = reduceDriver();
    String row = json("e-3", "C1", 1777716000000L, "1.00");
    d.withInput(
        new Text("e-3"),
        List.of(
            candidate(false, FILE, 3, row),
            candidate(true, "warehouse", 0, row),
            candidate(false, FILE, 9, row)));
    d.run();
    assertThat(counter(d, "DUPLICATES_OF_PUBLISHED")).isEqualTo(2);
    assertThat(counter(d, "NEW_ROWS")).isZero();
    assertThat(dayCounts()).containsExactly("2026-05-02\t1\t0");
  }

  @Test
  void withoutHistoryOneNewRowIsKeptAndConflictsAreCounted() throws Exception {
    var d = reduceDriver();
    d.withInput(
        new Text("e-4"),
        List.of(
            candidate(false, FILE + "9", 0, json("e-4", "C1", 1777716000000L, "1.00")),
            candidate(false, FILE, 5, json("e-4", "C1", 1777716000000L, "2.00"))));
    d.run();
    assertThat(counter(d, "NEW_ROWS")).isEqualTo(1);
    assertThat(counter(d, "DUPLICATES_IN_RUN")).isEqualTo(1);
    assertThat(counter(d, "DUPLICATES_WITH_DIFFERENT_CONTENT")).isEqualTo(1);
    assertThat(dayCounts()).containsExactly("2026-05-02\t1\t1");
  }

  @Test
  void reprocessingOneDayLeavesRowsOfOtherDaysAlone() throws Exception {
    var d = reduceDriver();
    d.getConfiguration().set(IngestConf.ONLY_DT, "2026-05-01");
    d.withInput(
        new Text("e-5"),
        List.of(candidate(false, FILE, 0, json("e-5", "C1", 1777716000000L, "1.00"))));
    d.run();
    assertThat(counter(d, "NEW_ROWS")).isZero();
    assertThat(counter(d, "OTHER_DAY_ON_REPROCESS")).isEqualTo(1);
  }
}
