package io.fraudbatch.jobs.report;

import io.fraudbatch.avro.ActorProfile;
import io.fraudbatch.avro.Anomaly;
import io.fraudbatch.avro.DecisionEvent;
import io.fraudbatch.avro.QuarantineRecord;
import io.fraudbatch.core.FraudBatchException;
import io.fraudbatch.core.StorageLayout;
import io.fraudbatch.core.cli.Cli;
import io.fraudbatch.core.cli.JobOptions;
import io.fraudbatch.jobs.AvroParquet;
import io.fraudbatch.warehouse.PartitionLister;
import io.fraudbatch.warehouse.RunManifests;
import io.fraudbatch.warehouse.RunRecords;
import io.fraudbatch.warehouse.Table;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The run report: what the batch layer published under a root, as a terminal summary and a
 * self-contained HTML page (inline SVG; opens from disk) — events per hour, decline rate by region
 * with the detected regional anomalies marked, daily spend across the latest profiles, backtest
 * precision and recall by threshold, quarantine reasons, and every run's reconciliation counts. It
 * reads the published datasets and manifests only; it changes nothing.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
      "Writes <root>/report/index.html (or --out) from what the jobs published, and prints the",
      "reconciliation of every run. --steps adds the wall time of each step (TSV: step, seconds)."
    },
    footer = {"", "Example:", "  bin/fraud-batch report --root ./fraud-data"})
public final class RunReport implements Callable<Integer> {
  @Mixin JobOptions.Root rootOption = new JobOptions.Root();

  @Option(names = "--out", description = "HTML file to write (default: <root>/report/index.html).")
  String out;

  @Option(names = "--steps", description = "TSV of step name and seconds (the demo writes one).")
  java.nio.file.Path steps;

  PrintStream console = System.out;

  public static void main(String[] args) {
    System.exit(Cli.execute(new RunReport(), "report", System.err, args));
  }

  /** One committed run, as its manifest states it. */
  record Run(
      String job,
      String runId,
      String what,
      long in,
      long out,
      long quarantined,
      long duplicates,
      String balanced) {}

  @Override
  public Integer call() throws Exception {
    Configuration conf = new Configuration();
    Path rootPath = new Path(rootOption.get());
    FileSystem fs = rootPath.getFileSystem(conf);
    FraudBatchException.check(
        fs.exists(new Path(rootPath, StorageLayout.DECISIONS)),
        "nothing to report under %s: no %s (run ingest first)",
        rootOption.get(),
        StorageLayout.DECISIONS);
    long t0 = System.currentTimeMillis();

    // decisions: events per hour; decisions and declines per region and day
    TreeMap<Long, Long> perHour = new TreeMap<>();
    Map<String, TreeMap<String, long[]>> regionDay = new HashMap<>();
    Map<String, Long> regionTotal = new HashMap<>();
    for (Path f : files(fs, rootPath, Table.DECISIONS)) {
      String dt =
          PartitionLister.partitionNameOf(f.getParent()).substring(StorageLayout.DT.length());
      AvroParquet.<DecisionEvent>read(
          conf,
          f,
          e -> {
            perHour.merge(e.getEventTime().toEpochMilli() / 3_600_000L, 1L, Long::sum);
            String region = e.getRegion() == null ? "(none)" : e.getRegion();
            long[] c =
                regionDay
                    .computeIfAbsent(region, k -> new TreeMap<>())
                    .computeIfAbsent(dt, k -> new long[2]);
            c[0]++;
            if ("DENIED".equals(e.getDecision())) {
              c[1]++;
            }
            regionTotal.merge(region, 1L, Long::sum);
          });
    }
    // regional anomalies by (region, day)
    Set<String> regionAnomaly = new HashSet<>();
    long anomalies = 0;
    for (Path f : files(fs, rootPath, Table.ANOMALIES)) {
      long[] n = {0};
      AvroParquet.<Anomaly>read(
          conf,
          f,
          a -> {
            n[0]++;
            if ("region".equals(a.getKeyType())) {
              regionAnomaly.add(
                  a.getKey() + "|" + LocalDate.ofInstant(a.getWindowStart(), ZoneOffset.UTC));
            }
          });
      anomalies += n[0];
    }
    // the latest profile snapshot: typical daily spend
    String[] spendBuckets = {
      "no spend in 30 days", "< 10", "10-30", "30-100", "100-300", "300-1,000", "1,000 and up"
    };
    double[] spend = new double[spendBuckets.length];
    Path latestProfiles = latest(fs, rootPath, Table.PROFILES);
    if (latestProfiles != null) {
      for (Path f : partitionFiles(fs, latestProfiles)) {
        AvroParquet.<ActorProfile>read(
            conf,
            f,
            p ->
                spend[
                    spendBucket(
                        p.getSpend30().getActiveDays(), p.getSpend30().getMeanCents() / 100.0)]++);
      }
    }
    // the latest backtest: precision and recall per rule and k, over its days
    Map<String, TreeMap<Double, long[]>> backtest = new TreeMap<>();
    Path latestBacktest = latest(fs, rootPath, Table.BACKTESTS);
    if (latestBacktest != null) {
      for (Path f : partitionFiles(fs, latestBacktest)) {
        AvroParquet.<GenericRecord>read(
            conf,
            f,
            r -> {
              long[] c =
                  backtest
                      .computeIfAbsent(r.get("rule").toString(), k -> new TreeMap<>())
                      .computeIfAbsent(((Number) r.get("k")).doubleValue(), k -> new long[3]);
              c[0] += ((Number) r.get("tp")).longValue();
              c[1] += ((Number) r.get("fp")).longValue();
              c[2] += ((Number) r.get("fn")).longValue();
            });
      }
    }
    // quarantine reasons
    Map<String, Long> reasons = new TreeMap<>();
    for (Path f : files(fs, rootPath, Table.QUARANTINE)) {
      AvroParquet.<QuarantineRecord>read(conf, f, q -> reasons.merge(q.getReason(), 1L, Long::sum));
    }
    List<Run> runs = runs(fs, rootPath);
    Map<String, Long> stepSeconds = readSteps();

    String html =
        html(
            perHour,
            regionDay,
            regionTotal,
            regionAnomaly,
            anomalies,
            spendBuckets,
            spend,
            value(latestProfiles),
            backtest,
            value(latestBacktest),
            reasons,
            runs,
            stepSeconds);
    Path target = out != null ? new Path(out) : new Path(rootPath, "report/index.html");
    FileSystem outFs = target.getFileSystem(conf);
    Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
    outFs.mkdirs(target.getParent());
    try (var o = outFs.create(tmp, true)) {
      o.write(html.getBytes(StandardCharsets.UTF_8));
    }
    outFs.delete(target, false);
    FraudBatchException.check(outFs.rename(tmp, target), "cannot write %s", target);
    printSummary(runs, stepSeconds);
    console.printf(
        Locale.ROOT,
        "report: wrote %s (%,d hours, %d regions, %,d anomalies, %d runs) in %.1f s%n",
        outFs.makeQualified(target),
        perHour.size(),
        regionDay.size(),
        anomalies,
        runs.size(),
        (System.currentTimeMillis() - t0) / 1000.0);
    return 0;
  }

  static int spendBucket(int activeDays, double mean) {
    if (activeDays == 0) {
      return 0;
    }
    double[] upper = {10, 30, 100, 300, 1000};
    for (int i = 0; i < upper.length; i++) {
      if (mean < upper[i]) {
        return i + 1;
      }
    }
    return upper.length + 1;
  }

  private Map<String, Long> readSteps() throws IOException {
    Map<String, Long> s = new LinkedHashMap<>();
    if (steps != null && Files.exists(steps)) {
      for (String line : Files.readAllLines(steps)) {
        String[] p = line.split("\t");
        if (p.length >= 2) {
          s.put(p[0], Long.parseLong(p[1].strip()));
        }
      }
    }
    return s;
  }

  /** Every committed run, from the manifests (read as their typed records), in run-id order. */
  static List<Run> runs(FileSystem fs, Path root) throws IOException {
    List<Run> out = new ArrayList<>();
    for (var e : new RunManifests(fs, root, "ingest").read(RunRecords.IngestRun.class).values()) {
      out.add(
          new Run(
              "ingest",
              e.runId(),
              e.mode(),
              e.count("RECORDS_READ"),
              e.count("NEW_ROWS"),
              e.count("QUARANTINED"),
              e.count("DUPLICATES_IN_RUN") + e.count("DUPLICATES_OF_PUBLISHED"),
              balanced(e.reconciliation())));
    }
    for (var e :
        new RunManifests(fs, root, "profiles").read(RunRecords.ProfilesRun.class).values()) {
      out.add(
          new Run(
              "profiles",
              e.runId(),
              e.mode() + " as of " + e.asOf(),
              e.eventsRead() + e.previousEvents(),
              e.eventsWritten(),
              0,
              0,
              balanced(e.reconciliation())));
    }
    for (var e :
        new RunManifests(fs, root, "anomalies").read(RunRecords.AnomaliesRun.class).values()) {
      out.add(
          new Run(
              "anomalies",
              e.runId(),
              (e.days() == null ? 0 : e.days().size()) + " day(s)",
              e.eventsRead(),
              e.anomalies(),
              0,
              0,
              balanced(e.reconciliation())));
    }
    for (var e : new RunManifests(fs, root, "load").read(RunRecords.LoadRun.class).values()) {
      RunRecords.LoadedTable p =
          e.profiles() == null ? new RunRecords.LoadedTable(0, 0) : e.profiles();
      RunRecords.LoadedTable c =
          e.riskContext() == null ? new RunRecords.LoadedTable(0, 0) : e.riskContext();
      out.add(
          new Run(
              "load",
              e.runId(),
              "as of " + e.asOf(),
              p.recordsRead() + c.recordsRead(),
              p.rows() + c.rows(),
              0,
              0,
              balanced(e.reconciliation())));
    }
    for (var e :
        new RunManifests(fs, root, "backtests").read(RunRecords.BacktestRun.class).values()) {
      out.add(
          new Run(
              "backtests",
              e.runId(),
              e.from() + ".." + e.to(),
              e.eventsRead(),
              e.rows(),
              0,
              0,
              balanced(e.reconciliation())));
    }
    // Run ids start with the run's start second: their order is the runs' order.
    out.sort(Comparator.comparing(Run::runId));
    return out;
  }

  private static String balanced(RunRecords.Reconciliation r) {
    return r == null || r.balanced() == null ? "?" : r.balanced().toString();
  }

  private void printSummary(List<Run> runs, Map<String, Long> stepSeconds) {
    if (!stepSeconds.isEmpty()) {
      console.println();
      console.printf("%-48s %8s%n", "step", "seconds");
      stepSeconds.forEach((k, v) -> console.printf("%-48s %8d%n", k, v));
      console.printf(
          "%-48s %8d%n", "total", stepSeconds.values().stream().mapToLong(Long::longValue).sum());
    }
    console.println();
    console.printf(
        "%-10s %-26s %-30s %12s %12s %11s %10s %8s%n",
        "job", "run", "what", "records in", "records out", "quarantined", "duplicates", "balanced");
    for (Run r : runs) {
      console.printf(
          Locale.ROOT,
          "%-10s %-26s %-30s %,12d %,12d %,11d %,10d %8s%n",
          r.job(),
          r.runId(),
          r.what().length() > 30 ? r.what().substring(0, 30) : r.what(),
          r.in(),
          r.out(),
          r.quarantined(),
          r.duplicates(),
          r.balanced());
    }
  }

  private static String html(
      TreeMap<Long, Long> perHour,
      Map<String, TreeMap<String, long[]>> regionDay,
      Map<String, Long> regionTotal,
      Set<String> regionAnomaly,
      long anomalies,
      String[] spendBuckets,
      double[] spend,
      String latestProfiles,
      Map<String, TreeMap<Double, long[]>> backtest,
      String latestBacktest,
      Map<String, Long> reasons,
      List<Run> runs,
      Map<String, Long> stepSeconds) {
    StringBuilder h = new StringBuilder();
    h.append(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>fraud-batch run report</title>")
        .append(
            "<style>body{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;color:#222}")
        .append(
            "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
        .append(
            "td:first-child,th:first-child,td.l{text-align:left}h2{margin-top:2em}.note{color:#555;font-size:13px}</style></head><body>")
        .append("<h1>fraud-batch run report</h1><p class=\"note\">Generated ")
        .append(Instant.now().toString())
        .append(" from the published datasets and manifests. All times UTC.</p>");

    if (!stepSeconds.isEmpty()) {
      h.append("<h2>Steps</h2><table><tr><th>step</th><th>seconds</th></tr>");
      stepSeconds.forEach(
          (k, v) ->
              h.append("<tr><td>")
                  .append(Svg.esc(k))
                  .append("</td><td>")
                  .append(v)
                  .append("</td></tr>"));
      h.append("</table>");
    }

    // events per hour
    List<String> hours = new ArrayList<>();
    double[] counts = new double[0];
    if (!perHour.isEmpty()) {
      long first = perHour.firstKey();
      long last = perHour.lastKey();
      counts = new double[(int) (last - first + 1)];
      for (long hr = first; hr <= last; hr++) {
        hours.add(Instant.ofEpochMilli(hr * 3_600_000L).toString().substring(5, 10));
        counts[(int) (hr - first)] = perHour.getOrDefault(hr, 0L);
      }
    }
    long total = perHour.values().stream().mapToLong(Long::longValue).sum();
    h.append("<h2>Decisions per hour</h2><p class=\"note\">")
        .append(String.format(Locale.ROOT, "%,d", total))
        .append(" decisions over ")
        .append(hours.size())
        .append(" hours.</p>")
        .append(
            Svg.lines(
                List.of(new Svg.Series("decisions per hour", counts, null)),
                hours,
                24 * Math.max(1, hours.size() / 24 / 10), // about ten day labels
                "decisions"));

    // decline rate by region, anomalies marked
    List<String> top =
        regionTotal.entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .limit(6)
            .map(Map.Entry::getKey)
            .toList();
    TreeMap<String, Boolean> allDays = new TreeMap<>();
    regionDay.values().forEach(m -> m.keySet().forEach(d -> allDays.put(d, true)));
    List<String> days = new ArrayList<>(allDays.keySet());
    List<Svg.Series> rates = new ArrayList<>();
    int marked = 0;
    for (String r : top) {
      double[] v = new double[days.size()];
      boolean[] m = new boolean[days.size()];
      for (int i = 0; i < days.size(); i++) {
        long[] c = regionDay.get(r).get(days.get(i));
        v[i] = c == null || c[0] == 0 ? 0 : (double) c[1] / c[0];
        m[i] = regionAnomaly.contains(r + "|" + days.get(i));
        marked += m[i] ? 1 : 0;
      }
      rates.add(new Svg.Series(r, v, m));
    }
    h.append(
            "<h2>Decline rate by region</h2><p class=\"note\">The six busiest regions, per day; a red dot marks a day with a regional anomaly on that region (")
        .append(marked)
        .append(" marked; ")
        .append(String.format(Locale.ROOT, "%,d", anomalies))
        .append(" anomalies of all kinds published).</p>")
        .append(
            Svg.lines(
                rates,
                days.stream().map(d -> d.substring(5)).toList(),
                Math.max(1, days.size() / 14),
                "decline rate"));

    // daily spend
    h.append(
            "<h2>Typical daily spend across profiles</h2><p class=\"note\">Mean daily spend over the active days of the last 30 (currency units), from the profiles as of ")
        .append(latestProfiles == null ? "(none)" : latestProfiles)
        .append(".</p>")
        .append(Svg.bars(List.of(spendBuckets), spend, "#1f77b4"));

    // backtest
    h.append("<h2>Backtest: precision and recall by threshold</h2>");
    if (backtest.isEmpty()) {
      h.append("<p class=\"note\">No backtest published.</p>");
    } else {
      List<Double> ks = new ArrayList<>(backtest.values().iterator().next().keySet());
      List<Svg.Series> pr = new ArrayList<>();
      h.append("<p class=\"note\">The backtest up to ")
          .append(latestBacktest)
          .append(
              ", summed over its days; k = the multiple of an actor's normal daily spend.</p><table><tr><th>rule</th><th>k</th><th>tp</th><th>fp</th><th>fn</th><th>precision</th><th>recall</th></tr>");
      backtest.forEach(
          (rule, byK) -> {
            double[] p = new double[ks.size()];
            double[] r = new double[ks.size()];
            int i = 0;
            for (Map.Entry<Double, long[]> e : byK.entrySet()) {
              long[] c = e.getValue();
              double prec = c[0] + c[1] == 0 ? 0 : (double) c[0] / (c[0] + c[1]);
              double rec = c[0] + c[2] == 0 ? 0 : (double) c[0] / (c[0] + c[2]);
              if (i < p.length) {
                p[i] = prec;
                r[i] = rec;
              }
              i++;
              h.append(
                  String.format(
                      Locale.ROOT,
                      "<tr><td>%s</td><td>%s</td><td>%,d</td><td>%,d</td><td>%,d</td><td>%.3f</td><td>%.3f</td></tr>",
                      Svg.esc(rule),
                      Svg.num(e.getKey()),
                      c[0],
                      c[1],
                      c[2],
                      prec,
                      rec));
            }
            pr.add(new Svg.Series(rule + " precision", p, null));
            pr.add(new Svg.Series(rule + " recall", r, null));
          });
      h.append("</table>")
          .append(Svg.lines(pr, ks.stream().map(k -> "k=" + Svg.num(k)).toList(), 1, "share"));
    }

    // quarantine
    h.append("<h2>Quarantine reasons</h2>");
    h.append(
        Svg.bars(
            new ArrayList<>(reasons.keySet()),
            reasons.values().stream().mapToDouble(Long::doubleValue).toArray(),
            "#ff7f0e"));

    // reconciliation
    h.append(
            "<h2>Reconciliation of every run</h2><p class=\"note\">From each run's manifest: records in = records out + quarantined + duplicates dropped for ingest; events read = events written for profiles; rows = records read for load.</p>")
        .append(
            "<table><tr><th>job</th><th>run</th><th>what</th><th>records in</th><th>records out</th><th>quarantined</th><th>duplicates</th><th>balanced</th></tr>");
    for (Run r : runs) {
      h.append(
          String.format(
              Locale.ROOT,
              "<tr><td>%s</td><td class=\"l\">%s</td><td class=\"l\">%s</td><td>%,d</td><td>%,d</td><td>%,d</td><td>%,d</td><td>%s</td></tr>",
              Svg.esc(r.job()),
              Svg.esc(r.runId()),
              Svg.esc(r.what()),
              r.in(),
              r.out(),
              r.quarantined(),
              r.duplicates(),
              Svg.esc(r.balanced())));
    }
    h.append("</table></body></html>\n");
    return h.toString();
  }

  /** The data files of every published partition of {@code table}. */
  static List<Path> files(FileSystem fs, Path root, Table table) throws IOException {
    List<Path> out = new ArrayList<>();
    for (PartitionLister.Partition p :
        PartitionLister.list(fs, root, table).partitions().values()) {
      out.addAll(partitionFiles(fs, p.location()));
    }
    return out;
  }

  /** The Parquet files of one partition directory. */
  static List<Path> partitionFiles(FileSystem fs, Path partition) throws IOException {
    List<Path> out = new ArrayList<>();
    for (FileStatus f : fs.listStatus(partition)) {
      if (f.getPath().getName().endsWith(".parquet")) {
        out.add(f.getPath());
      }
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }

  /** {@code 2026-10-28} of a partition location {@code …/as_of=2026-10-28[/v-…]}, or null. */
  static String value(Path location) {
    if (location == null) {
      return null;
    }
    String n = PartitionLister.partitionNameOf(location);
    return n.substring(n.indexOf('=') + 1);
  }

  /** The location of the greatest published partition of {@code table}, or null. */
  static Path latest(FileSystem fs, Path root, Table table) throws IOException {
    var parts = PartitionLister.list(fs, root, table).partitions();
    return parts.isEmpty() ? null : parts.get(parts.lastKey()).location();
  }
}
