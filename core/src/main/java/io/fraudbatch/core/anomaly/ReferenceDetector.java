package io.fraudbatch.core.anomaly;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The plain method every anomaly result is printed beside: a trailing robust z-score per key and
 * window of the events count, against the median and MAD of the key's same-length windows over the
 * previous {@link #DAYS} days, zeros included (no seasonality, no peers, no rates). The MAD is
 * floored at {@link #MIN_SIGMA} / 1.4826 so that a key whose windows are nearly all zero is not
 * infinitely surprised by one event; the job's minimum volume applies as it does to the job.
 */
public final class ReferenceDetector {
  /** Trailing days of history. */
  public static final int DAYS = 14;

  /** The robust z-score from which a window is flagged. */
  public static final double THRESHOLD = 5;

  /** The smallest standard deviation (in events) a window is judged against. */
  public static final double MIN_SIGMA = 1;

  private ReferenceDetector() {}

  /**
   * @param series one key's windows (any order; windows without events absent)
   * @param windowMs window length
   * @param from first window start to score (inclusive)
   * @param to end of the scored period (exclusive)
   * @param minVolume windows with fewer events are never flagged
   * @return the window starts flagged in [from, to), in order
   */
  public static List<Long> flag(
      List<WindowStats> series, long windowMs, long from, long to, double minVolume) {
    List<WindowStats> sorted = new ArrayList<>(series);
    sorted.sort(Comparator.comparingLong(WindowStats::windowStart));
    List<Long> out = new ArrayList<>();
    if (sorted.isEmpty()) {
      return out;
    }
    long first = sorted.get(0).windowStart();
    int windows = (int) (DAYS * 86_400_000L / windowMs);
    double[] past = new double[windows];
    for (int i = 0; i < sorted.size(); i++) {
      WindowStats w = sorted.get(i);
      long t = w.windowStart();
      if (t < from || t >= to || w.events() < minVolume) {
        continue;
      }
      long start = Math.max(first, t - windows * windowMs);
      int n = (int) ((t - start) / windowMs);
      if (n < windows / 2) {
        continue; // under a week of history: no baseline
      }
      Arrays.fill(past, 0, n, 0);
      for (int j = i - 1; j >= 0 && sorted.get(j).windowStart() >= start; j--) {
        past[(int) ((sorted.get(j).windowStart() - start) / windowMs)] = sorted.get(j).events();
      }
      double[] h = Arrays.copyOf(past, n);
      double median = WindowScorer.median(h);
      double sigma = Math.max(MIN_SIGMA, WindowScorer.MAD_TO_SIGMA * WindowScorer.mad(h, median));
      if ((w.events() - median) / sigma >= THRESHOLD) {
        out.add(t);
      }
    }
    return out;
  }
}
