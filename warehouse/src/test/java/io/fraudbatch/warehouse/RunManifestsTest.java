package io.fraudbatch.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunManifestsTest {
  @Test
  void runsAreCommittedUnderJobEqualsAndThoseOfTheOldLayoutAreStillRead(
      @TempDir java.nio.file.Path tmp) throws Exception {
    FileSystem fs = FileSystem.getLocal(new Configuration());
    Path root = new Path(tmp.toUri());
    // a run committed before the folders were named job=<job>
    java.nio.file.Path old =
        tmp.resolve("warehouse/_manifests/ingest/20261101T000000Z-aaaaaa.json");
    Files.createDirectories(old.getParent());
    Files.writeString(old, "{\"runId\":\"20261101T000000Z-aaaaaa\"}", StandardCharsets.UTF_8);

    RunManifests m = new RunManifests(fs, root, "ingest");
    m.commit("20261102T000000Z-bbbbbb", "{\"runId\":\"20261102T000000Z-bbbbbb\"}");

    assertThat(tmp.resolve("warehouse/_manifests/job=ingest/20261102T000000Z-bbbbbb.json"))
        .exists();
    assertThat(m.committed()).containsExactly("20261101T000000Z-aaaaaa", "20261102T000000Z-bbbbbb");
    assertThat(m.path("20261101T000000Z-aaaaaa").toString()).contains("/_manifests/ingest/");
    assertThat(m.path("20261102T000000Z-bbbbbb").toString()).contains("/_manifests/job=ingest/");
    assertThat(new RunManifests(fs, root, "load").committed()).isEmpty();
  }
}
