package io.fraudbatch.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fraudbatch.core.FraudBatchException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A Numenta Anomaly Benchmark series ({@code timestamp,value}) as the card traffic of one region,
 * so the regional anomaly job can be scored on real-world shapes.
 *
 * <ul>
 *   <li>volume: each point stands for the time until the next one (at most twice the series' usual
 *       step; longer gaps carry no traffic) and brings {@code perHour × hours × value / median}
 *       transactions (negative values none), the fractions carried over so no volume is lost to
 *       rounding; they are spread evenly over the point's interval;
 *   <li>each transaction: region and city {@code NAB-<SERIES>}, POS, one of {@code actors} actors
 *       and 40 merchants drawn at random, an amount around 40 USD (log-normal); decided by the
 *       stand-in online rules like any other;
 *   <li>labels: NAB's labelled anomaly windows ({@code labels/combined_windows.json}) become
 *       incidents keyed on the region, scenario {@link #SCENARIO}; the transactions inside a window
 *       are its labelled events. They are not fraud: these roots are for the anomaly job, not the
 *       rule backtest.
 * </ul>
 *
 * Points out of order are sorted; a timestamp given twice (a few NAB files have them) stands for
 * the mean of its values; both counted in summary.json.
 *
 * <p>NAB's convention that the first 15% of a series is warm-up is kept in summary.json ({@code
 * warmupEnds}): score after it.
 */
final class NabImport {
  static final String SCENARIO = "NAB_WINDOW";
  static final double WARMUP_SHARE = 0.15;
  static final int MERCHANTS = 40;
  static final double MAX_FACTOR = 50;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS]");

  private NabImport() {}

  /** NAB-<SERIES>: the file name upper-cased, other than letters and digits as '_'. */
  static String region(String series) {
    return "NAB-" + series.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  static long parseTime(String s) {
    return LocalDateTime.parse(s.strip(), TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
  }

  /** The labels file of a series file under NAB's layout: data/CATEGORY/NAME.csv. */
  static Path defaultLabels(Path series) {
    Path data = series.toAbsolutePath().getParent().getParent();
    return data.resolveSibling("labels").resolve("combined_windows.json");
  }

  static Replay.Imported read(Path series, Path labels, double perHour, int actorCount, long seed)
      throws IOException {
    String name = series.getFileName().toString().replaceFirst("\\.csv$", "");
    String key = series.toAbsolutePath().getParent().getFileName() + "/" + series.getFileName();
    List<long[]> windows = windows(labels, key);
    // NAB's files have a few points out of order and a few timestamps given twice with two values
    // (exchange-2, ec2_request_latency, machine_temperature): points are taken in time order, and
    // a repeated timestamp stands for the mean of its values (they describe the same instant).
    TreeMap<Long, double[]> byTime = new TreeMap<>(); // time -> {sum of values, count}
    int pointsRead = 0;
    int outOfOrder = 0;
    long previous = Long.MIN_VALUE;
    try (SourceFile f =
        SourceFile.open(series, ".*\\.csv", ',', List.of("timestamp", "value"), "a NAB series")) {
      int ts = f.column("timestamp");
      int v = f.column("value");
      String[] row;
      while ((row = f.next()) != null) {
        long t;
        try {
          t = parseTime(row[ts]);
        } catch (DateTimeParseException e) {
          throw f.error("timestamp is not 'yyyy-MM-dd HH:mm:ss': '" + row[ts] + "'");
        }
        if (t < previous) {
          outOfOrder++;
        }
        previous = t;
        pointsRead++;
        double[] acc = byTime.computeIfAbsent(t, k -> new double[2]);
        acc[0] += f.number(row, v, "value");
        acc[1]++;
      }
    }
    int repeated = pointsRead - byTime.size();
    List<Long> times = new ArrayList<>(byTime.keySet());
    List<Double> values = byTime.values().stream().map(a -> a[0] / a[1]).toList();
    if (times.size() < 2) {
      throw new FraudBatchException(series + " has fewer than two points: nothing to convert");
    }
    double median = median(values.stream().filter(x -> x > 0).mapToDouble(x -> x).toArray());
    if (!(median > 0)) {
      throw new FraudBatchException(series + " has no positive values: nothing to scale");
    }
    long[] steps = new long[times.size() - 1];
    for (int i = 0; i < steps.length; i++) {
      steps[i] = times.get(i + 1) - times.get(i);
    }
    long usual = (long) median(Arrays.stream(steps).mapToDouble(x -> x).toArray());

    String region = region(name);
    String[] actors = new String[actorCount];
    for (int i = 0; i < actorCount; i++) {
      actors[i] = String.format(Locale.ROOT, "nab-a%05d", i);
    }
    City place = new City(0, region, null, region, 0, 0, ZoneOffset.UTC, "USD", 1, 0);
    SplittableRandom r = Rng.stream(seed, 31);
    List<Replay.Event> events = new ArrayList<>();
    double carry = 0;
    for (int i = 0; i < times.size(); i++) {
      long interval = i + 1 < times.size() ? Math.min(steps[i], 2 * usual) : usual;
      double expected =
          Math.min(MAX_FACTOR, Math.max(0, values.get(i)) / median)
              * perHour
              * interval
              / Replay.HOUR;
      int n = (int) Math.floor(carry + expected);
      carry += expected - n;
      for (int j = 0; j < n; j++) {
        long t = times.get(i) + interval * (2L * j + 1) / (2L * n);
        Replay.Event e =
            new Replay.Event(
                String.format(Locale.ROOT, "nab-%s-%08d", name, events.size() + 1), t, "POS");
        e.actorId = actors[r.nextInt(actorCount)];
        e.merchantId = String.format(Locale.ROOT, "%s-M%02d", region, r.nextInt(MERCHANTS));
        e.mcc = "5411";
        e.region = region;
        e.city = region;
        e.txn.place = place;
        e.txn.amount =
            BigDecimal.valueOf(Rng.logNormal(r, 40, 0.6)).setScale(2, RoundingMode.HALF_EVEN);
        e.txn.currency = "USD";
        e.txn.fxPerUsd = 1;
        events.add(e);
      }
    }
    List<Replay.IncidentRow> incidents = new ArrayList<>();
    for (long[] w : windows) {
      String id = String.format(Locale.ROOT, "INC-%04d", incidents.size() + 1);
      int n = 0;
      java.util.Set<String> who = new java.util.HashSet<>();
      for (Replay.Event e : events) {
        if (e.txn.time >= w[0] && e.txn.time <= w[1]) {
          e.scenario = SCENARIO;
          e.incidentId = id;
          who.add(e.actorId);
          n++;
        }
      }
      incidents.add(
          new Replay.IncidentRow(id, SCENARIO, "region", region, w[0], w[1], who.size(), n));
    }
    long first = times.get(0);
    long last = times.get(times.size() - 1);
    Map<String, Object> about = new LinkedHashMap<>();
    about.put("dataset", "nab");
    about.put("series", key);
    about.put("file", series.toString());
    about.put("labels", labels.toString());
    about.put("region", region);
    about.put("pointsRead", pointsRead);
    about.put("outOfOrder", outOfOrder);
    about.put("repeatedTimestampsAveraged", repeated);
    about.put("points", times.size());
    about.put("medianValue", median);
    about.put("usualStepSeconds", usual / 1000);
    about.put("perHour", perHour);
    about.put("actors", actorCount);
    about.put("windows", windows.size());
    about.put("first", Instant.ofEpochMilli(first).toString());
    about.put("last", Instant.ofEpochMilli(last).toString());
    about.put(
        "warmupEnds",
        Instant.ofEpochMilli(first + (long) ((last - first) * WARMUP_SHARE)).toString());
    return new Replay.Imported(events, incidents, about);
  }

  /** The labelled windows of {@code key} ("realKnownCause/nyc_taxi.csv"), as [start, end] ms. */
  static List<long[]> windows(Path labels, String key) throws IOException {
    if (!Files.isRegularFile(labels)) {
      throw new FraudBatchException(
          "Cannot find NAB's labels "
              + labels
              + ": give --labels (NAB's labels/combined_windows.json)");
    }
    JsonNode root = new ObjectMapper().readTree(labels.toFile());
    JsonNode ws = root.get(key);
    if (ws == null) {
      throw new FraudBatchException(
          labels + " has no windows for " + key + " (is the series file under data/CATEGORY/?)");
    }
    List<long[]> out = new ArrayList<>();
    for (JsonNode w : ws) {
      try {
        out.add(new long[] {parseTime(w.get(0).asText()), parseTime(w.get(1).asText())});
      } catch (DateTimeParseException | NullPointerException e) {
        throw new FraudBatchException(
            labels + ": window " + w + " of " + key + " is not [start, end]");
      }
    }
    return out;
  }

  static double median(double[] xs) {
    if (xs.length == 0) {
      return Double.NaN;
    }
    double[] s = xs.clone();
    Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  }
}
