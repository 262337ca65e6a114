package io.fraudbatch.core.anomaly;

import io.fraudbatch.core.FraudBatchException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;

/**
 * Scores one window of one key (a region, merchant, IP prefix...) against its baseline: the same
 * key's values at the same hour of week in earlier weeks (only data before the window), compared
 * robustly — the median as the expectation and the median absolute deviation (MAD, scaled by 1.4826
 * to estimate a standard deviation) as the spread, so one past incident in the history does not
 * move the baseline. The spread never falls below what chance alone gives (Poisson for counts,
 * binomial for rates), so a key whose history is perfectly flat is not alarmed by noise.
 *
 * <p>Fallbacks: with fewer than {@link Config#minHistory} past values, the expectation is the
 * pooled pattern (all keys' median at that hour of week) scaled to this key's share of volume,
 * given by the caller; without that either, the window is not scored. Guards: a window whose
 * observed and expected volume are both under {@link Config#minVolume} is never reported, so tiny
 * keys do not flood the output.
 *
 * <p>Scores are signed ({@code (observed - expected) / spread}); severities come from positive
 * scores only (fraud raises volumes and rates).
 */
public final class WindowScorer {
  /** 1 / Phi^-1(3/4): the MAD of a normal distribution times this is its standard deviation. */
  public static final double MAD_TO_SIGMA = 1.4826;

  private WindowScorer() {}

  /** Severity of a window. */
  public enum Severity {
    NONE,
    LOW,
    MEDIUM,
    HIGH
  }

  /** Where the expectation came from. */
  public enum Basis {
    OWN_HISTORY,
    POOLED,
    NO_BASELINE,
    BELOW_MINIMUM_VOLUME
  }

  /**
   * @param minHistory past values of the same key and hour of week needed to use its own history
   * @param minVolume events (counts) or trials (rates) below which a window is never reported
   * @param low score from which a window is LOW
   * @param medium score from which MEDIUM
   * @param high score from which HIGH
   */
  public record Config(int minHistory, double minVolume, double low, double medium, double high) {
    public static final Config DEFAULT = new Config(3, 20, 4, 6, 10);

    public Config {
      FraudBatchException.check(
          minHistory >= 1, "minHistory must be at least 1 (got %d)", minHistory);
      FraudBatchException.check(
          0 < low && low <= medium && medium <= high,
          "severity scores must satisfy 0 < low <= medium <= high (got %s, %s, %s)",
          low,
          medium,
          high);
    }

    Severity severity(double score) {
      if (!(score >= low)) {
        return Severity.NONE;
      }
      return score >= high ? Severity.HIGH : score >= medium ? Severity.MEDIUM : Severity.LOW;
    }
  }

  /** A scored window: what was seen, what was expected, how unusual, and on what basis. */
  public record Score(
      double observed,
      double expected,
      double spread,
      double score,
      Severity severity,
      Basis basis) {
    public boolean anomalous() {
      return severity != Severity.NONE;
    }
  }

  /**
   * A count metric (events, distinct actors, distinct cards...).
   *
   * @param history the key's values at the same hour of week in earlier weeks (any order)
   * @param pooledExpected the fallback expectation (pooled pattern scaled to the key), or NaN
   */
  public static Score count(double observed, double[] history, double pooledExpected, Config c) {
    double expected;
    double spread;
    Basis basis;
    if (history.length >= c.minHistory()) {
      expected = median(history);
      spread = Math.max(MAD_TO_SIGMA * mad(history, expected), Math.sqrt(Math.max(expected, 1)));
      basis = Basis.OWN_HISTORY;
    } else if (!Double.isNaN(pooledExpected)) {
      expected = pooledExpected;
      spread = Math.sqrt(Math.max(expected, 1));
      basis = Basis.POOLED;
    } else {
      return new Score(
          observed, Double.NaN, Double.NaN, Double.NaN, Severity.NONE, Basis.NO_BASELINE);
    }
    double score = (observed - expected) / spread;
    if (observed < c.minVolume() && expected < c.minVolume()) {
      return new Score(
          observed, expected, spread, score, Severity.NONE, Basis.BELOW_MINIMUM_VOLUME);
    }
    return new Score(observed, expected, spread, score, c.severity(score), basis);
  }

  /**
   * A rate metric: {@code hits} of {@code trials} (declines of transactions, micro-transactions of
   * transactions, actors at a new place of actors).
   *
   * @param historyRates the key's rates at the same hour of week in earlier weeks
   * @param pooledRate the fallback expected rate, or NaN
   */
  public static Score rate(
      long hits, long trials, double[] historyRates, double pooledRate, Config c) {
    FraudBatchException.check(
        0 <= hits && hits <= trials,
        "a rate needs 0 <= hits <= trials (got %d of %d)",
        hits,
        trials);
    double observed = trials == 0 ? 0 : (double) hits / trials;
    double expected;
    Basis basis;
    double historySpread = 0;
    if (historyRates.length >= c.minHistory()) {
      expected = median(historyRates);
      historySpread = MAD_TO_SIGMA * mad(historyRates, expected);
      basis = Basis.OWN_HISTORY;
    } else if (!Double.isNaN(pooledRate)) {
      expected = pooledRate;
      basis = Basis.POOLED;
    } else {
      return new Score(
          observed, Double.NaN, Double.NaN, Double.NaN, Severity.NONE, Basis.NO_BASELINE);
    }
    // Binomial chance at this many trials, with a floor of one hit in the window's trials.
    double p = Math.min(Math.max(expected, 1.0 / Math.max(trials, 1)), 1 - 1e-9);
    double spread = Math.max(historySpread, Math.sqrt(p * (1 - p) / Math.max(trials, 1)));
    double score = (observed - expected) / spread;
    if (trials < c.minVolume()) {
      return new Score(
          observed, expected, spread, score, Severity.NONE, Basis.BELOW_MINIMUM_VOLUME);
    }
    return new Score(observed, expected, spread, score, c.severity(score), basis);
  }

  /** The median (mean of the two middle values for an even count); NaN when empty. */
  public static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  /** The median absolute deviation from {@code center}. */
  public static double mad(double[] values, double center) {
    double[] d = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      d[i] = Math.abs(values[i] - center);
    }
    return median(d);
  }

  /** Hour of week of an instant, UTC: Monday 00:00-00:59 is 0, Sunday 23:00-23:59 is 167. */
  public static int hourOfWeek(long epochMillis) {
    ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC);
    return (t.getDayOfWeek().getValue() - DayOfWeek.MONDAY.getValue()) * 24 + t.getHour();
  }
}
