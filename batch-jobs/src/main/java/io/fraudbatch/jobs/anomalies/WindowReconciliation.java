package io.fraudbatch.jobs.anomalies;

import io.fraudbatch.core.anomaly.KeyTypes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The anomaly job's reconciliation: per key type, every event of the scored period is in one window
 * of that type, or has no key of that type.
 */
record WindowReconciliation(
    long eventsRead,
    Map<String, Long> withoutKey,
    Map<String, long[]> inWindowsAndWindows,
    boolean balanced) {

  static WindowReconciliation of(Dataset<Row> events, Dataset<Row> stats, long from, long to) {
    Row counts =
        events
            .where("t >= " + from + " AND t < " + to)
            .selectExpr(
                "count(1)",
                "sum(CASE WHEN region IS NULL THEN 1 ELSE 0 END)",
                "sum(CASE WHEN merchantId IS NULL THEN 1 ELSE 0 END)",
                "sum(CASE WHEN mcc IS NULL THEN 1 ELSE 0 END)",
                "sum(CASE WHEN ip24 IS NULL THEN 1 ELSE 0 END)")
            .first();
    long eventsRead = counts.getLong(0);
    Map<String, Long> unkeyed = new LinkedHashMap<>();
    for (int i = 0; i < KeyTypes.ALL.size(); i++) {
      unkeyed.put(KeyTypes.ALL.get(i), counts.isNullAt(i + 1) ? 0 : counts.getLong(i + 1));
    }
    Map<String, long[]> keyedByType = new TreeMap<>();
    for (Row r :
        stats
            .where("ws >= " + from + " AND ws < " + to)
            .groupBy("keyType")
            .agg(functions.sum("events"), functions.count(functions.lit(1)))
            .collectAsList()) {
      keyedByType.put(r.getString(0), new long[] {r.getLong(1), r.getLong(2)});
    }
    boolean balanced = true;
    for (String type : KeyTypes.ALL) {
      balanced &= keyedByType.getOrDefault(type, new long[2])[0] + unkeyed.get(type) == eventsRead;
    }
    return new WindowReconciliation(eventsRead, unkeyed, keyedByType, balanced);
  }

  /** Windows scored of a type. */
  long windows(String type) {
    return inWindowsAndWindows.getOrDefault(type, new long[2])[1];
  }

  /** For the run record. */
  Map<String, Object> json() {
    Map<String, Object> byType = new LinkedHashMap<>();
    for (String type : KeyTypes.ALL) {
      long inWindows = inWindowsAndWindows.getOrDefault(type, new long[2])[0];
      byType.put(
          type,
          Map.of(
              "inWindows",
              inWindows,
              "withoutKey",
              withoutKey.get(type),
              "windows",
              windows(type),
              "balanced",
              inWindows + withoutKey.get(type) == eventsRead));
    }
    return Map.of(
        "rule",
        "per key type: events in windows + events without that key = eventsRead",
        "balanced",
        balanced,
        "byKeyType",
        byType);
  }
}
