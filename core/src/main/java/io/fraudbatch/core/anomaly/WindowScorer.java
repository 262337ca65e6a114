package io.fraudbatch.core.anomaly;

import io.fraudbatch.core.FraudBatchException;
import java.util.Arrays;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.special.Beta;

/**
 * Scores one window of one key (a region, merchant, IP prefix...) against its baseline: the same
 * key's values at the same time of week in earlier weeks (only data before the window), compared
 * robustly — the median as the expectation and the median absolute deviation (MAD, scaled by 1.4826
 * to estimate a standard deviation) as the history's spread, so one past incident in the history
 * does not move the baseline.
 *
 * <p>A window must be unusual twice to score high: against chance and against the key's history.
 * The <em>chance score</em> is the exact tail probability of the observation under what the history
 * predicts — for counts the negative binomial predictive of Poisson counts given the earlier
 * periods (see {@link #count(double, double[], double, double, Config)}), for rates the binomial at
 * the expected rate with at least one expected hit in the window's trials — turned into a one-sided
 * normal score; the <em>history score</em> is {@code (observed - expected) / spread}. The score is
 * the smaller of the two (in absolute value), signed, capped at {@link #MAX_SCORE}. So a perfectly
 * flat history does not make noise alarming, and a noisy key needs more than chance to alarm. Exact
 * tails matter for small keys: a normal approximation at 15 transactions and a 2% decline rate
 * calls three declines a 5-sigma event; the binomial tail (at the floor of one expected decline in
 * 15) says 1.45.
 *
 * <p>Fallbacks: with fewer than {@link Config#minHistory} past values, the expectation is the
 * pooled pattern (all keys' shape at that time of week scaled to this key's volume, or a pooled
 * rate), given by the caller; without that either, the window is not scored. Guards: a count window
 * whose observed and expected values are both under {@link Config#minVolume}, or a rate over fewer
 * trials than that, is never reported, so tiny keys do not flood the output.
 *
 * <p>Severities come from positive scores only (fraud raises volumes and rates).
 */
public final class WindowScorer {
  /** 1 / Phi^-1(3/4): the MAD of a normal distribution times this is its standard deviation. */
  public static final double MAD_TO_SIGMA = 1.4826;

  /** Scores are capped here (a tail probability under about 1e-350 is just "impossible"). */
  public static final double MAX_SCORE = 40;

  private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

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
    /** The same key at the same time of week in earlier weeks. */
    OWN_HISTORY,
    /** The same key at the same time of day on the days just before (too few earlier weeks). */
    DAILY_HISTORY,
    POOLED,
    NO_BASELINE,
    BELOW_MINIMUM_VOLUME
  }

  /**
   * @param minHistory past values of the same key and time of week needed to use its own history
   * @param minVolume events (counts) or trials (rates) below which a window is never reported
   * @param low score from which a window is LOW
   * @param medium score from which MEDIUM
   * @param high score from which HIGH
   */
  public record Config(int minHistory, double minVolume, double low, double medium, double high)
      implements java.io.Serializable {
    public static final Config DEFAULT = new Config(3, 8, 4, 6, 10);

    public Config {
      FraudBatchException.check(
          minHistory >= 1, "minHistory must be at least 1 (got %d)", minHistory);
      FraudBatchException.check(
          minVolume >= 1, "the minimum volume must be at least 1 (got %s)", minVolume);
      FraudBatchException.check(
          0 < low && low <= medium && medium <= high,
          "severity scores must satisfy 0 < low <= medium <= high (got %s, %s, %s)",
          low,
          medium,
          high);
    }

    public Severity severity(double score) {
      if (!(score >= low)) {
        return Severity.NONE;
      }
      return score >= high ? Severity.HIGH : score >= medium ? Severity.MEDIUM : Severity.LOW;
    }
  }

  /**
   * A scored window: what was seen, what was expected, the history's robust spread (0 for a pooled
   * baseline), how unusual, and on what basis.
   */
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
   * A count metric (events, distinct actors, distinct cards...), with a pooled fallback worth one
   * period of evidence.
   */
  public static Score count(double observed, double[] history, double pooledExpected, Config c) {
    return count(observed, history, pooledExpected, 1, 1, c);
  }

  /**
   * A count metric (events, distinct actors, distinct cards...).
   *
   * <p>The chance score is the tail of the <em>predictive</em> distribution of a new window given
   * {@code n} earlier ones that average {@code expected} (Poisson counts with a Jeffreys prior on
   * the rate: negative binomial with {@code r = n * expected + 1/2}, {@code p = n / (n + 1)}). It
   * is wider than a Poisson at the expectation by exactly what {@code n} periods cannot tell: three
   * quiet weeks do not prove a rate of zero, while a key seen busy for many weeks is judged nearly
   * as a Poisson. The robust part stays: {@code expected} is the history's median, not its mean.
   *
   * @param history the key's values at the same time in earlier periods (any order)
   * @param pooledExpected the fallback expectation (pooled pattern scaled to the key), or NaN
   *     <p>A key whose counts vary more than Poisson counts ({@code dispersion} > 1: crowds, days
   *     of the week, promotions) has its chance score divided by the square root of the dispersion
   *     (a quasi-Poisson predictive).
   * @param pooledPeriods how many periods of the key's own data the pooled expectation rests on
   * @param dispersion the key's variance / mean ratio (1 for Poisson counts)
   */
  public static Score count(
      double observed,
      double[] history,
      double pooledExpected,
      double pooledPeriods,
      double dispersion,
      Config c) {
    return count(observed, history, pooledExpected, pooledPeriods, dispersion, 0, c);
  }

  /**
   * As {@link #count(double, double[], double, double, double, Config)}, with a floor under the
   * history's median: the key's level over its trailing days at this slot, so a sparse key whose
   * same-slot history is mostly zero is judged against its real rate, not against zero.
   */
  public static Score count(
      double observed,
      double[] history,
      double pooledExpected,
      double pooledPeriods,
      double dispersion,
      double levelFloor,
      Config c) {
    double expected;
    double spread;
    double n;
    Basis basis;
    if (history.length >= c.minHistory()) {
      expected = Math.max(median(history), levelFloor);
      spread = MAD_TO_SIGMA * mad(history, expected);
      n = history.length;
      basis = Basis.OWN_HISTORY;
    } else if (!Double.isNaN(pooledExpected)) {
      expected = pooledExpected;
      spread = 0;
      n = Math.max(pooledPeriods, 1);
      basis = Basis.POOLED;
    } else {
      return new Score(
          observed, Double.NaN, Double.NaN, Double.NaN, Severity.NONE, Basis.NO_BASELINE);
    }
    double r = n * expected + 0.5;
    double p = n / (n + 1);
    double predictiveMean = r * (1 - p) / p;
    double k = Math.rint(observed);
    double chance =
        k >= predictiveMean
            // P(X >= k) = I_(1-p)(k, r), the regularized incomplete beta function
            ? score(k <= 0 ? 1 : Beta.regularizedBeta(1 - p, k, r))
            // P(X <= k) = I_p(r, k + 1)
            : -score(Beta.regularizedBeta(p, r, k + 1));
    chance /= Math.sqrt(Math.max(dispersion, 1));
    double score = combine(observed - expected, chance, spread);
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
   * @param historyRates the key's rates at the same time of week in earlier weeks
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
    double spread = 0;
    if (historyRates.length >= c.minHistory()) {
      expected = median(historyRates);
      spread = MAD_TO_SIGMA * mad(historyRates, expected);
      basis = Basis.OWN_HISTORY;
    } else if (!Double.isNaN(pooledRate)) {
      expected = pooledRate;
      basis = Basis.POOLED;
    } else {
      return new Score(
          observed, Double.NaN, Double.NaN, Double.NaN, Severity.NONE, Basis.NO_BASELINE);
    }
    int n = (int) Math.min(Math.max(trials, 1), Integer.MAX_VALUE);
    // At least one expected hit in the window's trials; a certain hit is not a probability.
    double p = Math.min(Math.max(expected, 1.0 / n), 1 - 1e-9);
    double chance =
        observed >= p
            // P(X >= hits) = I_p(hits, n - hits + 1), the regularized incomplete beta function
            ? score(hits == 0 ? 1 : Beta.regularizedBeta(p, hits, n - hits + 1.0))
            // P(X <= hits) = I_(1-p)(n - hits, hits + 1)
            : -score(hits >= n ? 1 : Beta.regularizedBeta(1 - p, n - hits, hits + 1.0));
    double score = combine(observed - expected, chance, spread);
    if (trials < c.minVolume()) {
      return new Score(
          observed, expected, spread, score, Severity.NONE, Basis.BELOW_MINIMUM_VOLUME);
    }
    return new Score(observed, expected, spread, score, c.severity(score), basis);
  }

  /**
   * The one-sided normal score of a tail probability: the z with P(Z >= z) = {@code tail}, capped
   * at {@link #MAX_SCORE}. Accurate far into the tail (an asymptotic expansion below 1e-15, where
   * the inverse normal CDF runs out of floating-point precision).
   */
  static double score(double tail) {
    if (!(tail > 0)) {
      return MAX_SCORE;
    }
    if (tail >= 1) {
      return -MAX_SCORE;
    }
    double z;
    if (tail < 1e-15) {
      double t = -2 * Math.log(tail);
      // P(Z >= z) ~ phi(z) / z, solved for z: accurate to about 0.01 here.
      z = Math.sqrt(t - Math.log(2 * Math.PI * t));
    } else {
      z = -NORMAL.inverseCumulativeProbability(tail);
    }
    return Math.max(-MAX_SCORE, Math.min(MAX_SCORE, z));
  }

  /** The smaller of the chance score and the history score, with the deviation's sign. */
  private static double combine(double deviation, double chance, double spread) {
    if (deviation == 0) {
      return 0;
    }
    double history = spread > 0 ? deviation / spread : Math.signum(deviation) * MAX_SCORE;
    double s = Math.abs(chance) < Math.abs(history) ? Math.abs(chance) : Math.abs(history);
    // A chance score of the wrong sign (observed between expected and the floor) means: no signal.
    if (Math.signum(chance) != Math.signum(deviation)) {
      s = 0;
    }
    return Math.signum(deviation) * Math.min(s, MAX_SCORE);
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

  /** One week in milliseconds. */
  public static final long WEEK_MS = 7 * 24 * 3600_000L;

  /** 1970-01-05T00:00Z, a Monday: weeks start on Mondays, UTC. */
  private static final long MONDAY = 4 * 24 * 3600_000L;

  /**
   * The slot of a window within its week, UTC: with one-hour windows, Monday 00:00-00:59 is 0 and
   * Sunday 23:00-23:59 is 167; with 15-minute windows there are 672 slots.
   */
  public static int slotOfWeek(long epochMillis, long windowMs) {
    return (int) (Math.floorMod(epochMillis - MONDAY, WEEK_MS) / windowMs);
  }

  /** Slots per week for windows of this length (which must divide a week). */
  public static int slotsPerWeek(long windowMs) {
    FraudBatchException.check(
        windowMs > 0 && WEEK_MS % windowMs == 0,
        "the window length must divide a week exactly (got %d ms)",
        windowMs);
    return (int) (WEEK_MS / windowMs);
  }
}
