package io.fraudbatch.jobs;

import io.fraudbatch.core.FraudBatchException;
import io.fraudbatch.core.StorageLayout;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** How batch jobs take their lock, publish a finished directory and record a run. */
public final class Warehouse {
  private Warehouse() {}

  /** A job's lock, held while the returned handle is open; deleted on close. */
  public static final class Lock implements AutoCloseable {
    private final FileSystem fs;
    private final Path path;

    private Lock(FileSystem fs, Path path) {
      this.fs = fs;
      this.path = path;
    }

    @Override
    public void close() throws IOException {
      fs.delete(path, false);
    }
  }

  /** Takes {@code <root>/staging/<job>/_LOCK} for {@code runId}, or explains who holds it. */
  public static Lock lock(FileSystem fs, Path root, String job, String runId) throws IOException {
    Path lock = new Path(root, StorageLayout.staging(job) + "/_LOCK");
    try (OutputStream l = fs.create(lock, false)) {
      l.write((runId + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      throw new FraudBatchException(
          "Cannot run "
              + job
              + ": another run holds "
              + lock
              + " (if no "
              + job
              + " run is active, a crashed one left it: delete it and re-run)");
    }
    return new Lock(fs, lock);
  }

  /**
   * Renames the finished directory {@code work} to {@code target}; an existing target is first
   * moved aside to {@code replaced} (under the run's staging directory, deleted with it).
   */
  public static void swapIn(FileSystem fs, Path work, Path target, Path replaced)
      throws IOException {
    fs.mkdirs(target.getParent());
    if (fs.exists(target) && !fs.rename(target, replaced)) {
      throw new IOException("Cannot move the old " + target + " aside to " + replaced);
    }
    if (!fs.rename(work, target)) {
      throw new IOException("Cannot rename " + work + " to " + target);
    }
  }

  /** Commits a run record as {@code warehouse/_manifests/<job>/<runId>.json} (write, rename). */
  public static void manifest(FileSystem fs, Path root, String job, String runId, String json)
      throws IOException {
    Path manifests = new Path(root, StorageLayout.manifests(job));
    fs.mkdirs(manifests);
    Path tmp = new Path(manifests, "." + runId + ".json.tmp");
    try (OutputStream o = fs.create(tmp, true)) {
      o.write(json.getBytes(StandardCharsets.UTF_8));
    }
    if (!fs.rename(tmp, new Path(manifests, runId + ".json"))) {
      throw new IOException("Cannot commit the manifest " + tmp);
    }
  }
}
