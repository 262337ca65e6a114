package io.fraudbatch.core.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The shared dates are the JDK's, inside the cached range and outside it, and made once. */
class EpochDaysTest {
  @Test
  void sameDatesAsTheJdk() {
    for (long day : new long[] {-800_000, -1, 0, 1, 20_000, 65_535, 65_536, 3_000_000}) {
      assertThat(EpochDays.of(day)).isEqualTo(LocalDate.ofEpochDay(day));
      assertThat(EpochDays.of(day).toEpochDay()).isEqualTo(day);
    }
    for (long day = 19_000; day < 22_000; day++) {
      assertThat(EpochDays.of(day)).isEqualTo(LocalDate.ofEpochDay(day));
    }
  }

  @Test
  void aCachedDateIsMadeOnce() {
    assertThat(EpochDays.of(20_500)).isSameAs(EpochDays.of(20_500));
    assertThat(EpochDays.of(70_000)).isEqualTo(EpochDays.of(70_000));
  }
}
