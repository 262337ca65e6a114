package io.fraudbatch.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The record of what each committed run consumed and produced: {@code
 * warehouse/_manifests/ingest/<runId>.json}. A landing file is consumed once its run's manifest
 * exists; the manifest is the run's commit point.
 */
final class Manifests {
  // Manifests are one line of JSON: hive-ddl's run_manifests table reads one run per line.
  static final ObjectMapper JSON = new ObjectMapper();

  /** A landing file as a committed run consumed it. */
  record Consumed(String runId, long length, Map<String, Long> days) {}

  private final FileSystem fs;
  private final Path dir;

  Manifests(FileSystem fs, Path root) {
    this.fs = fs;
    this.dir = new Path(root, LandingLayout.MANIFESTS);
  }

  Path dir() {
    return dir;
  }

  /** Every landing file consumed by a committed ingest run (reprocess runs consume nothing new). */
  Map<String, Consumed> consumed() throws IOException {
    Map<String, Consumed> out = new HashMap<>();
    if (!fs.exists(dir)) {
      return out;
    }
    List<FileStatus> manifests = new ArrayList<>();
    for (FileStatus s : fs.listStatus(dir)) {
      if (s.getPath().getName().endsWith(".json")) {
        manifests.add(s);
      }
    }
    manifests.sort((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
    for (FileStatus s : manifests) {
      JsonNode m;
      try (InputStream in = fs.open(s.getPath())) {
        m = JSON.readTree(in);
      }
      String runId = m.path("runId").asText();
      for (JsonNode f : m.path("files")) {
        Map<String, Long> days = new TreeMap<>();
        f.path("days").fields().forEachRemaining(e -> days.put(e.getKey(), e.getValue().asLong()));
        String path = f.path("path").asText();
        Consumed previous = out.get(path);
        if (previous != null && "reprocess".equals(m.path("mode").asText())) {
          continue;
        }
        out.put(path, new Consumed(runId, f.path("length").asLong(), days));
      }
    }
    return out;
  }

  /** Writes the manifest atomically (temporary file, then rename): the run's commit. */
  void commit(String runId, Map<String, Object> manifest) throws IOException {
    write(fs, new Path(dir, runId + ".json"), JSON.writeValueAsString(manifest));
  }

  static void write(FileSystem fs, Path target, String text) throws IOException {
    fs.mkdirs(target.getParent());
    Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
    try (OutputStream out = fs.create(tmp, true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    if (fs.exists(target)) {
      fs.delete(target, false);
    }
    if (!fs.rename(tmp, target)) {
      throw new IOException("Cannot rename " + tmp + " to " + target);
    }
  }
}
