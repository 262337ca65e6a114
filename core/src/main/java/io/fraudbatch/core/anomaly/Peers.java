package io.fraudbatch.core.anomaly;

import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a key type's whole population moves: each type's events per window over the data read, so a
 * key can be scored against its peers' movement as well as its own history. A population-wide swing
 * (a holiday month, a payday, a busy weekday) moves every key of the type; the peer factor of a key
 * at a window is its peers' events over the trailing day (the window included: contemporaneous, no
 * look-ahead) against the median of the same day-long stretch in the earlier weeks, the key itself
 * left out of both (a key that is most of its type — one region — must not explain itself away).
 */
public final class Peers implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The factor is kept within [1 / MAX_FACTOR, MAX_FACTOR]. */
  public static final double MAX_FACTOR = 4;

  /**
   * Peers' baseline volume over the trailing day under which the factor is 1 (too few events to say
   * the population moved).
   */
  public static final double MIN_PEER_EVENTS = 100;

  static final long DAY_MS = 86_400_000L;

  /** Events of one key type in one window. */
  public record TypeWindow(String keyType, long windowStart, long events) implements Serializable {}

  /** Window starts and prefix sums of events, per type. */
  private final Map<String, long[]> starts = new HashMap<>();

  private final Map<String, long[]> prefix = new HashMap<>();
  private final long windowMs;
  private final int weeks;
  private final long dataFrom;

  /**
   * @param totals the type's events per window over the data read
   * @param weeks earlier weeks of the baseline
   * @param dataFrom the start of the data read (earlier weeks before it are not counted)
   */
  public Peers(List<TypeWindow> totals, long windowMs, int weeks, long dataFrom) {
    this.windowMs = windowMs;
    this.weeks = weeks;
    this.dataFrom = dataFrom;
    Map<String, TreeMap<Long, Long>> byType = new HashMap<>();
    for (TypeWindow t : totals) {
      byType
          .computeIfAbsent(t.keyType(), k -> new TreeMap<>())
          .merge(t.windowStart(), t.events(), Long::sum);
    }
    byType.forEach(
        (type, m) -> {
          long[] s = new long[m.size()];
          long[] p = new long[m.size() + 1];
          int i = 0;
          for (Map.Entry<Long, Long> e : m.entrySet()) {
            s[i] = e.getKey();
            p[i + 1] = p[i] + e.getValue();
            i++;
          }
          starts.put(type, s);
          prefix.put(type, p);
        });
  }

  /** The type's events in windows starting in [from, to). */
  long sum(String type, long from, long to) {
    long[] s = starts.get(type);
    if (s == null) {
      return 0;
    }
    return prefix.get(type)[lowerBound(s, to)] - prefix.get(type)[lowerBound(s, from)];
  }

  /**
   * The peer factor of a key at the window starting {@code t}.
   *
   * @param own the key's own events in windows starting in [from, to)
   * @return peers' trailing-day events over their median in the earlier weeks, within [1/{@link
   *     #MAX_FACTOR}, {@link #MAX_FACTOR}]; 1 without enough earlier weeks or peer volume
   */
  public double factor(String type, long t, Own own) {
    long end = t + windowMs;
    long from = end - DAY_MS;
    double now = sum(type, from, end) - own.sum(from, end);
    double[] past = new double[weeks];
    int n = 0;
    for (int k = 1; k <= weeks; k++) {
      long f = from - k * WindowScorer.WEEK_MS;
      if (f < dataFrom) {
        break;
      }
      long e = end - k * WindowScorer.WEEK_MS;
      past[n++] = sum(type, f, e) - own.sum(f, e);
    }
    if (n < 2) {
      return 1;
    }
    double base = WindowScorer.median(Arrays.copyOf(past, n));
    if (base < MIN_PEER_EVENTS) {
      return 1;
    }
    return Math.max(1, Math.min(MAX_FACTOR, now / base));
  }

  /** The key's own events, summed over windows starting in [from, to). */
  @FunctionalInterface
  public interface Own {
    long sum(long from, long to);
  }

  static int lowerBound(long[] a, long t) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
