package io.fraudbatch.core.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fraudbatch.core.FraudBatchException;
import io.fraudbatch.core.anomaly.WindowScorer.Basis;
import io.fraudbatch.core.anomaly.WindowScorer.Config;
import io.fraudbatch.core.anomaly.WindowScorer.Severity;
import java.time.Instant;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

class WindowScorerTest {
  // The scores these tests expect are the scorer's, so the severities are pinned, not the defaults.
  static final Config C = new Config(3, 8, 4, 6, 10);
  static final NormalDistribution N = new NormalDistribution();

  /** P(X >= k) for X ~ Poisson(lambda), by summing the pmf (independent of the scorer's gamma). */
  static double poissonAtLeast(int k, double lambda) {
    double term = Math.exp(-lambda);
    double below = 0;
    for (int i = 0; i < k; i++) {
      below += term;
      term *= lambda / (i + 1);
    }
    double above = 0;
    for (int i = k; i < k + 2000; i++) {
      above += term;
      term *= lambda / (i + 1);
    }
    return above;
  }

  /**
   * P(X >= k) for the negative binomial predictive of {@code n} earlier periods averaging {@code
   * mean} (r = n mean + 1/2, p = n / (n + 1)), by summing the pmf.
   */
  static double predictiveAtLeast(int k, double mean, double n) {
    double r = n * mean + 0.5;
    double p = n / (n + 1);
    double pmf = Math.pow(p, r);
    double above = 0;
    for (int x = 0; x < k + 20_000; x++) {
      if (x >= k) {
        above += pmf;
      }
      pmf *= (x + r) / (x + 1) * (1 - p);
    }
    return above;
  }

  static double z(double tail) {
    return -N.inverseCumulativeProbability(tail);
  }

  @Test
  void ordinaryWeeksAreQuietAndABurstIsHigh() {
    double[] history = {100, 104, 98, 101, 99, 97, 100};
    WindowScorer.Score normal = WindowScorer.count(103, history, Double.NaN, C);
    assertThat(normal.basis()).isEqualTo(Basis.OWN_HISTORY);
    assertThat(normal.expected()).isEqualTo(100); // median of 97 98 99 100 100 101 104
    assertThat(normal.spread()).isCloseTo(1.4826, within(1e-9)); // MAD 1
    assertThat(normal.severity()).isEqualTo(Severity.NONE);

    // The history alone says (150 - 100) / 1.48 = 34; chance given seven weeks at 100 says less,
    // and a little less than a Poisson at 100 would (the seven weeks are evidence, not certainty).
    WindowScorer.Score s = WindowScorer.count(150, history, Double.NaN, C);
    assertThat(s.score()).isCloseTo(z(predictiveAtLeast(150, 100, 7)), within(1e-6));
    assertThat(s.score()).isLessThan(z(poissonAtLeast(150, 100)));
    assertThat(s.score()).isBetween(4.0, 6.0);
    assertThat(s.severity()).isEqualTo(Severity.LOW);
    assertThat(WindowScorer.count(300, history, Double.NaN, C).severity()).isEqualTo(Severity.HIGH);
    // A drop is scored (negative) but never an alarm.
    assertThat(WindowScorer.count(10, history, Double.NaN, C).score()).isNegative();
    assertThat(WindowScorer.count(10, history, Double.NaN, C).anomalous()).isFalse();
  }

  @Test
  void onePastIncidentDoesNotMoveTheBaseline() {
    double[] withIncident = {100, 104, 98, 2_000, 99, 97, 100};
    WindowScorer.Score s = WindowScorer.count(300, withIncident, Double.NaN, C);
    assertThat(s.expected()).isEqualTo(100);
    assertThat(s.severity()).isEqualTo(Severity.HIGH);
  }

  @Test
  void noisyKeysNeedMoreToAlarm() {
    double[] noisy = {50, 150, 80, 120, 100, 60, 140};
    WindowScorer.Score s = WindowScorer.count(160, noisy, Double.NaN, C);
    // median 100, MAD 40 → spread 59.3: chance alone would call 160 a 5.5-sigma event.
    assertThat(s.spread()).isCloseTo(59.304, within(1e-3));
    assertThat(z(poissonAtLeast(160, 100))).isGreaterThan(5);
    assertThat(s.score()).isCloseTo(60 / 59.304, within(1e-3));
    assertThat(s.severity()).isEqualTo(Severity.NONE);
  }

  @Test
  void littleHistoryFallsBackToThePooledPatternAndNoneGivesNoScore() {
    double[] short1 = {40};
    // A pooled expectation resting on four weeks of the key's volume.
    WindowScorer.Score pooled = WindowScorer.count(70, short1, 36, 4, 1, C);
    assertThat(pooled.basis()).isEqualTo(Basis.POOLED);
    assertThat(pooled.expected()).isEqualTo(36);
    assertThat(pooled.spread()).isZero();
    assertThat(pooled.score()).isCloseTo(z(predictiveAtLeast(70, 36, 4)), within(1e-6));
    assertThat(pooled.severity()).isEqualTo(Severity.LOW);
    // A key twice as variable as Poisson counts: the chance score shrinks by sqrt(2).
    assertThat(WindowScorer.count(70, short1, 36, 4, 2, C).score())
        .isCloseTo(pooled.score() / Math.sqrt(2), within(1e-9));
    // The same on one week's evidence is less sure.
    assertThat(WindowScorer.count(70, short1, 36, 1, 1, C).score()).isLessThan(pooled.score());

    WindowScorer.Score none = WindowScorer.count(200, short1, Double.NaN, C);
    assertThat(none.basis()).isEqualTo(Basis.NO_BASELINE);
    assertThat(none.anomalous()).isFalse();
  }

  @Test
  void aQuietKeyIsJudgedByWhatItsFewQuietWeeksCanTell() {
    double[] quiet = {0, 0, 1, 0, 0};
    // Median 0, MAD 0: the history alone would call anything infinite; the predictive of five
    // quiet periods decides.
    WindowScorer.Score s = WindowScorer.count(7, quiet, Double.NaN, C);
    assertThat(s.score()).isCloseTo(z(predictiveAtLeast(7, 0, 5)), within(1e-6));
    assertThat(s.score()).isGreaterThan(C.low()); // 7 events where 0 are usual...
    assertThat(s.basis()).isEqualTo(Basis.BELOW_MINIMUM_VOLUME); // ...but under 8: not reported
    assertThat(s.anomalous()).isFalse();
    WindowScorer.Score twelve = WindowScorer.count(12, quiet, Double.NaN, C);
    assertThat(twelve.score()).isCloseTo(z(predictiveAtLeast(12, 0, 5)), within(1e-6));
    assertThat(twelve.severity()).isIn(Severity.MEDIUM, Severity.HIGH);
    // Three quiet weeks say less than five.
    assertThat(WindowScorer.count(12, new double[] {0, 0, 0}, Double.NaN, C).score())
        .isLessThan(twelve.score());
  }

  @Test
  void ratesUseTheExactBinomialTail() {
    double[] declines = {0.02, 0.025, 0.015, 0.02, 0.03};
    WindowScorer.Score wave = WindowScorer.rate(30, 200, declines, Double.NaN, C);
    assertThat(wave.observed()).isEqualTo(0.15);
    assertThat(wave.expected()).isEqualTo(0.02);
    // History: (0.15 - 0.02) / 0.0074 = 17.5; chance at 4 expected declines of 200 says less.
    assertThat(wave.score()).isBetween(6.0, 10.0);
    assertThat(wave.severity()).isEqualTo(Severity.MEDIUM);
    assertThat(WindowScorer.rate(5, 200, declines, Double.NaN, C).anomalous()).isFalse();
    // Three declines of 15 where 2% is usual: chance is judged at one expected decline in the
    // window's 15 (p = 1/15), P(X >= 3) = 1 - P(0) - P(1) - P(2) = 0.074, a 1.45-sigma event
    // (a normal approximation at 2% would call it 5).
    double p = 1 / 15.0;
    double p0 = Math.pow(1 - p, 15);
    double p1 = 15 * p * Math.pow(1 - p, 14);
    double p2 = 105 * p * p * Math.pow(1 - p, 13);
    WindowScorer.Score three = WindowScorer.rate(3, 15, declines, Double.NaN, C);
    assertThat(three.score()).isCloseTo(z(1 - p0 - p1 - p2), within(1e-6));
    assertThat(three.score()).isCloseTo(1.45, within(0.01));
    assertThat(three.anomalous()).isFalse();
    // Under the minimum volume: never reported.
    WindowScorer.Score few = WindowScorer.rate(3, 3, declines, Double.NaN, C);
    assertThat(few.basis()).isEqualTo(Basis.BELOW_MINIMUM_VOLUME);
    assertThat(few.anomalous()).isFalse();
    // A constant zero history does not make one decline infinitely surprising: at least one
    // expected hit per window.
    double[] zeros = {0, 0, 0, 0};
    WindowScorer.Score one = WindowScorer.rate(1, 100, zeros, Double.NaN, C);
    assertThat(one.score()).isLessThanOrEqualTo(0);
    assertThat(one.anomalous()).isFalse();
    WindowScorer.Score all = WindowScorer.rate(40, 40, zeros, Double.NaN, C);
    assertThat(all.severity()).isEqualTo(Severity.HIGH);
    assertThatThrownBy(() -> WindowScorer.rate(5, 3, zeros, Double.NaN, C))
        .isInstanceOf(FraudBatchException.class);
  }

  @Test
  void tailScoresStayAccurateFarOut() {
    assertThat(WindowScorer.score(0.5)).isCloseTo(0, within(1e-9));
    assertThat(WindowScorer.score(N.cumulativeProbability(-3))).isCloseTo(3, within(1e-6));
    // 1e-16 is z = 8.22; 1e-100 is 21.27 (tables of the normal tail).
    assertThat(WindowScorer.score(1e-16)).isCloseTo(8.22, within(0.02));
    assertThat(WindowScorer.score(1e-100)).isCloseTo(21.27, within(0.03));
    assertThat(WindowScorer.score(0)).isEqualTo(WindowScorer.MAX_SCORE);
  }

  @Test
  void statisticsAndSlotsOfTheWeek() {
    assertThat(WindowScorer.median(new double[] {3, 1, 2})).isEqualTo(2);
    assertThat(WindowScorer.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    assertThat(WindowScorer.median(new double[0])).isNaN();
    assertThat(WindowScorer.mad(new double[] {1, 2, 3, 4, 100}, 3)).isEqualTo(1);
    long hour = 3600_000L;
    // 2026-11-23 is a Monday.
    assertThat(WindowScorer.slotOfWeek(ms("2026-11-23T00:30:00Z"), hour)).isZero();
    assertThat(WindowScorer.slotOfWeek(ms("2026-11-29T23:59:59Z"), hour)).isEqualTo(167);
    assertThat(WindowScorer.slotOfWeek(ms("2026-11-25T13:00:00Z"), hour)).isEqualTo(61);
    assertThat(WindowScorer.slotOfWeek(ms("2026-11-25T13:20:00Z"), hour / 4)).isEqualTo(245);
    assertThat(WindowScorer.slotOfWeek(ms("1969-12-29T01:00:00Z"), hour)).isEqualTo(1);
    assertThat(WindowScorer.slotsPerWeek(hour / 4)).isEqualTo(672);
    assertThatThrownBy(() -> WindowScorer.slotsPerWeek(11 * 60_000L))
        .isInstanceOf(FraudBatchException.class);
    assertThatThrownBy(() -> new Config(3, 20, 6, 4, 10)).isInstanceOf(FraudBatchException.class);
  }

  static long ms(String t) {
    return Instant.parse(t).toEpochMilli();
  }
}
