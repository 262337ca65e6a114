package io.fraudbatch.warehouse;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.fraudbatch.core.FraudBatchException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The run records every job commits (its manifest, {@code
 * warehouse/_manifests/job=<job>/<runId>.json}) and the profile snapshot's {@code _run.json}: one
 * typed definition each of what other jobs and readers rely on. A record may carry more
 * (diagnostics); those are not a contract. Writers check their record against its type before
 * committing ({@link JobRun#commit(String, Class)}), so a renamed or mistyped field fails the run
 * that wrote it, not a reader weeks later.
 */
public final class RunRecords {
  private RunRecords() {}

  /** A run record: its contract's required fields are present. */
  public interface RunRecord {
    /** Throws naming the first required field that is missing. */
    void validate();
  }

  /** The balance every job checks and records. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Reconciliation(String rule, Boolean balanced) {}

  /** A landing file as an ingest run consumed it; {@code path} relative to the root. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ConsumedFile(String path, long length, Map<String, Long> days) {}

  /** An ingest run. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record IngestRun(
      String runId,
      String mode,
      String reprocessDay,
      List<ConsumedFile> files,
      Map<String, Long> counts,
      Map<String, Long> newRowsByDt,
      Reconciliation reconciliation)
      implements RunRecord {
    @Override
    public void validate() {
      require(runId, "runId");
      require(mode, "mode");
      require(files, "files");
    }

    public boolean reprocess() {
      return "reprocess".equals(mode);
    }

    public long count(String name) {
      return counts == null ? 0 : counts.getOrDefault(name, 0L);
    }
  }

  /** A profile run; also the snapshot's {@code _run.json}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ProfilesRun(
      String runId,
      String engine,
      String mode,
      String asOf,
      String completeUpTo,
      String ingestWatermark,
      String previousAsOf,
      long eventsRead,
      long previousEvents,
      long actorsWritten,
      long eventsWritten,
      Reconciliation reconciliation)
      implements RunRecord {
    @Override
    public void validate() {
      require(runId, "runId");
      require(asOf, "asOf");
      require(completeUpTo, "completeUpTo");
      require(reconciliation, "reconciliation");
    }
  }

  /** An anomaly run. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record AnomaliesRun(
      String runId,
      List<String> days,
      long eventsRead,
      long anomalies,
      Reconciliation reconciliation)
      implements RunRecord {
    @Override
    public void validate() {
      require(runId, "runId");
      require(days, "days");
      require(reconciliation, "reconciliation");
    }
  }

  /** A rule backtest. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record BacktestRun(
      String runId,
      String from,
      String to,
      long eventsRead,
      long rows,
      Reconciliation reconciliation)
      implements RunRecord {
    @Override
    public void validate() {
      require(runId, "runId");
      require(to, "to");
      require(reconciliation, "reconciliation");
    }
  }

  /** What an HBase load read and wrote for one table. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record LoadedTable(long recordsRead, long rows) {}

  /** An HBase bulk load of a profile snapshot (and its risk context). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record LoadRun(
      String runId,
      String asOf,
      String profileRun,
      LoadedTable profiles,
      LoadedTable riskContext,
      Reconciliation reconciliation)
      implements RunRecord {
    @Override
    public void validate() {
      require(runId, "runId");
      require(asOf, "asOf");
      require(profiles, "profiles");
      require(reconciliation, "reconciliation");
    }
  }

  private static void require(Object value, String field) {
    FraudBatchException.check(value != null, "Cannot record the run: its record has no %s", field);
  }

  /** Parses a record of {@code type}; a record that is not JSON of that shape fails, naming it. */
  public static <T> T parse(String json, Class<T> type) {
    try {
      return RunLease.JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new FraudBatchException(
          "Cannot read a " + type.getSimpleName() + " run record: " + e.getOriginalMessage(), e);
    }
  }

  /** Reads the record at {@code file}. */
  public static <T> T read(FileSystem fs, Path file, Class<T> type) throws IOException {
    try (InputStream in = fs.open(file)) {
      return RunLease.JSON.readValue(in, type);
    } catch (JsonProcessingException e) {
      throw new FraudBatchException(
          "Cannot read " + file + " as a " + type.getSimpleName() + ": " + e.getOriginalMessage(),
          e);
    }
  }
}
