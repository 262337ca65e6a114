package io.fraudbatch.core.anomaly;

import io.fraudbatch.avro.Anomaly;
import io.fraudbatch.avro.RiskContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The risk-context snapshot: for each key with anomalies ending in the context period before the
 * snapshot time, its level (highest severity) and the threshold multipliers the online tier applies
 * to transactions there. Sorted by key type, then key.
 */
public final class RiskContexts {
  private RiskContexts() {}

  /** Amount-threshold multiplier per severity: stricter as the risk rises. */
  public static double amountMultiplier(WindowScorer.Severity s) {
    return switch (s) {
      case HIGH -> 0.5;
      case MEDIUM -> 0.7;
      case LOW -> 0.85;
      case NONE -> 1;
    };
  }

  /** New-location threshold multiplier per severity. */
  public static double newLocationMultiplier(WindowScorer.Severity s) {
    return amountMultiplier(s);
  }

  /**
   * @param anomalies any anomalies (those outside (asOf - contextMs, asOf] are ignored)
   * @param asOf the snapshot time, epoch ms
   * @param contextMs how long an anomaly keeps its key risky
   */
  public static List<RiskContext> build(
      Iterable<Anomaly> anomalies, long asOf, long contextMs, String runId) {
    Map<String, RiskContext> byKey = new TreeMap<>();
    for (Anomaly a : anomalies) {
      long end = a.getWindowEnd().toEpochMilli();
      if (end > asOf || end <= asOf - contextMs) {
        continue;
      }
      WindowScorer.Severity sev = WindowScorer.Severity.valueOf(a.getSeverity());
      String k = a.getKeyType() + "\u0000" + a.getKey();
      RiskContext r = byKey.get(k);
      if (r == null) {
        r =
            RiskContext.newBuilder()
                .setKeyType(a.getKeyType())
                .setKey(a.getKey())
                .setLevel(sev.name())
                .setAmountMultiplier(amountMultiplier(sev))
                .setNewLocationMultiplier(newLocationMultiplier(sev))
                .setAnomalies(0)
                .setTopMetric(a.getMetric())
                .setTopScore(a.getScore())
                .setLastAnomalyEnd(a.getWindowEnd())
                .setValidUntil(Instant.ofEpochMilli(end + contextMs))
                .setAsOf(Instant.ofEpochMilli(asOf))
                .setRunId(runId)
                .build();
        byKey.put(k, r);
      }
      if (sev.compareTo(WindowScorer.Severity.valueOf(r.getLevel())) > 0) {
        r.setLevel(sev.name());
        r.setAmountMultiplier(amountMultiplier(sev));
        r.setNewLocationMultiplier(newLocationMultiplier(sev));
      }
      if (a.getScore() > r.getTopScore()) {
        r.setTopScore(a.getScore());
        r.setTopMetric(a.getMetric());
      }
      if (end > r.getLastAnomalyEnd().toEpochMilli()) {
        r.setLastAnomalyEnd(a.getWindowEnd());
        r.setValidUntil(Instant.ofEpochMilli(end + contextMs));
      }
    }
    // Anomalous windows, not anomalous metrics: count distinct window ends per key.
    Map<String, java.util.Set<Long>> windows = new TreeMap<>();
    for (Anomaly a : anomalies) {
      long end = a.getWindowEnd().toEpochMilli();
      if (end <= asOf && end > asOf - contextMs) {
        windows
            .computeIfAbsent(a.getKeyType() + "\u0000" + a.getKey(), x -> new java.util.HashSet<>())
            .add(end);
      }
    }
    List<RiskContext> out = new ArrayList<>();
    for (Map.Entry<String, RiskContext> e : byKey.entrySet()) {
      e.getValue().setAnomalies(windows.get(e.getKey()).size());
      out.add(e.getValue());
    }
    out.sort(
        Comparator.comparing((RiskContext r) -> KeyTypes.ALL.indexOf(r.getKeyType()))
            .thenComparing(RiskContext::getKey));
    return out;
  }
}
