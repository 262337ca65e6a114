package io.fraudbatch.core.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudbatch.avro.ActorProfile;
import io.fraudbatch.core.profile.ProfileAccumulator;
import io.fraudbatch.core.profile.ProfileInput;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleBacktestTest {
  static final LocalDate DAY = LocalDate.parse("2026-06-10");
  static final long T0 = DAY.toEpochDay() * 86_400_000L;

  static ProfileInput tx(String id, long t, long cents, String city, Double lat, Double lon) {
    return new ProfileInput(
        id, t, "APPROVED", "POS", cents, "5411", "US", "US-NY", city, lat, lon, null);
  }

  /** An actor who spent 100 USD a day in New York for the 10 days before DAY. */
  static ActorProfile regular() {
    ProfileAccumulator a = new ProfileAccumulator();
    for (int d = 1; d <= 10; d++) {
      a.add("A", tx("h" + d, T0 - d * 86_400_000L + 3_600_000L, 10_000, "New York", 40.71, -74.0));
    }
    return a.finish(DAY.minusDays(1));
  }

  @Test
  void amountRuleUsesKTimesTheMedianDailySpendAndHalvesKAtAnUnseenPlace() {
    ActorProfile p = regular();
    assertThat(RuleBacktest.threshold(p, 3)).isEqualTo(30_000);
    List<ProfileInput> day =
        List.of(
            tx("a", T0 + 1_000, 20_000, "New York", 40.71, -74.0), // 200 <= 300: fine
            tx("b", T0 + 2_000, 15_000, "New York", 40.71, -74.0), // 350 > 300: flagged
            tx("c", T0 + 3_000, 1_000, "Newark", 40.73, -74.17)); // unseen: 360 > 150: flagged
    List<RuleBacktest.Verdict> v = RuleBacktest.replay(p, day, 3);
    assertThat(v).extracting(RuleBacktest.Verdict::amount).containsExactly(false, true, true);
    assertThat(v).extracting(RuleBacktest.Verdict::travel).containsOnly(false);
    // A larger k lets them all through; halved at the unseen place, k still stops Newark.
    assertThat(RuleBacktest.replay(p, day, 4))
        .extracting(RuleBacktest.Verdict::amount)
        .containsExactly(false, false, false);
    assertThat(RuleBacktest.replay(p, day, 4))
        .extracting(RuleBacktest.Verdict::amountHalved)
        .containsExactly(false, false, true);
  }

  @Test
  void theThresholdFollowsTheProfilesBusyDaysToo() {
    // 100 USD a day, but 1,000 USD on three of twenty days: the 95th-percentile day is 1,000.
    ProfileAccumulator a = new ProfileAccumulator();
    for (int d = 1; d <= 20; d++) {
      a.add(
          "A",
          tx(
              "h" + d,
              T0 - d * 86_400_000L + 3_600_000L,
              d % 7 == 0 ? 100_000 : 10_000,
              "New York",
              40.71,
              -74.0));
    }
    ActorProfile p = a.finish(DAY.minusDays(1));
    assertThat(p.getSpend90().getMedianCents()).isEqualTo(10_000);
    assertThat(p.getSpend90().getP95Cents()).isEqualTo(100_000);
    // max(3 x 100, 1.5 x 1,000) USD
    assertThat(RuleBacktest.threshold(p, 3)).isEqualTo(150_000);
    assertThat(RuleBacktest.threshold(p, 8)).isEqualTo(400_000);
  }

  @Test
  void anHourTheActorHasNotUsedForAMonthIsUnfamiliar() {
    ActorProfile p = regular(); // ten days, each with one purchase at 01:00 UTC
    long oneThirty = T0 + 90 * 60_000L;
    long twoFifty = T0 + 170 * 60_000L;
    long thirteen = T0 + 13 * 3_600_000L;
    long midnight = T0 + 10 * 60_000L;
    List<RuleBacktest.Verdict> v =
        RuleBacktest.replay(
            p,
            List.of(
                tx("a", oneThirty, 100, "New York", 40.71, -74.0),
                tx("b", twoFifty, 100, "New York", 40.71, -74.0),
                tx("c", thirteen, 100, "New York", 40.71, -74.0),
                tx("d", midnight, 100, "New York", 40.71, -74.0)),
            3);
    // In time order: 00:10 and 02:50 are within an hour of the 01:xx habit, 13:00 is not.
    assertThat(v).extracting(RuleBacktest.Verdict::eventId).containsExactly("d", "a", "b", "c");
    assertThat(v).extracting(RuleBacktest.Verdict::hour).containsExactly(false, false, false, true);
    assertThat(v).extracting(RuleBacktest.Verdict::any).containsExactly(false, false, false, true);
    // Nine active days are not a habit yet.
    ProfileAccumulator nine = new ProfileAccumulator();
    for (int d = 1; d <= 9; d++) {
      nine.add(
          "A", tx("h" + d, T0 - d * 86_400_000L + 3_600_000L, 10_000, "New York", 40.71, -74.0));
    }
    assertThat(
            RuleBacktest.replay(
                nine.finish(DAY.minusDays(1)),
                List.of(tx("c", thirteen, 100, "New York", 40.71, -74.0)),
                3))
        .extracting(RuleBacktest.Verdict::hour)
        .containsExactly(false);
    // Days written before hours were kept (0) say nothing: no habit, no flag.
    p.getDailySpend().forEach(d -> d.setHours(0));
    assertThat(RuleBacktest.replay(p, List.of(tx("c", thirteen, 100, "New York", 40.71, -74.0)), 3))
        .extracting(RuleBacktest.Verdict::hour)
        .containsExactly(false);
  }

  @Test
  void moneyComingInIsNeitherSpendNorJudged() {
    ActorProfile p = regular(); // 100 USD a day; threshold at k = 3: 300 USD
    ProfileInput deposit =
        new ProfileInput(
            "in",
            T0 + 1_000,
            "APPROVED",
            "MOBILE",
            1_000_000L,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            true);
    List<RuleBacktest.Verdict> v =
        RuleBacktest.replay(
            p, List.of(deposit, tx("out", T0 + 2_000, 20_000, null, null, null)), 3);
    assertThat(v).extracting(RuleBacktest.Verdict::amount).containsExactly(false, false);
    assertThat(v).extracting(RuleBacktest.Verdict::plain).containsExactly(false, false);
  }

  @Test
  void thePlainRuleIsThreeTimesTheThirtyDayMedianDay() {
    ActorProfile p = regular(); // 100 USD a day
    List<RuleBacktest.Verdict> v =
        RuleBacktest.replay(
            p,
            List.of(
                tx("a", T0 + 1_000, 29_000, "New York", 40.71, -74.0),
                tx("b", T0 + 2_000, 2_000, "New York", 40.71, -74.0)),
            8);
    assertThat(v).extracting(RuleBacktest.Verdict::plain).containsExactly(false, true);
    assertThat(v).extracting(RuleBacktest.Verdict::amount).containsExactly(false, false);
    assertThat(RuleBacktest.replay(null, List.of(tx("a", T0, 1_000_000, null, null, null)), 3))
        .extracting(RuleBacktest.Verdict::plain)
        .containsExactly(false);
  }

  @Test
  void newActorsGetTheAllowanceAndDeniedTransactionsDoNotCountAsSpend() {
    assertThat(RuleBacktest.threshold(null, 3))
        .isEqualTo(ProfileAccumulator.NEW_ACTOR_DAILY_THRESHOLD_CENTS);
    ProfileInput denied =
        new ProfileInput(
            "d", T0 + 1, "DENIED", "POS", 49_000L, null, null, null, null, null, null, null);
    ProfileInput next =
        new ProfileInput(
            "n", T0 + 2, "APPROVED", "WEB", 2_000L, null, null, null, null, null, null, null);
    assertThat(RuleBacktest.replay(null, List.of(next, denied), 3))
        .extracting(RuleBacktest.Verdict::amount)
        .containsExactly(false, false);
  }

  @Test
  void impossibleTravelFromTheProfilesLastPlaceOrEarlierThatDay() {
    ActorProfile p = regular(); // last seen in New York on DAY-1 at 01:00
    List<ProfileInput> day = new ArrayList<>();
    day.add(tx("ny", T0 + 3_600_000L, 100, "New York", 40.71, -74.0)); // 24 h later, same place
    day.add(tx("la", T0 + 5_400_000L, 100, "Los Angeles", 34.05, -118.24)); // 3936 km in 30 min
    day.add(tx("bos", T0 + 30 * 3_600_000L / 10, 100, "Boston", 42.36, -71.06)); // later, far again
    List<RuleBacktest.Verdict> v = RuleBacktest.replay(p, day, 3);
    assertThat(v).extracting(RuleBacktest.Verdict::eventId).containsExactly("ny", "la", "bos");
    assertThat(v).extracting(RuleBacktest.Verdict::travel).containsExactly(false, true, true);
    // Events arrive in any order: the replay sorts by time.
    List<ProfileInput> reversed = new ArrayList<>(day);
    java.util.Collections.reverse(reversed);
    assertThat(RuleBacktest.replay(p, reversed, 3)).isEqualTo(v);
  }

  @Test
  void confusionCountsAndRates() {
    Confusion c =
        Confusion.of(true, true)
            .plus(Confusion.of(true, false))
            .plus(Confusion.of(false, true))
            .plus(Confusion.of(false, false))
            .plus(Confusion.of(true, true));
    assertThat(c).isEqualTo(new Confusion(2, 1, 1, 1));
    assertThat(c.precision()).isEqualTo(2.0 / 3);
    assertThat(c.recall()).isEqualTo(2.0 / 3);
    assertThat(c.falsePositiveRate()).isEqualTo(0.5);
    assertThat(c.f1()).isEqualTo(2.0 * 2 / (2 * 2 + 1 + 1));
    assertThat(Confusion.ZERO.f1()).isNaN();
    assertThat(Confusion.ZERO.precision()).isNaN();
  }
}
