package io.fraudbatch.core.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeersTest {
  static final long H = 3_600_000L;
  static final long WEEK = 7 * 24 * H;
  static final long T0 = Instant.parse("2026-10-05T00:00:00Z").toEpochMilli();

  /** Five weeks of a type at {@code perHour} events an hour, the fifth week at {@code last}. */
  static Peers peers(long perHour, long last) {
    List<Peers.TypeWindow> l = new ArrayList<>();
    for (long t = T0; t < T0 + 5 * WEEK; t += H) {
      l.add(new Peers.TypeWindow(KeyTypes.MCC, t, t >= T0 + 4 * WEEK ? last : perHour));
    }
    return new Peers(l, H, 4, T0);
  }

  static final Peers.Own NONE = (a, b) -> 0;

  @Test
  void aPopulationSwingMovesTheExpectationOnlyUpwardsAndWithinBounds() {
    long t = T0 + 4 * WEEK + 2 * 24 * H; // a day into the busy week
    assertThat(peers(10, 20).factor(KeyTypes.MCC, t, NONE)).isCloseTo(2, within(1e-9));
    assertThat(peers(10, 100).factor(KeyTypes.MCC, t, NONE)).isEqualTo(Peers.MAX_FACTOR);
    assertThat(peers(10, 5).factor(KeyTypes.MCC, t, NONE)).as("never down").isEqualTo(1);
    // Another type, or too little peer volume (a day of 24 < 100 events), says nothing.
    assertThat(peers(10, 20).factor(KeyTypes.REGION, t, NONE)).isEqualTo(1);
    assertThat(peers(1, 2).factor(KeyTypes.MCC, t, NONE)).isEqualTo(1);
    // Fewer than two earlier weeks: no baseline.
    assertThat(peers(10, 20).factor(KeyTypes.MCC, T0 + WEEK + 24 * H, NONE)).isEqualTo(1);
  }

  @Test
  void theKeyItselfIsLeftOut() {
    long t = T0 + 4 * WEEK + 2 * 24 * H;
    // The type doubled, but all of the rise is this key's own (10 of 20 an hour now, 0 before):
    // its peers did not move.
    Peers p = peers(10, 20);
    Peers.Own own = (a, b) -> a >= T0 + 4 * WEEK ? (b - a) / H * 10 : 0;
    assertThat(p.factor(KeyTypes.MCC, t, own)).isEqualTo(1);
  }
}
