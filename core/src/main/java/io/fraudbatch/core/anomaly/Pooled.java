package io.fraudbatch.core.anomaly;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * The pooled pattern of each key type over the history before the scored period, the fallback
 * baseline of keys with too little history of their own: the shape of the week (each slot's volume
 * relative to the average slot, over all keys of the type) and each rate over all keys.
 */
public final class Pooled implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Totals of one key type at one slot of the week over the history. */
  public record SlotTotals(
      String keyType,
      int slot,
      long events,
      long actors,
      long declines,
      long micro,
      long newLocationActors)
      implements Serializable {}

  private final Map<String, double[]> shapes = new HashMap<>();
  private final Map<String, double[]> dayFactors = new HashMap<>();
  private final Map<String, double[]> rates = new HashMap<>();

  private Pooled() {}

  /**
   * @param totals per key type and slot, over windows in [historyFrom, historyTo)
   * @param windowMs window length
   */
  public static Pooled of(
      Iterable<SlotTotals> totals, long windowMs, long historyFrom, long historyTo) {
    int slots = WindowScorer.slotsPerWeek(windowMs);
    // How many times each slot occurs in the history.
    long[] instances = new long[slots];
    for (long t = historyFrom - Math.floorMod(historyFrom, windowMs);
        t < historyTo;
        t += windowMs) {
      if (t >= historyFrom) {
        instances[WindowScorer.slotOfWeek(t, windowMs)]++;
      }
    }
    Map<String, long[]> events = new HashMap<>();
    Map<String, long[]> sums = new HashMap<>();
    for (SlotTotals s : totals) {
      events.computeIfAbsent(s.keyType(), k -> new long[slots])[s.slot()] += s.events();
      long[] x = sums.computeIfAbsent(s.keyType(), k -> new long[5]);
      x[0] += s.events();
      x[1] += s.actors();
      x[2] += s.declines();
      x[3] += s.micro();
      x[4] += s.newLocationActors();
    }
    Pooled p = new Pooled();
    long allInstances = 0;
    for (long n : instances) {
      allInstances += n;
    }
    for (Map.Entry<String, long[]> e : events.entrySet()) {
      long total = 0;
      for (long v : e.getValue()) {
        total += v;
      }
      double[] shape = new double[slots];
      for (int i = 0; i < slots; i++) {
        shape[i] =
            instances[i] == 0 || total == 0
                ? 1
                : (e.getValue()[i] / (double) instances[i]) / (total / (double) allInstances);
      }
      p.shapes.put(e.getKey(), shape);
      // Each day of the week's volume relative to the average day, when the history covers every
      // slot of the week at least once (else 1: no weekly pattern known yet).
      boolean fullWeek = java.util.Arrays.stream(instances).allMatch(x -> x > 0);
      int perDay = slots / 7;
      double[] days = new double[7];
      for (int d = 0; d < 7; d++) {
        double sum = 0;
        for (int i = d * perDay; i < (d + 1) * perDay; i++) {
          sum += shape[i];
        }
        days[d] = fullWeek && sum > 0 ? sum / perDay : 1;
      }
      p.dayFactors.put(e.getKey(), days);
      long[] x = sums.get(e.getKey());
      double[] r = new double[AnomalyMetric.values().length];
      java.util.Arrays.fill(r, Double.NaN);
      if (x[0] > 0) {
        r[AnomalyMetric.DECLINE_RATE.ordinal()] = x[2] / (double) x[0];
        r[AnomalyMetric.MICRO_SHARE.ordinal()] = x[3] / (double) x[0];
      }
      if (x[1] > 0) {
        r[AnomalyMetric.NEW_LOCATION_SHARE.ordinal()] = x[4] / (double) x[1];
      }
      p.rates.put(e.getKey(), r);
    }
    return p;
  }

  /** A slot's volume relative to the type's average slot (1 without history). */
  public double shape(String keyType, int slot) {
    double[] s = shapes.get(keyType);
    return s == null ? 1 : s[slot];
  }

  /**
   * The type's volume on the day of the week of {@code t} relative to its average day (Monday = 0),
   * or 1 before a full week of history.
   */
  public double dayFactor(String keyType, long t, long windowMs) {
    double[] d = dayFactors.get(keyType);
    if (d == null) {
      return 1;
    }
    int slotsPerDay = (int) (86_400_000L / windowMs);
    return d[Math.min(6, WindowScorer.slotOfWeek(t, windowMs) / slotsPerDay)];
  }

  /** The type's rate of a rate metric over the history, or NaN without history. */
  public double rate(String keyType, AnomalyMetric m) {
    double[] r = rates.get(keyType);
    return r == null ? Double.NaN : r[m.ordinal()];
  }
}
