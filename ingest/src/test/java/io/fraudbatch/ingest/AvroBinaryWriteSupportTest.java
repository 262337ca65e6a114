package io.fraudbatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudbatch.avro.DecisionEvent;
import io.fraudbatch.avro.IngestCandidate;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.avro.generic.IndexedRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AvroBinaryWriteSupportTest {
  @TempDir Path dir;

  /** Events of every shape: each nullable field null and set, lists and maps empty and not. */
  static List<DecisionEvent> events(int n) {
    SplittableRandom r = new SplittableRandom(5);
    List<DecisionEvent> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean full = r.nextBoolean();
      List<String> reasons = new ArrayList<>();
      for (int k = r.nextInt(4); k > 0; k--) {
        reasons.add("R" + r.nextInt(9));
      }
      Map<String, String> extra = new LinkedHashMap<>();
      for (int k = r.nextInt(3); k > 0; k--) {
        extra.put("x" + k, "v" + r.nextInt(1000) + (k == 2 ? "é✓" : ""));
      }
      out.add(
          DecisionEvent.newBuilder()
              .setEventId("E" + i + "-" + Long.toHexString(r.nextLong()))
              .setActorId("C" + r.nextInt(500))
              .setEventTime(Instant.ofEpochMilli(1_790_000_000_000L + r.nextLong(86_400_000L * 9)))
              .setChannel(r.nextBoolean() ? "WEB" : "POS")
              .setAmount(BigDecimal.valueOf(r.nextLong(-5_000_000, 900_000_000), 4))
              .setCurrency(r.nextInt(5) == 0 ? "EUR" : "USD")
              .setMerchantId(full ? "M" + r.nextInt(90) : null)
              .setMcc(r.nextInt(3) == 0 ? null : "54" + r.nextInt(10) + "1")
              .setCountry(full ? "US" : null)
              .setRegion(full || r.nextBoolean() ? "US-TX" : null)
              .setCity(full ? "Austin" : null)
              .setLat(full ? 30.0 + r.nextDouble() : null)
              .setLon(full ? -97.0 - r.nextDouble() : null)
              .setIp(r.nextBoolean() ? "10.0.0." + r.nextInt(200) : null)
              .setDeviceId(r.nextBoolean() ? "D" + r.nextInt(99) : null)
              .setDecision(r.nextInt(10) == 0 ? "DENIED" : "APPROVED")
              .setReasons(reasons)
              .setScore(r.nextBoolean() ? r.nextDouble() : null)
              .setRulesVersion(r.nextBoolean() ? "rules-7" : null)
              .setDecidedAt(r.nextBoolean() ? Instant.ofEpochMilli(1_790_000_000_000L + i) : null)
              .setExtraFields(extra)
              .setIngestRunId(r.nextInt(4) == 0 ? "earlier-run" : null)
              .build());
    }
    return out;
  }

  private org.apache.hadoop.fs.Path file(String name) {
    return new org.apache.hadoop.fs.Path(dir.resolve(name).toUri());
  }

  private void writeWithParquetAvro(String name, List<DecisionEvent> events) throws Exception {
    Configuration conf = new Configuration();
    try (ParquetWriter<IndexedRecord> w =
        SideOutputs.configure(
                AvroParquetWriter.<IndexedRecord>builder(
                        HadoopOutputFile.fromPath(file(name), conf))
                    .withSchema(DecisionEvent.getClassSchema())
                    .withDataModel(CandidateCodec.MODEL),
                CompressionCodecName.ZSTD,
                conf)
            .build()) {
      for (DecisionEvent e : events) {
        w.write(e);
      }
    }
  }

  private void writeFromBinary(String name, List<DecisionEvent> events, String override)
      throws Exception {
    Configuration conf = new Configuration();
    CandidateCodec codec = new CandidateCodec();
    try (ParquetWriter<AvroBinaryWriteSupport.Value> w =
        SideOutputs.configure(
                new SideOutputs.BinaryBuilder(
                    HadoopOutputFile.fromPath(file(name), conf),
                    new AvroBinaryWriteSupport(
                        DecisionEvent.getClassSchema(), DayWriter.INGEST_RUN_ID)),
                CompressionCodecName.ZSTD,
                conf)
            .build()) {
      for (DecisionEvent e : events) {
        // As the reducer gets it: a shuffled candidate, the event after its first fields.
        byte[] candidate = codec.encode(false, "file:/landing/f1", 7, e);
        CandidateCodec.Header h = CandidateCodec.header(candidate);
        assertThat(h.eventTime()).isEqualTo(e.getEventTime().toEpochMilli());
        assertThat(h.sourceFile()).isEqualTo("file:/landing/f1");
        w.write(
            new AvroBinaryWriteSupport.Value(
                candidate, h.eventOffset(), candidate.length - h.eventOffset(), override));
      }
    }
  }

  static List<DecisionEvent> read(org.apache.hadoop.fs.Path f) throws Exception {
    List<DecisionEvent> out = new ArrayList<>();
    try (ParquetReader<DecisionEvent> r =
        AvroParquetReader.<DecisionEvent>builder(HadoopInputFile.fromPath(f, new Configuration()))
            .withDataModel(CandidateCodec.MODEL)
            .build()) {
      DecisionEvent e;
      while ((e = r.read()) != null) {
        out.add(e);
      }
    }
    return out;
  }

  @Test
  void writesTheSameFileAsParquetAvroFromTheShuffledBytes() throws Exception {
    List<DecisionEvent> events = events(5_000);
    writeWithParquetAvro("avro.parquet", events);
    writeFromBinary("binary.parquet", events, null);
    assertThat(Files.readAllBytes(dir.resolve("binary.parquet")))
        .isEqualTo(Files.readAllBytes(dir.resolve("avro.parquet")));
    assertThat(read(file("binary.parquet"))).isEqualTo(events);
  }

  @Test
  void theOverrideReplacesTheRunThatPublishedTheRow() throws Exception {
    List<DecisionEvent> events = events(500);
    writeFromBinary("binary.parquet", events, "this-run");
    // (Set in place: a builder's deep copy would put extraFields in another order.)
    events.forEach(e -> e.setIngestRunId("this-run"));
    writeWithParquetAvro("avro.parquet", events);
    assertThat(read(file("binary.parquet"))).isEqualTo(events);
    assertThat(Files.readAllBytes(dir.resolve("binary.parquet")))
        .isEqualTo(Files.readAllBytes(dir.resolve("avro.parquet")));
  }

  @Test
  void theHeaderAndTheEventBytesOfACandidate() {
    CandidateCodec codec = new CandidateCodec();
    for (DecisionEvent e : events(200)) {
      byte[] candidate = codec.encode(true, "warehouse", 0, e);
      CandidateCodec.Header h = CandidateCodec.header(candidate);
      assertThat(h.history()).isTrue();
      IngestCandidate c = codec.decode(candidate, candidate.length);
      assertThat(c.getEvent()).isEqualTo(e);
      // The duplicates' path re-encodes the event it keeps: the same record.
      byte[] event = codec.encodeEvent(c.getEvent());
      byte[] again = codec.encode(true, "warehouse", 0, c.getEvent());
      assertThat(java.util.Arrays.copyOfRange(again, h.eventOffset(), again.length))
          .isEqualTo(event);
    }
  }
}
