package io.fraudbatch.warehouse;

import io.fraudbatch.core.StorageLayout;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A partitioned dataset under the storage root, the job that owns it (the only one that publishes
 * to it) and how its partitions are published.
 */
public enum Table {
  DECISIONS(StorageLayout.DECISIONS, "dt", "ingest", Kind.VERSIONED),
  QUARANTINE(StorageLayout.QUARANTINE, "dt", "ingest", Kind.APPEND),
  PROFILES(StorageLayout.PROFILES, "as_of", "profiles", Kind.VERSIONED),
  ANOMALIES(StorageLayout.ANOMALIES, "dt", "anomalies", Kind.VERSIONED),
  RISK_CONTEXT(StorageLayout.RISK_CONTEXT, "as_of", "anomalies", Kind.VERSIONED),
  BACKTESTS(StorageLayout.BACKTESTS, "to", "backtests", Kind.VERSIONED);

  /** How a table's partitions change. */
  public enum Kind {
    /**
     * A partition is replaced as a whole: each publication is a new immutable version directory
     * {@code <partition>/v-<runId>}; the newest committed one is current.
     */
    VERSIONED,
    /**
     * Rows are only ever added: files named by the run that wrote them are moved into the partition
     * directory after that run committed (rolled forward by the next run after a crash).
     */
    APPEND
  }

  private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  private final String dir;
  private final String column;
  private final String job;
  private final Kind kind;

  Table(String dir, String column, String job, Kind kind) {
    this.dir = dir;
    this.column = column;
    this.job = job;
    this.kind = kind;
  }

  /** The table's directory relative to the root, e.g. {@code warehouse/decisions}. */
  public String dir() {
    return dir;
  }

  /** The partition column, e.g. {@code dt}. */
  public String column() {
    return column;
  }

  /** The job whose committed runs publish this table. */
  public String job() {
    return job;
  }

  public Kind kind() {
    return kind;
  }

  /** {@code dt=2026-10-28} for value {@code 2026-10-28}. */
  public String partitionName(String value) {
    return column + "=" + value;
  }

  /** The partition directory of {@code value} relative to the root. */
  public String partitionDir(String value) {
    return dir + "/" + partitionName(value);
  }

  /** The partition value a directory named {@code name} holds, or empty if it is not ours. */
  public Optional<String> partitionValue(String name) {
    String prefix = column + "=";
    if (!name.startsWith(prefix)) {
      return Optional.empty();
    }
    String v = name.substring(prefix.length());
    if (!DAY.matcher(v).matches()) {
      return Optional.empty();
    }
    try {
      java.time.LocalDate.parse(v);
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
    return Optional.of(v);
  }
}
