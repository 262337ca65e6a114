package io.fraudbatch.profilebuilder;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudbatch.avro.ActorProfile;
import io.fraudbatch.core.avro.AvroModel;
import io.fraudbatch.core.hbase.HBaseSchema;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hbase.Cell;
import org.apache.hadoop.hbase.CellUtil;
import org.apache.hadoop.hbase.io.compress.Compression;
import org.apache.hadoop.hbase.io.hfile.CacheConfig;
import org.apache.hadoop.hbase.io.hfile.HFile;
import org.apache.hadoop.hbase.io.hfile.HFileScanner;
import org.apache.hadoop.hbase.util.Bytes;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LocalHFilesTest {
  @TempDir Path dir;

  /**
   * A snapshot file damaged after it was written (its own checksum file gone: a copy, a filesystem
   * without one) fails the generation in one line naming it, by either reader.
   */
  @ParameterizedTest(name = "read column by column: {0}")
  @CsvSource({"true", "false"})
  void aDamagedSnapshotIsRefusedInOneLine(boolean columnar) throws Exception {
    LocalDate day = LocalDate.parse("2026-10-20");
    Snapshots.write(dir, day, 2_000, 12);
    Path part = dir.resolve("warehouse/profiles/as_of=" + day + "/part-00000.parquet");
    java.nio.file.Files.delete(part.resolveSibling(".part-00000.parquet.crc"));
    byte[] bytes = java.nio.file.Files.readAllBytes(part);
    bytes[bytes.length / 3] ^= 0x10;
    java.nio.file.Files.write(part, bytes);
    Configuration conf = new Configuration();
    conf.setBoolean(LocalHFiles.COLUMNAR, columnar);
    byte[][] splits = HBaseSchema.splits(4);
    byte[][] starts = new byte[splits.length + 1][];
    starts[0] = new byte[0];
    System.arraycopy(splits, 0, starts, 1, splits.length);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                LocalHFiles.generate(
                    conf,
                    FileSystem.getLocal(conf),
                    Tables.batchFamily(Compression.Algorithm.GZ),
                    starts,
                    RowCells.PROFILES,
                    1L,
                    new org.apache.hadoop.fs.Path(part.getParent().toUri()),
                    new org.apache.hadoop.fs.Path(dir.resolve("hfiles").toUri()),
                    line -> {}))
        .isInstanceOf(io.fraudbatch.core.FraudBatchException.class)
        .hasMessageContaining("part-00000.parquet is damaged")
        .hasMessageContaining("CRC checksum verification failed")
        .hasMessageContaining("nothing was loaded")
        .hasMessageNotContaining("\n");
  }

  /**
   * Every snapshot record becomes one row, in a file of its region, sorted, with the encoder's
   * bytes; with a small buffer the rows of a region are spread over several files, and nothing is
   * lost or doubled either way. Ids "user-000…0042" share their first 16 key bytes whenever their
   * 2-byte hash prefixes are equal (about 30 pairs of 2,000), so the sort also compares whole keys.
   */
  @ParameterizedTest(name = "buffer {0} bytes, {1} threads, read column by column: {2}, ids {3}")
  @CsvSource({
    "1000000000, 2, true, C%015X",
    "300000, 2, true, C%015X",
    "300000, 1, false, C%015X",
    "1000000000, 2, false, C%015X",
    "1000000000, 2, true, user-%025d"
  })
  void everyRecordIsOneRowInASortedFileOfItsRegion(
      long buffer, int threads, boolean columnar, String ids) throws Exception {
    LocalDate day = LocalDate.parse("2026-10-20");
    Map<String, ActorProfile> want =
        // Descending ids: rows reach the sort in the reverse of their order.
        Snapshots.write(dir, day, 2_000, 12, i -> String.format(ids, 1_000_000 - i));
    Configuration conf = new Configuration();
    conf.setBoolean(LocalHFiles.COLUMNAR, columnar);
    conf.setLong(LocalHFiles.BUFFER_BYTES, buffer);
    conf.setInt(LocalHFiles.THREADS, threads);
    FileSystem fs = FileSystem.getLocal(conf);
    byte[][] splits = HBaseSchema.splits(4);
    byte[][] starts = new byte[splits.length + 1][];
    starts[0] = new byte[0];
    System.arraycopy(splits, 0, starts, 1, splits.length);
    long ts = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(dir.resolve("hfiles").toUri());
    List<String> progress = new ArrayList<>();
    LocalHFiles.Result r =
        LocalHFiles.generate(
            conf,
            fs,
            Tables.batchFamily(Compression.Algorithm.GZ),
            starts,
            RowCells.PROFILES,
            ts,
            new org.apache.hadoop.fs.Path(dir.resolve("warehouse/profiles/as_of=" + day).toUri()),
            out,
            progress::add);
    assertThat(r.direct()).isTrue();
    assertThat(r.recordsRead()).isEqualTo(want.size());
    assertThat(r.rows()).isEqualTo(want.size());
    assertThat(progress).last().asString().contains("1 of 1 row groups");

    BinaryMessageEncoder<ActorProfile> enc =
        new BinaryMessageEncoder<>(AvroModel.SPECIFIC, ActorProfile.getClassSchema());
    Map<String, byte[]> seen = new HashMap<>();
    FileStatus[] files = fs.listStatus(new org.apache.hadoop.fs.Path(out, "b"));
    assertThat(files).hasSize(r.hfiles());
    if (buffer < 1_000_000) {
      assertThat(r.hfiles()).isGreaterThan(4);
    } else {
      assertThat(r.hfiles()).isEqualTo(4);
    }
    for (FileStatus f : files) {
      try (HFile.Reader reader =
          HFile.createReader(fs, f.getPath(), CacheConfig.DISABLED, true, conf)) {
        HFileScanner s = reader.getScanner(conf, false, false);
        assertThat(s.seekTo()).isTrue();
        Cell previous = null;
        int region = -1;
        do {
          Cell c = s.getCell();
          byte[] row = CellUtil.cloneRow(c);
          int rg = regionOf(starts, row);
          assertThat(region == -1 || region == rg).as("one region per file").isTrue();
          region = rg;
          if (previous != null) {
            assertThat(org.apache.hadoop.hbase.CellComparator.getInstance().compare(previous, c))
                .isNegative();
          }
          previous = c;
          assertThat(c.getTimestamp()).isEqualTo(ts);
          String actor = HBaseSchema.actorOf(row);
          String q = Bytes.toString(CellUtil.cloneQualifier(c));
          assertThat(seen.put(actor + "/" + q, CellUtil.cloneValue(c))).isNull();
        } while (s.next());
      }
    }
    assertThat(seen).hasSize(2 * want.size());
    for (Map.Entry<String, ActorProfile> e : want.entrySet()) {
      assertThat(seen.get(e.getKey() + "/p")).isEqualTo(Bytes.getBytes(enc.encode(e.getValue())));
      assertThat(Bytes.toLong(seen.get(e.getKey() + "/w"))).isEqualTo(ts);
    }
  }

  static int regionOf(byte[][] starts, byte[] row) {
    int r = 0;
    for (int i = 0; i < starts.length; i++) {
      if (Bytes.compareTo(starts[i], row) <= 0) {
        r = i;
      }
    }
    return r;
  }
}
