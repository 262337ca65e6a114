package io.fraudbatch.jobs.anomalies;

import io.fraudbatch.core.StorageLayout;
import io.fraudbatch.core.anomaly.KeyTypes;
import io.fraudbatch.core.anomaly.ReferenceDetector;
import io.fraudbatch.core.anomaly.WindowEvaluation;
import io.fraudbatch.core.anomaly.WindowScorer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The anomaly job's evaluation against labels under {@code <root>/labels/decisions} (the
 * generator's, or an importer's with its own and injected incidents): per scenario the incidents
 * found and windows detected, the precision of the flags (a flag is explained by labelled events in
 * its window), the same for the reference detector on the same windows, and flags per day.
 */
final class AnomalyEvaluation {
  /** The reference method's name as printed. */
  static final String REFERENCE =
      "robust z >= "
          + (int) ReferenceDetector.THRESHOLD
          + " vs the previous "
          + ReferenceDetector.DAYS
          + " days' windows";

  final Path labelsPath;
  final Path incidentsPath;

  AnomalyEvaluation(Path root) {
    this.labelsPath = new Path(root, StorageLayout.LABELS);
    this.incidentsPath = new Path(root, StorageLayout.INCIDENTS);
  }

  /** Whether the labels are there (both files). */
  boolean present(FileSystem fs) throws IOException {
    return fs.exists(labelsPath) && fs.exists(incidentsPath);
  }

  /** The labelled event ids, one column labelledId, for {@link WindowFeatures}. */
  Dataset<Row> labelledIds(SparkSession spark) {
    return spark
        .read()
        .option("header", "true")
        .csv(labelsPath.toString())
        .selectExpr("eventId AS labelledId")
        .distinct();
  }

  /** The job's and the reference's reports on the same incidents. */
  record Result(WindowEvaluation.Report job, WindowEvaluation.Report reference, double days) {
    Map<String, Object> json() {
      Map<String, Object> ev = new LinkedHashMap<>();
      ev.put("recall", WindowEvaluation.number(job.recall()));
      ev.put("precision", WindowEvaluation.number(job.precision()));
      ev.put("incidentsFound", job.scenarios().stream().mapToInt(s -> s.found()).sum());
      ev.put("incidents", job.scenarios().stream().mapToInt(s -> s.incidents()).sum());
      ev.put("scenarios", job.scenarios());
      ev.put("keyTypes", job.types());
      ev.put("bySeverity", job.bySeverity());
      Map<String, Object> ref = new LinkedHashMap<>();
      ref.put("method", REFERENCE);
      ref.put("recall", WindowEvaluation.number(reference.recall()));
      ref.put("precision", WindowEvaluation.number(reference.precision()));
      ref.put("incidentsFound", reference.scenarios().stream().mapToInt(s -> s.found()).sum());
      ref.put("flaggedWindows", reference.flagged());
      ref.put("scenarios", reference.scenarios());
      ev.put("reference", ref);
      return ev;
    }

    String table() {
      return job.table() + "\n" + WindowEvaluation.sideBySide(job, reference, REFERENCE, days);
    }
  }

  /**
   * @param stats {@link WindowFeatures#stats} (its labelled column)
   * @param flagged the job's flagged windows with their highest severity
   * @param reference the reference's flagged windows
   */
  Result evaluate(
      FileSystem fs,
      Dataset<Row> stats,
      Map<WindowEvaluation.WindowId, WindowScorer.Severity> flagged,
      Set<WindowEvaluation.WindowId> reference,
      long windowMs,
      long from,
      long to,
      int minVolume)
      throws IOException {
    Map<WindowEvaluation.WindowId, Long> labelled = new HashMap<>();
    for (Row r :
        stats
            .where("labelled > 0 AND ws >= " + from + " AND ws < " + to)
            .select("keyType", "key", "ws", "labelled")
            .collectAsList()) {
      labelled.put(
          new WindowEvaluation.WindowId(r.getString(0), r.getString(1), r.getLong(2)),
          r.getLong(3));
    }
    List<WindowEvaluation.Incident> incidents = incidents(fs, windowMs, from, to);
    return new Result(
        WindowEvaluation.evaluate(flagged, labelled, incidents, minVolume),
        WindowEvaluation.evaluate(reference, labelled, incidents, minVolume),
        (to - from) / 86_400_000.0);
  }

  /**
   * The cross-user incidents of the labels (keyed on a merchant or a region) with their labelled
   * events per window of the scored period.
   */
  List<WindowEvaluation.Incident> incidents(FileSystem fs, long windowMs, long from, long to)
      throws IOException {
    Map<String, String[]> cross = new LinkedHashMap<>();
    for (String[] f : csv(fs, incidentsPath)) {
      // incidentId,scenario,keyType,key,windowStart,windowEnd,actors,events
      if (f.length >= 4 && (f[2].equals(KeyTypes.MERCHANT) || f[2].equals(KeyTypes.REGION))) {
        cross.put(f[0], f);
      }
    }
    Map<String, Map<Long, Integer>> perWindow = new LinkedHashMap<>();
    for (String[] f : csv(fs, labelsPath)) {
      // eventId,scenario,incidentId,actorId,eventTime
      if (f.length < 5 || !cross.containsKey(f[2])) {
        continue;
      }
      long t = Instant.parse(f[4]).toEpochMilli();
      if (t >= from && t < to) {
        perWindow
            .computeIfAbsent(f[2], k -> new TreeMap<>())
            .merge(t - Math.floorMod(t, windowMs), 1, Integer::sum);
      }
    }
    List<WindowEvaluation.Incident> out = new ArrayList<>();
    for (Map.Entry<String, Map<Long, Integer>> e : perWindow.entrySet()) {
      String[] f = cross.get(e.getKey());
      out.add(new WindowEvaluation.Incident(f[0], f[1], f[2], f[3], e.getValue()));
    }
    return out;
  }

  private static List<String[]> csv(FileSystem fs, Path p) throws IOException {
    List<String[]> rows = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(fs.open(p), StandardCharsets.UTF_8))) {
      String line = r.readLine(); // header
      while ((line = r.readLine()) != null) {
        if (!line.isBlank()) {
          rows.add(line.split(",", -1));
        }
      }
    }
    return rows;
  }

  static String perDay(long flags, double days) {
    return String.format(Locale.ROOT, "%.2f", flags / days);
  }
}
