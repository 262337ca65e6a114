package io.fraudbatch.jobs.profiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudbatch.avro.DecisionEvent;
import io.fraudbatch.core.avro.AvroModel;
import io.fraudbatch.core.money.ReferenceRates;
import io.fraudbatch.core.profile.ProfileInput;
import io.fraudbatch.jobs.AvroParquet;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetInputFormat;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The column-by-column decision reader against parquet-avro's records of the same files: for every
 * row the same day, ingest run, actor and profile input ({@link ProfileInput#of}), whether the
 * strings are dictionary-encoded or plain, across many pages and row groups, with rows skipped in
 * between; files it does not read are handed back (null) rather than misread.
 */
class DecisionColumnsTest {
  @TempDir java.nio.file.Path dir;

  private final Configuration conf = new Configuration();
  private final ReferenceRates rates = ReferenceRates.defaults();

  static List<DecisionEvent> decisions(int n, long seed) {
    Random r = new Random(seed);
    String[] currencies = {"USD", "EUR", "JPY", "GBP", "XXX"}; // XXX: no rate
    String[] decisions = {"APPROVED", "DENIED", "REVIEW"};
    List<DecisionEvent> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<String, String> extra = new LinkedHashMap<>();
      switch (i % 4) {
        case 1 -> extra.put(ProfileInput.DIRECTION, ProfileInput.DIRECTION_IN_JSON);
        case 2 -> {
          extra.put("terminal", "\"t-" + i + "\"");
          extra.put(ProfileInput.DIRECTION, "\"out\"");
        }
        case 3 -> {
          extra.put("x", "1");
          extra.put(ProfileInput.DIRECTION, ProfileInput.DIRECTION_IN_JSON);
          extra.put("y", "\"in\"");
        }
        default -> {} // empty
      }
      boolean nulls = r.nextInt(5) == 0;
      long unscaled = r.nextInt(10) == 0 ? -r.nextInt(1_000_000) : r.nextLong() >>> 20;
      out.add(
          DecisionEvent.newBuilder()
              .setEventId("e-" + i + "-ü")
              .setActorId("a-" + r.nextInt(n / 3 + 1))
              .setEventTime(Instant.ofEpochMilli(1_790_000_000_000L + r.nextInt(5 * 86_400_000)))
              .setChannel(i % 7 == 0 ? "web" : "pos")
              .setAmount(BigDecimal.valueOf(unscaled, 4))
              .setCurrency(currencies[r.nextInt(currencies.length)])
              .setMcc(nulls ? null : "5" + r.nextInt(999))
              .setCountry(nulls ? null : "DE")
              .setRegion(nulls ? null : "DE-" + r.nextInt(16))
              .setCity(nulls ? null : "city " + r.nextInt(300))
              .setLat(nulls || i % 3 == 0 ? null : r.nextDouble() * 90)
              .setLon(nulls || i % 3 == 0 ? null : -r.nextDouble() * 180)
              .setIp(nulls ? null : "10.0." + r.nextInt(256) + "." + r.nextInt(256))
              .setDecision(decisions[r.nextInt(decisions.length)])
              .setReasons(i % 2 == 0 ? List.of() : List.of("velocity", "geo"))
              .setExtraFields(extra)
              .setIngestRunId(i % 11 == 0 ? null : "20261201T00000" + (i % 3) + "Z-abc")
              .build());
    }
    return out;
  }

  private Path write(
      String name,
      Schema schema,
      List<? extends GenericRecord> rows,
      boolean dictionary,
      ParquetProperties.WriterVersion version)
      throws IOException {
    Path file = new Path(dir.resolve(name).toString());
    try (ParquetWriter<GenericRecord> w =
        AvroParquetWriter.<GenericRecord>builder(HadoopOutputFile.fromPath(file, conf))
            .withSchema(schema)
            .withDataModel(AvroModel.SPECIFIC)
            .withDictionaryEncoding(dictionary)
            .withWriterVersion(version)
            .withCompressionCodec(CompressionCodecName.ZSTD)
            .withPageSize(2048)
            .withPageRowCountLimit(97)
            .withRowGroupSize(64 * 1024L)
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
            .withConf(conf)
            .config(AvroWriteSupport.WRITE_OLD_LIST_STRUCTURE, "false")
            .build()) {
      for (GenericRecord e : rows) {
        w.write(e);
      }
    }
    return file;
  }

  /** {@code rows} written as ingest lays decisions out, with these pages. */
  private Path decisionFile(
      String name,
      List<DecisionEvent> rows,
      boolean dictionary,
      ParquetProperties.WriterVersion version)
      throws IOException {
    return write(name, DecisionEvent.getClassSchema(), rows, dictionary, version);
  }

  /** Reads every row both ways; reads the actor and input of rows where {@code read} says so. */
  private int compare(Path file, List<DecisionEvent> expected, int skipEvery) throws IOException {
    List<DecisionEvent> records = new ArrayList<>();
    try (var r = AvroParquet.<DecisionEvent>reader(conf, file)) {
      DecisionEvent e;
      while ((e = r.read()) != null) {
        records.add(e);
      }
    }
    assertThat(records).isEqualTo(expected);
    int read = 0;
    try (DecisionColumns d = DecisionColumns.open(conf, file)) {
      assertThat(d).isNotNull();
      for (int i = 0; i < records.size(); i++) {
        DecisionEvent e = records.get(i);
        assertThat(d.next()).isTrue();
        assertThat(d.day())
            .isEqualTo((int) Math.floorDiv(e.getEventTime().toEpochMilli(), 86_400_000L));
        assertThat(d.ingestRunId()).isEqualTo(e.getIngestRunId());
        if (skipEvery > 0 && i % skipEvery == 0) {
          continue; // the next next() skips the rest of this row
        }
        assertThat(d.actorId()).isEqualTo(e.getActorId());
        assertThat(d.input(rates)).as("row %d", i).isEqualTo(ProfileInput.of(e, rates));
        read++;
      }
      assertThat(d.next()).isFalse();
      assertThat(d.progress()).isEqualTo(1f);
    }
    return read;
  }

  @ParameterizedTest(name = "dictionary {0}")
  @ValueSource(booleans = {true, false})
  void readsWhatParquetAvroReads(boolean dictionary) throws IOException {
    List<DecisionEvent> rows = decisions(3000, dictionary ? 1 : 2);
    Path file =
        decisionFile(
            "decisions.parquet", rows, dictionary, ParquetProperties.WriterVersion.PARQUET_1_0);
    assertThat(compare(file, rows, 0)).isEqualTo(rows.size());
    assertThat(compare(file, rows, 3)).isEqualTo(2000);
    assertThat(compare(file, rows, 2)).isEqualTo(1500);
  }

  @Test
  void handsBackFilesItDoesNotRead() throws IOException {
    // Data pages v2 encode plain numbers and strings with delta encodings PageColumn leaves alone.
    List<DecisionEvent> rows = decisions(500, 3);
    Path v2 = decisionFile("v2.parquet", rows, false, ParquetProperties.WriterVersion.PARQUET_2_0);
    assertThat(DecisionColumns.open(conf, v2)).isNull();

    // An older layout without the ingest run.
    Schema without = withoutField(DecisionEvent.getClassSchema(), "ingestRunId");
    List<GenericRecord> shorter = new ArrayList<>();
    for (DecisionEvent e : rows) {
      GenericData.Record g = new GenericData.Record(without);
      for (Schema.Field f : without.getFields()) {
        g.put(f.name(), e.get(f.name()));
      }
      shorter.add(g);
    }
    Path older =
        write("older.parquet", without, shorter, true, ParquetProperties.WriterVersion.PARQUET_1_0);
    assertThat(DecisionColumns.open(conf, older)).isNull();
  }

  @Test
  void aDamagedPageFailsNamingTheFile() throws IOException {
    List<DecisionEvent> rows = decisions(3000, 4);
    Path file =
        decisionFile("damaged.parquet", rows, true, ParquetProperties.WriterVersion.PARQUET_1_0);
    java.nio.file.Path local = dir.resolve("damaged.parquet");
    Files.deleteIfExists(local.resolveSibling(".damaged.parquet.crc"));
    long at;
    try (var r =
        org.apache.parquet.hadoop.ParquetFileReader.open(
            org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(file, conf))) {
      // In the middle of a column this reader reads (it reads no other).
      var chunk =
          r.getFooter().getBlocks().get(0).getColumns().stream()
              .filter(c -> c.getPath().toDotString().equals("eventId"))
              .findFirst()
              .orElseThrow();
      at = chunk.getStartingPos() + chunk.getTotalSize() / 2;
    }
    try (RandomAccessFile f = new RandomAccessFile(local.toFile(), "rw")) {
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x5A);
    }
    Configuration verify = new Configuration(conf);
    verify.setBoolean(ParquetInputFormat.PAGE_VERIFY_CHECKSUM_ENABLED, true);
    assertThatThrownBy(
            () -> {
              try (DecisionColumns d = DecisionColumns.open(verify, file)) {
                while (d.next()) {
                  d.actorId();
                  d.input(rates);
                }
              }
            })
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString());
  }

  private static Schema withoutField(Schema s, String drop) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : s.getFields()) {
      if (!f.name().equals(drop)) {
        fields.add(new Schema.Field(f, f.schema()));
      }
    }
    return Schema.createRecord(s.getName(), s.getDoc(), s.getNamespace(), false, fields);
  }
}
