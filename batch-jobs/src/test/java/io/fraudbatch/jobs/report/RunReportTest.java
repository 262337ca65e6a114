package io.fraudbatch.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunReportTest {
  @Test
  void runsComeFromTheTypedManifestsInRunOrderWithEachJobsCounts(@TempDir Path root)
      throws Exception {
    Path m = root.resolve("warehouse/_manifests");
    Files.createDirectories(m.resolve("ingest"));
    Files.createDirectories(m.resolve("load"));
    Files.writeString(
        m.resolve("ingest/20261102T000000Z-000002.json"),
        "{\"runId\":\"20261102T000000Z-000002\",\"mode\":\"ingest\",\"startedAt\":\"2026-11-02T00:00:00Z\",\"counts\":{\"RECORDS_READ\":10,"
            + "\"NEW_ROWS\":7,\"QUARANTINED\":1,\"DUPLICATES_IN_RUN\":1,\"DUPLICATES_OF_PUBLISHED\":1},"
            + "\"reconciliation\":{\"balanced\":true}}");
    Files.writeString(
        m.resolve("load/20261101T000000Z-000001.json"),
        "{\"runId\":\"20261101T000000Z-000001\",\"asOf\":\"2026-10-28\",\"startedAt\":\"2026-11-01T00:00:00Z\","
            + "\"profiles\":{\"recordsRead\":5,\"rows\":5},\"riskContext\":{\"recordsRead\":2,\"rows\":2},"
            + "\"reconciliation\":{\"balanced\":true}}");
    Files.writeString(
        m.resolve("ingest/.20261103T000000Z-000003.json.tmp"), "{not a committed manifest");
    List<RunReport.Run> runs =
        RunReport.runs(
            FileSystem.getLocal(new Configuration()), new org.apache.hadoop.fs.Path(root.toUri()));
    assertThat(runs)
        .containsExactly(
            new RunReport.Run(
                "load", "20261101T000000Z-000001", "as of 2026-10-28", 7, 7, 0, 0, "true"),
            new RunReport.Run("ingest", "20261102T000000Z-000002", "ingest", 10, 7, 1, 2, "true"));
  }

  @Test
  void spendBucketsAreLogarithmicAndInactiveActorsApart() {
    assertThat(RunReport.spendBucket(0, 0)).isEqualTo(0);
    assertThat(RunReport.spendBucket(3, 9.99)).isEqualTo(1);
    assertThat(RunReport.spendBucket(3, 10)).isEqualTo(2);
    assertThat(RunReport.spendBucket(3, 999)).isEqualTo(5);
    assertThat(RunReport.spendBucket(3, 1000)).isEqualTo(6);
  }

  @Test
  void chartsEscapeTextAndMarkFlaggedPoints() {
    String svg =
        Svg.lines(
            List.of(new Svg.Series("US<NY>", new double[] {0.1, 0.5}, new boolean[] {false, true})),
            List.of("10-01", "10-02"),
            1,
            "rate");
    assertThat(svg).contains("US&lt;NY&gt;").doesNotContain("US<NY>");
    assertThat(svg.split("<circle", -1)).hasSize(2);
    assertThat(Svg.bars(List.of("a&b"), new double[] {3}, "#000"))
        .contains("a&amp;b")
        .contains(">3<");
  }
}
