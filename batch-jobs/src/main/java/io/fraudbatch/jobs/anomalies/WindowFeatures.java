package io.fraudbatch.jobs.anomalies;

import io.fraudbatch.core.anomaly.AnomalyMetric;
import io.fraudbatch.core.anomaly.KeyTypes;
import io.fraudbatch.core.anomaly.WindowStats;
import io.fraudbatch.core.money.ReferenceRates;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

/**
 * The anomaly job's features (Spark): every decision read, keyed once per key type (region,
 * merchant, mcc, IP /24), and per key and window the counts the scorer reads ({@link WindowStats}:
 * events, distinct actors, declines, micro-transactions, actors at a new place, most cards on one
 * device) and, when labels are present, the labelled events. {@link #keyed} and {@link #stats} are
 * cached until {@link #close()}.
 */
final class WindowFeatures implements AutoCloseable {
  /** The decisions read: eventId, actorId, t (epoch ms), usd cents, keys, labelled (0/1). */
  final Dataset<Row> events;

  /** One row per event and key type with a key: keyType, key, ws (window start), t, ... */
  final Dataset<Row> keyed;

  /** One row per key type, key and window: {@link #windowStats(Row)} reads it. */
  final Dataset<Row> stats;

  private WindowFeatures(Dataset<Row> events, Dataset<Row> keyed, Dataset<Row> stats) {
    this.events = events;
    this.keyed = keyed;
    this.stats = stats;
  }

  /**
   * @param labels the labelled event ids (column labelledId), or null
   */
  static WindowFeatures of(
      SparkSession spark, List<Path> inputs, long windowMs, Dataset<Row> labels) {
    spark.udf().register("ip24", (String ip) -> KeyTypes.ip24(ip), DataTypes.StringType);
    Dataset<Row> events =
        spark
            .read()
            .parquet(inputs.stream().map(Path::toString).toArray(String[]::new))
            .selectExpr(
                "eventId",
                "actorId",
                "unix_millis(eventTime) AS t",
                "decision",
                usdCentsSql(ReferenceRates.defaults()) + " AS usd",
                "merchantId",
                "mcc",
                "region",
                "city",
                "ip24(ip) AS ip24",
                "deviceId");
    if (labels != null) {
      events =
          events
              .join(
                  functions.broadcast(labels),
                  events.col("eventId").equalTo(labels.col("labelledId")),
                  "left")
              .selectExpr("*", "CASE WHEN labelledId IS NULL THEN 0 ELSE 1 END AS labelled")
              .drop("labelledId");
    } else {
      events = events.selectExpr("*", "0 AS labelled");
    }
    // New location: the actor's first transaction at this city in the data read, not its first.
    Dataset<Row> keyed =
        events
            .selectExpr(
                "*",
                "t - pmod(t, " + windowMs + ") AS ws",
                "city IS NOT NULL AND t = min(t) OVER (PARTITION BY actorId, city)"
                    + " AND t > min(t) OVER (PARTITION BY actorId) AS newLoc")
            .selectExpr(
                "ws",
                "t",
                "actorId",
                "deviceId",
                "decision = 'DENIED' AS declined",
                "usd",
                "newLoc",
                "labelled",
                "inline(array("
                    + "named_struct('keyType', '"
                    + KeyTypes.REGION
                    + "', 'key', region),"
                    + "named_struct('keyType', '"
                    + KeyTypes.MERCHANT
                    + "', 'key', merchantId),"
                    + "named_struct('keyType', '"
                    + KeyTypes.MCC
                    + "', 'key', mcc),"
                    + "named_struct('keyType', '"
                    + KeyTypes.IP24
                    + "', 'key', ip24)))")
            .where("key IS NOT NULL");
    keyed.persist(StorageLevel.MEMORY_AND_DISK_SER());
    Dataset<Row> cards =
        keyed
            .where("deviceId IS NOT NULL")
            .groupBy("keyType", "key", "ws", "deviceId")
            .agg(functions.countDistinct("actorId").as("c"))
            .groupBy("keyType", "key", "ws")
            .agg(functions.max("c").as("maxCards"));
    // Per actor first, then per window: only sums, counts and maxima, which Spark aggregates in
    // hash maps (distinct counts and collected lists would force sort-based aggregation). The
    // amount percentiles are evidence, not scored: computed afterwards for anomalous windows only.
    Dataset<Row> stats =
        keyed
            .groupBy("keyType", "key", "ws", "actorId")
            .agg(
                functions.count(functions.lit(1)).as("n"),
                functions.expr("sum(CASE WHEN declined THEN 1 ELSE 0 END)").as("dn"),
                functions
                    .expr(
                        "sum(CASE WHEN usd < " + AnomalyMetric.MICRO_CENTS + " THEN 1 ELSE 0 END)")
                    .as("mi"),
                functions.expr("max(CASE WHEN newLoc THEN 1 ELSE 0 END)").as("nl"),
                functions.sum("labelled").as("lb"))
            .groupBy("keyType", "key", "ws")
            .agg(
                functions.sum("n").as("events"),
                functions.count(functions.lit(1)).as("actors"),
                functions.sum("dn").as("declines"),
                functions.sum("mi").as("micro"),
                functions.sum("nl").as("newLoc"),
                functions.sum("lb").as("labelled"))
            .join(
                cards,
                scala.collection.JavaConverters.asScalaBuffer(List.of("keyType", "key", "ws"))
                    .toSeq(),
                "left")
            .selectExpr(
                "keyType",
                "key",
                "ws",
                "events",
                "actors",
                "declines",
                "micro",
                "newLoc",
                "coalesce(maxCards, 0) AS maxCards",
                "CAST(NULL AS BIGINT) AS p50",
                "CAST(NULL AS BIGINT) AS p95",
                "labelled");
    stats.persist(StorageLevel.MEMORY_AND_DISK_SER());
    return new WindowFeatures(events, keyed, stats);
  }

  @Override
  public void close() {
    stats.unpersist();
    keyed.unpersist();
  }

  /** Spark SQL for a decision's amount in US cents, from core's reference rates. */
  static String usdCentsSql(ReferenceRates rates) {
    String map =
        rates.currencies().stream()
            .sorted()
            .map(
                c ->
                    "'"
                        + c
                        + "', CAST('"
                        + rates.unitsPerUsd(c).toPlainString()
                        + "' AS DECIMAL(24,10))")
            .collect(Collectors.joining(", ", "map(", ")"));
    // Half-even to the cent, as ReferenceRates.usdCents.
    return "CAST(bround(amount * 100 / element_at(" + map + ", currency), 0) AS BIGINT)";
  }

  /** A row of {@link #stats} as the scorer's window. */
  static WindowStats windowStats(Row r) {
    return new WindowStats(
        r.getString(0),
        r.getString(1),
        r.getLong(2),
        r.getLong(3),
        r.getLong(4),
        r.getLong(5),
        r.getLong(6),
        r.getLong(7),
        r.getLong(8),
        r.isNullAt(9) ? null : r.getLong(9),
        r.isNullAt(10) ? null : r.getLong(10));
  }
}
