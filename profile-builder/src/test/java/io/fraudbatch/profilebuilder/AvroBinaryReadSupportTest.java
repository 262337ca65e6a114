package io.fraudbatch.profilebuilder;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudbatch.avro.ActorProfile;
import io.fraudbatch.avro.RiskContext;
import io.fraudbatch.core.avro.AvroModel;
import io.fraudbatch.core.profile.ProfileAccumulator;
import io.fraudbatch.core.profile.ProfileInput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.util.Bytes;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AvroBinaryReadSupportTest {
  @TempDir Path dir;

  /** Profiles with every shape: no places, no coordinates, no region, empty and long lists. */
  static List<ActorProfile> profiles(int n) {
    SplittableRandom r = new SplittableRandom(11);
    LocalDate asOf = LocalDate.parse("2026-10-20");
    long end = asOf.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    List<ActorProfile> out = new ArrayList<>();
    for (int a = 0; a < n; a++) {
      String actor = "C" + a + (a % 7 == 0 ? "-é✓" : "");
      ProfileAccumulator acc = new ProfileAccumulator();
      int events = a % 5 == 0 ? 1 : 1 + r.nextInt(60);
      for (int i = 0; i < events; i++) {
        boolean place = a % 3 != 0;
        boolean coords = a % 4 != 0;
        acc.add(
            actor,
            new ProfileInput(
                actor + "-" + i,
                end - 1 - r.nextLong(120L * 86_400_000L),
                a % 5 == 0 ? "DENIED" : r.nextInt(9) == 0 ? "REVIEW" : "APPROVED",
                r.nextBoolean() ? "WEB" : "POS",
                (long) r.nextInt(0, 900_000),
                r.nextInt(9) == 0 ? null : "54" + r.nextInt(10) + "1",
                place ? "US" : null,
                place ? "US-" + (char) ('A' + r.nextInt(26)) + "X" : null,
                place ? "City" + r.nextInt(40) : null,
                coords ? 30.0 + r.nextDouble() : null,
                coords ? -97.0 - r.nextDouble() : null,
                r.nextInt(3) == 0 ? null : "10.0.0." + r.nextInt(50)));
      }
      out.add(acc.finish(asOf));
    }
    return out;
  }

  static <T> org.apache.hadoop.fs.Path write(
      Path dir, String name, Schema schema, List<T> records, boolean oldLists) throws Exception {
    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(dir.resolve(name).toUri());
    try (ParquetWriter<T> w =
        AvroParquetWriter.<T>builder(HadoopOutputFile.fromPath(file, new Configuration()))
            .withSchema(schema)
            .withDataModel(AvroModel.SPECIFIC)
            .withRowGroupSize(256L * 1024) // several row groups
            .config(AvroWriteSupport.WRITE_OLD_LIST_STRUCTURE, Boolean.toString(oldLists))
            .build()) {
      for (T t : records) {
        w.write(t);
      }
    }
    return file;
  }

  static List<AvroBinaryReadSupport.Encoded> read(
      org.apache.hadoop.fs.Path file, Schema schema, String... keys) throws Exception {
    AvroBinaryReadSupport support = new AvroBinaryReadSupport(schema, keys);
    List<AvroBinaryReadSupport.Encoded> out = new ArrayList<>();
    try (ParquetReader<AvroBinaryReadSupport.Encoded> r =
        new ParquetReader.Builder<AvroBinaryReadSupport.Encoded>(
            HadoopInputFile.fromPath(file, new Configuration())) {
          @Override
          protected ReadSupport<AvroBinaryReadSupport.Encoded> getReadSupport() {
            return support;
          }
        }.build()) {
      AvroBinaryReadSupport.Encoded e;
      while ((e = r.read()) != null) {
        out.add(e);
      }
    }
    return out;
  }

  @ParameterizedTest(name = "old list structure: {0}")
  @ValueSource(booleans = {false, true})
  void givesTheBytesOfAvrosEncoderForEveryProfile(boolean oldLists) throws Exception {
    List<ActorProfile> profiles = profiles(3_000);
    assertThat(profiles).anyMatch(p -> p.getLastPlace() == null);
    assertThat(profiles).anyMatch(p -> p.getHomeRegion() == null);
    assertThat(profiles).anyMatch(p -> p.getLocations().isEmpty());
    assertThat(profiles).anyMatch(p -> p.getLocations().size() == 20);
    assertThat(profiles)
        .anyMatch(p -> p.getLocations().stream().anyMatch(l -> l.getLat() == null))
        .anyMatch(p -> p.getLocations().stream().anyMatch(l -> l.getLat() != null));
    org.apache.hadoop.fs.Path file =
        write(dir, "p.parquet", ActorProfile.getClassSchema(), profiles, oldLists);
    assertEncodedAsAvro(read(file, ActorProfile.getClassSchema(), "actorId"), profiles);
  }

  /** Each record's bytes are Avro's encoder's for the same profile, its key the actor id. */
  static void assertEncodedAsAvro(
      List<AvroBinaryReadSupport.Encoded> got, List<ActorProfile> profiles) throws Exception {
    BinaryMessageEncoder<ActorProfile> enc =
        new BinaryMessageEncoder<>(AvroModel.SPECIFIC, ActorProfile.getClassSchema());
    assertThat(got).hasSize(profiles.size());
    for (int i = 0; i < profiles.size(); i++) {
      ActorProfile p = profiles.get(i);
      assertThat(got.get(i).value()).as(p.getActorId()).isEqualTo(Bytes.getBytes(enc.encode(p)));
      assertThat(new String(got.get(i).keys()[0], StandardCharsets.UTF_8))
          .isEqualTo(p.getActorId());
    }
  }

  /** {@code n} risk-context rows; their numbers and keys take {@code distinct} values. */
  static List<RiskContext> riskContexts(int n, int distinct) {
    List<RiskContext> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int j = i % distinct;
      rows.add(
          RiskContext.newBuilder()
              .setKeyType(i % 2 == 0 ? "merchant" : "region")
              .setKey("K" + j)
              .setLevel(i % 3 == 0 ? "HIGH" : "LOW")
              .setAmountMultiplier(0.5 + j)
              .setNewLocationMultiplier(-0.25)
              .setAnomalies(-j)
              .setTopMetric("microShare")
              .setTopScore(i % 5 == 0 ? Double.NaN : -j / 7.0)
              .setLastAnomalyEnd(Instant.ofEpochMilli(-1_000L * j))
              .setValidUntil(Instant.ofEpochMilli(Long.MAX_VALUE - j))
              .setAsOf(Instant.ofEpochMilli(0))
              .setRunId("r")
              .build());
    }
    return rows;
  }

  @Test
  void readsTheRiskContextWithTwoKeyFields() throws Exception {
    List<RiskContext> rows = riskContexts(50, 50);
    org.apache.hadoop.fs.Path file =
        write(dir, "c.parquet", RiskContext.getClassSchema(), rows, false);
    List<AvroBinaryReadSupport.Encoded> got =
        read(file, RiskContext.getClassSchema(), "keyType", "key");
    BinaryMessageEncoder<RiskContext> enc =
        new BinaryMessageEncoder<>(AvroModel.SPECIFIC, RiskContext.getClassSchema());
    for (int i = 0; i < rows.size(); i++) {
      assertThat(got.get(i).value()).isEqualTo(Bytes.getBytes(enc.encode(rows.get(i))));
      assertThat(new String(got.get(i).keys()[1], StandardCharsets.UTF_8)).isEqualTo("K" + i);
    }
  }

  @Test
  void aFileOfAnotherLayoutIsNotReadDirectly() throws Exception {
    org.apache.hadoop.fs.Path file =
        write(dir, "p.parquet", ActorProfile.getClassSchema(), profiles(10), false);
    try (ParquetFileReader r =
        ParquetFileReader.open(HadoopInputFile.fromPath(file, new Configuration()))) {
      var schema = r.getFooter().getFileMetaData().getSchema();
      assertThat(AvroBinaryReadSupport.supports(ActorProfile.getClassSchema(), schema)).isTrue();
      // The risk context's schema is not this file's layout.
      assertThat(AvroBinaryReadSupport.supports(RiskContext.getClassSchema(), schema)).isFalse();
    }
    // A schema with a map: parquet-avro's layout, but not one this reader writes.
    Schema withMap =
        new Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"M\",\"fields\":[{\"name\":\"m\",\"type\":"
                    + "{\"type\":\"map\",\"values\":\"long\"}}]}");
    assertThat(
            AvroBinaryReadSupport.supports(
                withMap, new org.apache.parquet.avro.AvroSchemaConverter().convert(withMap)))
        .isFalse();
  }
}
