package io.fraudbatch.ingest;

import static io.fraudbatch.ingest.IngestJobTest.byEventId;
import static io.fraudbatch.ingest.IngestJobTest.closeInUseFiles;
import static io.fraudbatch.ingest.IngestJobTest.generate;
import static io.fraudbatch.ingest.IngestJobTest.ingest;
import static io.fraudbatch.ingest.IngestJobTest.localConf;
import static io.fraudbatch.ingest.IngestJobTest.publishedLine;
import static io.fraudbatch.ingest.IngestJobTest.rows;
import static io.fraudbatch.ingest.IngestJobTest.withoutRunIds;
import static org.assertj.core.api.Assertions.assertThat;

import io.fraudbatch.core.testing.TestRoots;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local engine against the MapReduce job on the same landing files: a first ingest of generated
 * data (duplicates, damaged and hostile files of every sink format), an hourly run appended to a
 * published day with redelivered and conflicting copies, a run that compacts the day, and a
 * reprocessed day: the same rows, counts and quarantine after every run.
 */
class LocalIngestTest {
  @TempDir Path tmp;

  private static Configuration engine(String name) {
    Configuration conf = localConf();
    conf.set(IngestConf.ENGINE, name);
    return conf;
  }

  private static final String EVENT =
      "{\"eventId\":\"%s\",\"actorId\":\"C1\",\"eventTime\":1777716000000,\"channel\":\"POS\","
          + "\"amount\":\"%s\",\"currency\":\"USD\",\"decision\":\"APPROVED\",\"reasons\":[]}";

  @Test
  void bothEnginesPublishTheSameRowsCountsAndQuarantine() throws Exception {
    Path local = tmp.resolve("local");
    generate(local, 31);
    Path mr = TestRoots.copy(local, tmp.resolve("mr"));
    same(local, mr, new String[0], null);

    // An hourly file: new events, a copy of a published one, and an id landed twice with
    // different content (the first by file and position is kept).
    String hourly =
        String.format(EVENT, "h-1", "3.50")
            + "\n"
            + String.format(EVENT, "h-2", "4.50")
            + "\n"
            + publishedLine(local, byEventId(local).keySet())
            + "\n"
            + String.format(EVENT, "h-1", "9.99")
            + "\n";
    for (Path root : new Path[] {local, mr}) {
      closeInUseFiles(root);
      Files.writeString(
          root.resolve("landing/decisions/2026/05/02/10/FlumeData.1777716999991"),
          hourly,
          StandardCharsets.UTF_8);
    }
    int filesBefore = IngestJobTest.dayFiles(local, "2026-05-02").size();
    Map<String, Long> counts = same(local, mr, new String[0], null);
    assertThat(counts.get("DUPLICATES_WITH_DIFFERENT_CONTENT")).isEqualTo(1);
    // The day's published files, and one new file: the duplicate check's row joined it.
    assertThat(IngestJobTest.dayFiles(local, "2026-05-02")).hasSize(filesBefore + 1);
    assertThat(byEventId(local).get("h-1")).contains("3.5");

    // The next hourly run compacts the day (read whole, rewritten with its new rows).
    for (Path root : new Path[] {local, mr}) {
      Files.writeString(
          root.resolve("landing/decisions/2026/05/02/10/FlumeData.1777716999992"),
          String.format(EVENT, "h-3", "1.00") + "\n" + String.format(EVENT, "h-2", "4.50") + "\n",
          StandardCharsets.UTF_8);
    }
    counts = same(local, mr, new String[0], 1);
    assertThat(counts.get("HISTORY_ROWS_READ")).isPositive();

    same(local, mr, new String[] {"--reprocess", "2026-05-02"}, null);
  }

  /** Runs both roots with one engine each; asserts the same outcome; returns the counts. */
  private static Map<String, Long> same(Path local, Path mr, String[] args, Integer compactAt)
      throws Exception {
    Configuration l = engine("local");
    Configuration m = engine("mapreduce");
    if (compactAt != null) {
      l.setInt(IngestConf.COMPACT_SMALL_FILES, compactAt);
      m.setInt(IngestConf.COMPACT_SMALL_FILES, compactAt);
    }
    IngestJobTest.Result a = ingest(l, local, args);
    IngestJobTest.Result b = ingest(m, mr, args);
    assertThat(a.code()).isZero();
    assertThat(b.code()).isZero();
    assertThat(a.summary().get("engine")).isEqualTo("local");
    assertThat(b.summary().get("engine")).isEqualTo("mapreduce");
    for (String key :
        new String[] {
          "counts", "rowsByDt", "newRowsByDt", "replacedDays", "appendedDays", "reconciliation"
        }) {
      assertThat(a.summary().get(key)).as(key).isEqualTo(b.summary().get(key));
    }
    assertThat(withoutRunIds(byEventId(local))).isEqualTo(withoutRunIds(byEventId(mr)));
    assertThat(rows(local.resolve("warehouse/quarantine")).size())
        .isEqualTo(rows(mr.resolve("warehouse/quarantine")).size());
    @SuppressWarnings("unchecked")
    Map<String, Long> counts = (Map<String, Long>) a.summary().get("counts");
    return counts;
  }

  @Test
  void aRunWhoseIdsOrSuspectsDoNotFitIsHandedToMapReduce() throws Exception {
    Path reference = tmp.resolve("reference");
    generate(reference, 5);
    Path ids = TestRoots.copy(reference, tmp.resolve("ids"));
    Path suspects = TestRoots.copy(reference, tmp.resolve("suspects"));
    assertThat(ingest(engine("local"), reference).summary().get("engine")).isEqualTo("local");

    Configuration fewIds = engine("local");
    fewIds.setLong(LocalIngest.MAX_IDS, 100);
    IngestJobTest.Result r = ingest(fewIds, ids);
    assertThat(r.code()).isZero();
    assertThat(r.summary().get("engine")).isEqualTo("mapreduce");

    Configuration fewSuspects = engine("auto"); // the local runner: auto picks the local engine
    fewSuspects.setLong(LocalIngest.MAX_SUSPECT_COPIES, 1);
    r = ingest(fewSuspects, suspects);
    assertThat(r.code()).isZero();
    assertThat(r.summary().get("engine")).isEqualTo("mapreduce");

    Map<String, String> expected = withoutRunIds(byEventId(reference));
    assertThat(withoutRunIds(byEventId(ids))).isEqualTo(expected);
    assertThat(withoutRunIds(byEventId(suspects))).isEqualTo(expected);
  }

  @Test
  void aLandingFileGivingMoreRecordsThanTheIdPassSawStopsTheRun() throws Exception {
    Path file = tmp.resolve("landing/decisions/2026/05/02/10/FlumeData.1");
    Files.createDirectories(file.getParent());
    Files.writeString(
        file,
        String.format(EVENT, "a", "1.00") + "\n" + String.format(EVENT, "b", "2.00") + "\n",
        StandardCharsets.UTF_8);
    Configuration conf = localConf();
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(file.toUri());
    String uri = p.getFileSystem(conf).makeQualified(p).toString();
    for (long seen : new long[] {2, 1}) {
      var unit =
          new org.apache.hadoop.mapreduce.lib.input.CombineFileSplit(
              new org.apache.hadoop.fs.Path[] {p}, new long[] {Files.size(file)});
      var ctx =
          new org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl(
              conf, new org.apache.hadoop.mapreduce.TaskAttemptID());
      var chain =
          new LocalIngest.Chain<>(
              new LandingCombineInputFormat(),
              new java.util.concurrent.ConcurrentLinkedQueue<>(java.util.List.of(unit)),
              ctx,
              Map.of(uri, seen),
              null);
      if (seen == 2) {
        assertThat(chain.nextKeyValue()).isTrue();
        assertThat(chain.nextKeyValue()).isTrue();
        assertThat(chain.nextKeyValue()).isFalse();
      } else {
        assertThat(chain.nextKeyValue()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(chain::nextKeyValue)
            .isInstanceOf(java.io.IOException.class)
            .hasMessageContaining("gave more records to the write pass than to the id pass (1)");
      }
      chain.close();
    }
  }

  /**
   * Writers closed as soon as the thread's files buffer more than a byte together (the cap that
   * keeps input mixing many days within the heap): more, smaller files; the same rows.
   */
  @Test
  void aWriteBufferCapGivesSmallerFilesNotOtherRows() throws Exception {
    Path capped = tmp.resolve("capped");
    generate(capped, 7);
    Path free = TestRoots.copy(capped, tmp.resolve("free"));
    Configuration conf = engine("local");
    conf.setLong(SideOutputs.BUFFER_BYTES, 1);
    assertThat(ingest(conf, capped).code()).isZero();
    assertThat(ingest(engine("local"), free).code()).isZero();
    assertThat(withoutRunIds(byEventId(capped))).isEqualTo(withoutRunIds(byEventId(free)));
    assertThat(IngestJobTest.parquet(capped.resolve("warehouse/decisions")).size())
        .isGreaterThan(IngestJobTest.parquet(free.resolve("warehouse/decisions")).size());
  }

  @Test
  void anUnknownEngineIsABadArgument() throws Exception {
    Path root = tmp.resolve("bad");
    Files.createDirectories(root.resolve("landing/decisions"));
    assertThat(ingest(engine("spark"), root).code()).isEqualTo(2);
  }
}
