package io.fraudbatch.jobs.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudbatch.avro.DecisionEvent;
import io.fraudbatch.core.anomaly.WindowEvaluation;
import io.fraudbatch.core.rules.Confusion;
import io.fraudbatch.ingest.IngestJob;
import io.fraudbatch.jobs.AvroParquet;
import io.fraudbatch.jobs.anomalies.AnomaliesJob;
import io.fraudbatch.jobs.profiles.BacktestJob;
import io.fraudbatch.jobs.profiles.ProfilesJob;
import io.fraudbatch.sample.ImportCommand;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.util.ToolRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data nobody here wrote, through the whole pipeline: slices of Sparkov, PaySim and NAB (verbatim,
 * src/test/resources/replay/README.md) imported by sample-data's importers, ingested by the real
 * ingest job, then profiles and the rule backtest (Sparkov, PaySim) or the anomaly job (NAB) on
 * Spark local[*].
 */
class ReplayedDatasetsIT {
  @TempDir static Path tmp;

  static Path fixture(String rel) throws Exception {
    return Paths.get(ReplayedDatasetsIT.class.getResource("/replay/" + rel).toURI());
  }

  static Configuration conf() {
    Configuration conf = new Configuration();
    conf.set("mapreduce.framework.name", "local");
    conf.set("fs.defaultFS", "file:///");
    return conf;
  }

  static List<String[]> sourceRows(Path gz, String delimiter) throws Exception {
    List<String[]> rows = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(gz)), StandardCharsets.UTF_8))) {
      r.readLine();
      String l;
      while ((l = r.readLine()) != null) {
        rows.add(l.split(Pattern.quote(delimiter), -1));
      }
    }
    return rows;
  }

  static void importAndIngest(String... importArgs) throws Exception {
    assertThat(ImportCommand.run(importArgs)).as("import %s", List.of(importArgs)).isZero();
    String root = importArgs[java.util.Arrays.asList(importArgs).indexOf("--root") + 1];
    int code =
        ToolRunner.run(
            conf(), new IngestJob(), new String[] {"--root", root, "--min-age-seconds", "0"});
    assertThat(code).as("ingest").isZero();
  }

  static List<DecisionEvent> decisions(Path root) throws Exception {
    List<DecisionEvent> l = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root.resolve("warehouse/decisions"))) {
      for (Path p : s.filter(p -> p.toString().endsWith(".parquet")).sorted().toList()) {
        AvroParquet.<DecisionEvent>read(conf(), new org.apache.hadoop.fs.Path(p.toUri()), l::add);
      }
    }
    return l;
  }

  /** eventId|actorId|merchantId|deviceId of every event as the importer wrote it to landing. */
  static Set<String> landingIds(Path root) throws Exception {
    Set<String> ids = new HashSet<>();
    org.apache.hadoop.fs.FileSystem fs = org.apache.hadoop.fs.FileSystem.getLocal(conf());
    try (Stream<Path> s = Files.walk(root.resolve("landing"))) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        try (io.fraudbatch.ingest.LandingFileReader r =
            new io.fraudbatch.ingest.LandingFileReader(
                fs, new org.apache.hadoop.fs.Path(p.toUri()), conf())) {
          while (r.next()) {
            DecisionEvent e =
                io.fraudbatch.core.event.DecisionEventJson.decode(r.body(), 0, r.bodyLength())
                    .event();
            ids.add(ids(e));
          }
        }
      }
    }
    return ids;
  }

  static String ids(DecisionEvent e) {
    return e.getEventId() + "|" + e.getActorId() + "|" + e.getMerchantId() + "|" + e.getDeviceId();
  }

  /** Identifiers pass through ingest byte for byte: none masked, all equal the importer's. */
  static void assertIdentifiersUnchanged(Path root, List<DecisionEvent> events) throws Exception {
    Set<String> warehouse = new HashSet<>();
    for (DecisionEvent e : events) {
      assertThat(ids(e)).as("ids of %s", e.getEventId()).doesNotContain("*");
      warehouse.add(ids(e));
    }
    assertThat(warehouse).isEqualTo(landingIds(root));
  }

  /** eventId → eventTime of labels.csv. */
  static Map<String, Instant> labels(Path root) throws Exception {
    Map<String, Instant> m = new HashMap<>();
    List<String> lines = Files.readAllLines(root.resolve("labels/decisions/labels.csv"));
    for (String l : lines.subList(1, lines.size())) {
      String[] f = l.split(",");
      m.put(f[0], Instant.parse(f[4]));
    }
    return m;
  }

  static void profiles(Path root, String asOf) throws Exception {
    int code =
        ToolRunner.run(
            conf(),
            new ProfilesJob(),
            new String[] {
              "--root",
              root.toString(),
              "--engine",
              "spark",
              "--mode",
              "incremental",
              "--as-of",
              asOf
            });
    assertThat(code).as("profiles").isZero();
  }

  static Map<String, Confusion> backtest(Path root, String from, String to) throws Exception {
    BacktestJob job = new BacktestJob();
    int code =
        ToolRunner.run(
            conf(), job, new String[] {"--root", root.toString(), "--from", from, "--to", to});
    assertThat(code).as("backtest").isZero();
    assertThat(job.lastLabelled()).isTrue();
    return job.lastTotals();
  }

  static long labelledBetween(Map<String, Instant> labels, String from, String toExclusive) {
    Instant a = Instant.parse(from + "T00:00:00Z");
    Instant b = Instant.parse(toExclusive + "T00:00:00Z");
    return labels.values().stream().filter(t -> !t.isBefore(a) && t.isBefore(b)).count();
  }

  @Test
  void sparkovCardsNeverReachTheWarehouseInClearAndItsFraudIsScored() throws Exception {
    Path input = fixture("sparkov/transactions.csv.gz");
    List<String[]> rows = sourceRows(input, "|");
    Set<String> cards = new HashSet<>();
    int fraud = 0;
    for (String[] r : rows) {
      cards.add(r[1]);
      fraud += "1".equals(r[22]) ? 1 : 0;
    }
    Path root = tmp.resolve("sparkov");
    importAndIngest(
        "sparkov",
        "--input",
        input.toString(),
        "--root",
        root.toString(),
        "--pan-rate",
        "0.05",
        "-q");

    // Every row once; every label on an ingested event; the card numbers nowhere in clear.
    List<DecisionEvent> events = decisions(root);
    assertThat(events).hasSize(rows.size());
    Set<String> ids = new HashSet<>();
    events.forEach(e -> ids.add(e.getEventId()));
    Map<String, Instant> labels = labels(root);
    assertThat(labels).hasSize(fraud);
    assertThat(ids).containsAll(labels.keySet());
    assertIdentifiersUnchanged(root, events);
    String warehouse = events.toString();
    for (String card : cards) {
      assertThat(warehouse).as("card %s", card).doesNotContain(card);
    }
    Set<Integer> maskedLengths = new HashSet<>();
    Pattern masked = Pattern.compile("\\*+[0-9]{4}");
    for (DecisionEvent e : events) {
      String memo = e.getExtraFields().get("memo");
      if (memo != null) {
        Matcher m = masked.matcher(memo);
        assertThat(m.find()).as(memo).isTrue();
        maskedLengths.add(m.group().length());
      }
    }
    // The landing files had them in clear (the leak ingest must catch), of every length.
    assertThat(maskedLengths).contains(12, 13, 14, 15, 16, 19);

    // Profiles as of each day before, then the backtest of the first two weeks of December.
    profiles(root, "2020-11-30..2020-12-13");
    Map<String, Confusion> t = backtest(root, "2020-12-01", "2020-12-14");
    long decemberFraud = labelledBetween(labels, "2020-12-01", "2020-12-15");
    assertThat(decemberFraud).isPositive();
    Confusion amount = t.get("AMOUNT_OVER_PROFILE\t2.0");
    assertThat(amount.tp() + amount.fn()).isEqualTo(decemberFraud);
    // Sparkov's fraud is a burst of high-value purchases: most of it is over 2x the daily norm.
    assertThat(amount.recall()).isGreaterThan(0.5);
    // No Sparkov purchase is far from home: impossible travel never fires.
    assertThat(t.get("IMPOSSIBLE_TRAVEL\t3.0").tp() + t.get("IMPOSSIBLE_TRAVEL\t3.0").fp())
        .isZero();
  }

  @Test
  void paySimTakeOversAreLabelledAsIncidentsAndScored() throws Exception {
    Path input = fixture("paysim/PS_slice_rawLog.csv.gz");
    List<String[]> rows = sourceRows(input, ",");
    Path root = tmp.resolve("paysim");
    importAndIngest(
        "paysim",
        "--input",
        input.toString(),
        "--root",
        root.toString(),
        "--start",
        "2026-10-01",
        "-q");
    assertThat(decisions(root)).hasSize(rows.size());
    assertIdentifiersUnchanged(root, decisions(root));
    // Three take-overs: a TRANSFER to a mule and the mule's CASH_OUT, one incident each.
    List<String> incidents = Files.readAllLines(root.resolve("labels/decisions/incidents.csv"));
    assertThat(incidents).hasSize(1 + 3);
    assertThat(incidents.subList(1, 4))
        .allMatch(l -> l.contains(",PAYSIM_FRAUD,actor,") && l.endsWith(",2,2"));
    Map<String, Instant> labels = labels(root);
    assertThat(labels).hasSize(6);

    profiles(root, "2026-10-01..2026-10-09");
    Map<String, Confusion> t = backtest(root, "2026-10-02", "2026-10-10");
    assertThat(t.get("ANY\t2.0").tp() + t.get("ANY\t2.0").fn())
        .isEqualTo(labelledBetween(labels, "2026-10-02", "2026-10-11"));
    // A threshold that rises flags no more.
    assertThat(t.get("AMOUNT_OVER_PROFILE\t8.0").tp() + t.get("AMOUNT_OVER_PROFILE\t8.0").fp())
        .isLessThanOrEqualTo(
            t.get("AMOUNT_OVER_PROFILE\t2.0").tp() + t.get("AMOUNT_OVER_PROFILE\t2.0").fp());
  }

  @Test
  void nabSeriesBecomesARegionScoredByTheAnomalyJob() throws Exception {
    Path input = fixture("nab/data/realKnownCause/nyc_taxi.csv");
    Path root = tmp.resolve("nab");
    importAndIngest(
        "nab", "--input", input.toString(), "--root", root.toString(), "--per-hour", "40", "-q");
    List<DecisionEvent> events = decisions(root);
    assertThat(events).isNotEmpty().allMatch(e -> "NAB-NYC_TAXI".equals(e.getRegion()));
    // After NAB's 15% warm-up (about 11 of the 77 days).
    AnomaliesJob job = new AnomaliesJob();
    int code =
        ToolRunner.run(
            conf(),
            job,
            new String[] {"--root", root.toString(), "--date", "2014-09-13..2014-11-16"});
    assertThat(code).isZero();
    WindowEvaluation.Report r = job.lastReport();
    assertThat(r).isNotNull();
    assertThat(r.scenarios()).hasSize(1);
    WindowEvaluation.ScenarioRecall s = r.scenarios().get(0);
    assertThat(s.scenario()).isEqualTo("NAB_WINDOW");
    assertThat(s.incidents()).isEqualTo(1);
    // The marathon window: 2014-10-30 15:30 .. 2014-11-03 22:30, about 103 hours.
    assertThat(s.windows() + s.thin()).isBetween(100, 105);
    System.out.print(r.table());
  }
}
