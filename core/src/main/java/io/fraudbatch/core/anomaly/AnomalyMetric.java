package io.fraudbatch.core.anomaly;

/** The metrics of a window that are scored; the names are those written in the anomaly rows. */
public enum AnomalyMetric {
  /** Decisions in the window (count). */
  EVENTS("events", false),
  /** Distinct actors (count). */
  ACTORS("actors", false),
  /** Most distinct actors on one device (count): card testing runs many cards through one. */
  MAX_CARDS_PER_DEVICE("maxCardsPerDevice", false),
  /** DENIED decisions / decisions. */
  DECLINE_RATE("declineRate", true),
  /** Converted amounts under {@link #MICRO_CENTS} / decisions. */
  MICRO_SHARE("microShare", true),
  /** Actors at a city new to them / distinct actors. */
  NEW_LOCATION_SHARE("newLocationShare", true);

  /** A micro-transaction: a converted amount under US$2.00 (card testers' probes). */
  public static final long MICRO_CENTS = 200;

  public final String column;
  public final boolean rate;

  AnomalyMetric(String column, boolean rate) {
    this.column = column;
    this.rate = rate;
  }

  /** The count of a count metric, or the hits of a rate metric. */
  public long value(WindowStats w) {
    return switch (this) {
      case EVENTS -> w.events();
      case ACTORS -> w.actors();
      case MAX_CARDS_PER_DEVICE -> w.maxCardsPerDevice();
      case DECLINE_RATE -> w.declines();
      case MICRO_SHARE -> w.micro();
      case NEW_LOCATION_SHARE -> w.newLocationActors();
    };
  }

  /** The trials of a rate metric (0 for counts). */
  public long trials(WindowStats w) {
    return switch (this) {
      case DECLINE_RATE, MICRO_SHARE -> w.events();
      case NEW_LOCATION_SHARE -> w.actors();
      default -> 0;
    };
  }
}
