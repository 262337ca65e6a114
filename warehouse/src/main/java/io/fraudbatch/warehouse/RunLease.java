package io.fraudbatch.warehouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fraudbatch.core.FraudBatchException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live run per job and root: {@code staging/<job>/_LOCK}, created exclusively, says who holds
 * it (job, run, host, pid, start); its modification time is the heartbeat, renewed every quarter
 * lease. A lock whose holder is provably gone (same host, pid dead or reused) or whose lease
 * expired is taken over: renamed aside (only one contender's rename can succeed), then created
 * anew.
 */
public final class RunLease implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunLease.class);
  static final ObjectMapper JSON = new ObjectMapper();
  static final String FILE = "_LOCK";

  private final FileSystem fs;
  private final Path file;
  private final String runId;
  private final long leaseMs;
  private final ScheduledExecutorService heartbeat;
  private volatile String lost;

  private RunLease(FileSystem fs, Path file, String runId, long leaseMs) {
    this.fs = fs;
    this.file = file;
    this.runId = runId;
    this.leaseMs = leaseMs;
    this.heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "fraud-batch lease " + file);
              t.setDaemon(true);
              return t;
            });
    long every = Math.max(10, leaseMs / 4);
    heartbeat.scheduleAtFixedRate(this::renew, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Takes the lease of {@code job} under {@code jobStaging} for {@code runId}, taking over a
   * crashed holder's; {@code say} gets a line when it does. Throws a {@link FraudBatchException}
   * naming the live holder when there is one.
   */
  public static RunLease acquire(
      FileSystem fs, Path jobStaging, String job, String runId, long leaseMs, Consumer<String> say)
      throws IOException {
    fs.mkdirs(jobStaging);
    Path file = new Path(jobStaging, FILE);
    for (int attempt = 0; attempt < 3; attempt++) {
      if (create(fs, file, job, runId, leaseMs)) {
        return new RunLease(fs, file, runId, leaseMs);
      }
      Optional<Holder> holder = Holder.read(fs, file);
      if (holder.isEmpty()) {
        continue; // released meanwhile, or half-written by a holder killed while creating it
      }
      Holder h = holder.get();
      String gone = h.gone(System.currentTimeMillis());
      if (gone == null) {
        throw new FraudBatchException(
            String.format(
                java.util.Locale.ROOT,
                "Cannot run %s: run %s holds %s (pid %d on %s since %s, renewed %s ago)."
                    + " Wait for it to finish; a crashed holder's lock is taken over after %d s",
                job,
                h.runId,
                file,
                h.pid,
                h.host,
                h.startedAt,
                java.time.Duration.ofMillis(System.currentTimeMillis() - h.heartbeatMs),
                h.leaseMs / 1000));
      }
      Path aside = new Path(jobStaging, FILE + ".taken-over-by-" + runId);
      if (fs.rename(file, aside)) {
        Optional<Holder> moved = Holder.read(fs, aside);
        if (moved.isPresent() && !moved.get().runId.equals(h.runId)) {
          // Another contender took over and a new holder appeared between our read and rename.
          fs.rename(aside, file);
          continue;
        }
        fs.delete(aside, false);
        say.accept(
            "took over the lock of run "
                + h.runId
                + " (pid "
                + h.pid
                + " on "
                + h.host
                + ": "
                + gone
                + ")");
      }
    }
    throw new FraudBatchException(
        "Cannot run " + job + ": could not take " + file + " (another run is taking it over)");
  }

  private static boolean create(FileSystem fs, Path file, String job, String runId, long leaseMs)
      throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schemaVersion", 1);
    m.put("job", job);
    m.put("runId", runId);
    m.put("host", host());
    m.put("pid", ProcessHandle.current().pid());
    m.put(
        "pidStartedAt",
        ProcessHandle.current().info().startInstant().map(Instant::toString).orElse(null));
    m.put("startedAt", Instant.now().toString());
    m.put("leaseMs", leaseMs);
    try (OutputStream out = fs.create(file, false)) {
      out.write(JSON.writeValueAsBytes(m));
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      if (fs.exists(file)) {
        return false; // some file systems say "exists" with a plain IOException
      }
      throw e;
    }
    return true;
  }

  static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown-host";
    }
  }

  /** Whether this run still holds the lease; throws, naming why, when it does not. */
  public void check() throws IOException {
    Optional<Holder> h = Holder.read(fs, file);
    if (lost != null || h.isEmpty() || !h.get().runId.equals(runId)) {
      throw new FraudBatchException(
          "Cannot commit run "
              + runId
              + ": it lost its lock "
              + file
              + (lost != null ? " (" + lost + ")" : " (taken over by another run)")
              + "; nothing was published");
    }
  }

  private void renew() {
    try {
      Optional<Holder> h = Holder.read(fs, file);
      if (h.isEmpty() || !h.get().runId.equals(runId)) {
        lost = "the lock file is gone or another run's";
        return;
      }
      fs.setTimes(file, System.currentTimeMillis(), -1);
    } catch (IOException | RuntimeException e) {
      LOG.warn("Cannot renew the lease {}: {}", file, e.toString());
    }
  }

  /** Stops renewing without releasing: what a killed run leaves behind (tests). */
  void abandon() {
    heartbeat.shutdownNow();
  }

  @Override
  public void close() throws IOException {
    heartbeat.shutdownNow();
    Optional<Holder> h = Holder.read(fs, file);
    if (h.isPresent() && h.get().runId.equals(runId)) {
      fs.delete(file, false);
    }
  }

  long leaseMs() {
    return leaseMs;
  }

  /**
   * How far apart two readings of one process's start time may be. Each JVM derives it from the
   * boot time it read from the clock (whole seconds), and the clock moves: a live holder paused in
   * a test was once read as started 2 s or more away from what it recorded itself, and its lock was
   * taken over as if its pid had been reused. A reused pid whose new process started this close to
   * the old one is still freed when the lease expires.
   */
  static final long SAME_START_MS = 10 * 60_000L;

  /** What a lock file says of its holder. */
  record Holder(
      String runId,
      String host,
      long pid,
      String pidStartedAt,
      String startedAt,
      long leaseMs,
      long heartbeatMs) {
    static Optional<Holder> read(FileSystem fs, Path file) throws IOException {
      FileStatus st;
      JsonNode n;
      try {
        st = fs.getFileStatus(file);
        try (InputStream in = fs.open(file)) {
          byte[] b = in.readAllBytes();
          if (b.length == 0) {
            // Created by a holder killed before it wrote: freed after a short grace.
            return Optional.of(
                new Holder("?", "?", -1, null, "?", 10_000, st.getModificationTime()));
          }
          try {
            n = JSON.readTree(new String(b, StandardCharsets.UTF_8));
          } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // A lock of an older version (plain text): only its age can free it.
            return Optional.of(
                new Holder(
                    "?",
                    "?",
                    -1,
                    null,
                    "?",
                    WarehouseConf.LEASE_MS_DEFAULT,
                    st.getModificationTime()));
          }
        }
      } catch (java.io.FileNotFoundException e) {
        return Optional.empty();
      }
      return Optional.of(
          new Holder(
              n.path("runId").asText("?"),
              n.path("host").asText("?"),
              n.path("pid").asLong(-1),
              n.path("pidStartedAt").isTextual() ? n.path("pidStartedAt").asText() : null,
              n.path("startedAt").asText("?"),
              n.path("leaseMs").asLong(WarehouseConf.LEASE_MS_DEFAULT),
              st.getModificationTime()));
    }

    /** Why the holder is gone (so its lock may be taken over), or null while it may be alive. */
    String gone(long now) {
      if (pid < 0) {
        return now - heartbeatMs > leaseMs
            ? "an unreadable lock last touched " + Instant.ofEpochMilli(heartbeatMs)
            : null;
      }
      if (host.equals(host())) {
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isEmpty() || !p.get().isAlive()) {
          return "that process is dead";
        }
        Optional<Instant> started = p.get().info().startInstant();
        if (pidStartedAt != null
            && started.isPresent()
            && Math.abs(started.get().toEpochMilli() - Instant.parse(pidStartedAt).toEpochMilli())
                > SAME_START_MS) {
          return "that pid now belongs to another process";
        }
      }
      if (now - heartbeatMs > leaseMs) {
        return "lease expired, last renewed " + Instant.ofEpochMilli(heartbeatMs);
      }
      return null;
    }
  }
}
