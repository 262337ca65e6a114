package io.fraudbatch.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fraudbatch.warehouse.RootPaths;
import io.fraudbatch.warehouse.RunManifests;
import io.fraudbatch.warehouse.RunRecords;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What committed ingest runs consumed, from their manifests ({@code
 * warehouse/_manifests/job=ingest/<runId>.json}). Landing paths are recorded relative to the root;
 * older manifests recorded URIs, read as the same relative paths.
 */
final class Manifests {
  // Manifests are one line of JSON: hive-ddl's run_manifests table reads one run per line.
  static final ObjectMapper JSON = new ObjectMapper();

  /** A landing file as a committed run consumed it. */
  record Consumed(String runId, long length, Map<String, Long> days) {}

  private final RunManifests manifests;

  Manifests(FileSystem fs, Path root) {
    this.manifests = new RunManifests(fs, root, "ingest");
  }

  /**
   * Every landing file consumed by a committed ingest run, by its path relative to the root
   * (reprocess runs consume nothing new).
   */
  Map<String, Consumed> consumed() throws IOException {
    Map<String, Consumed> out = new HashMap<>();
    for (Map.Entry<String, RunRecords.IngestRun> e :
        manifests.read(RunRecords.IngestRun.class).entrySet()) {
      RunRecords.IngestRun m = e.getValue();
      String runId = e.getKey();
      for (RunRecords.ConsumedFile f :
          m.files() == null ? List.<RunRecords.ConsumedFile>of() : m.files()) {
        Map<String, Long> days = new TreeMap<>(f.days() == null ? Map.of() : f.days());
        String path = RootPaths.normalize(f.path(), LandingLayout.LANDING);
        Consumed previous = out.get(path);
        if (previous != null && m.reprocess()) {
          continue;
        }
        out.put(path, new Consumed(runId, f.length(), days));
      }
    }
    return out;
  }
}
