package io.fraudbatch.core.rules;

import java.io.Serializable;

/** Event-level confusion counts of a rule against the labels, and what follows from them. */
public record Confusion(long tp, long fp, long fn, long tn) implements Serializable {
  public static final Confusion ZERO = new Confusion(0, 0, 0, 0);

  /** Counts one event: whether the rule fired and whether it was fraud. */
  public static Confusion of(boolean fired, boolean fraud) {
    return new Confusion(
        fired && fraud ? 1 : 0,
        fired && !fraud ? 1 : 0,
        !fired && fraud ? 1 : 0,
        !fired && !fraud ? 1 : 0);
  }

  public Confusion plus(Confusion o) {
    return new Confusion(tp + o.tp, fp + o.fp, fn + o.fn, tn + o.tn);
  }

  /** tp / (tp + fp); NaN when the rule never fired. */
  public double precision() {
    return tp + fp == 0 ? Double.NaN : (double) tp / (tp + fp);
  }

  /** tp / (tp + fn); NaN without fraud. */
  public double recall() {
    return tp + fn == 0 ? Double.NaN : (double) tp / (tp + fn);
  }

  /** Share of legitimate events flagged: fp / (fp + tn). */
  /** The harmonic mean of precision and recall: 2 tp / (2 tp + fp + fn); NaN when all are 0. */
  public double f1() {
    long d = 2 * tp + fp + fn;
    return d == 0 ? Double.NaN : 2.0 * tp / d;
  }

  public double falsePositiveRate() {
    return fp + tn == 0 ? Double.NaN : (double) fp / (fp + tn);
  }

  public long events() {
    return tp + fp + fn + tn;
  }
}
