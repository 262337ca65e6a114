package io.fraudbatch.jobs.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudbatch.avro.ActorProfile;
import io.fraudbatch.core.avro.AvroModel;
import io.fraudbatch.core.profile.ProfileAccumulator;
import io.fraudbatch.core.profile.ProfileInput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snapshot writer's column-by-column path against parquet-avro's record shredding: the same
 * file, byte for byte, for profiles with every shape (empty lists, absent groups and optional
 * values, non-ASCII text, lists long enough to span pages); the column-by-column reader gives the
 * records parquet-avro reads, and files of another layout go through parquet-avro.
 */
class ProfileWriteSupportTest {
  static final LocalDate AS_OF = LocalDate.parse("2026-06-30");
  @TempDir Path tmp;

  static List<ActorProfile> profiles(int n, long seed) {
    Random r = new Random(seed);
    String[] decisions = {"APPROVED", "APPROVED", "REVIEW", "DENIED"};
    String[] cities = {"Lisbon", "São Paulo", "東京", "Zürich", "", "Ōsaka"};
    List<ActorProfile> out = new ArrayList<>();
    for (int a = 0; a < n; a++) {
      String actor = String.format("actor-%06d-%s", a, a % 7 == 0 ? "é" : "x");
      ProfileAccumulator acc = new ProfileAccumulator();
      int events = a % 11 == 0 ? 1 : 1 + r.nextInt(a % 5 == 0 ? 400 : 30);
      for (int e = 0; e < events; e++) {
        long t = (AS_OF.toEpochDay() - r.nextInt(120)) * 86_400_000L + r.nextInt(86_400_000);
        boolean place = r.nextInt(3) > 0;
        int c = r.nextInt(cities.length);
        acc.add(
            actor,
            new ProfileInput(
                "ev-" + a + "-" + e,
                t,
                a % 11 == 0 ? "DENIED" : decisions[r.nextInt(decisions.length)],
                r.nextBoolean() ? "POS" : "WEB",
                r.nextInt(15) == 0 ? null : (long) r.nextInt(2_000_000),
                r.nextInt(9) == 0 ? null : "5" + r.nextInt(99),
                place ? "C" + c : null,
                place ? "R" + c : null,
                place ? cities[c] + r.nextInt(a % 5 == 0 ? 40 : 3) : null,
                place && r.nextBoolean() ? r.nextGaussian() * 40 : null,
                place && r.nextBoolean() ? r.nextGaussian() * 90 : null,
                r.nextInt(4) == 0 ? null : "10.0." + r.nextInt(3) + "." + r.nextInt(250),
                r.nextInt(10) == 0));
      }
      out.add(acc.finish(AS_OF));
    }
    return out;
  }

  private static void write(ParquetWriter<ActorProfile> w, List<ActorProfile> ps) throws Exception {
    try (w) {
      for (ActorProfile p : ps) {
        w.write(p);
      }
    }
  }

  private static void writeBinary(ParquetWriter<byte[]> w, List<ActorProfile> ps) throws Exception {
    try (w) {
      for (ActorProfile p : ps) {
        w.write(AvroModel.toBytes(p, ActorProfile.getClassSchema()));
      }
    }
  }

  @Test
  void bytesThatAreNotAProfileAreRefused() throws Exception {
    byte[] good = AvroModel.toBytes(profiles(1, 3).get(0), ActorProfile.getClassSchema());
    Configuration conf = new Configuration();
    for (byte[] bad :
        List.of(
            java.util.Arrays.copyOf(good, good.length - 3),
            java.util.Arrays.copyOf(good, good.length + 1))) {
      org.apache.hadoop.fs.Path f =
          new org.apache.hadoop.fs.Path(tmp.resolve("bad-" + bad.length + ".parquet").toUri());
      try (ParquetWriter<byte[]> w = SnapshotFiles.openAvroBinary(conf, f)) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> w.write(bad))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("not an ActorProfile");
      }
    }
  }

  /** parquet-avro's own writer of profiles, with {@code options} after the configuration. */
  private static ParquetWriter<ActorProfile> avroWriter(
      org.apache.hadoop.fs.Path f,
      Configuration conf,
      java.util.function.UnaryOperator<
              org.apache.parquet.avro.AvroParquetWriter.Builder<ActorProfile>>
          options)
      throws java.io.IOException {
    return options
        .apply(
            org.apache.parquet.avro.AvroParquetWriter.<ActorProfile>builder(
                    org.apache.parquet.hadoop.util.HadoopOutputFile.fromPath(f, conf))
                .withSchema(ActorProfile.getClassSchema())
                .withDataModel(io.fraudbatch.core.avro.AvroModel.SPECIFIC)
                .withConf(conf))
        .build();
  }

  @Test
  void columnByColumnWritesParquetAvrosFileByteForByte() throws Exception {
    Configuration conf = new Configuration();
    List<ActorProfile> ps = profiles(3_000, 17);
    assertThat(ps).anyMatch(p -> p.getLastPlace() == null && p.getHomeRegion() == null);
    assertThat(ps).anyMatch(p -> p.getDailySpend().isEmpty() && p.getLocations().isEmpty());
    assertThat(ps)
        .anyMatch(p -> p.getLocations().stream().anyMatch(l -> l.getLat() == null))
        .anyMatch(p -> p.getLocations().size() == ProfileAccumulator.RECENT_KEPT);
    Path direct = tmp.resolve("direct.parquet");
    Path avro = tmp.resolve("avro.parquet");
    Path shredded = tmp.resolve("shredded.parquet");
    write(SnapshotFiles.open(conf, new org.apache.hadoop.fs.Path(direct.toUri())), ps);
    write(SnapshotFiles.openAvro(conf, new org.apache.hadoop.fs.Path(avro.toUri())), ps);
    write(SnapshotFiles.open(conf, new org.apache.hadoop.fs.Path(shredded.toUri()), false), ps);

    assertThat(Files.size(direct)).isGreaterThan(100_000);
    assertThat(Files.readAllBytes(direct)).isEqualTo(Files.readAllBytes(avro));
    assertThat(Files.readAllBytes(shredded)).isEqualTo(Files.readAllBytes(avro));
    // The Spark engine's path: the profiles as Avro binary, written without decoding them.
    Path binary = tmp.resolve("binary.parquet");
    writeBinary(
        SnapshotFiles.openAvroBinary(conf, new org.apache.hadoop.fs.Path(binary.toUri())), ps);
    assertThat(Files.readAllBytes(binary)).isEqualTo(Files.readAllBytes(avro));
    // Min/max statistics on top-level and struct columns, none on list elements; no size
    // statistics.
    try (var r =
        org.apache.parquet.hadoop.ParquetFileReader.open(
            org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(direct.toUri()), conf))) {
      for (var chunk : r.getFooter().getBlocks().get(0).getColumns()) {
        boolean listed = chunk.getPath().toDotString().contains(".list.");
        assertThat(chunk.getStatistics().isEmpty())
            .as("statistics of %s", chunk.getPath())
            .isEqualTo(listed);
        assertThat(chunk.getSizeStatistics() == null || !chunk.getSizeStatistics().isValid())
            .as("size statistics of %s", chunk.getPath())
            .isTrue();
      }
    }
    for (ActorProfile p : ps) {
      assertThat(
              ProfileWriteSupport.eventCount(AvroModel.toBytes(p, ActorProfile.getClassSchema())))
          .isEqualTo(p.getEventCount());
    }

    // Small pages (a page cut every few hundred rows, inside lists too): where the record
    // consumer would hold back the nulls of empty lists, the pages must still end alike.
    Configuration small = new Configuration(conf);
    small.setInt("parquet.page.size", 4096);
    small.setInt("parquet.page.row.count.limit", 300);
    Path directSmall = tmp.resolve("direct-small.parquet");
    Path avroSmall = tmp.resolve("avro-small.parquet");
    write(SnapshotFiles.open(small, new org.apache.hadoop.fs.Path(directSmall.toUri())), ps);
    write(SnapshotFiles.openAvro(small, new org.apache.hadoop.fs.Path(avroSmall.toUri())), ps);
    assertThat(Files.size(directSmall)).isNotEqualTo(Files.size(direct));
    assertThat(Files.readAllBytes(directSmall)).isEqualTo(Files.readAllBytes(avroSmall));
    Path binarySmall = tmp.resolve("binary-small.parquet");
    writeBinary(
        SnapshotFiles.openAvroBinary(small, new org.apache.hadoop.fs.Path(binarySmall.toUri())),
        ps);
    assertThat(Files.readAllBytes(binarySmall)).isEqualTo(Files.readAllBytes(avroSmall));

    for (Path f : List.of(direct, directSmall)) {
      org.apache.hadoop.fs.Path hf = new org.apache.hadoop.fs.Path(f.toUri());
      try (SnapshotFiles.ProfileSource r = SnapshotFiles.reader(conf, hf)) {
        assertThat(r).isInstanceOf(ProfileColumnReader.class);
      }
      List<ActorProfile> back = new ArrayList<>();
      SnapshotFiles.read(conf, hf, back::add);
      assertThat(back).as("read column by column: %s", f).isEqualTo(ps);
      List<ActorProfile> viaAvro = new ArrayList<>();
      io.fraudbatch.jobs.AvroParquet.<ActorProfile>read(conf, hf, viaAvro::add);
      assertThat(viaAvro).isEqualTo(ps);
    }
  }

  @Test
  void aDamagedPageStopsTheColumnReaderWithTheFileInTheMessage() throws Exception {
    Configuration conf = new Configuration();
    conf.setBoolean(
        org.apache.parquet.hadoop.ParquetInputFormat.PAGE_VERIFY_CHECKSUM_ENABLED, true);
    Path file = tmp.resolve("damaged.parquet");
    org.apache.hadoop.fs.Path hf = new org.apache.hadoop.fs.Path(file.toUri());
    write(SnapshotFiles.open(conf, hf), profiles(200, 5));
    long at;
    try (org.apache.parquet.hadoop.ParquetFileReader r =
        org.apache.parquet.hadoop.ParquetFileReader.open(
            org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(hf, conf))) {
      org.apache.parquet.hadoop.metadata.ColumnChunkMetaData chunk =
          r.getFooter().getBlocks().get(0).getColumns().get(ProfileWriteSupport.DAILY + 2);
      at = chunk.getStartingPos() + chunk.getTotalSize() - 1; // inside its page's data
    }
    Files.delete(file.resolveSibling("." + file.getFileName() + ".crc"));
    byte[] bytes = Files.readAllBytes(file);
    bytes[(int) at] ^= 0x01;
    Files.write(file, bytes);
    Throwable failure = null;
    try {
      SnapshotFiles.read(conf, hf, p -> {});
    } catch (java.io.IOException e) {
      failure = e;
    }
    assertThat(failure).isNotNull();
    assertThat(io.fraudbatch.core.cli.Cli.damagedParquet(failure))
        .startsWith("Cannot read " + hf)
        .contains("fails its CRC checksum");
  }

  @Test
  void aFileOfAnotherLayoutIsReadThroughParquetAvro() throws Exception {
    Configuration conf = new Configuration();
    List<ActorProfile> ps = profiles(50, 3);
    // The two-level lists parquet-avro writes by default: another Parquet schema, same records.
    org.apache.hadoop.fs.Path f =
        new org.apache.hadoop.fs.Path(tmp.resolve("two-level.parquet").toUri());
    write(avroWriter(f, conf, b -> b), ps);
    try (SnapshotFiles.ProfileSource r = SnapshotFiles.reader(conf, f)) {
      assertThat(r).isNotInstanceOf(ProfileColumnReader.class);
    }
    List<ActorProfile> back = new ArrayList<>();
    SnapshotFiles.read(conf, f, back::add);
    assertThat(back).isEqualTo(ps);
  }

  @Test
  void pagesOfOtherEncodingsInTheSameLayoutAreReadColumnByColumn() throws Exception {
    // Dictionary pages and data pages v2, as another writer of the same layout may write them
    // (the snapshot writer writes plain values in v1 pages): read alike, by the column reader
    // where it decodes the encodings, else through parquet-avro.
    Configuration conf = new Configuration();
    List<ActorProfile> ps = profiles(1_500, 23);
    for (var version : org.apache.parquet.column.ParquetProperties.WriterVersion.values()) {
      org.apache.hadoop.fs.Path f =
          new org.apache.hadoop.fs.Path(tmp.resolve("dict-" + version + ".parquet").toUri());
      write(
          avroWriter(
              f,
              conf,
              b ->
                  b.withDictionaryEncoding(true)
                      .withWriterVersion(version)
                      .withPageSize(8192)
                      .config(
                          org.apache.parquet.avro.AvroWriteSupport.WRITE_OLD_LIST_STRUCTURE,
                          "false")),
          ps);
      try (org.apache.parquet.hadoop.ParquetFileReader r =
          org.apache.parquet.hadoop.ParquetFileReader.open(
              org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(f, conf))) {
        assertThat(r.getFooter().getBlocks().get(0).getColumns())
            .as("some column is dictionary-encoded")
            .anyMatch(c -> c.getEncodings().stream().anyMatch(e -> e.usesDictionary()));
      }
      try (SnapshotFiles.ProfileSource r = SnapshotFiles.reader(conf, f)) {
        // v2's delta encodings are parquet-avro's to read; v1's dictionary pages are decoded here.
        boolean v1 =
            version == org.apache.parquet.column.ParquetProperties.WriterVersion.PARQUET_1_0;
        assertThat(r instanceof ProfileColumnReader).as("%s", version).isEqualTo(v1);
      }
      List<ActorProfile> back = new ArrayList<>();
      SnapshotFiles.read(conf, f, back::add);
      assertThat(back).as("%s", version).isEqualTo(ps);
    }
  }

  @Test
  void theSnapshotWriterWritesPlainValuesThroughItsOwnWriter() {
    // The byte-for-byte test above holds either way; this says the fast path is the one taken.
    var builder =
        org.apache.parquet.avro.AvroParquetWriter.<ActorProfile>builder(
            new org.apache.hadoop.fs.Path(tmp.resolve("unused.parquet").toUri()));
    assertThat(PlainValues.use(builder)).isTrue();
  }

  @Test
  void levelRunsWriteParquetsBytesAndSizesForAnyLevels() throws Exception {
    Random r = new Random(29);
    for (int max = 1; max <= 6; max++) {
      LevelRuns mine = new LevelRuns(max);
      var parquet =
          new org.apache.parquet.column.values.rle.RunLengthBitPackingHybridValuesWriter(
              org.apache.parquet.bytes.BytesUtils.getWidthFromMaxInt(max),
              64,
              1 << 20,
              new org.apache.parquet.bytes.HeapByteBufferAllocator());
      for (int page = 0; page < 30; page++) {
        int n = r.nextInt(3_000);
        for (int i = 0; i < n; ) {
          // runs of every length (around 8 and 63 groups too) and noise
          int run = r.nextInt(4) == 0 ? 1 + r.nextInt(600) : 1 + r.nextInt(10);
          int v = r.nextInt(max + 1);
          boolean alternate = r.nextInt(6) == 0; // a packed run past 63 groups of 8
          run = alternate ? 500 + r.nextInt(1_000) : run;
          for (int k = 0; k < run && i < n; k++, i++) {
            int level = alternate ? k & 1 : r.nextInt(5) == 0 ? r.nextInt(max + 1) : v;
            mine.writeInteger(level);
            parquet.writeInteger(level);
            assertThat(mine.getBufferedSize()).isEqualTo(parquet.getBufferedSize());
          }
        }
        assertThat(mine.getBytes().toByteArray())
            .as("max %d, page %d", max, page)
            .isEqualTo(parquet.getBytes().toByteArray());
        mine.reset();
        parquet.reset();
      }
    }
  }

  @Test
  void theSnapshotWriterWritesLevelsThroughLevelRuns() throws Exception {
    // The byte-for-byte test holds either way; this says the fast path is the one taken.
    Configuration conf = new Configuration();
    ProfileWriteSupport support = new ProfileWriteSupport(true);
    org.apache.hadoop.fs.Path f =
        new org.apache.hadoop.fs.Path(tmp.resolve("levels.parquet").toUri());
    try (ParquetWriter<ActorProfile> w =
        new SnapshotFiles.Builder<>(
                org.apache.parquet.hadoop.util.HadoopOutputFile.fromPath(f, conf), support)
            .withConf(conf)
            .build()) {
      for (ActorProfile p : profiles(20, 9)) {
        w.write(p);
      }
      assertThat(support.levelRuns).isTrue();
    }
  }
}
