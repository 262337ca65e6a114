package io.fraudbatch.jobs.anomalies;

import io.fraudbatch.avro.Anomaly;
import io.fraudbatch.avro.WindowEvidence;
import io.fraudbatch.core.anomaly.KeyTypes;
import io.fraudbatch.core.anomaly.ReferenceDetector;
import io.fraudbatch.core.anomaly.SeriesScorer;
import io.fraudbatch.core.anomaly.WindowEvaluation;
import io.fraudbatch.core.anomaly.WindowStats;
import io.fraudbatch.core.avro.AvroModel;
import io.fraudbatch.jobs.SparkParallelism;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import scala.Tuple2;

/**
 * Scores every key's series (Spark: one task per group of keys, {@link SeriesScorer} per key) and,
 * on the same series, the reference detector ({@link ReferenceDetector}) that every result is
 * printed beside; then the anomalous windows' amount percentiles, as evidence.
 */
final class WindowScoring {
  private WindowScoring() {}

  /** The anomalies of the scored period (in {@link #ORDER}) and the reference's flagged windows. */
  record Result(List<Anomaly> anomalies, Set<WindowEvaluation.WindowId> reference) {}

  static final Comparator<Anomaly> ORDER =
      Comparator.comparing((Anomaly a) -> a.getWindowStart())
          .thenComparing(a -> KeyTypes.ALL.indexOf(a.getKeyType()))
          .thenComparing(a -> a.getKey())
          .thenComparing(a -> a.getMetric());

  static Result score(
      SparkSession spark,
      Dataset<Row> stats,
      Baselines baselines,
      SeriesScorer.Settings settings,
      long from,
      long to,
      String runId) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<Baselines> b = jsc.broadcast(baselines);
    long windowMs = settings.windowMs();
    double minVolume = settings.config().minVolume();
    // Each output: an anomaly (Avro bytes), or a window the reference flagged (its start).
    List<Tuple2<byte[], Tuple2<String, Long>>> found =
        stats
            .javaRDD()
            .mapToPair(
                r ->
                    new Tuple2<>(
                        r.getString(0) + "\u0000" + r.getString(1), WindowFeatures.windowStats(r)))
            .groupByKey(SparkParallelism.of(spark))
            .flatMap(
                t -> {
                  List<WindowStats> series = new ArrayList<>();
                  t._2.forEach(series::add);
                  List<Tuple2<byte[], Tuple2<String, Long>>> l = new ArrayList<>();
                  Baselines base = b.value();
                  for (SeriesScorer.Scored s :
                      SeriesScorer.score(
                          series, base::pooledAt, base.peers(), settings, from, to)) {
                    l.add(
                        new Tuple2<>(
                            AvroModel.toBytes(
                                anomaly(s, windowMs, runId), Anomaly.getClassSchema()),
                            null));
                  }
                  for (long w : ReferenceDetector.flag(series, windowMs, from, to, minVolume)) {
                    l.add(new Tuple2<>(null, new Tuple2<>(t._1, w)));
                  }
                  return l.iterator();
                })
            .collect();
    List<Anomaly> anomalies = new ArrayList<>();
    Set<WindowEvaluation.WindowId> reference = new HashSet<>();
    for (Tuple2<byte[], Tuple2<String, Long>> f : found) {
      if (f._1 != null) {
        anomalies.add(AvroModel.fromBytes(f._1, Anomaly.getClassSchema()));
      } else {
        String[] k = f._2._1.split("\u0000", 2);
        reference.add(new WindowEvaluation.WindowId(k[0], k[1], f._2._2));
      }
    }
    anomalies.sort(ORDER);
    return new Result(anomalies, reference);
  }

  static Anomaly anomaly(SeriesScorer.Scored s, long windowMs, String runId) {
    WindowStats w = s.window();
    List<Double> history = new ArrayList<>(s.history().length);
    for (double h : s.history()) {
      history.add(h);
    }
    return Anomaly.newBuilder()
        .setKeyType(w.keyType())
        .setKey(w.key())
        .setWindowStart(Instant.ofEpochMilli(w.windowStart()))
        .setWindowEnd(Instant.ofEpochMilli(w.windowStart() + windowMs))
        .setMetric(s.metric().column)
        .setObserved(s.score().observed())
        .setExpected(s.score().expected())
        .setSpread(s.score().spread())
        .setScore(s.score().score())
        .setSeverity(s.score().severity().name())
        .setBasis(s.score().basis().name())
        .setHistory(history)
        .setEvidence(
            WindowEvidence.newBuilder()
                .setEvents(w.events())
                .setActors(w.actors())
                .setDeclines(w.declines())
                .setMicro(w.micro())
                .setNewLocationActors(w.newLocationActors())
                .setMaxCardsPerDevice(w.maxCardsPerDevice())
                .setAmountP50Cents(w.amountP50Cents())
                .setAmountP95Cents(w.amountP95Cents())
                .build())
        .setRunId(runId)
        .build();
  }

  /**
   * The nearest-rank median and 95th percentile of the converted amounts of each anomalous window,
   * into the anomalies' evidence; returns the number of windows.
   */
  static int addPercentiles(SparkSession spark, WindowFeatures f, List<Anomaly> anomalies) {
    if (anomalies.isEmpty()) {
      return 0;
    }
    long from = Long.MAX_VALUE;
    long to = Long.MIN_VALUE;
    for (Anomaly a : anomalies) {
      from = Math.min(from, a.getWindowStart().toEpochMilli());
      to = Math.max(to, a.getWindowEnd().toEpochMilli());
    }
    Dataset<Row> keyed = f.amounts(from, to);
    List<Row> windows =
        anomalies.stream()
            .map(
                a ->
                    org.apache.spark.sql.RowFactory.create(
                        a.getKeyType(), a.getKey(), a.getWindowStart().toEpochMilli()))
            .distinct()
            .toList();
    Dataset<Row> flagged =
        spark.createDataFrame(
            windows,
            new org.apache.spark.sql.types.StructType()
                .add("keyType", DataTypes.StringType)
                .add("key", DataTypes.StringType)
                .add("ws", DataTypes.LongType));
    Map<String, Row> byWindow = new HashMap<>();
    for (Row r :
        keyed
            .join(
                functions.broadcast(flagged),
                scala.collection.JavaConverters.asScalaBuffer(List.of("keyType", "key", "ws"))
                    .toSeq())
            .groupBy("keyType", "key", "ws")
            .agg(
                functions.expr("percentile_disc(0.5) WITHIN GROUP (ORDER BY usd)"),
                functions.expr("percentile_disc(0.95) WITHIN GROUP (ORDER BY usd)"))
            .collectAsList()) {
      byWindow.put(r.getString(0) + "\u0000" + r.getString(1) + "\u0000" + r.getLong(2), r);
    }
    for (Anomaly a : anomalies) {
      Row r =
          byWindow.get(
              a.getKeyType()
                  + "\u0000"
                  + a.getKey()
                  + "\u0000"
                  + a.getWindowStart().toEpochMilli());
      if (r != null) {
        a.getEvidence().setAmountP50Cents(r.isNullAt(3) ? null : ((Number) r.get(3)).longValue());
        a.getEvidence().setAmountP95Cents(r.isNullAt(4) ? null : ((Number) r.get(4)).longValue());
      }
    }
    return windows.size();
  }
}
