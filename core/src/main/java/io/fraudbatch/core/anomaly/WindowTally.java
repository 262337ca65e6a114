package io.fraudbatch.core.anomaly;

import java.util.HashMap;
import java.util.HashSet;

/**
 * The counts of one key's window ({@link WindowStats}' events, distinct actors, declines,
 * micro-transactions, distinct actors at a new place, most distinct actors on one device, and the
 * labelled events) folded over the window's events in any order. Memory is the window's distinct
 * actors and (device, actor) pairs: one window at a time, never a partition or a day. This is what
 * lets the anomaly job aggregate with one shuffle and a sort on a single 64-bit key instead of a
 * hash aggregation per distinct count (two shuffles of every keyed event, and hash maps that
 * combined nothing since an actor has about one event per key and window).
 *
 * <p>Same definitions as SQL's {@code count(*)}, {@code count(DISTINCT actorId)} over the groups of
 * {@code actorId} (a null actor is one group, as in {@code GROUP BY}), and for devices {@code
 * max(count(DISTINCT actorId)) GROUP BY deviceId} over non-null devices and actors.
 */
public final class WindowTally {
  private static final Object NULL_ACTOR = new Object();

  private long events;
  private long declines;
  private long micro;
  private long labelled;
  private final HashSet<Object> actors = new HashSet<>();
  private final HashSet<Object> newLocationActors = new HashSet<>();
  private final HashMap<String, HashSet<String>> actorsPerDevice = new HashMap<>();

  /** Adds one event of the window. */
  public void add(
      String actorId,
      String deviceId,
      boolean declined,
      Long usdCents,
      boolean newLocation,
      long labelledEvent) {
    events++;
    if (declined) {
      declines++;
    }
    if (usdCents != null && usdCents < AnomalyMetric.MICRO_CENTS) {
      micro++;
    }
    labelled += labelledEvent;
    Object actor = actorId == null ? NULL_ACTOR : actorId;
    actors.add(actor);
    if (newLocation) {
      newLocationActors.add(actor);
    }
    if (deviceId != null && actorId != null) {
      actorsPerDevice.computeIfAbsent(deviceId, k -> new HashSet<>(4)).add(actorId);
    }
  }

  /** Whether nothing was added since the last {@link #finish}. */
  public boolean isEmpty() {
    return events == 0;
  }

  /**
   * The window's counts {events, actors, declines, micro, newLocationActors, maxCardsPerDevice,
   * labelled}, and a reset for the next window.
   */
  public long[] finish() {
    long maxCards = 0;
    for (HashSet<String> a : actorsPerDevice.values()) {
      maxCards = Math.max(maxCards, a.size());
    }
    long[] out = {
      events, actors.size(), declines, micro, newLocationActors.size(), maxCards, labelled
    };
    events = declines = micro = labelled = 0;
    actors.clear();
    newLocationActors.clear();
    actorsPerDevice.clear();
    return out;
  }
}
