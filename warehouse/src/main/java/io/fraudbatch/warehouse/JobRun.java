package io.fraudbatch.warehouse;

import io.fraudbatch.core.FraudBatchException;
import io.fraudbatch.core.RunIds;
import io.fraudbatch.core.StorageLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One run of a job under the commit protocol (docs/warehouse-protocol.md): take the job's lease,
 * finish or discard what crashed runs left, compute into {@code staging/<job>/<runId>/}, then
 * {@link #commit}: write the intent, place each new partition version (invisible: no committed run
 * names it yet), rename the run's manifest into {@code warehouse/_manifests/job=<job>/} (the commit
 * point), roll forward the appended files, delete what the commit superseded, delete the staging.
 */
public final class JobRun implements AutoCloseable {
  static final String INTENT = "_intent.json";

  /** A staged directory or file and where the commit puts it, relative to the root. */
  public record Move(String table, String value, String from, String to) {}

  /** The journal written before anything is placed. */
  public record Intent(
      int schemaVersion, String job, String runId, List<Move> versions, List<Move> appends) {}

  private final FileSystem fs;
  private final Path root;
  private final String job;
  private final String runId;
  private final Path staging;
  private final RunLease lease;
  private final RunManifests manifests;
  private final long retentionMs;
  private final Consumer<String> say;
  private final List<Move> versions = new ArrayList<>();
  private final List<Move> appends = new ArrayList<>();
  private boolean committed;

  private JobRun(
      FileSystem fs,
      Path root,
      String job,
      String runId,
      RunLease lease,
      long retentionMs,
      Consumer<String> say) {
    this.fs = fs;
    this.root = root;
    this.job = job;
    this.runId = runId;
    this.staging = new Path(root, StorageLayout.staging(job) + "/" + runId);
    this.lease = lease;
    this.manifests = new RunManifests(fs, root, job);
    this.retentionMs = retentionMs;
    this.say = say;
  }

  /**
   * Takes {@code job}'s lease on {@code root} and recovers from crashed runs. {@code say} gets one
   * line per thing done on a crashed run's behalf (take-over, roll-forward, discard).
   */
  public static JobRun begin(
      Configuration conf, FileSystem fs, Path root, String job, Consumer<String> say)
      throws IOException {
    long leaseMs = conf.getLong(WarehouseConf.LEASE_MS, WarehouseConf.LEASE_MS_DEFAULT);
    long retention =
        conf.getLong(
            WarehouseConf.SUPERSEDED_RETENTION_MS, WarehouseConf.SUPERSEDED_RETENTION_MS_DEFAULT);
    checkRoot(fs, root, job);
    Path jobStaging = new Path(root, StorageLayout.staging(job));
    String leaseId = RunIds.next(System.currentTimeMillis());
    RunLease lease = RunLease.acquire(fs, jobStaging, job, leaseId, leaseMs, say);
    try {
      TreeSet<String> done = new RunManifests(fs, root, job).committed();
      // Versions are ordered by run id: this run's must sort after every committed one (a clock
      // behind the last committer's, or a run in the same second as the previous one).
      String runId = leaseId;
      if (!done.isEmpty() && runId.compareTo(done.last()) <= 0) {
        runId =
            RunIds.next(
                Math.max(System.currentTimeMillis(), RunIds.startMillis(done.last()) + 1000));
      }
      JobRun run = new JobRun(fs, root, job, runId, lease, retention, say);
      run.recover(done);
      CrashPoints.reach("begun");
      return run;
    } catch (IOException | RuntimeException | Error e) {
      if (CrashPoints.crashed()) {
        lease.abandon();
      } else {
        lease.close();
      }
      throw e;
    }
  }

  /**
   * Refuses a storage root that is a file or cannot be listed, in one line naming it (a job would
   * otherwise fail deep inside with a stack trace).
   */
  public static void checkRoot(FileSystem fs, Path root, String job) throws IOException {
    FileStatus st;
    try {
      st = fs.getFileStatus(root);
    } catch (java.io.FileNotFoundException e) {
      return; // created on demand
    }
    FraudBatchException.check(
        st.isDirectory(),
        "Cannot run %s: --root %s is a file; it must be the storage root directory (holding"
            + " landing/ and warehouse/)",
        job,
        root);
    try {
      fs.listStatus(root);
    } catch (IOException e) {
      throw new FraudBatchException(
          "Cannot run " + job + ": cannot read --root " + root + ": " + e.getMessage());
    }
  }

  public String runId() {
    return runId;
  }

  public String job() {
    return job;
  }

  public Path root() {
    return root;
  }

  public FileSystem fs() {
    return fs;
  }

  /** The run's private directory; nobody else reads it, the next run deletes it if this crashes. */
  public Path staging() {
    return staging;
  }

  /** Where this run's version of a partition of {@code table} will be placed by the commit. */
  public Path versionDir(Table table, String value) {
    return new Path(root, table.partitionDir(value) + "/" + PartitionLister.VERSION_PREFIX + runId);
  }

  /** At commit, {@code staged} (a finished directory under staging) becomes the new version. */
  public void publishVersion(Table table, String value, Path staged) {
    check(table.kind() == Table.Kind.VERSIONED, table);
    versions.add(
        new Move(
            table.name(),
            value,
            RootPaths.relative(root, staged),
            RootPaths.relative(root, versionDir(table, value))));
  }

  /**
   * After the commit point, {@code staged} (a file whose name holds this run's id) is moved into
   * the partition {@code value} of the append-only {@code table}.
   */
  public void publishFile(Table table, String value, Path staged) {
    check(table.kind() == Table.Kind.APPEND, table);
    FraudBatchException.check(
        staged.getName().contains(runId),
        "Cannot publish %s: an appended file's name must hold the run id %s",
        staged,
        runId);
    appends.add(
        new Move(
            table.name(),
            value,
            RootPaths.relative(root, staged),
            table.partitionDir(value) + "/" + staged.getName()));
  }

  private void check(boolean ok, Table t) {
    FraudBatchException.check(
        ok,
        "Cannot publish to %s: it is %s",
        t.name().toLowerCase(java.util.Locale.ROOT),
        t.kind());
    FraudBatchException.check(
        t.job().equals(job),
        "Cannot publish to %s from job %s (it belongs to %s)",
        t,
        job,
        t.job());
  }

  /**
   * Commits the run with its manifest, first checked against its typed definition {@code type}
   * ({@link RunRecords}).
   */
  public void commit(String manifestJson, Class<? extends RunRecords.RunRecord> type)
      throws IOException {
    RunRecords.parse(manifestJson, type).validate();
    commit(manifestJson);
  }

  /** Commits the run with its manifest (one line of JSON); see the class comment for the steps. */
  public void commit(String manifestJson) throws IOException {
    CrashPoints.reach("before-intent");
    Intent intent = new Intent(1, job, runId, List.copyOf(versions), List.copyOf(appends));
    writeAtomically(new Path(staging, INTENT), RunLease.JSON.writeValueAsBytes(intent));
    CrashPoints.reach("intent-written");
    for (Move v : versions) {
      Path from = new Path(root, v.from());
      Path to = new Path(root, v.to());
      fs.mkdirs(to.getParent());
      if (!fs.rename(from, to)) {
        throw new IOException("Cannot place " + from + " at " + to);
      }
      CrashPoints.reach("placed:" + v.table() + "/" + v.value());
    }
    lease.check();
    CrashPoints.reach("before-commit");
    manifests.commit(runId, envelope(manifestJson));
    committed = true;
    CrashPoints.reach("committed");
    rollForward(intent);
    collectGarbage();
    CrashPoints.reach("superseded-removed");
    fs.delete(staging, true);
    CrashPoints.reach("cleaned");
  }

  /** The version of the fields this class adds to every manifest. */
  public static final int MANIFEST_SCHEMA_VERSION = 2;

  /**
   * The job's manifest with the protocol's own fields added (one line of JSON): {@code
   * schemaVersion}, {@code job}, {@code runId}, {@code committedAt}, and the partition versions
   * this run published, relative to the root.
   */
  private String envelope(String manifestJson) throws IOException {
    com.fasterxml.jackson.databind.node.ObjectNode m =
        (com.fasterxml.jackson.databind.node.ObjectNode) RunLease.JSON.readTree(manifestJson);
    m.put("schemaVersion", MANIFEST_SCHEMA_VERSION);
    m.put("job", job);
    m.put("runId", runId);
    m.put("committedAt", java.time.Instant.now().toString());
    com.fasterxml.jackson.databind.node.ArrayNode published = m.putArray("publishedVersions");
    for (Move v : versions) {
      published.addObject().put("table", v.table()).put("partition", v.value()).put("dir", v.to());
    }
    return RunLease.JSON.writeValueAsString(m);
  }

  /** Whether {@link #commit} passed its commit point. */
  public boolean committed() {
    return committed;
  }

  private void rollForward(Intent intent) throws IOException {
    for (Move a : intent.appends()) {
      Path from = new Path(root, a.from());
      Path to = new Path(root, a.to());
      if (!fs.exists(from)) {
        continue; // moved before a crash
      }
      fs.mkdirs(to.getParent());
      if (fs.exists(to)) {
        fs.delete(to, false); // cannot happen with run-unique names unless copied in by hand
      }
      if (!fs.rename(from, to)) {
        throw new IOException("Cannot move " + from + " to " + to);
      }
      CrashPoints.reach("rolled-forward:" + a.to());
    }
  }

  /** Finishes committed runs that crashed after their commit point; discards the others. */
  private void recover(Set<String> done) throws IOException {
    Path jobStaging = staging.getParent();
    for (FileStatus s : fs.listStatus(jobStaging)) {
      String id = s.getPath().getName();
      if (!s.isDirectory() || !RunIds.PATTERN.matcher(id).matches() || id.equals(runId)) {
        continue;
      }
      Intent intent = readIntent(s.getPath());
      if (done.contains(id)) {
        if (intent != null) {
          rollForward(intent);
        }
        fs.delete(s.getPath(), true);
        say.accept("finished run " + id + ", which crashed after its commit point");
      } else {
        int removed = 0;
        if (intent != null) {
          for (Move v : intent.versions()) {
            if (deleteVersion(new Path(root, v.to()))) {
              removed++;
            }
          }
        }
        fs.delete(s.getPath(), true);
        say.accept(
            "discarded run "
                + id
                + ", which crashed before its commit point"
                + (removed > 0 ? " (" + removed + " unpublished partition versions removed)" : ""));
      }
    }
  }

  private Intent readIntent(Path runStaging) throws IOException {
    Path p = new Path(runStaging, INTENT);
    if (!fs.exists(p)) {
      return null;
    }
    try (InputStream in = fs.open(p)) {
      return RunLease.JSON.readValue(in, Intent.class);
    }
  }

  /**
   * Deletes versions superseded for longer than the retention, the data files of pre-versioning
   * partitions that a version replaced, and versions of runs that never committed and have no
   * staging left (nothing can finish them).
   */
  private void collectGarbage() throws IOException {
    TreeSet<String> done = manifests.committed();
    long now = System.currentTimeMillis();
    for (Table t : Table.values()) {
      if (!t.job().equals(job) || t.kind() != Table.Kind.VERSIONED) {
        continue;
      }
      Path dir = new Path(root, t.dir());
      if (!fs.exists(dir)) {
        continue;
      }
      for (FileStatus p : fs.listStatus(dir)) {
        if (!p.isDirectory() || t.partitionValue(p.getPath().getName()).isEmpty()) {
          continue;
        }
        PartitionLister.Versions v = PartitionLister.versions(fs, p.getPath(), done);
        for (String orphan : v.uncommitted()) {
          if (!orphan.equals(runId)
              && !fs.exists(new Path(staging.getParent(), orphan))
              && orphan.compareTo(runId) < 0) {
            deleteVersion(version(p.getPath(), orphan));
          }
        }
        if (v.current() == null) {
          continue;
        }
        long since = fs.getFileStatus(manifests.path(v.current())).getModificationTime();
        if (now - since < retentionMs) {
          continue;
        }
        for (String old : v.committed()) {
          if (!old.equals(v.current())) {
            fs.delete(version(p.getPath(), old), true);
          }
        }
        if (v.legacyFiles()) {
          for (FileStatus f : fs.listStatus(p.getPath())) {
            if (f.isFile() && !PartitionLister.hidden(f.getPath().getName())) {
              fs.delete(f.getPath(), false);
            }
          }
        }
      }
    }
  }

  /** Deletes a version directory, and its partition directory if nothing else is left in it. */
  private boolean deleteVersion(Path version) throws IOException {
    boolean deleted = fs.delete(version, true);
    Path partition = version.getParent();
    if (deleted && fs.exists(partition) && fs.listStatus(partition).length == 0) {
      fs.delete(partition, false);
    }
    return deleted;
  }

  private static Path version(Path partition, String id) {
    return new Path(partition, PartitionLister.VERSION_PREFIX + id);
  }

  private void writeAtomically(Path target, byte[] bytes) throws IOException {
    fs.mkdirs(target.getParent());
    Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
    try (OutputStream o = fs.create(tmp, true)) {
      o.write(bytes);
    }
    fs.delete(target, false);
    if (!fs.rename(tmp, target)) {
      throw new IOException("Cannot rename " + tmp + " to " + target);
    }
  }

  /**
   * Ends the run: releases the lease. A run that failed before its commit point removes what it
   * placed (its staging stays for inspection until the next run); after a simulated crash nothing
   * is touched.
   */
  @Override
  public void close() throws IOException {
    if (CrashPoints.crashed()) {
      lease.abandon();
      return;
    }
    try {
      if (!committed) {
        for (Move v : versions) {
          deleteVersion(new Path(root, v.to()));
        }
      }
    } finally {
      lease.close();
    }
  }
}
