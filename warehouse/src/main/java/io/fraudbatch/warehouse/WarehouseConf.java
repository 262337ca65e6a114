package io.fraudbatch.warehouse;

/** Configuration keys of the commit protocol (Hadoop configuration: -D, -conf, *-site.xml). */
public final class WarehouseConf {
  /** A run lock whose holder has not renewed it for this long is taken over by the next run. */
  public static final String LEASE_MS = "fraud.warehouse.lease-ms";

  public static final long LEASE_MS_DEFAULT = 10 * 60_000L;

  /**
   * How long a superseded partition version stays on disk after the version replacing it was
   * committed, so that readers that listed the old state (a running query or job) can finish.
   */
  public static final String SUPERSEDED_RETENTION_MS = "fraud.warehouse.superseded-retention-ms";

  public static final long SUPERSEDED_RETENTION_MS_DEFAULT = 2 * 3_600_000L;

  private WarehouseConf() {}
}
