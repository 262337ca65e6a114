package io.fraudbatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudbatch.core.event.DecisionEventJson;
import io.fraudbatch.core.event.DecodeResult;
import io.fraudbatch.sample.Generator;
import io.fraudbatch.sample.GeneratorConfig;
import io.fraudbatch.sample.LandingFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.flume.Channel;
import org.apache.flume.Context;
import org.apache.flume.Event;
import org.apache.flume.Sink;
import org.apache.flume.Transaction;
import org.apache.flume.channel.MemoryChannel;
import org.apache.flume.conf.Configurables;
import org.apache.flume.event.EventBuilder;
import org.apache.flume.sink.hdfs.HDFSEventSink;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Landing files written by Flume's real HDFS sink (flume-hdfs-sink 1.11.0, to the local filesystem)
 * in each sink format, then ingested: what the generator imitates, checked against the original.
 */
class FlumeHdfsSinkTest {
  @TempDir Path tmp;

  record Landed(long timestamp, byte[] body) {}

  /** Decision bodies and their arrival times, from the generator's plain JSON-lines output. */
  private List<Landed> bodies(Path root) throws Exception {
    new Generator(
            new GeneratorConfig(
                root.toString(),
                17,
                100,
                1,
                LocalDate.parse("2026-06-01"),
                1_200L,
                List.of(LandingFormat.DATASTREAM),
                0.03,
                0.5,
                0.02,
                0.0,
                0.02,
                false,
                0.5,
                Map.of(),
                1,
                false),
            line -> {})
        .run();
    List<Landed> out = new ArrayList<>();
    FileSystem fs = FileSystem.getLocal(new Configuration());
    try (Stream<Path> s = Files.walk(root.resolve("landing"))) {
      for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
        long hour = LandingLayout.hourOf(new org.apache.hadoop.fs.Path(p.toUri()));
        try (LandingFileReader r =
            new LandingFileReader(fs, new org.apache.hadoop.fs.Path(p.toUri()), fs.getConf())) {
          while (r.next()) {
            byte[] b = new byte[r.bodyLength()];
            System.arraycopy(r.body(), 0, b, 0, b.length);
            out.add(new Landed(hour + 60_000 + r.index(), b));
          }
        }
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "SequenceFile     | ''         | ''   | 534551",
        "DataStream       | text       | ''   | 7b",
        "DataStream       | avro_event | ''   | 4f626a01",
        "CompressedStream | text       | gzip | 1f8b"
      })
  void flumeWrittenFilesIngestLikeTheOriginals(
      String fileType, String serializer, String codec, String magicHex) throws Exception {
    List<Landed> input = bodies(tmp.resolve("source"));
    Path root = tmp.resolve("flume");
    Context ctx = new Context();
    ctx.put(
        "hdfs.path",
        root.toUri().toString().replaceAll("/$", "") + "/landing/decisions/%Y/%m/%d/%H");
    ctx.put("hdfs.filePrefix", "FlumeData");
    ctx.put("hdfs.fileType", fileType);
    ctx.put("hdfs.timeZone", "UTC");
    ctx.put("hdfs.useLocalTimeStamp", "false");
    ctx.put("hdfs.rollInterval", "0");
    ctx.put("hdfs.rollSize", "0");
    ctx.put("hdfs.rollCount", "0");
    ctx.put("hdfs.batchSize", "100");
    if (!serializer.isEmpty()) {
      ctx.put("serializer", serializer);
    }
    if (!codec.isEmpty()) {
      ctx.put("hdfs.codeC", codec);
    }
    Channel channel = new MemoryChannel();
    Context channelCtx = new Context();
    channelCtx.put("capacity", "100000");
    channelCtx.put("transactionCapacity", "1000");
    // An empty channel answers at once instead of waiting the default 3 s for events.
    channelCtx.put("keep-alive", "0");
    Configurables.configure(channel, channelCtx);
    channel.setName("channel");
    channel.start();
    HDFSEventSink sink = new HDFSEventSink();
    sink.setName("sink");
    Configurables.configure(sink, ctx);
    sink.setChannel(channel);
    sink.start();
    for (int i = 0; i < input.size(); i += 100) {
      Transaction tx = channel.getTransaction();
      tx.begin();
      for (Landed l : input.subList(i, Math.min(input.size(), i + 100))) {
        Event e =
            EventBuilder.withBody(l.body(), Map.of("timestamp", Long.toString(l.timestamp())));
        channel.put(e);
      }
      tx.commit();
      tx.close();
      while (sink.process() == Sink.Status.READY) {
        // drain what the channel holds
      }
    }
    sink.stop();
    channel.stop();

    Set<String> expected = new HashSet<>();
    int invalid = 0;
    for (Landed l : input) {
      DecodeResult d = DecisionEventJson.decode(l.body());
      if (d.isValid()) {
        expected.add(d.event().getEventId());
      } else {
        invalid++;
      }
    }
    try (Stream<Path> s = Files.walk(root.resolve("landing"))) {
      assertThat(s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".tmp")))
          .as("Flume closed its files")
          .isEmpty();
    }
    try (Stream<Path> s = Files.walk(root.resolve("landing"))) {
      for (Path p :
          s.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".crc")).toList()) {
        assertThat(HexFormat.of().formatHex(Files.readAllBytes(p)))
            .as("%s is in the %s format", p, fileType)
            .startsWith(magicHex);
      }
    }

    IngestJobTest.Result r = IngestJobTest.ingest(root);
    assertThat(r.code()).isZero();
    Map<String, String> rows = IngestJobTest.byEventId(root);
    assertThat(rows.keySet()).isEqualTo(expected);
    assertThat(IngestJobTest.rows(root.resolve("warehouse/quarantine"))).hasSize(invalid);
  }
}
