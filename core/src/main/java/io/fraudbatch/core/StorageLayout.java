package io.fraudbatch.core;

/**
 * The storage layout under a root URI (ARCHITECTURE.md): one place for every dataset's path, shared
 * by the jobs that write and the jobs that read it. Paths are relative to the root.
 */
public final class StorageLayout {
  public static final String LANDING = "landing/decisions";
  public static final String DECISIONS = "warehouse/decisions";
  public static final String QUARANTINE = "warehouse/quarantine";
  public static final String PROFILES = "warehouse/profiles";
  public static final String ANOMALIES = "warehouse/anomalies";
  public static final String RISK_CONTEXT = "warehouse/risk_context";
  public static final String BACKTESTS = "warehouse/backtests";
  public static final String LABELS = "labels/decisions/labels.csv";
  public static final String INCIDENTS = "labels/decisions/incidents.csv";
  public static final String MANIFESTS = "warehouse/_manifests";
  public static final String STAGING = "staging";

  /** Partition directory prefix of the event-day datasets (decisions, quarantine, anomalies). */
  public static final String DT = "dt=";

  /** Partition directory prefix of profile and risk-context snapshots. */
  public static final String AS_OF = "as_of=";

  private StorageLayout() {}

  /**
   * {@code warehouse/_manifests/job=<job>}: named key=value, so that Hive's MSCK REPAIR and
   * Impala's RECOVER PARTITIONS map the folders to the run_manifests table's partitions.
   */
  public static String manifests(String job) {
    return MANIFESTS + "/job=" + job;
  }

  /** {@code warehouse/_manifests/<job>}: where runs committed before 2026-12-03 are; still read. */
  public static String legacyManifests(String job) {
    return MANIFESTS + "/" + job;
  }

  /** {@code staging/<job>}. */
  public static String staging(String job) {
    return STAGING + "/" + job;
  }
}
