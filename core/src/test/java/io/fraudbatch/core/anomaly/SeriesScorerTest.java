package io.fraudbatch.core.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fraudbatch.avro.Anomaly;
import io.fraudbatch.avro.RiskContext;
import io.fraudbatch.avro.WindowEvidence;
import io.fraudbatch.core.FraudBatchException;
import io.fraudbatch.core.anomaly.SeriesScorer.Scored;
import io.fraudbatch.core.anomaly.WindowScorer.Basis;
import io.fraudbatch.core.anomaly.WindowScorer.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeriesScorerTest {
  static final long H = 3_600_000L;
  static final long DAY = 24 * H;
  static final long WEEK = 7 * DAY;
  static final long T0 = Instant.parse("2026-10-05T00:00:00Z").toEpochMilli(); // a Monday
  static final SeriesScorer.Settings S =
      new SeriesScorer.Settings(H, 4, new WindowScorer.Config(3, 8, 4, 6, 10));
  static final Pooled FLAT = Pooled.of(List.of(), H, T0, T0);

  /** A region window with {@code events} ordinary transactions (1 decline in 50, no micro). */
  static WindowStats w(long start, long events) {
    return new WindowStats(
        KeyTypes.REGION,
        "US-TX",
        start,
        events,
        events,
        Math.round(events / 50.0),
        0,
        0,
        0,
        2500L,
        9000L);
  }

  /** Four weeks of a daily cycle: 40 events/hour by day, 10 by night, every day. */
  static List<WindowStats> history(int weeks) {
    List<WindowStats> l = new ArrayList<>();
    for (long t = T0; t < T0 + weeks * WEEK; t += H) {
      long hour = (t / H) % 24;
      l.add(w(t, hour >= 8 && hour < 20 ? 40 : 10));
    }
    return l;
  }

  static List<Scored> score(List<WindowStats> series, long from, long to) {
    return SeriesScorer.score(series, FLAT, S, from, to);
  }

  @Test
  void anOrdinaryWeekIsQuietAndABurstIsFoundWithItsEvidence() {
    List<WindowStats> s = history(5);
    long from = T0 + 4 * WEEK;
    assertThat(score(s, from, from + WEEK)).isEmpty();

    // Tuesday 03:00 of week 5: 90 events (10 usual), 40 declined, 60 actors new to the city.
    long t = from + DAY + 3 * H;
    s.removeIf(x -> x.windowStart() == t);
    s.add(new WindowStats(KeyTypes.REGION, "US-TX", t, 90, 85, 40, 0, 60, 0, 4000L, 20000L));
    List<Scored> found = score(s, from, from + WEEK);
    assertThat(found).extracting(x -> x.window().windowStart()).containsOnly(t);
    assertThat(found)
        .extracting(Scored::metric)
        .containsExactlyInAnyOrder(
            AnomalyMetric.EVENTS,
            AnomalyMetric.ACTORS,
            AnomalyMetric.DECLINE_RATE,
            AnomalyMetric.NEW_LOCATION_SHARE);
    Scored events =
        found.stream().filter(x -> x.metric() == AnomalyMetric.EVENTS).findFirst().get();
    assertThat(events.score().basis()).isEqualTo(Basis.OWN_HISTORY);
    assertThat(events.score().expected()).isEqualTo(10);
    assertThat(events.history()).containsExactly(10, 10, 10, 10); // four weeks back
    assertThat(events.score().severity()).isEqualTo(Severity.HIGH);
  }

  @Test
  void aMerchantCategorysVolumeIsReportedFromMediumOnly() {
    // Every score LOW (MEDIUM and HIGH out of reach): the burst's volume shows for a region only.
    SeriesScorer.Settings lowOnly =
        new SeriesScorer.Settings(H, 4, new WindowScorer.Config(3, 8, 4, 99, 99));
    long from = T0 + 4 * WEEK;
    long t = from + DAY + 3 * H;
    assertThat(
            SeriesScorer.score(burst(KeyTypes.REGION, t), FLAT, lowOnly, from, from + WEEK).stream()
                .map(Scored::metric))
        .containsExactlyInAnyOrder(
            AnomalyMetric.EVENTS, AnomalyMetric.ACTORS, AnomalyMetric.DECLINE_RATE);
    assertThat(
            SeriesScorer.score(burst(KeyTypes.MCC, t), FLAT, lowOnly, from, from + WEEK).stream()
                .map(Scored::metric))
        .containsExactly(AnomalyMetric.DECLINE_RATE);
    // At MEDIUM and up a category's volume is reported.
    assertThat(score(burst(KeyTypes.MCC, t), from, from + WEEK))
        .extracting(Scored::metric)
        .contains(AnomalyMetric.EVENTS, AnomalyMetric.ACTORS);
  }

  /** Five weeks of {@link #history} as a key of {@code type}, with 90 events (40 declined) at t. */
  static List<WindowStats> burst(String type, long t) {
    List<WindowStats> s = new ArrayList<>();
    for (WindowStats x : history(5)) {
      if (x.windowStart() != t) {
        s.add(
            new WindowStats(
                type,
                "k",
                x.windowStart(),
                x.events(),
                x.actors(),
                x.declines(),
                0,
                0,
                0,
                null,
                null));
      }
    }
    s.add(new WindowStats(type, "k", t, 90, 85, 40, 0, 0, 0, null, null));
    return s;
  }

  @Test
  void noLookAheadWhatComesLaterNeverChangesAScore() {
    List<WindowStats> s = history(5);
    long t = T0 + 4 * WEEK + 3 * H;
    s.removeIf(x -> x.windowStart() == t);
    s.add(w(t, 60));
    List<Scored> before = score(s, t, t + H);
    // The same hour next week and a huge day after it: the scored window's result is unchanged.
    List<WindowStats> more = new ArrayList<>(s);
    more.add(w(t + WEEK, 500));
    for (long x = t + H; x < t + DAY; x += H) {
      final long y = x;
      more.removeIf(v -> v.windowStart() == y);
      more.add(w(x, 1000));
    }
    Collections.shuffle(more, new java.util.Random(1)); // input order does not matter either
    assertThat(score(more, t, t + H))
        .usingRecursiveFieldByFieldElementComparator()
        .isEqualTo(before);
    assertThat(before).isNotEmpty();
  }

  @Test
  void aKeyWithFewWeeksUsesTheSameHourOnTheDaysBeforeThenThePooledPattern() {
    // Ten days of history: one earlier week only, so the daily pattern decides.
    List<WindowStats> s = history(2).subList(0, 10 * 24);
    s = new ArrayList<>(s);
    long t = T0 + 10 * DAY + 14 * H; // a day hour: 40 usual
    s.add(w(t, 95));
    List<Scored> found = score(s, t, t + H);
    Scored events =
        found.stream().filter(x -> x.metric() == AnomalyMetric.EVENTS).findFirst().get();
    assertThat(events.score().basis()).isEqualTo(Basis.DAILY_HISTORY);
    assertThat(events.score().expected()).isEqualTo(40);
    assertThat(events.history()).hasSize(SeriesScorer.DAILY_DAYS);

    // Two days of history: neither weekly nor daily (3 needed); no pooled scale before a week.
    List<WindowStats> young = new ArrayList<>(history(1).subList(0, 48));
    long u = T0 + 2 * DAY + 14 * H;
    young.add(w(u, 400));
    assertThat(score(young, u, u + H)).isEmpty();
  }

  @Test
  void thePooledPatternScalesTheTypesWeekToTheKey() {
    // A key seen for 8 days (so its scale is known) but only at night, scored at a day hour where
    // the pooled shape says the type is 4x busier than average.
    List<Pooled.SlotTotals> totals = new ArrayList<>();
    for (int slot = 0; slot < 168; slot++) {
      long hour = slot % 24;
      totals.add(
          new Pooled.SlotTotals(KeyTypes.MERCHANT, slot, hour == 14 ? 400 : 100, 0, 0, 0, 0));
    }
    Pooled pooled = Pooled.of(totals, H, T0, T0 + WEEK);
    assertThat(pooled.shape(KeyTypes.MERCHANT, 14)).isBetween(3.5, 4.0);
    assertThat(pooled.shape(KeyTypes.REGION, 14)).isEqualTo(1);
    List<WindowStats> s = new ArrayList<>();
    for (long t = T0; t < T0 + 8 * DAY; t += DAY) {
      s.add(new WindowStats(KeyTypes.MERCHANT, "M1", t + 2 * H, 24, 24, 0, 0, 0, 0, null, null));
    }
    long t = T0 + 8 * DAY + 14 * H;
    s.add(new WindowStats(KeyTypes.MERCHANT, "M1", t, 30, 30, 0, 0, 0, 0, null, null));
    // The daily history at 14:00 is empty (zeros) for 8 days → it is the daily basis, not pooled:
    List<Scored> found = SeriesScorer.score(s, pooled, S, t, t + H);
    assertThat(found).extracting(x -> x.score().basis()).containsOnly(Basis.DAILY_HISTORY);
  }

  @Test
  void ratesNeedTrialsInTheirHistoryAndCardsPerDeviceIsJudgedAgainstOne() {
    List<WindowStats> s = new ArrayList<>();
    long from = T0 + 4 * WEEK;
    for (int k = 4; k >= 1; k--) {
      // Busy enough for rates: 100 events, 2 declines, 1 micro, one card per device.
      s.add(
          new WindowStats(
              KeyTypes.IP24, "203.0.113", from - k * WEEK, 100, 90, 2, 1, 5, 1, 900L, 5000L));
    }
    // Card testing: 120 attempts, 110 cards through 2 devices, nearly all micro.
    s.add(new WindowStats(KeyTypes.IP24, "203.0.113", from, 220, 200, 10, 118, 8, 60, 150L, 190L));
    List<Scored> found = SeriesScorer.score(s, FLAT, S, from, from + H);
    assertThat(found)
        .extracting(Scored::metric)
        .contains(
            AnomalyMetric.MICRO_SHARE, AnomalyMetric.MAX_CARDS_PER_DEVICE, AnomalyMetric.EVENTS);
    Scored cards =
        found.stream()
            .filter(x -> x.metric() == AnomalyMetric.MAX_CARDS_PER_DEVICE)
            .findFirst()
            .get();
    assertThat(cards.score().expected()).isEqualTo(1);
    assertThat(cards.score().severity()).isEqualTo(Severity.HIGH);
  }

  @Test
  void aKeyThatVariesMoreThanChanceNeedsMoreToAlarm() {
    // A busy key whose hours vary by about 20% around 200 (a Poisson key would vary by 7%).
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    List<WindowStats> s = new ArrayList<>();
    long from = T0 + 3 * WEEK;
    for (long t = T0; t < from; t += H) {
      s.add(w(t, Math.round(200 * (1 + 0.2 * (r.nextDouble() * 2 - 1) * 1.7))));
    }
    double[] phi =
        SeriesScorer.dispersion(
            s,
            s.stream().collect(java.util.stream.Collectors.toMap(WindowStats::windowStart, x -> x)),
            from,
            8);
    assertThat(phi[0]).isGreaterThan(4); // far from Poisson's 1
    // 290 events: a Poisson key would alarm (z > 4), this one does not; 600 still alarms.
    long t = from + 5 * H;
    List<WindowStats> ordinary = new ArrayList<>(s);
    ordinary.add(w(t, 290));
    assertThat(score(ordinary, t, t + H)).noneMatch(x -> x.metric() == AnomalyMetric.EVENTS);
    List<WindowStats> burst = new ArrayList<>(s);
    burst.add(w(t, 600));
    assertThat(score(burst, t, t + H)).anyMatch(x -> x.metric() == AnomalyMetric.EVENTS);
    // The quiet keys of the other tests have too few busy pairs: taken as Poisson.
    assertThat(
            SeriesScorer.dispersion(
                List.of(w(T0, 3), w(T0 + WEEK, 4)),
                Map.of(T0, w(T0, 3), T0 + WEEK, w(T0 + WEEK, 4)),
                T0 + 2 * WEEK,
                8))
        .containsExactly(1, 1);
  }

  @Test
  void dailyHistoryIsScaledByTheDayOfTheWeek() {
    // The type is twice as busy on Saturdays (day 5) as on other days.
    List<Pooled.SlotTotals> totals = new ArrayList<>();
    for (int slot = 0; slot < 168; slot++) {
      totals.add(
          new Pooled.SlotTotals(KeyTypes.REGION, slot, slot / 24 == 5 ? 200 : 100, 0, 0, 0, 0));
    }
    Pooled pooled = Pooled.of(totals, H, T0, T0 + WEEK);
    long saturday = T0 + 12 * DAY + 20 * H; // 2026-10-17, a Saturday, 20:00
    assertThat(pooled.dayFactor(KeyTypes.REGION, saturday, H)).isCloseTo(1.75, within(1e-9));
    assertThat(pooled.dayFactor(KeyTypes.REGION, saturday - DAY, H)).isCloseTo(0.875, within(1e-9));
    // Ten days of a key at 40 an hour on weekdays, 80 on Saturdays (one earlier week only).
    List<WindowStats> s = new ArrayList<>();
    for (long t = T0 + 2 * DAY; t < saturday; t += H) {
      s.add(w(t, (t - T0) / DAY % 7 == 5 ? 80 : 40));
    }
    s.add(w(saturday, 80));
    List<Scored> found = SeriesScorer.score(s, pooled, S, saturday, saturday + H);
    // A weekday-only baseline would expect 40 and alarm; scaled by the day factor it expects 80.
    assertThat(found).noneMatch(x -> x.metric() == AnomalyMetric.EVENTS);
    assertThat(SeriesScorer.score(s, pooled, S, saturday, saturday + H)).isEmpty();
    // Without the week's pattern, the days before (all weekdays) expect 40 and alarm.
    List<WindowStats> weekdays = s.stream().filter(x -> x.windowStart() >= T0 + 6 * DAY).toList();
    assertThat(SeriesScorer.score(weekdays, pooled, S, saturday, saturday + H))
        .noneMatch(x -> x.metric() == AnomalyMetric.EVENTS);
    assertThat(SeriesScorer.score(weekdays, FLAT, S, saturday, saturday + H))
        .anyMatch(x -> x.metric() == AnomalyMetric.EVENTS);
  }

  @Test
  void settingsAreChecked() {
    assertThatThrownBy(
            () -> new SeriesScorer.Settings(7 * 60_000L + 1, 4, WindowScorer.Config.DEFAULT))
        .isInstanceOf(FraudBatchException.class);
    assertThatThrownBy(() -> new SeriesScorer.Settings(H, 0, WindowScorer.Config.DEFAULT))
        .isInstanceOf(FraudBatchException.class);
  }

  @Test
  void ipPrefixes() {
    assertThat(KeyTypes.ip24("203.0.113.7")).isEqualTo("203.0.113");
    assertThat(KeyTypes.ip24("2001:db8::1")).isNull();
    assertThat(KeyTypes.ip24("203.0.113")).isNull();
    assertThat(KeyTypes.ip24("203.0.113.")).isNull();
    assertThat(KeyTypes.ip24(null)).isNull();
  }

  static Anomaly anomaly(
      String type, String key, long start, String metric, String sev, double score) {
    return Anomaly.newBuilder()
        .setKeyType(type)
        .setKey(key)
        .setWindowStart(Instant.ofEpochMilli(start))
        .setWindowEnd(Instant.ofEpochMilli(start + H))
        .setMetric(metric)
        .setObserved(1)
        .setExpected(0)
        .setSpread(0)
        .setScore(score)
        .setSeverity(sev)
        .setBasis("OWN_HISTORY")
        .setHistory(List.of())
        .setEvidence(
            WindowEvidence.newBuilder()
                .setEvents(1)
                .setActors(1)
                .setDeclines(0)
                .setMicro(0)
                .setNewLocationActors(0)
                .setMaxCardsPerDevice(0)
                .build())
        .setRunId("r")
        .build();
  }

  @Test
  void theRiskContextKeepsTheHighestSeverityOfTheContextPeriod() {
    long asOf = T0 + DAY;
    List<Anomaly> as =
        List.of(
            anomaly(KeyTypes.MERCHANT, "M1", T0 + 3 * H, "events", "LOW", 4.5),
            anomaly(KeyTypes.MERCHANT, "M1", T0 + 4 * H, "microShare", "HIGH", 12),
            anomaly(KeyTypes.MERCHANT, "M1", T0 + 4 * H, "events", "MEDIUM", 7),
            anomaly(KeyTypes.REGION, "US-TX", T0 + 20 * H, "events", "LOW", 4.2),
            // Ended before the context period: forgotten.
            anomaly(KeyTypes.REGION, "FR-IDF", T0 - 2 * H, "events", "HIGH", 30));
    List<RiskContext> rc = RiskContexts.build(as, asOf, DAY, "run");
    assertThat(rc).extracting(RiskContext::getKey).containsExactly("US-TX", "M1");
    RiskContext m1 = rc.get(1);
    assertThat(m1.getLevel()).isEqualTo("HIGH");
    assertThat(m1.getAmountMultiplier()).isEqualTo(0.5);
    assertThat(m1.getAnomalies()).isEqualTo(2); // two windows (three metrics)
    assertThat(m1.getTopMetric()).isEqualTo("microShare");
    assertThat(m1.getValidUntil()).isEqualTo(Instant.ofEpochMilli(T0 + 5 * H + DAY));
    assertThat(rc.get(0).getAmountMultiplier()).isEqualTo(0.85);
  }

  @Test
  void anIncidentIsFoundWhenAnyOfItsWindowsIsFlagged() {
    // NAB-style windows: long incidents, found by one flag inside; the windows' recall stays low.
    var longOne =
        new WindowEvaluation.Incident(
            "INC-1",
            "NAB_WINDOW",
            KeyTypes.REGION,
            "NAB-X",
            Map.of(T0, 40, T0 + H, 40, T0 + 2 * H, 40));
    var missed =
        new WindowEvaluation.Incident(
            "INC-2", "NAB_WINDOW", KeyTypes.REGION, "NAB-X", Map.of(T0 + DAY, 40));
    WindowEvaluation.Report r =
        WindowEvaluation.evaluate(
            Set.of(new WindowEvaluation.WindowId(KeyTypes.REGION, "NAB-X", T0 + H)),
            Map.of(new WindowEvaluation.WindowId(KeyTypes.REGION, "NAB-X", T0 + H), 40L),
            List.of(longOne, missed),
            8);
    assertThat(r.scenarios())
        .containsExactly(new WindowEvaluation.ScenarioRecall("NAB_WINDOW", 2, 4, 1, 0, 1));
    assertThat(r.scenarios().get(0).incidentRecall()).isEqualTo(0.5);
    assertThat(r.recall()).isEqualTo(0.25);
    assertThat(r.table()).contains("50.0%");
  }

  @Test
  void evaluationCountsIncidentWindowsTheJobCanSeeAndExplainedFlags() {
    var i1 =
        new WindowEvaluation.Incident(
            "INC-1",
            "COMPROMISED_MERCHANT",
            KeyTypes.MERCHANT,
            "M1",
            Map.of(T0, 2, T0 + H, 12, T0 + 2 * H, 9));
    var i2 =
        new WindowEvaluation.Incident(
            "INC-2", "REGIONAL_BURST", KeyTypes.REGION, "US-TX", Map.of(T0, 120));
    Set<WindowEvaluation.WindowId> flagged =
        Set.of(
            new WindowEvaluation.WindowId(KeyTypes.MERCHANT, "M1", T0 + H),
            new WindowEvaluation.WindowId(KeyTypes.REGION, "US-TX", T0),
            new WindowEvaluation.WindowId(KeyTypes.MCC, "5732", T0 + 5 * H));
    Map<WindowEvaluation.WindowId, Long> labelled =
        Map.of(
            new WindowEvaluation.WindowId(KeyTypes.MERCHANT, "M1", T0 + H), 12L,
            new WindowEvaluation.WindowId(KeyTypes.REGION, "US-TX", T0), 120L,
            new WindowEvaluation.WindowId(KeyTypes.MCC, "5732", T0 + 5 * H), 2L);
    WindowEvaluation.Report r = WindowEvaluation.evaluate(flagged, labelled, List.of(i1, i2), 8);
    // M1: windows with 12 and 9 count (2 is thin); one of them found.
    assertThat(r.scenarios())
        .containsExactly(
            new WindowEvaluation.ScenarioRecall("COMPROMISED_MERCHANT", 1, 2, 1, 1, 1),
            new WindowEvaluation.ScenarioRecall("REGIONAL_BURST", 1, 1, 1, 0, 1));
    assertThat(r.recall()).isEqualTo(2 / 3.0);
    assertThat(r.precision()).isEqualTo(2 / 3.0); // the mcc flag holds only 2 labelled events
    assertThat(r.table()).contains("COMPROMISED_MERCHANT").contains("66.7%");
    // With severities: only the regional burst's window was HIGH.
    Map<WindowEvaluation.WindowId, Severity> sev = new java.util.HashMap<>();
    for (WindowEvaluation.WindowId w : flagged) {
      sev.put(w, w.keyType().equals(KeyTypes.REGION) ? Severity.HIGH : Severity.LOW);
    }
    WindowEvaluation.Report s = WindowEvaluation.evaluate(sev, labelled, List.of(i1, i2), 8);
    assertThat(s.bySeverity())
        .containsExactly(
            new WindowEvaluation.SeverityRow(Severity.LOW, 3, 2, 3, 2),
            new WindowEvaluation.SeverityRow(Severity.MEDIUM, 3, 1, 1, 1),
            new WindowEvaluation.SeverityRow(Severity.HIGH, 3, 1, 1, 1));
  }
}
