package io.fraudbatch.core.anomaly;

import io.fraudbatch.core.FraudBatchException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores every window of one key's series in a period against the key's own history (only earlier
 * data: no look-ahead). The baseline, in order of preference: the same time of week in the last
 * {@code baselineWeeks} weeks (weekly seasonality), when the key has at least {@code minHistory} of
 * them; else the same time of day on the last {@link #DAILY_DAYS} days (daily seasonality: a
 * region's day follows its own time zone, which a pattern pooled over all regions cannot know);
 * else the pooled pattern ({@link Pooled}) scaled to the key's volume. The per-window statistics
 * are in {@link WindowScorer}.
 *
 * <p>History: for counts, the key's value at each earlier point, where a point with no events
 * counts as 0 as long as the key had already been seen then (its first window in the data read);
 * for rates, only earlier windows with at least {@code minVolume} trials (a rate over two
 * transactions says nothing). Pooled fallbacks: a count's expectation is the key's average per
 * window since it was first seen (at least a week earlier) times the type's shape of the week at
 * this slot; a rate's is the key's own rate over all its earlier windows when they hold at least
 * ten times the minimum volume of trials, else the type's pooled rate; the most cards on one device
 * is expected to be 1.
 *
 * <p>Counts (events, actors) are also judged against the key's {@link #level}: the expectation is
 * never below its mean at that time of day over the {@link #LEVEL_DAYS} days before (zeros
 * included, the largest day left out), and its dispersion is at least the Pearson dispersion of its
 * counts around that level; and against its peers: when the key type's other keys are up over the
 * trailing day ({@link Peers}), the expectation rises with them. A merchant category's volume is
 * reported from MEDIUM only ({@link #broadVolume}).
 */
public final class SeriesScorer {
  /** Days of daily history for keys with too few earlier weeks. */
  public static final int DAILY_DAYS = 7;

  static final long DAY_MS = 86_400_000L;

  private SeriesScorer() {}

  /** How a run scores. */
  public record Settings(long windowMs, int baselineWeeks, WindowScorer.Config config)
      implements Serializable {
    public Settings {
      WindowScorer.slotsPerWeek(windowMs);
      FraudBatchException.check(
          baselineWeeks >= 1 && baselineWeeks <= 52,
          "the baseline must span 1 to 52 weeks (got %d)",
          baselineWeeks);
    }
  }

  /** One anomalous metric of one window, with the history it was compared with. */
  public record Scored(
      WindowStats window, AnomalyMetric metric, WindowScorer.Score score, double[] history)
      implements Serializable {}

  /**
   * @param series one key's windows (any order, at most one per window start)
   * @param from first window start to score (inclusive)
   * @param to end of the scored period (exclusive)
   * @return the anomalous metrics of the windows in [from, to), by window then metric
   */
  public static List<Scored> score(
      List<WindowStats> series, Pooled pooled, Settings s, long from, long to) {
    return score(series, t -> pooled, s, from, to);
  }

  /**
   * As {@link #score(List, Pooled, Settings, long, long)}, with the pooled pattern chosen per
   * window start (e.g. built from the days before the window's day).
   */
  public static List<Scored> score(
      List<WindowStats> series,
      java.util.function.LongFunction<Pooled> pooledAt,
      Settings s,
      long from,
      long to) {
    return score(series, pooledAt, null, s, from, to);
  }

  /**
   * As {@link #score(List, java.util.function.LongFunction, Settings, long, long)}, with the
   * expectation of counts moved by the key's peers ({@link Peers#factor}), or not when {@code
   * peers} is null.
   */
  public static List<Scored> score(
      List<WindowStats> series,
      java.util.function.LongFunction<Pooled> pooledAt,
      Peers peers,
      Settings s,
      long from,
      long to) {
    List<WindowStats> sorted = new ArrayList<>(series);
    sorted.sort(Comparator.comparingLong(WindowStats::windowStart));
    int n = sorted.size();
    Map<Long, WindowStats> byStart = new HashMap<>(n * 2);
    AnomalyMetric[] metrics = AnomalyMetric.values();
    // cum[m][i]: value (hits) of metric m over windows before i; trials likewise.
    long[][] cum = new long[metrics.length][n + 1];
    long[][] cumTrials = new long[metrics.length][n + 1];
    for (int i = 0; i < n; i++) {
      WindowStats w = sorted.get(i);
      byStart.put(w.windowStart(), w);
      for (AnomalyMetric m : metrics) {
        cum[m.ordinal()][i + 1] = cum[m.ordinal()][i] + m.value(w);
        cumTrials[m.ordinal()][i + 1] = cumTrials[m.ordinal()][i] + m.trials(w);
      }
    }
    List<Scored> out = new ArrayList<>();
    if (n == 0) {
      return out;
    }
    long first = sorted.get(0).windowStart();
    long windowMs = s.windowMs();
    WindowScorer.Config c = s.config();
    Map<Long, double[]> dispersionByDay = new HashMap<>();
    Map<Long, Level> levelByDay = new HashMap<>();
    for (int i = 0; i < n; i++) {
      WindowStats w = sorted.get(i);
      long t = w.windowStart();
      if (t < from || t >= to) {
        continue;
      }
      // Weekly history when the key has enough earlier weeks, else daily history (the same time
      // of day on the last seven days), else the pooled pattern.
      List<WindowStats> past = past(byStart, t, WindowScorer.WEEK_MS, s.baselineWeeks(), first);
      boolean daily = false;
      if (past.size() < c.minHistory()) {
        List<WindowStats> days = past(byStart, t, DAY_MS, DAILY_DAYS, first);
        if (days.size() >= c.minHistory()) {
          past = days;
          daily = true;
        }
      }
      int weeks = past.size();
      long spanWindows = (t - first) / windowMs;
      boolean scaleKnown = spanWindows * windowMs >= WindowScorer.WEEK_MS;
      Pooled pooled = pooledAt.apply(t);
      double peerFactor =
          peers == null
              ? 1
              : peers.factor(
                  w.keyType(),
                  t,
                  (a, b) -> cum[0][lowerBound(sorted, b)] - cum[0][lowerBound(sorted, a)]);
      long day = t - Math.floorMod(t, DAY_MS);
      double[] phi =
          dispersionByDay.computeIfAbsent(day, d -> dispersion(sorted, byStart, d, c.minVolume()));
      double shape = pooled.shape(w.keyType(), WindowScorer.slotOfWeek(t, windowMs));
      // The key's level over the trailing days, zeros included (a mostly-zero same-slot history
      // is a sparse key, not a zero rate), and how much more than Poisson its counts vary.
      Level level =
          levelByDay.computeIfAbsent(
              day, d -> level(sorted, first, d, windowMs, pooled, w.keyType()));
      for (AnomalyMetric m : metrics) {
        int mi = m.ordinal();
        WindowScorer.Score sc;
        double[] history;
        double[] shown; // the history as the key had it (before the peer factor)
        if (!m.rate) {
          long observed = m.value(w);
          if (m == AnomalyMetric.MAX_CARDS_PER_DEVICE && observed <= 1) {
            continue; // nothing to see: no devices, or one card each
          }
          history = new double[weeks];
          for (int k = 0; k < weeks; k++) {
            history[k] = past.get(k) == null ? 0 : m.value(past.get(k));
            if (daily && m != AnomalyMetric.MAX_CARDS_PER_DEVICE) {
              // Yesterday was another day of the week: scale it by the type's weekly pattern.
              double then = pooled.dayFactor(w.keyType(), t - (k + 1) * DAY_MS, windowMs);
              history[k] *= pooled.dayFactor(w.keyType(), t, windowMs) / then;
            }
          }
          double pooledExpected;
          double floor = 0;
          double dispersion = 1;
          if (m == AnomalyMetric.MAX_CARDS_PER_DEVICE) {
            pooledExpected = 1;
          } else {
            pooledExpected = scaleKnown ? cum[mi][i] / (double) spanWindows * shape : Double.NaN;
            int li = m == AnomalyMetric.EVENTS ? 0 : 1;
            if (level != null) {
              // The level at this time of day, moved to this day of the week.
              floor =
                  level.at(li, t, windowMs)
                      * pooled.dayFactor(w.keyType(), t, windowMs)
                      / level.averageDayFactor();
              dispersion = Math.max(phi[li], level.dispersion()[li]);
            } else {
              dispersion = phi[li];
            }
          }
          shown = history;
          if (m != AnomalyMetric.MAX_CARDS_PER_DEVICE && peerFactor != 1) {
            history = history.clone();
            for (int k = 0; k < history.length; k++) {
              history[k] *= peerFactor;
            }
            floor *= peerFactor;
            pooledExpected *= peerFactor;
          }
          sc =
              WindowScorer.count(
                  observed,
                  history,
                  pooledExpected,
                  spanWindows * windowMs / (double) WindowScorer.WEEK_MS,
                  dispersion,
                  floor,
                  c);
        } else {
          long trials = m.trials(w);
          if (trials == 0) {
            continue;
          }
          List<Double> rates = new ArrayList<>();
          for (WindowStats p : past) {
            if (p != null && m.trials(p) >= c.minVolume()) {
              rates.add(m.value(p) / (double) m.trials(p));
            }
          }
          history = rates.stream().mapToDouble(Double::doubleValue).toArray();
          shown = history;
          long pastTrials = cumTrials[mi][i];
          double pooledRate =
              pastTrials >= 10 * c.minVolume()
                  ? cum[mi][i] / (double) pastTrials
                  : pooled.rate(w.keyType(), m);
          sc = WindowScorer.rate(m.value(w), trials, history, pooledRate, c);
        }
        if (daily && sc.basis() == WindowScorer.Basis.OWN_HISTORY) {
          sc =
              new WindowScorer.Score(
                  sc.observed(),
                  sc.expected(),
                  sc.spread(),
                  sc.score(),
                  sc.severity(),
                  WindowScorer.Basis.DAILY_HISTORY);
        }
        if (sc.anomalous()
            && !(broadVolume(w.keyType(), m) && sc.severity() == WindowScorer.Severity.LOW)) {
          out.add(
              new Scored(
                  w, m, sc, sc.basis() == WindowScorer.Basis.POOLED ? new double[0] : shown));
        }
      }
    }
    return out;
  }

  /**
   * Whether a metric is the volume (events, actors) of a broad key type ({@link KeyTypes#BROAD}):
   * reported from MEDIUM only. A merchant category spans every merchant and place of the category,
   * so its volume follows the population's spending mix (travel at Christmas, a category newly in
   * fashion) which a few weeks of history cannot know, and its risk context would tighten every
   * transaction of the category; fraud at one merchant or place shows at that merchant's, region's
   * or IP prefix's key anyway.
   */
  static boolean broadVolume(String keyType, AnomalyMetric m) {
    return KeyTypes.BROAD.contains(keyType)
        && (m == AnomalyMetric.EVENTS || m == AnomalyMetric.ACTORS);
  }

  /** Pairs of weekly-lagged windows needed to estimate a key's overdispersion. */
  public static final int MIN_DISPERSION_PAIRS = 24;

  /** The median of a chi-square variable with one degree of freedom. */
  static final double CHI2_1_MEDIAN = 0.454936;

  /**
   * The key's overdispersion of events and of actors over the two weeks before {@code day}: how
   * much more its counts vary than Poisson counts would. Each window paired with the same window a
   * week earlier gives {@code d = (x - y) / sqrt(x + y)}, standard normal for two Poisson counts of
   * the same mean; the robust estimate is {@code median(d^2) / median(chi2(1))}, at least 1. Only
   * pairs holding at least {@code minVolume} events count; with fewer than {@link
   * #MIN_DISPERSION_PAIRS} of them the key is taken as Poisson (1). Data before {@code day} only.
   * {@code sorted} must be in window order.
   */
  static double[] dispersion(
      List<WindowStats> sorted, Map<Long, WindowStats> byStart, long day, double minVolume) {
    List<Double> events = new ArrayList<>();
    List<Double> actors = new ArrayList<>();
    // The first window of the two weeks (binary search: this runs once per key and scored day).
    int lo = lowerBound(sorted, day - 2 * WindowScorer.WEEK_MS);
    for (WindowStats w : sorted.subList(lo, sorted.size())) {
      long t = w.windowStart();
      if (t >= day) {
        break;
      }
      WindowStats y = byStart.get(t - WindowScorer.WEEK_MS);
      if (y == null || w.events() + y.events() < minVolume) {
        continue;
      }
      double de = (w.events() - y.events()) / Math.sqrt(w.events() + y.events());
      events.add(de * de);
      double da = (w.actors() - y.actors()) / Math.sqrt(Math.max(1, w.actors() + y.actors()));
      actors.add(da * da);
    }
    if (events.size() < MIN_DISPERSION_PAIRS) {
      return new double[] {1, 1};
    }
    return new double[] {
      Math.max(1, WindowScorer.median(toArray(events)) / CHI2_1_MEDIAN),
      Math.max(1, WindowScorer.median(toArray(actors)) / CHI2_1_MEDIAN)
    };
  }

  /** Days of trailing history for a key's level and dispersion. */
  public static final int LEVEL_DAYS = 28;

  /** Days of history a key needs for a level (else it has none). */
  public static final int MIN_LEVEL_DAYS = 7;

  /**
   * A Pearson residual counts at most this much in the dispersion (one past burst is not noise).
   */
  static final double MAX_RESIDUAL = 100;

  /**
   * A key's level at each time of day (events and actors per window) and its dispersion, over the
   * {@link #LEVEL_DAYS} days before a scored day.
   */
  record Level(double[][] perSlotOfDay, double[] dispersion, double averageDayFactor) {
    /** The level of counts {@code k} (0 events, 1 actors) at the window starting {@code t}. */
    double at(int k, long t, long windowMs) {
      return perSlotOfDay[k][(int) (Math.floorMod(t, DAY_MS) / windowMs)];
    }
  }

  /**
   * The key's own level at each time of day over the {@link #LEVEL_DAYS} days before {@code day}
   * (or since its first window, when later; at least {@link #MIN_LEVEL_DAYS}): the mean of its
   * events (actors) at that time of day, zeros included, with the largest day left out (one past
   * burst does not raise the level); and the Pearson dispersion of its counts around the untrimmed
   * means: {@code sum((x - m)^2 / m) / (N - slots)}, each window's term capped at {@link
   * #MAX_RESIDUAL}, at least 1. Null with too little history. Data before {@code day} only.
   */
  static Level level(
      List<WindowStats> sorted, long first, long day, long windowMs, Pooled pooled, String type) {
    long firstDay = first - Math.floorMod(first, DAY_MS);
    long from = Math.max(firstDay, day - LEVEL_DAYS * DAY_MS);
    int days = (int) ((day - from) / DAY_MS);
    if (days < MIN_LEVEL_DAYS) {
      return null;
    }
    int slots = (int) (DAY_MS / windowMs);
    // Each day's weight: the type's day-of-week factor relative to the days' average.
    double[] dayWeight = new double[days];
    double avg = 0;
    for (int d = 0; d < days; d++) {
      dayWeight[d] = pooled.dayFactor(type, from + d * DAY_MS, windowMs);
      avg += dayWeight[d];
    }
    avg /= days;
    for (int d = 0; d < days; d++) {
      dayWeight[d] /= avg;
    }
    double[][] sum = new double[2][slots];
    double[][] max = new double[2][slots];
    int lo = lowerBound(sorted, from);
    for (int i = lo; i < sorted.size() && sorted.get(i).windowStart() < day; i++) {
      WindowStats w = sorted.get(i);
      int slot = (int) (Math.floorMod(w.windowStart(), DAY_MS) / windowMs);
      long[] x = {w.events(), w.actors()};
      for (int k = 0; k < 2; k++) {
        sum[k][slot] += x[k];
        max[k][slot] = Math.max(max[k][slot], x[k]);
      }
    }
    double[][] trimmed = new double[2][slots];
    double[] x2 = new double[2];
    double[] mAll = new double[2];
    for (int k = 0; k < 2; k++) {
      for (int j = 0; j < slots; j++) {
        trimmed[k][j] = (sum[k][j] - max[k][j]) / (days - 1);
        mAll[k] += sum[k][j];
      }
    }
    // Zero windows contribute their mean m each: all m (= all counts), less the non-zero ones'.
    double[] mNonZero = new double[2];
    for (int i = lo; i < sorted.size() && sorted.get(i).windowStart() < day; i++) {
      WindowStats w = sorted.get(i);
      int slot = (int) (Math.floorMod(w.windowStart(), DAY_MS) / windowMs);
      long[] x = {w.events(), w.actors()};
      double weight = dayWeight[(int) ((w.windowStart() - from) / DAY_MS)];
      for (int k = 0; k < 2; k++) {
        double m = sum[k][slot] / days * weight;
        if (m > 0) {
          x2[k] += Math.min(MAX_RESIDUAL, (x[k] - m) * (x[k] - m) / m);
          mNonZero[k] += m;
        }
      }
    }
    double[] dispersion = new double[2];
    int dof = Math.max(1, days * slots - slots);
    for (int k = 0; k < 2; k++) {
      dispersion[k] = Math.max(1, (x2[k] + Math.max(0, mAll[k] - mNonZero[k])) / dof);
    }
    return new Level(trimmed, dispersion, avg);
  }

  private static int lowerBound(List<WindowStats> sorted, long t) {
    int lo = 0;
    int hi = sorted.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted.get(mid).windowStart() < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static double[] toArray(List<Double> l) {
    return l.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * The key's windows {@code step}, 2 {@code step}... before {@code t}, at most {@code max}, while
   * the key had been seen ({@code >= first}); null where it had no events.
   */
  private static List<WindowStats> past(
      Map<Long, WindowStats> byStart, long t, long step, int max, long first) {
    List<WindowStats> past = new ArrayList<>(max);
    for (int k = 1; k <= max && t - k * step >= first; k++) {
      past.add(byStart.get(t - k * step));
    }
    return past;
  }
}
