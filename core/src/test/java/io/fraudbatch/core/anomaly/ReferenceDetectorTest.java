package io.fraudbatch.core.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReferenceDetectorTest {
  static final long H = 3_600_000L;
  static final long DAY = 24 * H;
  static final long T0 = Instant.parse("2026-10-05T00:00:00Z").toEpochMilli();

  static WindowStats w(long t, long events) {
    return new WindowStats(KeyTypes.MERCHANT, "m", t, events, events, 0, 0, 0, 0, null, null);
  }

  @Test
  void aWindowFarAboveTheLastTwoWeeksIsFlaggedZerosIncluded() {
    // Two weeks of a quiet merchant: 2 events every third hour, nothing otherwise.
    List<WindowStats> s = new ArrayList<>();
    for (long t = T0; t < T0 + 14 * DAY; t += 3 * H) {
      s.add(w(t, 2));
    }
    long t = T0 + 14 * DAY + 5 * H;
    s.add(w(t, 12)); // median 0, MAD 0: sigma floored at 1, z = 12
    s.add(w(t + H, 7)); // under the minimum volume (8)
    s.add(w(t + 2 * H, 8)); // z = 8
    assertThat(ReferenceDetector.flag(s, H, T0 + 14 * DAY, T0 + 15 * DAY, 8))
        .containsExactly(t, t + 2 * H);
    // A busy merchant (8 and 12 in turn, the five hours before t empty) is not surprised by 12:
    // median 8, MAD 4 (sigma 5.93); 40 is z = 5.4.
    List<WindowStats> busy = new ArrayList<>();
    for (long u = T0; u < T0 + 14 * DAY; u += H) {
      busy.add(w(u, (u / H) % 2 == 0 ? 8 : 12));
    }
    busy.add(w(t, 12));
    busy.add(w(t + H, 40));
    assertThat(ReferenceDetector.flag(busy, H, T0 + 14 * DAY, T0 + 15 * DAY, 8))
        .containsExactly(t + H);
    // Under a week of history: no baseline, nothing flagged.
    assertThat(
            ReferenceDetector.flag(List.of(w(T0, 1), w(T0 + 3 * DAY, 50)), H, T0, T0 + 4 * DAY, 8))
        .isEmpty();
  }
}
