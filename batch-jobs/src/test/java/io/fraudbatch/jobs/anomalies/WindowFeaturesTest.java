package io.fraudbatch.jobs.anomalies;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudbatch.jobs.profiles.ProfilesJob;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The anomaly job's window counts (one shuffle, a sort on the window's hash, core's WindowTally)
 * against their definition in plain Spark SQL aggregations, on events with nulls, shared devices
 * and repeated actors; and windows whose hashes collide.
 */
class WindowFeaturesTest {
  static final long H = 3_600_000L;

  /** The window counts compared. */
  static final String[] COUNTS = {
    "keyType",
    "key",
    "ws",
    "events",
    "actors",
    "declines",
    "micro",
    "newLoc",
    "maxCards",
    "labelled"
  };

  @Test
  void windowCountsAreTheirSqlDefinition(@TempDir Path dir) {
    SparkSession spark = ProfilesJob.spark(new Configuration(), "local[2]", "window features test");
    StructType schema =
        new StructType()
            .add("eventId", DataTypes.StringType)
            .add("actorId", DataTypes.StringType)
            .add("eventTime", DataTypes.TimestampType)
            .add("decision", DataTypes.StringType)
            .add("amount", new DecimalType(18, 2))
            .add("currency", DataTypes.StringType)
            .add("merchantId", DataTypes.StringType)
            .add("mcc", DataTypes.StringType)
            .add("region", DataTypes.StringType)
            .add("city", DataTypes.StringType)
            .add("ip", DataTypes.StringType)
            .add("deviceId", DataTypes.StringType);
    Random r = new Random(11);
    List<Row> rows = new ArrayList<>();
    long t0 = 1_790_000_000_000L;
    for (int i = 0; i < 6000; i++) {
      rows.add(
          RowFactory.create(
              "e" + i,
              r.nextInt(40) == 0 ? null : "a" + r.nextInt(300),
              new Timestamp(t0 + (long) (r.nextDouble() * 30 * H)),
              r.nextInt(4) == 0 ? "DENIED" : r.nextInt(30) == 0 ? null : "APPROVED",
              r.nextInt(20) == 0
                  ? null
                  : new java.math.BigDecimal(r.nextInt(50_000)).movePointLeft(2),
              r.nextInt(5) == 0 ? "EUR" : "USD",
              r.nextInt(10) == 0 ? null : "m" + r.nextInt(25),
              "5" + r.nextInt(3) + "11",
              r.nextInt(15) == 0 ? null : "US-" + (char) ('A' + r.nextInt(4)),
              r.nextInt(10) == 0 ? null : "c" + r.nextInt(6),
              r.nextInt(8) == 0 ? null : "10.0." + r.nextInt(5) + "." + r.nextInt(9),
              r.nextInt(3) == 0 ? null : "d" + r.nextInt(40)));
    }
    String path = dir.resolve("decisions").toString();
    spark.createDataFrame(rows, schema).repartition(3).write().parquet(path);

    try (WindowFeatures f =
        WindowFeatures.of(spark, List.of(new org.apache.hadoop.fs.Path(path)), H, null)) {
      Dataset<Row> cards =
          f.keyed
              .where("deviceId IS NOT NULL")
              .groupBy("keyType", "key", "ws", "deviceId")
              .agg(functions.countDistinct("actorId").as("c"))
              .groupBy("keyType", "key", "ws")
              .agg(functions.max("c").as("maxCards"));
      Dataset<Row> expected =
          f.keyed
              .groupBy("keyType", "key", "ws", "actorId")
              .agg(
                  functions.count(functions.lit(1)).as("n"),
                  functions.expr("sum(CASE WHEN declined THEN 1 ELSE 0 END)").as("dn"),
                  functions.expr("sum(CASE WHEN usd < 200 THEN 1 ELSE 0 END)").as("mi"),
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
              .withColumn("maxCards", functions.expr("coalesce(maxCards, 0L)"))
              .selectExpr(COUNTS);
      TreeSet<String> want = lines(expected);
      TreeSet<String> got = lines(f.stats.selectExpr(COUNTS));
      assertThat(want).hasSizeGreaterThan(500);
      assertThat(got).isEqualTo(want);
      // Something to count: shared devices, new places, declines.
      assertThat(f.stats.where("maxCards > 1 AND newLoc > 0 AND declines > 0").count())
          .isPositive();
    }
  }

  static TreeSet<String> lines(Dataset<Row> d) {
    TreeSet<String> out = new TreeSet<>();
    for (Row r : d.collectAsList()) {
      out.add(r.toString());
    }
    return out;
  }

  @Test
  void windowsWhoseHashesCollideAreCountedApart() {
    List<Row> in =
        List.of(
            row("region", "US-CA", 0, "a1", "d1", 5),
            row("merchant", "M9", H, "a1", "d1", 5),
            row("region", "US-CA", 0, "a2", "d1", 5),
            row("merchant", "M9", H, "a1", null, 5),
            row("region", "US-CA", 0, "a2", null, 7));
    List<String> out = new ArrayList<>();
    Iterator<Row> fold = new WindowFeatures.Fold(in.iterator());
    fold.forEachRemaining(r -> out.add(r.toString()));
    // hash 5: US-CA@0 (a1 and a2, both on d1) and M9@H (a1 twice); hash 7: US-CA@0 again, apart
    assertThat(out)
        .containsExactly(
            "[region,US-CA,0,2,2,0,0,0,2,null,null,0]",
            "[merchant,M9,3600000,2,1,0,0,0,1,null,null,0]",
            "[region,US-CA,0,1,1,0,0,0,0,null,null,0]");
  }

  static Row row(String type, String key, long ws, String actor, String device, long hash) {
    return RowFactory.create(type, key, ws, actor, device, false, 500L, false, 0, hash);
  }
}
