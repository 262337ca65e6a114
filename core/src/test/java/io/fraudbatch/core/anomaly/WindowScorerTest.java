package io.fraudbatch.core.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fraudbatch.core.FraudBatchException;
import io.fraudbatch.core.anomaly.WindowScorer.Basis;
import io.fraudbatch.core.anomaly.WindowScorer.Config;
import io.fraudbatch.core.anomaly.WindowScorer.Severity;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WindowScorerTest {
  static final Config C = Config.DEFAULT;

  @Test
  void ordinaryWeeksAreQuietAndABurstIsHigh() {
    double[] history = {100, 104, 98, 101, 99, 97, 100};
    WindowScorer.Score normal = WindowScorer.count(103, history, Double.NaN, C);
    assertThat(normal.basis()).isEqualTo(Basis.OWN_HISTORY);
    assertThat(normal.expected()).isEqualTo(100); // median of 97 98 99 100 100 101 104
    assertThat(normal.severity()).isEqualTo(Severity.NONE);

    WindowScorer.Score burst = WindowScorer.count(300, history, Double.NaN, C);
    // MAD = 1 → 1.48; the Poisson floor sqrt(100) = 10 wins: (300 - 100) / 10 = 20.
    assertThat(burst.spread()).isEqualTo(10);
    assertThat(burst.score()).isEqualTo(20);
    assertThat(burst.severity()).isEqualTo(Severity.HIGH);
    assertThat(WindowScorer.count(160, history, Double.NaN, C).severity())
        .isEqualTo(Severity.MEDIUM);
    assertThat(WindowScorer.count(145, history, Double.NaN, C).severity()).isEqualTo(Severity.LOW);
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
    // median 100, MAD 40 → spread 59.3: a 160 is ordinary here.
    assertThat(s.spread()).isCloseTo(59.304, within(1e-3));
    assertThat(s.severity()).isEqualTo(Severity.NONE);
  }

  @Test
  void littleHistoryFallsBackToThePooledPatternAndNoneGivesNoScore() {
    double[] short1 = {40};
    WindowScorer.Score pooled = WindowScorer.count(200, short1, 36, C);
    assertThat(pooled.basis()).isEqualTo(Basis.POOLED);
    assertThat(pooled.expected()).isEqualTo(36);
    assertThat(pooled.score()).isCloseTo(164 / 6.0, within(1e-9));
    assertThat(pooled.severity()).isEqualTo(Severity.HIGH);

    WindowScorer.Score none = WindowScorer.count(200, short1, Double.NaN, C);
    assertThat(none.basis()).isEqualTo(Basis.NO_BASELINE);
    assertThat(none.anomalous()).isFalse();
  }

  @Test
  void tinyKeysAreNeverReported() {
    double[] quiet = {0, 1, 0, 0, 1};
    WindowScorer.Score s = WindowScorer.count(12, quiet, Double.NaN, C);
    assertThat(s.score()).isGreaterThan(C.high()); // 12 events where 0 are usual...
    assertThat(s.basis()).isEqualTo(Basis.BELOW_MINIMUM_VOLUME); // ...but under 20: not reported
    assertThat(s.anomalous()).isFalse();
    assertThat(WindowScorer.count(25, quiet, Double.NaN, C).anomalous()).isTrue();
  }

  @Test
  void ratesUseTheBinomialSpreadAtThisManyTrials() {
    double[] declines = {0.02, 0.025, 0.015, 0.02, 0.03};
    WindowScorer.Score wave = WindowScorer.rate(30, 200, declines, Double.NaN, C);
    assertThat(wave.observed()).isEqualTo(0.15);
    assertThat(wave.expected()).isEqualTo(0.02);
    // MAD 0.005 → 0.0074; binomial sqrt(0.02 * 0.98 / 200) = 0.0099 wins.
    assertThat(wave.spread()).isCloseTo(Math.sqrt(0.02 * 0.98 / 200), within(1e-12));
    assertThat(wave.severity()).isEqualTo(Severity.HIGH);
    assertThat(WindowScorer.rate(5, 200, declines, Double.NaN, C).anomalous()).isFalse();
    // The same share over three transactions is noise and under the minimum volume.
    WindowScorer.Score few = WindowScorer.rate(1, 3, declines, Double.NaN, C);
    assertThat(few.basis()).isEqualTo(Basis.BELOW_MINIMUM_VOLUME);
    assertThat(few.anomalous()).isFalse();
    // A constant zero history does not make every decline infinitely surprising.
    double[] zeros = {0, 0, 0, 0};
    WindowScorer.Score one = WindowScorer.rate(1, 100, zeros, Double.NaN, C);
    assertThat(one.score()).isCloseTo(1.0 / Math.sqrt(0.01 * 0.99) / 10, within(1e-9));
    assertThat(one.anomalous()).isFalse();
    assertThatThrownBy(() -> WindowScorer.rate(5, 3, zeros, Double.NaN, C))
        .isInstanceOf(FraudBatchException.class);
  }

  @Test
  void statisticsAndHourOfWeek() {
    assertThat(WindowScorer.median(new double[] {3, 1, 2})).isEqualTo(2);
    assertThat(WindowScorer.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    assertThat(WindowScorer.median(new double[0])).isNaN();
    assertThat(WindowScorer.mad(new double[] {1, 2, 3, 4, 100}, 3)).isEqualTo(1);
    // 2026-11-23 is a Monday.
    assertThat(WindowScorer.hourOfWeek(Instant.parse("2026-11-23T00:30:00Z").toEpochMilli()))
        .isZero();
    assertThat(WindowScorer.hourOfWeek(Instant.parse("2026-11-29T23:59:59Z").toEpochMilli()))
        .isEqualTo(167);
    assertThat(WindowScorer.hourOfWeek(Instant.parse("2026-11-25T13:00:00Z").toEpochMilli()))
        .isEqualTo(61);
    assertThatThrownBy(() -> new Config(3, 20, 6, 4, 10)).isInstanceOf(FraudBatchException.class);
  }
}
