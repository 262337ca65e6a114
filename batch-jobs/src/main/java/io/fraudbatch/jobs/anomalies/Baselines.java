package io.fraudbatch.jobs.anomalies;

import io.fraudbatch.core.anomaly.Peers;
import io.fraudbatch.core.anomaly.Pooled;
import io.fraudbatch.core.anomaly.SeriesScorer;
import io.fraudbatch.core.anomaly.WindowScorer;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * What every key is scored against besides its own series, from the per-type totals of each window
 * (one small collect): the pooled pattern of each scored day, built from the days read before it
 * (no look-ahead), and the peers' movement ({@link Peers}).
 */
final class Baselines implements Serializable {
  private static final long serialVersionUID = 1L;
  static final long DAY_MS = 86_400_000L;

  // A class, not a record: Spark's Kryo cannot set a record's final fields.
  private final TreeMap<Long, Pooled> pooledByDay;
  private final Peers peers;
  private final int typeWindows;

  private Baselines(TreeMap<Long, Pooled> pooledByDay, Peers peers, int typeWindows) {
    this.pooledByDay = pooledByDay;
    this.peers = peers;
    this.typeWindows = typeWindows;
  }

  Peers peers() {
    return peers;
  }

  /** Windows of the per-type totals (type x window) the baselines were built from. */
  int typeWindows() {
    return typeWindows;
  }

  /**
   * @param stats {@link WindowFeatures#stats}
   * @param from first scored day (epoch ms)
   * @param to end of the scored period
   * @param dataFrom start of the data read
   */
  static Baselines of(
      Dataset<Row> stats, long from, long to, long dataFrom, SeriesScorer.Settings settings) {
    long windowMs = settings.windowMs();
    List<Row> typeRows =
        stats
            .where("ws < " + to)
            .groupBy("keyType", "ws")
            .agg(
                functions.sum("events"),
                functions.sum("actors"),
                functions.sum("declines"),
                functions.sum("micro"),
                functions.sum("newLoc"))
            .collectAsList();
    TreeMap<Long, Pooled> pooledByDay = new TreeMap<>();
    for (long day = from; day < to; day += DAY_MS) {
      List<Pooled.SlotTotals> totals = new ArrayList<>();
      for (Row r : typeRows) {
        if (r.getLong(1) < day) {
          totals.add(
              new Pooled.SlotTotals(
                  r.getString(0),
                  WindowScorer.slotOfWeek(r.getLong(1), windowMs),
                  r.getLong(2),
                  r.getLong(3),
                  r.getLong(4),
                  r.getLong(5),
                  r.getLong(6)));
        }
      }
      pooledByDay.put(day, Pooled.of(totals, windowMs, dataFrom, day));
    }
    List<Peers.TypeWindow> typeWindows = new ArrayList<>(typeRows.size());
    for (Row r : typeRows) {
      typeWindows.add(new Peers.TypeWindow(r.getString(0), r.getLong(1), r.getLong(2)));
    }
    return new Baselines(
        pooledByDay,
        new Peers(typeWindows, windowMs, settings.baselineWeeks(), dataFrom),
        typeRows.size());
  }

  /** The pooled pattern of the day of window start {@code t}. */
  Pooled pooledAt(long t) {
    return pooledByDay.floorEntry(t).getValue();
  }
}
