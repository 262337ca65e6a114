package io.fraudbatch.jobs.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RowFilterTest {
  static final String R1 = "20261101T000000Z-aaaaaa";
  static final String R2 = "20261102T000000Z-bbbbbb";
  static final String R3 = "20261103T000000Z-cccccc";

  @Test
  void fullReadsEveryDayUpToAsOfFromCommittedRuns() {
    RowFilter f = RowFilter.full(100, R2);
    assertThat(f.isFull()).isTrue();
    assertThat(f.accept(100, R1)).isTrue();
    assertThat(f.accept(3, R2)).isTrue();
    assertThat(f.accept(50, null)).as("rows published before run ids").isTrue();
    assertThat(f.accept(101, R1)).as("after asOf").isFalse();
    assertThat(f.accept(100, R3)).as("committed after the plan").isFalse();
    assertThat(f.sql("d", "r")).isEqualTo("d <= 100 AND coalesce(r, '') <= '" + R2 + "'");
  }

  @Test
  void incrementalReadsNewDaysAndOnlyTheLateRowsOfOldOnes() {
    // Previous snapshot as of day 98 with watermark R1; now as of 100 with runs up to R3.
    RowFilter f = new RowFilter(100, 98, R1, R3);
    assertThat(f.isFull()).isFalse();
    assertThat(f.accept(99, R1)).as("a new day, ingested before the snapshot ran").isTrue();
    assertThat(f.accept(100, R3)).isTrue();
    assertThat(f.accept(98, R1)).as("in the snapshot already").isFalse();
    assertThat(f.accept(98, null)).isFalse();
    assertThat(f.accept(90, R2)).as("late row of an old day").isTrue();
    assertThat(f.accept(101, R2)).isFalse();
    assertThat(f.sql("d", "r"))
        .isEqualTo(
            "d <= 100 AND coalesce(r, '') <= '"
                + R3
                + "' AND (d > 98 OR coalesce(r, '') > '"
                + R1
                + "')");
  }
}
