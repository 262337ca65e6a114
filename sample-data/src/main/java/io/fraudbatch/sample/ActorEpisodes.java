package io.fraudbatch.sample;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Incidents of imported data, where the source labels events but not incidents: the labelled events
 * of one key (an actor unless the importer sets {@link Replay.Event#incidentKey}) form one incident
 * until a gap longer than {@code gapMs}.
 */
final class ActorEpisodes {
  static final String ACTOR = "actor";

  private ActorEpisodes() {}

  /**
   * Sets the incident id of every labelled event; returns the incidents, numbered {@code INC-0001}
   * … by start time.
   */
  static List<Replay.IncidentRow> assign(List<Replay.Event> events, String scenario, long gapMs) {
    Map<String, List<Replay.Event>> byKey = new TreeMap<>();
    for (Replay.Event e : events) {
      if (e.scenario != null) {
        byKey
            .computeIfAbsent(
                e.incidentKey != null ? e.incidentKey : e.actorId, k -> new ArrayList<>())
            .add(e);
      }
    }
    List<List<Replay.Event>> episodes = new ArrayList<>();
    for (List<Replay.Event> l : byKey.values()) {
      l.sort(
          Comparator.<Replay.Event>comparingLong(e -> e.txn.time)
              .thenComparing(e -> e.txn.eventId));
      List<Replay.Event> current = null;
      long last = Long.MIN_VALUE;
      for (Replay.Event e : l) {
        if (current == null || e.txn.time - last > gapMs) {
          current = new ArrayList<>();
          episodes.add(current);
        }
        current.add(e);
        last = e.txn.time;
      }
    }
    episodes.sort(
        Comparator.<List<Replay.Event>>comparingLong(l -> l.get(0).txn.time)
            .thenComparing(l -> l.get(0).txn.eventId));
    List<Replay.IncidentRow> out = new ArrayList<>();
    for (List<Replay.Event> l : episodes) {
      String id = String.format(Locale.ROOT, "INC-%04d", out.size() + 1);
      Replay.Event first = l.get(0);
      for (Replay.Event e : l) {
        e.incidentId = id;
      }
      out.add(
          new Replay.IncidentRow(
              id,
              scenario,
              ACTOR,
              first.incidentKey != null ? first.incidentKey : first.actorId,
              first.txn.time,
              l.get(l.size() - 1).txn.time,
              (int) l.stream().map(e -> e.actorId).distinct().count(),
              l.size()));
    }
    return out;
  }
}
