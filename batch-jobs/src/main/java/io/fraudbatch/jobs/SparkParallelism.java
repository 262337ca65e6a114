package io.fraudbatch.jobs;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Collection;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * How many partitions a job's shuffles get: sized from the bytes of Parquet it reads, never fewer
 * than the cluster's cores, the same rule on {@code local[*]} and on a cluster.
 *
 * <p>Spark's default of 200 SQL shuffle partitions (and, for RDD shuffles, the upstream's partition
 * count) is a constant: on a small day a cluster then runs 200 near-empty tasks per stage, each
 * paying a scheduling round trip (an anomaly run was reported at 903 s on a standalone cluster
 * against 65 s with 4 partitions). Adaptive execution (on by default since Spark 3.2) coalesces SQL
 * shuffles afterwards but not the RDD shuffles the scoring and backtest use, so the jobs set the
 * count from their input, as Spark's own file scan sizes its splits from the bytes to read. A
 * {@code spark.sql.shuffle.partitions} given to spark-submit ({@code --conf}) wins.
 */
public final class SparkParallelism {
  /** Compressed Parquet bytes per shuffle partition: about 0.5 M decisions, tens of MB decoded. */
  public static final long TARGET_INPUT_BYTES = 16L << 20;

  /** Upper bound, as Spark's own default for SQL shuffles. */
  public static final int MAX_PARTITIONS = 2000;

  public static final String SHUFFLE_PARTITIONS = "spark.sql.shuffle.partitions";

  private SparkParallelism() {}

  /** The partition count for {@code inputBytes} on a cluster with {@code cores} task slots. */
  public static int partitions(long inputBytes, int cores) {
    long bySize = (Math.max(0, inputBytes) + TARGET_INPUT_BYTES - 1) / TARGET_INPUT_BYTES;
    return (int) Math.min(MAX_PARTITIONS, Math.max(Math.max(1, cores), bySize));
  }

  /** The session's shuffle partition count, for the jobs' RDD shuffles. */
  public static int of(SparkSession spark) {
    return Integer.parseInt(spark.conf().get(SHUFFLE_PARTITIONS));
  }

  /**
   * Sizes the session's shuffles for {@code inputs} (directories or files), unless the submitter
   * set {@code spark.sql.shuffle.partitions}; returns the count for the job's RDD shuffles too.
   */
  public static int apply(
      SparkSession spark, Configuration conf, Collection<Path> inputs, PrintStream log)
      throws IOException {
    long bytes = 0;
    for (Path p : inputs) {
      FileSystem fs = p.getFileSystem(conf);
      bytes += fs.getContentSummary(p).getLength();
    }
    int cores = spark.sparkContext().defaultParallelism();
    if (spark.sparkContext().getConf().contains(SHUFFLE_PARTITIONS)) {
      int given = Integer.parseInt(spark.sparkContext().getConf().get(SHUFFLE_PARTITIONS));
      log.printf(
          Locale.ROOT,
          "spark: %d shuffle partitions (given with --conf %s), %d core(s)%n",
          given,
          SHUFFLE_PARTITIONS,
          cores);
      return given;
    }
    int n = partitions(bytes, cores);
    spark.conf().set(SHUFFLE_PARTITIONS, Integer.toString(n));
    log.printf(
        Locale.ROOT,
        "spark: %d shuffle partitions for %.1f MB of input on %d core(s)%n",
        n,
        bytes / 1e6,
        cores);
    return n;
  }
}
