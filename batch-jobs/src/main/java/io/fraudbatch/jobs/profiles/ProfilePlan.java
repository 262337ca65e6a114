package io.fraudbatch.jobs.profiles;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fraudbatch.core.FraudBatchException;
import io.fraudbatch.core.StorageLayout;
import io.fraudbatch.warehouse.PartitionLister;
import io.fraudbatch.warehouse.RunManifests;
import io.fraudbatch.warehouse.RunRecords;
import io.fraudbatch.warehouse.Table;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What a profile run reads and writes, decided once by the driver from the storage root: the day
 * directories to scan, the row filter, the previous snapshot (incremental), and the ingest
 * watermark the new snapshot will be complete up to. Both engines execute the same plan.
 */
public record ProfilePlan(
    Path root,
    LocalDate asOf,
    String requestedMode,
    String mode,
    String fallbackReason,
    List<Path> inputDays,
    Path previousSnapshot,
    LocalDate previousAsOf,
    RowFilter filter,
    String ingestWatermark,
    long inputBytes,
    int previousBuckets) {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String RUN_RECORD = "_run.json";

  public static Path profilesDir(Path root) {
    return new Path(root, StorageLayout.PROFILES);
  }

  /**
   * Plans a run. {@code asOf} null means the latest day in the warehouse; {@code mode} is "full" or
   * "incremental" (an incremental run without a usable previous snapshot falls back to full and
   * says why).
   */
  public static ProfilePlan make(FileSystem fs, Path root, LocalDate asOf, String mode)
      throws IOException {
    FraudBatchException.check(
        "full".equals(mode) || "incremental".equals(mode),
        "Cannot run profiles: --mode must be full or incremental (got %s)",
        mode);
    Path decisions = new Path(root, StorageLayout.DECISIONS);
    TreeMap<LocalDate, Path> days = new TreeMap<>();
    for (PartitionLister.Partition p :
        PartitionLister.list(fs, root, Table.DECISIONS).partitions().values()) {
      days.put(LocalDate.parse(p.value()), p.location());
    }
    FraudBatchException.check(
        !days.isEmpty(),
        "Cannot build profiles: no decisions under %s (run ingest first: bin/fraud-batch ingest"
            + " --root %s)",
        decisions,
        root);
    if (asOf == null) {
      asOf = days.lastKey();
    }
    FraudBatchException.check(
        !asOf.isBefore(days.firstKey()),
        "Cannot build profiles as of %s: the warehouse starts on %s",
        asOf,
        days.firstKey());

    TreeMap<String, RunRecords.IngestRun> manifests = ingestManifests(fs, root);
    String high = manifests.isEmpty() ? "" : manifests.lastKey();

    Path previous = null;
    LocalDate previousAsOf = null;
    String low = "";
    String fallback = null;
    String effective = mode;
    if ("incremental".equals(mode)) {
      previousAsOf = latestSnapshot(fs, root, asOf);
      if (previousAsOf == null) {
        fallback = "no profile snapshot as of " + asOf + " or earlier";
      } else {
        previous = snapshot(fs, root, previousAsOf).orElseThrow();
        RunRecords.ProfilesRun run =
            RunRecords.read(fs, new Path(previous, RUN_RECORD), RunRecords.ProfilesRun.class);
        low = run.ingestWatermark() == null ? "" : run.ingestWatermark();
        for (Map.Entry<String, RunRecords.IngestRun> m : manifests.tailMap(low, false).entrySet()) {
          String day = m.getValue().reprocessDay();
          if (m.getValue().reprocess()
              && day != null
              && !LocalDate.parse(day).isAfter(previousAsOf)) {
            fallback = "ingest run " + m.getKey() + " rebuilt " + day + " (--reprocess) since";
          }
        }
      }
      if (fallback != null) {
        effective = "full";
        previous = null;
        previousAsOf = null;
        low = "";
      }
    }

    RowFilter filter =
        "full".equals(effective)
            ? RowFilter.full((int) asOf.toEpochDay(), high)
            : new RowFilter((int) asOf.toEpochDay(), (int) previousAsOf.toEpochDay(), low, high);
    TreeSet<LocalDate> read = new TreeSet<>();
    if (filter.isFull()) {
      read.addAll(days.headMap(asOf, true).keySet());
    } else {
      read.addAll(days.subMap(previousAsOf, false, asOf, true).keySet());
      // Late rows: days up to the previous snapshot that later ingest runs added rows to.
      for (RunRecords.IngestRun m : manifests.tailMap(low, false).values()) {
        for (String dt :
            m.newRowsByDt() == null ? java.util.Set.<String>of() : m.newRowsByDt().keySet()) {
          LocalDate d = LocalDate.parse(dt);
          if (!d.isAfter(previousAsOf) && days.containsKey(d)) {
            read.add(d);
          }
        }
      }
    }
    List<Path> inputs = new ArrayList<>();
    long bytes = 0;
    for (LocalDate d : read) {
      Path p = days.get(d);
      inputs.add(p);
      bytes += fs.getContentSummary(p).getLength();
    }
    int previousBuckets = 0;
    if (previous != null) {
      bytes += fs.getContentSummary(previous).getLength(); // the snapshot is rewritten whole
      previousBuckets = SnapshotFiles.parts(fs.getConf(), previous).size();
    }
    return new ProfilePlan(
        root,
        asOf,
        mode,
        effective,
        fallback,
        inputs,
        previous,
        previousAsOf,
        filter,
        high,
        bytes,
        previousBuckets);
  }

  /** Committed ingest manifests by run id (which sorts in commit order). */
  static TreeMap<String, RunRecords.IngestRun> ingestManifests(FileSystem fs, Path root)
      throws IOException {
    return new RunManifests(fs, root, "ingest").read(RunRecords.IngestRun.class);
  }

  /**
   * The published snapshot as of {@code asOf}: its directory, if it is complete (has its record).
   */
  public static java.util.Optional<Path> snapshot(FileSystem fs, Path root, LocalDate asOf)
      throws IOException {
    return PartitionLister.list(fs, root, Table.PROFILES)
        .get(asOf.toString())
        .map(PartitionLister.Partition::location)
        .filter(p -> exists(fs, new Path(p, RUN_RECORD)));
  }

  /** The latest complete snapshot (it has its run record) as of {@code asOf} or earlier. */
  static LocalDate latestSnapshot(FileSystem fs, Path root, LocalDate asOf) throws IOException {
    LocalDate best = null;
    for (PartitionLister.Partition p :
        PartitionLister.list(fs, root, Table.PROFILES).partitions().values()) {
      LocalDate d = LocalDate.parse(p.value());
      if (!d.isAfter(asOf)
          && (best == null || d.isAfter(best))
          && exists(fs, new Path(p.location(), RUN_RECORD))) {
        best = d;
      }
    }
    return best;
  }

  private static boolean exists(FileSystem fs, Path p) {
    try {
      return fs.exists(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Buckets (snapshot files): as configured; else an incremental run keeps its previous snapshot's
   * count (the Spark engine then merges the new partials into the old files in place, without
   * shuffling the old profiles); else one per 128 MB of input, at least one.
   */
  public int buckets(int configured) {
    if (configured > 0) {
      return configured;
    }
    if (previousSnapshot != null && previousBuckets > 0) {
      return previousBuckets;
    }
    return (int) Math.max(1, Math.min(1000, inputBytes / (128L * 1024 * 1024) + 1));
  }
}
