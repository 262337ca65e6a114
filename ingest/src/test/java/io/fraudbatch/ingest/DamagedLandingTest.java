package io.fraudbatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPOutputStream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.SequenceFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Landing files written by the real writers (Hadoop's SequenceFile.Writer as Flume's HDFS sink uses
 * it, Avro's DataFileWriter with Flume's event schema, a gzip stream), then damaged: exactly the
 * intact records come back, and the damage is reported.
 */
class DamagedLandingTest {
  static final int RECORDS = 300;
  static final Configuration CONF = new Configuration();

  @TempDir Path tmp;

  static String json(int i) {
    return "{\"eventId\":\"e-"
        + i
        + "\",\"actorId\":\"a-"
        + (i % 17)
        + "\",\"eventTime\":"
        + (1777716000000L + i * 1000L)
        + ",\"channel\":\"POS\",\"amount\":\""
        + (i % 90 + 1)
        + ".25\",\"currency\":\"USD\",\"decision\":\"APPROVED\",\"reasons\":[]}";
  }

  record Read(List<String> bodies, boolean truncated, boolean damaged, long skipped) {}

  static Read read(Path file) throws Exception {
    List<String> out = new ArrayList<>();
    try (LandingFileReader r =
        new LandingFileReader(
            FileSystem.getLocal(CONF), new org.apache.hadoop.fs.Path(file.toUri()), CONF)) {
      while (r.next()) {
        out.add(new String(r.body(), 0, r.bodyLength(), StandardCharsets.UTF_8));
      }
      return new Read(out, r.truncated(), r.damaged(), r.bytesSkipped());
    }
  }

  /**
   * Writes a SequenceFile of Flume's key and value types with a sync marker every 10 records (as
   * writers that call {@code Writer.sync()} leave them; Hadoop 3's writer adds one every 100 kB on
   * its own); returns each record's start offset (sync escapes included).
   */
  static long[] sequenceFile(Path file) throws Exception {
    return sequenceFile(file, 0);
  }

  static long[] sequenceFile(Path file, int firstId) throws Exception {
    long[] starts = new long[RECORDS + 1];
    try (SequenceFile.Writer w =
        SequenceFile.createWriter(
            CONF,
            SequenceFile.Writer.file(new org.apache.hadoop.fs.Path(file.toUri())),
            SequenceFile.Writer.keyClass(LongWritable.class),
            SequenceFile.Writer.valueClass(BytesWritable.class),
            SequenceFile.Writer.compression(SequenceFile.CompressionType.NONE))) {
      for (int i = 0; i < RECORDS; i++) {
        starts[i] = w.getLength();
        byte[] b = json(firstId + i).getBytes(StandardCharsets.UTF_8);
        w.append(new LongWritable(i), new BytesWritable(b));
        if (i % 10 == 9) {
          w.sync();
        }
      }
      starts[RECORDS] = w.getLength();
    }
    // The damage below happens under the file system (a bad disk, a copy gone wrong): drop the
    // local checksum file, which would otherwise refuse every read of it.
    Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
    return starts;
  }

  /** Offsets of the sync markers (the 16 bytes after each -1 escape) after the header. */
  static List<Long> syncs(byte[] file, byte[] sync, long after) {
    List<Long> out = new ArrayList<>();
    for (int i = (int) after; i + 16 <= file.length; i++) {
      boolean m = true;
      for (int k = 0; k < 16 && m; k++) {
        m = file[i + k] == sync[k];
      }
      if (m) {
        out.add((long) i);
      }
    }
    return out;
  }

  /** The sync marker of a (still undamaged) SequenceFile: the last 16 bytes of its header. */
  static byte[] headerSync(Path file) throws Exception {
    try (SequenceFile.Reader r =
        new SequenceFile.Reader(
            CONF, SequenceFile.Reader.file(new org.apache.hadoop.fs.Path(file.toUri())))) {
      int end = (int) r.getPosition();
      byte[] bytes = Files.readAllBytes(file);
      return java.util.Arrays.copyOfRange(bytes, end - 16, end);
    }
  }

  @Test
  void aCorruptSyncMarkerLosesNoRecord() throws Exception {
    Path f = tmp.resolve("FlumeData.1");
    sequenceFile(f);
    byte[] sync = headerSync(f);
    byte[] bytes = Files.readAllBytes(f);
    List<Long> markers = syncs(bytes, sync, 100);
    assertThat(markers.size()).isGreaterThan(10);
    long middle = markers.get(markers.size() / 2);
    bytes[(int) middle + 5] ^= 0x5a;
    Files.write(f, bytes);

    Read r = read(f);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      expected.add(json(i));
    }
    assertThat(r.bodies()).isEqualTo(expected);
    assertThat(r.damaged()).isTrue();
    assertThat(r.truncated()).isFalse();
    assertThat(r.skipped()).isEqualTo(20); // the escape and the marker, no record
  }

  @Test
  void noiseInTheMiddleLosesOnlyTheRecordsUpToTheNextSyncMarker() throws Exception {
    Path f = tmp.resolve("FlumeData.2");
    long[] starts = sequenceFile(f);
    byte[] sync = headerSync(f);
    byte[] bytes = Files.readAllBytes(f);
    int from = bytes.length / 2;
    int to = from + 300;
    byte[] noise = new byte[to - from];
    new Random(7).nextBytes(noise);
    System.arraycopy(noise, 0, bytes, from, noise.length);
    Files.write(f, bytes);

    long resume =
        syncs(bytes, sync, to).stream().findFirst().orElseThrow(); // first whole marker after
    Set<Integer> intact = new TreeSet<>();
    for (int i = 0; i < RECORDS; i++) {
      if (starts[i + 1] <= from || starts[i] >= resume - 4) {
        intact.add(i);
      }
    }
    Read r = read(f);
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < RECORDS; i++) {
      index.put(json(i), i);
    }
    Set<Integer> got = new TreeSet<>();
    int foreign = 0;
    for (String b : r.bodies()) {
      Integer i = index.get(b);
      if (i == null) {
        foreign++;
      } else {
        assertThat(got.add(i)).as("record %d once", i).isTrue();
      }
    }
    assertThat(got).isEqualTo(intact);
    assertThat(foreign).isLessThanOrEqualTo(1); // a record whose body the noise hit
    assertThat(intact.size()).isBetween(RECORDS - 40, RECORDS - 1);
    assertThat(r.damaged()).isTrue();
    assertThat(r.skipped()).isGreaterThanOrEqualTo(300);
  }

  static final Schema FLUME_EVENT =
      SchemaBuilder.record("Event")
          .fields()
          .name("headers")
          .type()
          .map()
          .values()
          .stringType()
          .noDefault()
          .name("body")
          .type()
          .bytesType()
          .noDefault()
          .endRecord();

  /** Flume's avro_event container, 20 records per block (deflate, as Flume can be configured). */
  static List<Long> avroFile(Path file) throws Exception {
    List<Long> blockEnds = new ArrayList<>();
    try (DataFileWriter<GenericRecord> w =
        new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(FLUME_EVENT))) {
      w.setCodec(CodecFactory.deflateCodec(6));
      w.create(FLUME_EVENT, file.toFile());
      for (int i = 0; i < RECORDS; i++) {
        GenericRecord e = new GenericData.Record(FLUME_EVENT);
        e.put("headers", Map.of("timestamp", Long.toString(1777716000000L + i)));
        e.put("body", ByteBuffer.wrap(json(i).getBytes(StandardCharsets.UTF_8)));
        w.append(e);
        if (i % 20 == 19) {
          blockEnds.add(w.sync());
        }
      }
    }
    return blockEnds;
  }

  @Test
  void anAvroContainerWithABadBlockAndACutEndKeepsEveryOtherBlock() throws Exception {
    Path f = tmp.resolve("FlumeData.3.avro");
    List<Long> ends = avroFile(f);
    byte[] bytes = Files.readAllBytes(f);
    // Block 7 (records 140..159) gets a bad disk block; the file is cut inside block 15.
    long b7 = ends.get(6);
    for (int i = 0; i < 40; i++) {
      bytes[(int) b7 + 30 + i] = (byte) 0xA5;
    }
    int cut = (int) (ends.get(13) + (ends.get(14) - ends.get(13)) / 2);
    Files.write(f, java.util.Arrays.copyOf(bytes, cut));

    Read r = read(f);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 280; i++) {
      if (i < 140 || i >= 160) {
        expected.add(json(i));
      }
    }
    assertThat(r.bodies()).isEqualTo(expected);
    assertThat(r.damaged()).isTrue();
    assertThat(r.truncated()).isTrue();
  }

  @Test
  void aGzipTornMidMemberKeepsEveryLineBeforeTheTear() throws Exception {
    Path f = tmp.resolve("FlumeData.4.gz");
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (int member = 0; member < 2; member++) {
      ByteArrayOutputStream m = new ByteArrayOutputStream();
      try (OutputStream gz = new GZIPOutputStream(m)) {
        for (int i = member * 150; i < member * 150 + 150; i++) {
          gz.write((json(i) + "\n").getBytes(StandardCharsets.UTF_8));
        }
      }
      all.write(m.toByteArray());
    }
    byte[] bytes = all.toByteArray();
    Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length - 700));

    Read r = read(f);
    assertThat(r.truncated()).isTrue();
    List<String> b = r.bodies();
    // The first member whole, then the second one's lines up to the tear, the torn one last.
    for (int i = 0; i < b.size() - 1; i++) {
      assertThat(b.get(i)).isEqualTo(json(i));
    }
    assertThat(b.size()).isBetween(151, 299);
    assertThat(json(b.size() - 1)).startsWith(b.get(b.size() - 1));
  }

  @Test
  void randomBytesNamedLikeAFlumeFileAreNotALandingFile() throws Exception {
    Path f = tmp.resolve("FlumeData.5");
    byte[] junk = new byte[5000];
    new Random(3).nextBytes(junk);
    junk[0] = 'x'; // no magic of any format
    Files.write(f, junk);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> read(f))
        .isInstanceOf(LandingFileReader.NotALandingFile.class)
        .hasMessageContaining("not a landing file");
  }

  @Test
  void aRunWithDamagedAndUnreadableFilesPublishesEveryIntactRecordAndSetsTheRestAside()
      throws Exception {
    Path root = tmp.resolve("root");
    Path hour = Files.createDirectories(root.resolve("landing/decisions/2026/05/02/10"));
    sequenceFile(hour.resolve("FlumeData.1777716000001"), 0);
    Path damaged = hour.resolve("FlumeData.1777716000002");
    sequenceFile(damaged, RECORDS);
    byte[] sync = headerSync(damaged);
    byte[] bytes = Files.readAllBytes(damaged);
    List<Long> markers = syncs(bytes, sync, 100);
    bytes[(int) (long) markers.get(markers.size() / 2) + 3] ^= 0x33;
    Files.write(damaged, bytes);
    byte[] junk = new byte[3000];
    new Random(5).nextBytes(junk);
    junk[0] = 'x';
    Files.write(hour.resolve("FlumeData.1777716000003"), junk);

    IngestJobTest.Result r = IngestJobTest.ingest(root);
    assertThat(r.code()).isEqualTo(3);
    Map<String, String> rows = IngestJobTest.byEventId(root);
    assertThat(rows).hasSize(2 * RECORDS);
    Map<String, Object> s = r.summary();
    assertThat((List<?>) s.get("files")).hasSize(2);
    assertThat(s.get("setAsideFiles").toString())
        .contains("FlumeData.1777716000003")
        .contains("not a landing file");
    assertThat(((Map<?, ?>) s.get("damagedFiles")).keySet().toString())
        .contains("FlumeData.1777716000002");
    Map<?, ?> rec = (Map<?, ?>) s.get("reconciliation");
    assertThat(rec.get("balanced")).isEqualTo(true);
    assertThat(rec.get("bytesLostToDamage")).isEqualTo(20L);
    assertThat(rec.get("filesSetAside")).isEqualTo(1L);

    // The set-aside files are tried again; what was consumed is not read twice.
    IngestJobTest.Result again = IngestJobTest.ingest(root);
    assertThat(again.code()).isEqualTo(3);
    assertThat(again.summary().get("setAsideFiles").toString()).contains("FlumeData.1777716000003");
    assertThat(IngestJobTest.byEventId(root)).isEqualTo(rows);
  }
}
