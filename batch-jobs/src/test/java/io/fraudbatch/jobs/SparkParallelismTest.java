package io.fraudbatch.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SparkParallelismTest {
  private static final long MB = 1L << 20;

  @Test
  void aSmallInputGetsOnePartitionPerCoreNotSparksTwoHundred() {
    assertEquals(2, SparkParallelism.partitions(3 * MB, 2));
    assertEquals(8, SparkParallelism.partitions(0, 8));
    assertEquals(1, SparkParallelism.partitions(0, 0));
  }

  @Test
  void aLargeInputGetsOnePartitionPerTargetSizeRoundedUp() {
    assertEquals(64, SparkParallelism.partitions(1024 * MB, 2));
    assertEquals(65, SparkParallelism.partitions(1024 * MB + 1, 2));
    assertEquals(100, SparkParallelism.partitions(1024 * MB, 100));
  }

  @Test
  void theCountIsBoundedAsSparksOwnDefault() {
    assertEquals(
        SparkParallelism.MAX_PARTITIONS, SparkParallelism.partitions(Long.MAX_VALUE / 2, 4));
  }
}
