package io.fraudbatch.jobs.anomalies;

import io.fraudbatch.core.anomaly.KeyTypes;
import io.fraudbatch.core.anomaly.WindowStats;
import io.fraudbatch.core.anomaly.WindowTally;
import io.fraudbatch.core.money.ReferenceRates;
import io.fraudbatch.jobs.HashRuns;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The anomaly job's features (Spark): every decision read, keyed once per key type (region,
 * merchant, mcc, IP /24), and per key and window the counts the scorer reads ({@link WindowStats}:
 * events, distinct actors, declines, micro-transactions, actors at a new place, most cards on one
 * device) and, when labels are present, the labelled events. {@link #stats} is cached until {@link
 * #close()}.
 */
final class WindowFeatures implements AutoCloseable {
  /** The decisions read: eventId, actorId, t (epoch ms), usd cents, keys, labelled (0/1). */
  final Dataset<Row> events;

  /**
   * One row per event and key type with a key: keyType, key, ws (window start), t, ... (not cached:
   * read again only for the few anomalous windows' percentiles).
   */
  final Dataset<Row> keyed;

  /** One row per key type, key and window: {@link #windowStats(Row)} reads it. */
  final Dataset<Row> stats;

  private final Dataset<Row> raw;
  private final long windowMs;

  private WindowFeatures(
      Dataset<Row> raw,
      long windowMs,
      Dataset<Row> events,
      Dataset<Row> keyed,
      Dataset<Row> stats) {
    this.raw = raw;
    this.windowMs = windowMs;
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
    Dataset<Row> raw =
        spark.read().parquet(inputs.stream().map(Path::toString).toArray(String[]::new));
    Dataset<Row> events =
        raw.selectExpr(
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
                KEYS)
            .where("key IS NOT NULL");
    // One shuffle of the keyed events by window, sorted on one 64-bit hash of the window
    // (Spark then radix-sorts on the key prefix alone, no row comparisons), folded one window at a
    // time (core's WindowTally). Hash aggregations per distinct count shuffled every keyed event
    // twice and built hash maps that combined nothing (an actor has about one event per key and
    // window); a sort on the window's columns spent its time comparing strings.
    Dataset<Row> stats =
        keyed
            .selectExpr(
                "keyType",
                "key",
                "ws",
                "actorId",
                "deviceId",
                "coalesce(declined, false)",
                "usd",
                "coalesce(newLoc, false)",
                "labelled",
                "xxhash64(keyType, key, ws) AS _w")
            .repartition(functions.col("_w"))
            .sortWithinPartitions("_w")
            .mapPartitions((MapPartitionsFunction<Row, Row>) Fold::new, Encoders.row(STATS));
    stats.persist(StorageLevel.MEMORY_AND_DISK_SER());
    return new WindowFeatures(raw, windowMs, events, keyed, stats);
  }

  /**
   * keyType, key, ws and usd of the keyed events from {@code from} to {@code to} (epoch ms): what
   * the anomalous windows' amount percentiles need, read again with the time range pushed down to
   * the Parquet scan (row groups outside it are skipped) and without the new-place window
   * functions.
   */
  Dataset<Row> amounts(long from, long to) {
    return raw.where(
            "eventTime >= timestamp_millis("
                + from
                + "L) AND eventTime < timestamp_millis("
                + to
                + "L)")
        .selectExpr(
            "unix_millis(eventTime) - pmod(unix_millis(eventTime), " + windowMs + ") AS ws",
            usdCentsSql(ReferenceRates.defaults()) + " AS usd",
            "region",
            "merchantId",
            "mcc",
            "ip24(ip) AS ip24")
        .selectExpr("ws", "usd", KEYS)
        .where("key IS NOT NULL");
  }

  /** Spark SQL: one (keyType, key) row per key type of an event (null when it has none). */
  static final String KEYS =
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
          + "', 'key', ip24)))";

  @Override
  public void close() {
    stats.unpersist();
  }

  /** The columns of {@link #stats}. */
  static final StructType STATS =
      new StructType()
          .add("keyType", DataTypes.StringType, false)
          .add("key", DataTypes.StringType, false)
          .add("ws", DataTypes.LongType, false)
          .add("events", DataTypes.LongType, false)
          .add("actors", DataTypes.LongType, false)
          .add("declines", DataTypes.LongType, false)
          .add("micro", DataTypes.LongType, false)
          .add("newLoc", DataTypes.LongType, false)
          .add("maxCards", DataTypes.LongType, false)
          .add("p50", DataTypes.LongType, true)
          .add("p95", DataTypes.LongType, true)
          .add("labelled", DataTypes.LongType, false);

  /**
   * A partition of keyed events sorted by their window's hash (column 9) as one {@link #STATS} row
   * per window. Windows whose hashes collide arrive interleaved: each gets its own tally.
   */
  static final class Fold extends HashRuns<Row, Row> {
    private final Map<List<Object>, WindowTally> run = new LinkedHashMap<>();

    Fold(Iterator<Row> in) {
      super(in, r -> r.getLong(9));
    }

    @Override
    protected void add(Row r) {
      run.computeIfAbsent(
              List.of(r.getString(0), r.getString(1), r.getLong(2)), k -> new WindowTally())
          .add(
              r.getString(3),
              r.getString(4),
              r.getBoolean(5),
              r.isNullAt(6) ? null : r.getLong(6),
              r.getBoolean(7),
              r.getInt(8));
    }

    @Override
    protected void endRun(java.util.function.Consumer<Row> out) {
      run.forEach(
          (w, t) -> {
            long[] c = t.finish();
            out.accept(
                RowFactory.create(
                    w.get(0), w.get(1), w.get(2), c[0], c[1], c[2], c[3], c[4], c[5], null, null,
                    c[6]));
          });
      run.clear();
    }
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
