package io.fraudbatch.profilebuilder;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudbatch.avro.ActorProfile;
import io.fraudbatch.avro.RiskContext;
import io.fraudbatch.core.avro.AvroModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.util.Bytes;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The column-by-column reader against Avro's own encoder (and so against the record reader, which
 * AvroBinaryReadSupportTest holds to the same bytes): every profile shape, in files written with
 * parquet-avro's options that change the pages (list structure, dictionaries, page size, codec,
 * writer version).
 */
class ColumnarAvroReaderTest {
  @TempDir Path dir;

  static <T> org.apache.hadoop.fs.Path write(
      Path dir,
      String name,
      Schema schema,
      List<T> records,
      boolean oldLists,
      boolean dictionary,
      int pageBytes,
      ParquetProperties.WriterVersion version,
      CompressionCodecName codec)
      throws Exception {
    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(dir.resolve(name).toUri());
    try (ParquetWriter<T> w =
        AvroParquetWriter.<T>builder(HadoopOutputFile.fromPath(file, new Configuration()))
            .withSchema(schema)
            .withDataModel(AvroModel.SPECIFIC)
            .withRowGroupSize(256L * 1024) // several row groups
            .withPageSize(pageBytes)
            .withDictionaryEncoding(dictionary)
            // Version 2 falls back from a full dictionary to DELTA encodings, which this reader
            // leaves to the record reader: room for every dictionary there. Version 1 falls back
            // to PLAIN mid-chunk (the ids in the profile), which it reads.
            .withDictionaryPageSize(
                version == ParquetProperties.WriterVersion.PARQUET_2_0 ? 64 << 20 : 1 << 20)
            .withWriterVersion(version)
            .withCompressionCodec(codec)
            .config(AvroWriteSupport.WRITE_OLD_LIST_STRUCTURE, Boolean.toString(oldLists))
            .build()) {
      for (T t : records) {
        w.write(t);
      }
    }
    return file;
  }

  /** Every row group of {@code file}, each read as LocalHFiles reads it: by its byte range. */
  /** Row groups of the file last read. */
  static int groups;

  static List<AvroBinaryReadSupport.Encoded> read(
      org.apache.hadoop.fs.Path file, Schema schema, String... keys) throws Exception {
    Configuration conf = new Configuration();
    List<AvroBinaryReadSupport.Encoded> out = new ArrayList<>();
    ParquetMetadata footer;
    try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
      footer = r.getFooter();
    }
    groups = footer.getBlocks().size();
    for (BlockMetaData b : footer.getBlocks()) {
      assertThat(
              ColumnarAvroReader.supports(schema, footer.getFileMetaData().getSchema(), List.of(b)))
          .as("encodings %s", b.getColumns().stream().map(c -> c.getEncodings()).toList())
          .isTrue();
      try (ColumnarAvroReader r =
          new ColumnarAvroReader(
              conf,
              HadoopInputFile.fromPath(file, conf),
              b.getStartingPos(),
              b.getStartingPos() + b.getCompressedSize(),
              schema,
              keys)) {
        AvroBinaryReadSupport.Encoded e;
        while ((e = r.next()) != null) {
          out.add(e);
        }
      }
    }
    return out;
  }

  @ParameterizedTest(name = "old lists {0}, dictionary {1}, page {2} B, {3}, {4}")
  @CsvSource({
    "false, false, 1048576, PARQUET_1_0, ZSTD", // as the profiles job writes snapshots
    "false, true, 1048576, PARQUET_1_0, UNCOMPRESSED",
    "true, true, 1048576, PARQUET_1_0, SNAPPY",
    "true, false, 1048576, PARQUET_1_0, UNCOMPRESSED",
    "false, false, 700, PARQUET_1_0, UNCOMPRESSED", // many pages per column chunk
    "false, true, 700, PARQUET_1_0, ZSTD"
  })
  void givesTheBytesOfAvrosEncoderForEveryProfile(
      boolean oldLists,
      boolean dictionary,
      int pageBytes,
      ParquetProperties.WriterVersion version,
      CompressionCodecName codec)
      throws Exception {
    List<ActorProfile> profiles = AvroBinaryReadSupportTest.profiles(3_000);
    org.apache.hadoop.fs.Path file =
        write(
            dir,
            "p.parquet",
            ActorProfile.getClassSchema(),
            profiles,
            oldLists,
            dictionary,
            pageBytes,
            version,
            codec);
    List<AvroBinaryReadSupport.Encoded> got = read(file, ActorProfile.getClassSchema(), "actorId");
    assertThat(groups).as("row groups").isGreaterThan(1);
    AvroBinaryReadSupportTest.assertEncodedAsAvro(got, profiles);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"PARQUET_1_0", "PARQUET_2_0"})
  void readsTheRiskContextWithTwoKeyFields(ParquetProperties.WriterVersion version)
      throws Exception {
    // Version 2 writes data pages V2 and keeps dictionaries only where they pay (else DELTA
    // encodings, left to the record reader): values of a few kinds each, so that they all do.
    boolean v2 = version == ParquetProperties.WriterVersion.PARQUET_2_0;
    List<RiskContext> rows = AvroBinaryReadSupportTest.riskContexts(20_000, v2 ? 40 : 20_000);
    org.apache.hadoop.fs.Path file =
        write(
            dir,
            "c.parquet",
            RiskContext.getClassSchema(),
            rows,
            false,
            true,
            4096,
            version,
            CompressionCodecName.UNCOMPRESSED);
    List<AvroBinaryReadSupport.Encoded> got =
        read(file, RiskContext.getClassSchema(), "keyType", "key");
    BinaryMessageEncoder<RiskContext> enc =
        new BinaryMessageEncoder<>(AvroModel.SPECIFIC, RiskContext.getClassSchema());
    assertThat(got).hasSize(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      assertThat(got.get(i).value()).isEqualTo(Bytes.getBytes(enc.encode(rows.get(i))));
      assertThat(new String(got.get(i).keys()[0], StandardCharsets.UTF_8))
          .isEqualTo(rows.get(i).getKeyType());
      assertThat(new String(got.get(i).keys()[1], StandardCharsets.UTF_8))
          .isEqualTo(rows.get(i).getKey());
    }
  }

  /**
   * An array's count is written before its items into one reserved byte, which holds counts up to
   * 63; longer arrays move their items to make room. Lists of numbers and of records from empty to
   * several hundred items, across pages of 700 bytes.
   */
  @ParameterizedTest(name = "dictionary {0}")
  @CsvSource({"false", "true"})
  void longListsGiveTheBytesOfAvrosEncoder(boolean dictionary) throws Exception {
    List<ActorProfile> profiles = AvroBinaryReadSupportTest.profiles(300);
    for (int i = 0; i < profiles.size(); i++) {
      int n = (i * 37) % 400; // 0 to 399 items: counts of one, two and three varint bytes
      List<Long> hours = new ArrayList<>();
      List<io.fraudbatch.avro.KeyCountSum> decisions = new ArrayList<>();
      for (int k = 0; k < n; k++) {
        hours.add(k % 3 == 0 ? -k : (long) k << (k % 40));
        decisions.add(
            io.fraudbatch.avro.KeyCountSum.newBuilder()
                .setKey("K" + (k % 7))
                .setCount(k)
                .setSumCents(-100L * k)
                .build());
      }
      profiles.get(i).setHourOfDay(hours);
      profiles.get(i).setByDecision(decisions);
    }
    org.apache.hadoop.fs.Path file =
        write(
            dir,
            "long.parquet",
            ActorProfile.getClassSchema(),
            profiles,
            false,
            dictionary,
            700,
            ParquetProperties.WriterVersion.PARQUET_1_0,
            CompressionCodecName.UNCOMPRESSED);
    AvroBinaryReadSupportTest.assertEncodedAsAvro(
        read(file, ActorProfile.getClassSchema(), "actorId"), profiles);
  }

  @Test
  void aDamagedPageIsRefusedNotReadAsOtherValues() throws Exception {
    List<ActorProfile> profiles = AvroBinaryReadSupportTest.profiles(3_000);
    org.apache.hadoop.fs.Path file =
        write(
            dir,
            "d.parquet",
            ActorProfile.getClassSchema(),
            profiles,
            false,
            false,
            1048576,
            ParquetProperties.WriterVersion.PARQUET_1_0,
            CompressionCodecName.UNCOMPRESSED);
    Configuration conf = new Configuration();
    BlockMetaData first;
    try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
      first = r.getFooter().getBlocks().get(0);
    }
    // One bit flipped at a time, at 20 places across the first row group (uncompressed: in a
    // value, only the page's CRC can tell). Without the local filesystem's own checksum file,
    // which would catch it first: damage that came with the file, or a filesystem without one.
    Path local = Path.of(file.toUri());
    java.nio.file.Files.delete(local.resolveSibling(".d.parquet.crc"));
    byte[] intact = java.nio.file.Files.readAllBytes(local);
    for (int k = 0; k < 20; k++) {
      byte[] bytes = intact.clone();
      int at = (int) (first.getStartingPos() + first.getCompressedSize() * (2L * k + 1) / 40);
      bytes[at] ^= 0x10;
      java.nio.file.Files.write(local, bytes);
      int rows = 0;
      java.io.IOException refused = null;
      try (ColumnarAvroReader r =
          new ColumnarAvroReader(
              conf,
              HadoopInputFile.fromPath(file, conf),
              first.getStartingPos(),
              first.getStartingPos() + first.getCompressedSize(),
              ActorProfile.getClassSchema(),
              "actorId")) {
        while (r.next() != null) {
          rows++;
        }
      } catch (java.io.IOException e) {
        refused = e;
      }
      assertThat(refused).as("byte %d flipped: read %d rows", at, rows).isNotNull();
      assertThat(refused).hasMessageContaining("d.parquet");
    }
  }

  @Test
  void encodingsItDoesNotDecodeAreLeftToTheRecordReader() throws Exception {
    // Writer version 2 without dictionaries: DELTA_BINARY_PACKED longs, DELTA_BYTE_ARRAY strings.
    org.apache.hadoop.fs.Path file =
        write(
            dir,
            "v2.parquet",
            ActorProfile.getClassSchema(),
            AvroBinaryReadSupportTest.profiles(200),
            false,
            false,
            1048576,
            ParquetProperties.WriterVersion.PARQUET_2_0,
            CompressionCodecName.UNCOMPRESSED);
    try (ParquetFileReader r =
        ParquetFileReader.open(HadoopInputFile.fromPath(file, new Configuration()))) {
      var schema = r.getFooter().getFileMetaData().getSchema();
      assertThat(
              ColumnarAvroReader.supports(
                  ActorProfile.getClassSchema(), schema, r.getFooter().getBlocks()))
          .isFalse();
      // Nor a file of another schema.
      assertThat(ColumnarAvroReader.supports(RiskContext.getClassSchema(), schema, List.of()))
          .isFalse();
    }
  }

  @Test
  void theHybridDecoderReadsRunsAndPackedGroups() {
    // Width 3: an RLE run of five 3s (header 5 << 1, the value in one byte), then one bit-packed
    // group (header 1 << 1 | 1) of the eight values 0..7, least significant bits first.
    byte[] b = {
      (byte) (5 << 1),
      3,
      (byte) ((1 << 1) | 1),
      (byte) 0b10001000,
      (byte) 0b11000110,
      (byte) 0b11111010
    };
    int[] into = new int[13];
    io.fraudbatch.warehouse.PageColumn.hybrid(b, 0, b.length, 3, into, 13);
    assertThat(into).containsExactly(3, 3, 3, 3, 3, 0, 1, 2, 3, 4, 5, 6, 7);
    // Fewer wanted than the packed group holds: the padding is not read into the output.
    int[] five = new int[7];
    io.fraudbatch.warehouse.PageColumn.hybrid(b, 0, b.length, 3, five, 7);
    assertThat(five).containsExactly(3, 3, 3, 3, 3, 0, 1);
  }
}
