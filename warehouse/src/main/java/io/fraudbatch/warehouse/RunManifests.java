package io.fraudbatch.warehouse;

import io.fraudbatch.core.RunIds;
import io.fraudbatch.core.StorageLayout;
import java.io.IOException;
import java.io.OutputStream;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The committed runs of a job: {@code warehouse/_manifests/job=<job>/<runId>.json} (and, read only,
 * {@code _manifests/<job>/} of runs committed before), one line of JSON each. A run is committed
 * exactly when its manifest exists (one rename puts it there).
 */
public final class RunManifests {
  private final FileSystem fs;
  private final Path dir;
  // Runs committed before the folders were named job=<job>: read, never written.
  private final Path legacy;

  public RunManifests(FileSystem fs, Path root, String job) {
    this.fs = fs;
    this.dir = new Path(root, StorageLayout.manifests(job));
    this.legacy = new Path(root, StorageLayout.legacyManifests(job));
  }

  public Path dir() {
    return dir;
  }

  /** The run ids with a manifest, in commit order; other entries are ignored. */
  public TreeSet<String> committed() throws IOException {
    TreeSet<String> ids = new TreeSet<>();
    for (Path d : new Path[] {dir, legacy}) {
      if (!fs.exists(d)) {
        continue;
      }
      for (FileStatus s : fs.listStatus(d)) {
        String id = runIdOf(s.getPath().getName());
        if (id != null && s.isFile()) {
          ids.add(id);
        }
      }
    }
    return ids;
  }

  /** Every committed manifest by run id (commit order), as {@code type}. */
  public <T> TreeMap<String, T> read(Class<T> type) throws IOException {
    TreeMap<String, T> out = new TreeMap<>();
    for (String id : committed()) {
      out.put(id, RunRecords.read(fs, path(id), type));
    }
    return out;
  }

  /** The manifest of {@code runId}: in the job's folder, or in the legacy one if it is there. */
  public Path path(String runId) throws IOException {
    Path p = new Path(dir, runId + ".json");
    Path old = new Path(legacy, runId + ".json");
    return !fs.exists(p) && fs.exists(old) ? old : p;
  }

  /** Writes the manifest under a hidden name and renames it into place: the commit point. */
  void commit(String runId, String json) throws IOException {
    fs.mkdirs(dir);
    Path tmp = new Path(dir, "." + runId + ".json.tmp");
    try (OutputStream o = fs.create(tmp, true)) {
      o.write(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    if (!fs.rename(tmp, new Path(dir, runId + ".json"))) {
      throw new IOException("Cannot commit run " + runId + ": rename of " + tmp + " failed");
    }
  }

  static String runIdOf(String fileName) {
    if (!fileName.endsWith(".json")) {
      return null;
    }
    String id = fileName.substring(0, fileName.length() - 5);
    return RunIds.PATTERN.matcher(id).matches() ? id : null;
  }
}
