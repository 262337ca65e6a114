package io.fraudbatch.jobs.profiles;

import java.io.Serializable;

/**
 * Which warehouse rows a profile run reads. A full run reads every row of days up to asOf that an
 * ingest run up to {@code highRun} published. An incremental run on a snapshot as of {@code
 * previousDay} (whose ingest watermark is {@code lowRun}) reads the rows of later days up to asOf,
 * and the rows of earlier days that ingest runs after {@code lowRun} added (late data): exactly
 * what the previous snapshot lacks. Ingest run ids sort in commit order; rows without one
 * (published before ingest stamped them) count as older than every run.
 *
 * @param asOfDay epoch day of asOf (inclusive)
 * @param previousDay epoch day of the previous snapshot, or {@link Integer#MIN_VALUE} for a full
 *     run
 * @param lowRun the previous snapshot's ingest watermark ("" for a full run): rows of days up to
 *     previousDay are read only if their run is after it
 * @param highRun the last ingest run committed when this run started
 */
public record RowFilter(int asOfDay, int previousDay, String lowRun, String highRun)
    implements Serializable {

  public static RowFilter full(int asOfDay, String highRun) {
    return new RowFilter(asOfDay, Integer.MIN_VALUE, "", highRun);
  }

  public boolean isFull() {
    return previousDay == Integer.MIN_VALUE;
  }

  /** Whether a row of {@code day} published by ingest run {@code run} (nullable) is read. */
  public boolean accept(int day, String run) {
    String r = run == null ? "" : run;
    if (day > asOfDay || r.compareTo(highRun) > 0) {
      return false;
    }
    return day > previousDay || r.compareTo(lowRun) > 0;
  }

  /**
   * The same test as a Spark SQL predicate over a day column and a run column (column names given),
   * so Spark filters without calling back into Java per row.
   */
  public String sql(String dayColumn, String runColumn) {
    String run = "coalesce(" + runColumn + ", '')";
    String base = dayColumn + " <= " + asOfDay + " AND " + run + " <= '" + highRun + "'";
    if (isFull()) {
      return base;
    }
    return base
        + " AND ("
        + dayColumn
        + " > "
        + previousDay
        + " OR "
        + run
        + " > '"
        + lowRun
        + "')";
  }
}
