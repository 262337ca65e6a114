package io.fraudbatch.core.anomaly;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Window-level quality of the anomaly job against injected, labelled incidents (the sample-data
 * generator's {@code incidents.csv} and {@code labels.csv}).
 *
 * <p><b>Recall</b>, per scenario: an incident's windows are the windows of its own key (a merchant
 * or a region) in which it placed at least {@code minEvents} labelled events — the job's minimum
 * volume, under which it reports nothing by design; those windows it placed fewer events in are
 * counted apart ("thin") and left out of the recall. <b>Precision</b>: a flagged window (any key
 * type, any metric) is explained when it holds at least {@link #EXPLAINED_MIN} labelled fraud
 * events; others are false alarms.
 */
public final class WindowEvaluation {
  /** Labelled fraud events that make a flagged window explained rather than a false alarm. */
  public static final int EXPLAINED_MIN = 3;

  private WindowEvaluation() {}

  /** A window of a key. */
  public record WindowId(String keyType, String key, long windowStart)
      implements java.io.Serializable {}

  /** One injected incident and its labelled events per window start. */
  public record Incident(
      String id, String scenario, String keyType, String key, Map<Long, Integer> eventsByWindow) {}

  /**
   * Recall of one scenario: of its windows ({@code detected} of {@code windows}), and of its
   * incidents ({@code found}: incidents with at least one of their windows flagged, NAB's
   * convention for labelled anomaly windows).
   */
  public record ScenarioRecall(
      String scenario, int incidents, int windows, int detected, int thin, int found) {
    public double recall() {
      return windows == 0 ? Double.NaN : detected / (double) windows;
    }

    public double incidentRecall() {
      return incidents == 0 ? Double.NaN : found / (double) incidents;
    }
  }

  /** Flags of one key type. */
  public record TypePrecision(String keyType, int flagged, int explained) {}

  /** Recall and precision counting only flags of at least one severity. */
  public record SeverityRow(
      WindowScorer.Severity atLeast, int windows, int detected, int flagged, int explained) {
    public double recall() {
      return windows == 0 ? Double.NaN : detected / (double) windows;
    }

    public double precision() {
      return flagged == 0 ? Double.NaN : explained / (double) flagged;
    }
  }

  /** The evaluation (scenarios and types: every flag, LOW and up; bySeverity: the sweep). */
  public record Report(
      List<ScenarioRecall> scenarios, List<TypePrecision> types, List<SeverityRow> bySeverity) {
    public int windows() {
      return scenarios.stream().mapToInt(ScenarioRecall::windows).sum();
    }

    public int detected() {
      return scenarios.stream().mapToInt(ScenarioRecall::detected).sum();
    }

    public int flagged() {
      return types.stream().mapToInt(TypePrecision::flagged).sum();
    }

    public int explained() {
      return types.stream().mapToInt(TypePrecision::explained).sum();
    }

    public double recall() {
      return windows() == 0 ? Double.NaN : detected() / (double) windows();
    }

    public double precision() {
      return flagged() == 0 ? Double.NaN : explained() / (double) flagged();
    }

    /** A printable table. */
    public String table() {
      StringBuilder sb = new StringBuilder();
      if (scenarios.isEmpty()) {
        sb.append(
            "no cross-user incidents (keyed on a merchant or a region) labelled in the scored days:"
                + " recall not measured; a flag is explained by "
                + EXPLAINED_MIN
                + "+ labelled events in its window\n");
      } else {
        sb.append(
            String.format(
                Locale.ROOT,
                "%-22s %9s %8s %9s %7s %8s %6s %9s%n",
                "scenario",
                "incidents",
                "windows",
                "detected",
                "thin",
                "recall",
                "found",
                "incidents"));
        for (ScenarioRecall s : scenarios) {
          sb.append(
              String.format(
                  Locale.ROOT,
                  "%-22s %9d %8d %9d %7d %8s %6d %9s%n",
                  s.scenario(),
                  s.incidents(),
                  s.windows(),
                  s.detected(),
                  s.thin(),
                  pct(s.recall()),
                  s.found(),
                  pct(s.incidentRecall())));
        }
        sb.append(
            String.format(
                Locale.ROOT,
                "%-22s %9s %8d %9d %7s %8s%n",
                "all",
                "",
                windows(),
                detected(),
                "",
                pct(recall())));
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "%n%-22s %9s %9s %9s%n",
              "key type",
              "flagged",
              "explained",
              "precision"));
      for (TypePrecision t : types) {
        sb.append(
            String.format(
                Locale.ROOT,
                "%-22s %9d %9d %9s%n",
                t.keyType(),
                t.flagged(),
                t.explained(),
                pct(t.flagged() == 0 ? Double.NaN : t.explained() / (double) t.flagged())));
      }
      sb.append(
          String.format(
              Locale.ROOT, "%-22s %9d %9d %9s%n", "all", flagged(), explained(), pct(precision())));
      sb.append(
          String.format(
              Locale.ROOT,
              "%n%-22s %8s %9s %8s %9s %9s %9s%n",
              "flags of severity",
              "windows",
              "detected",
              "recall",
              "flagged",
              "explained",
              "precision"));
      for (SeverityRow r : bySeverity) {
        sb.append(
            String.format(
                Locale.ROOT,
                "%-22s %8d %9d %8s %9d %9d %9s%n",
                r.atLeast() + " and up",
                r.windows(),
                r.detected(),
                pct(r.recall()),
                r.flagged(),
                r.explained(),
                pct(r.precision())));
      }
      return sb.toString();
    }
  }

  /**
   * The job beside the reference method on the same windows: per scenario the incidents found and
   * the incident windows detected, then the flagged windows, how many are explained, and flags per
   * scored day.
   */
  public static String sideBySide(Report job, Report reference, String referenceName, double days) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT, "%-22s %-30s %-30s%n", "", "this job", "reference: " + referenceName));
    sb.append(
        String.format(
            Locale.ROOT,
            "%-22s %-30s %-30s%n",
            "scenario",
            "incidents found, windows",
            "incidents found, windows"));
    for (int i = 0; i < job.scenarios().size(); i++) {
      ScenarioRecall a = job.scenarios().get(i);
      ScenarioRecall b = reference.scenarios().get(i);
      sb.append(
          String.format(Locale.ROOT, "%-22s %-30s %-30s%n", a.scenario(), found(a), found(b)));
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "%-22s %-30s %-30s%n",
            "flagged windows",
            flags(job, days),
            flags(reference, days)));
    sb.append(
        String.format(
            Locale.ROOT,
            "%-22s %-30s %-30s%n",
            "explained (precision)",
            job.explained() + " (" + pct(job.precision()) + ")",
            reference.explained() + " (" + pct(reference.precision()) + ")"));
    return sb.toString();
  }

  private static String found(ScenarioRecall s) {
    return String.format(
        Locale.ROOT,
        "%d/%d %s, %d/%d",
        s.found(),
        s.incidents(),
        pct(s.incidentRecall()),
        s.detected(),
        s.windows());
  }

  private static String flags(Report r, double days) {
    return String.format(Locale.ROOT, "%d (%.2f a day)", r.flagged(), r.flagged() / days);
  }

  /** A ratio for JSON: a number, or null when undefined (never the string "NaN"). */
  public static Double number(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
  }

  static String pct(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
  }

  /**
   * @param flagged windows with at least one anomalous metric
   * @param labelledEvents labelled fraud events per window, for every window holding any
   * @param incidents the cross-user incidents (keyed on a merchant or a region)
   * @param minEvents the job's minimum volume
   */
  public static Report evaluate(
      Set<WindowId> flagged,
      Map<WindowId, Long> labelledEvents,
      List<Incident> incidents,
      int minEvents) {
    Map<WindowId, WindowScorer.Severity> all = new java.util.HashMap<>();
    for (WindowId w : flagged) {
      all.put(w, WindowScorer.Severity.LOW);
    }
    return evaluate(all, labelledEvents, incidents, minEvents);
  }

  /**
   * @param flagged windows with at least one anomalous metric, with their highest severity
   */
  public static Report evaluate(
      Map<WindowId, WindowScorer.Severity> flaggedSeverity,
      Map<WindowId, Long> labelledEvents,
      List<Incident> incidents,
      int minEvents) {
    Set<WindowId> flagged = flaggedSeverity.keySet();
    Map<String, int[]> byScenario = new TreeMap<>();
    for (Incident i : incidents) {
      int[] x = byScenario.computeIfAbsent(i.scenario(), k -> new int[5]);
      x[0]++;
      boolean found = false;
      for (Map.Entry<Long, Integer> e : i.eventsByWindow().entrySet()) {
        if (e.getValue() < minEvents) {
          x[3]++;
          continue;
        }
        x[1]++;
        if (flagged.contains(new WindowId(i.keyType(), i.key(), e.getKey()))) {
          x[2]++;
          found = true;
        }
      }
      if (found) {
        x[4]++;
      }
    }
    List<ScenarioRecall> scenarios = new ArrayList<>();
    byScenario.forEach(
        (s, x) -> scenarios.add(new ScenarioRecall(s, x[0], x[1], x[2], x[3], x[4])));
    Map<String, int[]> byType = new TreeMap<>();
    for (String t : KeyTypes.ALL) {
      byType.put(t, new int[2]);
    }
    for (WindowId w : flagged) {
      int[] x = byType.computeIfAbsent(w.keyType(), k -> new int[2]);
      x[0]++;
      if (labelledEvents.getOrDefault(w, 0L) >= EXPLAINED_MIN) {
        x[1]++;
      }
    }
    List<TypePrecision> types = new ArrayList<>();
    for (String t : KeyTypes.ALL) {
      int[] x = byType.get(t);
      types.add(new TypePrecision(t, x[0], x[1]));
    }
    List<SeverityRow> sweep = new ArrayList<>();
    for (WindowScorer.Severity min :
        List.of(
            WindowScorer.Severity.LOW, WindowScorer.Severity.MEDIUM, WindowScorer.Severity.HIGH)) {
      int windows = 0;
      int detected = 0;
      for (Incident i : incidents) {
        for (Map.Entry<Long, Integer> e : i.eventsByWindow().entrySet()) {
          if (e.getValue() >= minEvents) {
            windows++;
            WindowScorer.Severity s =
                flaggedSeverity.get(new WindowId(i.keyType(), i.key(), e.getKey()));
            if (s != null && s.compareTo(min) >= 0) {
              detected++;
            }
          }
        }
      }
      int f = 0;
      int x = 0;
      for (Map.Entry<WindowId, WindowScorer.Severity> e : flaggedSeverity.entrySet()) {
        if (e.getValue().compareTo(min) >= 0) {
          f++;
          if (labelledEvents.getOrDefault(e.getKey(), 0L) >= EXPLAINED_MIN) {
            x++;
          }
        }
      }
      sweep.add(new SeverityRow(min, windows, detected, f, x));
    }
    return new Report(scenarios, types, sweep);
  }
}
