package io.fraudbatch.ingest;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a finished run's output from staging into the warehouse, following a journal so that a
 * crash at any point is finished (or the run's output discarded) by the next run, never left half
 * done.
 *
 * <p>Steps: (1) the journal {@code staging/ingest/<runId>/_publish.json} is written: it names every
 * day to replace, every day to append to and the manifest to commit; (2) each replaced day is
 * swapped in: the old directory is renamed aside (hidden), the new one renamed into place, the old
 * one deleted; (3) appended and quarantine files are renamed in, each file atomically; (4) the
 * manifest is committed (renamed into place): from here the landing files count as consumed; (5)
 * the staging directory is deleted. A staging directory without a journal is a run that never
 * reached publishing: it is deleted and its landing files stay unconsumed, so they are read again.
 */
final class Publisher {
  private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);
  static final String JOURNAL = "_publish.json";

  /** Tests only: called after every publish step with its number, to simulate a crash there. */
  static volatile java.util.function.IntConsumer afterStep = step -> {};

  private final FileSystem fs;
  private final Path root;
  private final Path decisions;
  private final Path quarantine;

  Publisher(FileSystem fs, Path root) {
    this.fs = fs;
    this.root = root;
    this.decisions = new Path(root, LandingLayout.WAREHOUSE_DECISIONS);
    this.quarantine = new Path(root, LandingLayout.WAREHOUSE_QUARANTINE);
  }

  /** Finishes or discards whatever earlier runs left in staging. Returns what it did, per run. */
  List<String> recover() throws IOException {
    List<String> done = new ArrayList<>();
    Path staging = new Path(root, LandingLayout.STAGING);
    if (!fs.exists(staging)) {
      return done;
    }
    for (FileStatus run : fs.listStatus(staging)) {
      if (!run.isDirectory()) {
        continue;
      }
      Path journal = new Path(run.getPath(), JOURNAL);
      if (fs.exists(journal)) {
        Map<String, Object> j;
        try (InputStream in = fs.open(journal)) {
          j = Manifests.JSON.readValue(in, new TypeReference<Map<String, Object>>() {});
        }
        LOG.warn("Finishing the interrupted publish of run {}", run.getPath().getName());
        apply(run.getPath(), j);
        done.add("finished publishing run " + run.getPath().getName());
      } else {
        LOG.warn("Discarding unpublished output of run {}", run.getPath().getName());
        fs.delete(run.getPath(), true);
        done.add("discarded unpublished run " + run.getPath().getName());
      }
    }
    return done;
  }

  /** Publishes a run: journal first, then the steps; idempotent, so recovery can repeat them. */
  void publish(
      Path runDir,
      String runId,
      List<String> replace,
      List<String> append,
      Map<String, Object> manifest)
      throws IOException {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("runId", runId);
    j.put("replace", replace);
    j.put("append", append);
    j.put("manifest", manifest);
    Manifests.write(fs, new Path(runDir, JOURNAL), Manifests.JSON.writeValueAsString(j));
    afterStep.accept(0);
    apply(runDir, j);
  }

  @SuppressWarnings("unchecked")
  private void apply(Path runDir, Map<String, Object> j) throws IOException {
    String runId = (String) j.get("runId");
    Path out = new Path(runDir, "out");
    int step = 1;
    for (String dt : (List<String>) j.get("replace")) {
      swap(new Path(out, "decisions/dt=" + dt), new Path(decisions, "dt=" + dt), runId);
      afterStep.accept(step++);
    }
    for (String dt : (List<String>) j.get("append")) {
      moveFiles(new Path(out, "decisions/dt=" + dt), new Path(decisions, "dt=" + dt));
      afterStep.accept(step++);
    }
    Path staged = new Path(out, "quarantine");
    if (fs.exists(staged)) {
      for (FileStatus day : fs.listStatus(staged)) {
        moveFiles(day.getPath(), new Path(quarantine, day.getPath().getName()));
        afterStep.accept(step++);
      }
    }
    new Manifests(fs, root).commit(runId, (Map<String, Object>) j.get("manifest"));
    afterStep.accept(step++);
    fs.delete(runDir, true);
  }

  /** Replaces {@code dst} by {@code src}; safe to repeat after a crash at any point. */
  private void swap(Path src, Path dst, String runId) throws IOException {
    Path old = new Path(dst.getParent(), "." + dst.getName() + ".replaced-by-" + runId);
    if (fs.exists(src)) {
      if (fs.exists(dst)) {
        if (fs.exists(old)) {
          fs.delete(old, true); // an aside copy from an earlier attempt: dst is the original
        }
        rename(dst, old);
        afterStep.accept(-1); // between the two renames of a swap
      }
      fs.mkdirs(dst.getParent());
      rename(src, dst);
    }
    if (fs.exists(old)) {
      fs.delete(old, true);
    }
  }

  private void moveFiles(Path srcDir, Path dstDir) throws IOException {
    if (!fs.exists(srcDir)) {
      return;
    }
    fs.mkdirs(dstDir);
    for (FileStatus f : fs.listStatus(srcDir)) {
      Path target = new Path(dstDir, f.getPath().getName());
      if (fs.exists(target)) {
        fs.delete(target, false); // same run-unique name: an earlier attempt's copy of this file
      }
      rename(f.getPath(), target);
    }
  }

  private void rename(Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("Cannot rename " + from + " to " + to);
    }
  }
}
