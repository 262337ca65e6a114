package io.fraudbatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fraudbatch.core.pan.PanMasker;
import io.fraudbatch.sample.Generator;
import io.fraudbatch.sample.GeneratorConfig;
import io.fraudbatch.sample.LandingFormat;
import io.fraudbatch.warehouse.CrashPoints;
import io.fraudbatch.warehouse.PartitionLister;
import io.fraudbatch.warehouse.Table;
import io.fraudbatch.warehouse.WarehouseConf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.util.ToolRunner;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ingest job on Hadoop's local runner over generated landing data in all sink formats. */
class IngestJobTest {
  static final int EVENTS = 3_000;

  @TempDir Path tmp;

  @AfterEach
  void noHook() {
    CrashPoints.reset();
  }

  static GeneratorConfig data(Path root, long seed) {
    return data(root, seed, 4, EVENTS);
  }

  static GeneratorConfig data(Path root, long seed, int days, int events) {
    return new GeneratorConfig(
        root.toString(),
        seed,
        150,
        days,
        LocalDate.parse("2026-05-01"),
        (long) events,
        List.of(LandingFormat.values()),
        0.05,
        0.5,
        0.02,
        0.01,
        0.02,
        true,
        0.4,
        Map.of(
            io.fraudbatch.sample.Scenario.CARD_TESTING, 1,
            io.fraudbatch.sample.Scenario.ACCOUNT_TAKEOVER, 1),
        2,
        false);
  }

  static JsonNode generate(Path root, long seed) throws IOException {
    return generate(data(root, seed), root);
  }

  static JsonNode generate(GeneratorConfig cfg, Path root) throws IOException {
    new Generator(cfg, line -> {}).run();
    return new ObjectMapper().readTree(root.resolve("labels/decisions/summary.json").toFile());
  }

  record Result(int code, Map<String, Object> summary) {}

  static Result ingest(Path root, String... extra) throws Exception {
    return ingest(localConf(), root, extra);
  }

  /** The local runner on the local filesystem, with a short run lease. */
  static Configuration localConf() {
    Configuration conf = new Configuration();
    conf.set("mapreduce.framework.name", "local");
    conf.set("fs.defaultFS", "file:///");
    // A crashed in-process run leaves a lock held by this (live) JVM: only its age frees it.
    conf.setLong(WarehouseConf.LEASE_MS, 300);
    return conf;
  }

  static Result ingest(Configuration conf, Path root, String... extra) throws Exception {
    IngestJob job = new IngestJob();
    List<String> args =
        new ArrayList<>(List.of("--root", root.toString(), "--min-age-seconds", "0"));
    args.addAll(List.of(extra));
    int code = ToolRunner.run(conf, job, args.toArray(String[]::new));
    return new Result(code, job.lastSummary());
  }

  /** Flume rolls its open files: the in-use suffix goes away. */
  static void closeInUseFiles(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root.resolve("landing"))) {
      for (Path p : s.filter(p -> p.toString().endsWith(".tmp")).toList()) {
        String name = p.getFileName().toString();
        Files.move(p, p.resolveSibling(name.substring(0, name.length() - 4)));
      }
    }
  }

  static List<Path> parquet(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
    }
  }

  /** The published rows of a table directory (as the partition lister shows it), else all. */
  static List<GenericRecord> rows(Path dir) throws IOException {
    List<GenericRecord> out = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    java.util.Optional<Table> table =
        java.util.Arrays.stream(Table.values()).filter(t -> dir.endsWith(t.dir())).findFirst();
    if (table.isPresent()) {
      Path root = dir.getParent().getParent();
      for (PartitionLister.Partition part :
          PartitionLister.list(
                  org.apache.hadoop.fs.FileSystem.getLocal(new Configuration()),
                  new org.apache.hadoop.fs.Path(root.toUri()),
                  table.get())
              .partitions()
              .values()) {
        try (Stream<Path> s = Files.list(Path.of(part.location().toUri()))) {
          s.filter(p -> p.getFileName().toString().endsWith(".parquet"))
              .sorted()
              .forEach(files::add);
        }
      }
    } else {
      files.addAll(parquet(dir));
    }
    for (Path p : files) {
      try (ParquetReader<GenericRecord> r =
          AvroParquetReader.<GenericRecord>builder(
                  HadoopInputFile.fromPath(
                      new org.apache.hadoop.fs.Path(p.toUri()), new Configuration()))
              .withDataModel(CandidateCodec.MODEL)
              .build()) {
        GenericRecord g;
        while ((g = r.read()) != null) {
          out.add(g);
        }
      }
    }
    return out;
  }

  /** Rows with the run ids blanked: runs in different roots have different ids. */
  static Map<String, String> withoutRunIds(Map<String, String> rows) {
    Map<String, String> m = new TreeMap<>();
    rows.forEach(
        (k, v) -> m.put(k, v.replaceAll("\"ingestRunId\": \"[^\"]*\"", "\"ingestRunId\": \"-\"")));
    return m;
  }

  /** eventId → the whole row as text: compares the published data, not the file layout. */
  static Map<String, String> byEventId(Path root) throws IOException {
    Map<String, String> m = new TreeMap<>();
    for (GenericRecord g : rows(root.resolve("warehouse/decisions"))) {
      assertThat(m.put(g.get("eventId").toString(), g.toString())).as("duplicate row").isNull();
    }
    return m;
  }

  @Test
  void everyEventLandsOnceEveryBadRecordIsQuarantinedAndReRunsAreNoOps() throws Exception {
    Path root = tmp.resolve("root");
    JsonNode gen = generate(root, 3);

    Result first = ingest(root);
    assertThat(first.code()).isZero();
    @SuppressWarnings("unchecked")
    Map<String, Object> skipped = (Map<String, Object>) first.summary().get("skipped");
    assertThat(skipped.get("inUse")).isEqualTo(5L);

    closeInUseFiles(root);
    Result second = ingest(root);
    assertThat(second.code()).isZero();
    @SuppressWarnings("unchecked")
    Map<String, Long> counts = (Map<String, Long>) second.summary().get("counts");
    // The last hour held redelivered copies of events published by the first run.
    assertThat(counts.get("DUPLICATES_OF_PUBLISHED")).isPositive();

    Map<String, String> rows = byEventId(root);
    assertThat(rows).hasSize(gen.at("/events/unique").asInt());
    List<GenericRecord> quarantine = rows(root.resolve("warehouse/quarantine"));
    assertThat(quarantine).hasSize(gen.at("/records/malformed").asInt());
    for (GenericRecord q : quarantine) {
      assertThat(q.get("sourceFile").toString()).contains("/landing/decisions/");
      assertThat((Long) q.get("recordIndex")).isNotNegative();
      assertThat(q.get("reason").toString()).isNotEmpty();
    }

    // Every labelled fraud event is in the warehouse.
    List<String> labels = Files.readAllLines(root.resolve("labels/decisions/labels.csv"));
    for (String l : labels.subList(1, labels.size())) {
      assertThat(rows).containsKey(l.split(",")[0]);
    }

    // No card number in clear anywhere we wrote.
    for (GenericRecord g : rows(root.resolve("warehouse/decisions"))) {
      assertThat(PanMasker.containsPan(g.toString())).as("row %s", g.get("eventId")).isFalse();
    }
    for (GenericRecord q : quarantine) {
      assertThat(PanMasker.containsPan(q.get("body").toString())).isFalse();
    }
    assertThat(rows.values()).anyMatch(r -> r.contains("************"));

    // A third run finds nothing new and changes nothing.
    Map<String, String> before = digests(root.resolve("warehouse/decisions"));
    Result third = ingest(root);
    assertThat(third.code()).isZero();
    assertThat(third.summary().get("files")).asList().isEmpty();
    assertThat(digests(root.resolve("warehouse/decisions"))).isEqualTo(before);
  }

  @Test
  void aLateFileInAnIngestedHourIsPickedUpAndItsDuplicatesDropped() throws Exception {
    Path root = tmp.resolve("late");
    generate(root, 5);
    assertThat(ingest(root).code()).isZero();

    Map<String, String> before = byEventId(root);

    // Two new events and a copy of a published one, in an hour bucket ingested already.
    Path hour = root.resolve("landing/decisions/2026/05/02/10");
    String event =
        "{\"eventId\":\"%s\",\"actorId\":\"C1\",\"eventTime\":1777716000000,\"channel\":\"POS\","
            + "\"amount\":\"3.50\",\"currency\":\"USD\",\"decision\":\"APPROVED\",\"reasons\":[]}";
    String dup = publishedLine(root, before.keySet());
    Files.writeString(
        hour.resolve("FlumeData.1777716999999"),
        String.format(event, "late-1") + "\n" + String.format(event, "late-2") + "\n" + dup + "\n");

    Result r = ingest(root);
    assertThat(r.code()).isZero();
    @SuppressWarnings("unchecked")
    Map<String, Long> counts = (Map<String, Long>) r.summary().get("counts");
    assertThat(counts.get("NEW_ROWS")).isEqualTo(2);
    // Rows carry the run that first published them: the late rows this run, the rest the first.
    Map<String, String> runs = new TreeMap<>();
    for (GenericRecord g : rows(root.resolve("warehouse/decisions"))) {
      runs.put(g.get("eventId").toString(), String.valueOf(g.get("ingestRunId")));
    }
    assertThat(runs.get("late-1"))
        .isEqualTo(r.summary().get("runId"))
        .isEqualTo(runs.get("late-2"));
    assertThat(runs.values().stream().distinct().toList())
        .hasSize(2)
        .allMatch(id -> id.matches("\\d{8}T\\d{6}Z-[0-9a-f]{6}"));
    assertThat(counts.get("DUPLICATES_OF_PUBLISHED")).isEqualTo(1);
    Map<String, String> after = byEventId(root);
    assertThat(after).hasSize(before.size() + 2).containsKeys("late-1", "late-2");
    assertThat(after).containsAllEntriesOf(before);
  }

  @Test
  void hourlyRunsAppendToAPublishedDayUntilItsSmallFilesAreCompacted() throws Exception {
    Path root = tmp.resolve("append");
    generate(root, 17);
    assertThat(ingest(root).code()).isZero();
    String dt = "2026-05-02";
    Path hour = root.resolve("landing/decisions/2026/05/02/10");
    String event =
        "{\"eventId\":\"%s\",\"actorId\":\"C1\",\"eventTime\":1777716000000,\"channel\":\"POS\","
            + "\"amount\":\"3.50\",\"currency\":\"USD\",\"decision\":\"APPROVED\",\"reasons\":[]}";
    Configuration conf = localConf();
    conf.setInt(IngestConf.COMPACT_SMALL_FILES, 3);
    boolean appended = false;
    boolean compacted = false;
    for (int run = 1; run <= 3; run++) {
      Map<String, String> before = byEventId(root);
      Map<String, Long> filesBefore = dayFiles(root, dt);
      // Two new events and a redelivered published one, as an hourly run gets them.
      Files.writeString(
          hour.resolve("FlumeData.177771699999" + run),
          String.format(event, "hourly-" + run + "a")
              + "\n"
              + String.format(event, "hourly-" + run + "b")
              + "\n"
              + publishedLine(root, before.keySet())
              + "\n");
      Result r = ingest(conf, root);
      assertThat(r.code()).isZero();
      Map<String, Object> summary = r.summary();
      @SuppressWarnings("unchecked")
      Map<String, Long> counts = (Map<String, Long>) summary.get("counts");
      assertThat(counts.get("NEW_ROWS")).as("run %d", run).isEqualTo(2);
      assertThat(counts.get("DUPLICATES_OF_PUBLISHED")).as("run %d", run).isEqualTo(1);
      Map<String, String> after = byEventId(root); // fails on a duplicate row
      assertThat(after)
          .hasSize(before.size() + 2)
          .containsAllEntriesOf(before)
          .containsKeys("hourly-" + run + "a", "hourly-" + run + "b");
      Map<String, Long> files = dayFiles(root, dt);
      if (filesBefore.size() < 3) { // every file of these small days is under half the target
        // Appended: the day's published files are in its new version unchanged, beside the new.
        assertThat(summary.get("appendedDays")).asList().contains(dt);
        assertThat(files).containsAllEntriesOf(filesBefore);
        assertThat(files.size()).isGreaterThan(filesBefore.size());
        assertThat(counts.get("HISTORY_IDS_READ")).isPositive();
        appended = true;
      } else {
        // Compacted: rewritten whole, one file per reducer at most.
        assertThat(summary.get("replacedDays")).asList().contains(dt);
        assertThat(files.size()).isLessThan(filesBefore.size());
        compacted = true;
      }
      long dayRows = rows(dayDir(root, dt)).size();
      @SuppressWarnings("unchecked")
      Map<String, Long> rowsByDt = (Map<String, Long>) summary.get("rowsByDt");
      assertThat(rowsByDt.get(dt)).as("rows of %s, run %d", dt, run).isEqualTo(dayRows);
    }
    assertThat(appended).isTrue();
    assertThat(compacted).isTrue();
  }

  /**
   * A published day damaged after it was written (a byte of each file's eventId column, the
   * filesystem's own checksum files gone, as after a copy without them): an hourly run that must
   * read the day's ids stops at the page's CRC with one line naming a file, leaves the day as it
   * was, and the repair the line gives (reprocessing the day from its landing files) works.
   */
  @Test
  void aDamagedPublishedDayStopsTheRunThatReadsItAndReprocessingRepairsIt() throws Exception {
    Path root = tmp.resolve("damaged");
    generate(root, 17);
    assertThat(ingest(root).code()).isZero();
    String dt = "2026-05-02";
    for (Path file : parquet(dayDir(root, dt))) {
      long at;
      try (org.apache.parquet.hadoop.ParquetFileReader r =
          org.apache.parquet.hadoop.ParquetFileReader.open(
              org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
                  new org.apache.hadoop.fs.Path(file.toUri()), localConf()))) {
        org.apache.parquet.hadoop.metadata.ColumnChunkMetaData id =
            r.getFooter().getBlocks().get(0).getColumns().stream()
                .filter(c -> c.getPath().toDotString().equals("eventId"))
                .findFirst()
                .orElseThrow();
        at = id.getStartingPos() + id.getTotalSize() - 1; // in its page's compressed data
      }
      Files.delete(file.resolveSibling("." + file.getFileName() + ".crc"));
      byte[] bytes = Files.readAllBytes(file);
      bytes[(int) at] ^= 0x01;
      Files.write(file, bytes);
    }
    Map<String, Long> damaged = dayFiles(root, dt);
    Path hour = root.resolve("landing/decisions/2026/05/02/10");
    Files.writeString(
        hour.resolve("FlumeData.1777716999991"),
        "{\"eventId\":\"late-1\",\"actorId\":\"C1\",\"eventTime\":1777716000000,"
            + "\"channel\":\"POS\",\"amount\":\"3.50\",\"currency\":\"USD\","
            + "\"decision\":\"APPROVED\",\"reasons\":[]}\n");

    IngestJob job = new IngestJob();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    job.err = new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8);
    int code =
        ToolRunner.run(
            localConf(), job, new String[] {"--root", root.toString(), "--min-age-seconds", "0"});
    assertThat(code).isEqualTo(2);
    List<String> lines = err.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList();
    assertThat(lines.get(lines.size() - 1))
        .startsWith("ingest: Cannot read ")
        .contains("dt=" + dt)
        .contains("a page fails its CRC checksum")
        .contains("ingest --reprocess DAY");
    assertThat(lines).noneMatch(l -> l.contains("Exception")); // one line, no trace
    assertThat(dayFiles(root, dt)).isEqualTo(damaged);

    // The repair rebuilds the day from the files that fed it; the next run then takes the new one.
    assertThat(ingest(root, "--reprocess", dt).code()).isZero();
    assertThat(byEventId(root)).doesNotContainKey("late-1");
    assertThat(ingest(root).code()).isZero();
    assertThat(byEventId(root)).containsKey("late-1"); // and no duplicate row (it would throw)
  }

  /** The directory of a day's published version. */
  static Path dayDir(Path root, String dt) throws Exception {
    return Path.of(
        PartitionLister.location(
                org.apache.hadoop.fs.FileSystem.getLocal(new Configuration()),
                new org.apache.hadoop.fs.Path(root.toUri()),
                Table.DECISIONS,
                dt)
            .orElseThrow()
            .toUri());
  }

  /** The files of a day's published version: name → size. */
  static Map<String, Long> dayFiles(Path root, String dt) throws Exception {
    Map<String, Long> m = new TreeMap<>();
    try (Stream<Path> s = Files.list(dayDir(root, dt))) {
      for (Path p : s.filter(p -> p.toString().endsWith(".parquet")).toList()) {
        m.put(p.getFileName().toString(), Files.size(p));
      }
    }
    return m;
  }

  /** A complete plain-text landing line of a published event: a byte-for-byte redelivery. */
  static String publishedLine(Path root, Set<String> published) throws IOException {
    try (Stream<Path> s = Files.walk(root.resolve("landing"))) {
      for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
        byte[] bytes = Files.readAllBytes(p);
        if (bytes.length == 0 || bytes[0] != '{') {
          continue;
        }
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
          var d = io.fraudbatch.core.event.DecisionEventJson.decode(line);
          if (d.isValid() && published.contains(d.event().getEventId())) {
            return line;
          }
        }
      }
    }
    throw new IllegalStateException("no plain landing line of a published event");
  }

  @Test
  void aConsumedFileThatChangesIsReportedNotReadTwice() throws Exception {
    Path root = tmp.resolve("changed");
    generate(root, 7);
    assertThat(ingest(root).code()).isZero();
    Map<String, String> before = byEventId(root);
    Path victim;
    try (Stream<Path> s = Files.walk(root.resolve("landing"))) {
      victim =
          s.filter(Files::isRegularFile)
              .filter(p -> !p.toString().endsWith(".tmp"))
              .sorted()
              .findFirst()
              .orElseThrow();
    }
    Files.writeString(victim, "{\"more\":1}\n", StandardOpenOption.APPEND);
    Result r = ingest(root);
    assertThat(r.code()).isEqualTo(3);
    assertThat(r.summary().get("errors").toString())
        .contains(victim.getFileName().toString())
        .contains("changed after run");
    assertThat(byEventId(root)).isEqualTo(before);
  }

  @Test
  void reprocessRebuildsADayExactly() throws Exception {
    Path root = tmp.resolve("reprocess");
    generate(root, 9);
    assertThat(ingest(root).code()).isZero();
    Map<String, String> before = byEventId(root);
    Path day =
        Path.of(
            PartitionLister.list(
                    org.apache.hadoop.fs.FileSystem.getLocal(new Configuration()),
                    new org.apache.hadoop.fs.Path(root.toUri()),
                    Table.DECISIONS)
                .get("2026-05-02")
                .orElseThrow()
                .location()
                .toUri());
    // Damage the published day, then rebuild it.
    for (Path p : parquet(day).subList(0, 1)) {
      Files.delete(p);
    }
    assertThat(byEventId(root)).hasSizeLessThan(before.size());
    Result r = ingest(root, "--reprocess", "2026-05-02");
    assertThat(r.code()).isZero();
    // Exactly: the rebuilt rows even keep the run that first published them (ingestRunId).
    assertThat(byEventId(root)).isEqualTo(before);
    assertThat(before.values()).allMatch(row -> row.contains("\"ingestRunId\": \"2"));
  }

  @Test
  void aCrashAtAnyStepIsRecoveredByAPlainRerunAndReadersNeverSeeAHole() throws Exception {
    // Two runs each: the second one replaces days the first published and adds quarantine rows,
    // so every step of the commit protocol has work to do in it.
    Path clean = tmp.resolve("clean");
    generate(clean, 11);
    assertThat(ingest(clean).code()).isZero();
    Map<String, String> first = withoutRunIds(byEventId(clean));
    long firstQuarantine = rows(clean.resolve("warehouse/quarantine")).size();
    closeInUseFiles(clean);
    assertThat(ingest(clean).code()).isZero();
    Map<String, String> expected = withoutRunIds(byEventId(clean));
    long expectedQuarantine = rows(clean.resolve("warehouse/quarantine")).size();
    assertThat(expected).hasSizeGreaterThan(first.size());

    String[][] steps = {
      {"begun", "1"},
      {"ingest-ids", "1"},
      {"ingest-rows", "1"},
      {"ingest-staged", "1"},
      {"intent-written", "1"},
      {"placed", "1"},
      {"before-commit", "1"},
      {"committed", "1"},
      {"rolled-forward", "1"},
      {"superseded-removed", "1"}
    };
    // The first run's result, copied for each step (paths in the warehouse are relative).
    Path template = tmp.resolve("template");
    generate(template, 11);
    assertThat(ingest(template).code()).isZero();
    for (String[] step : steps) {
      String name = step[0] + "#" + step[1];
      Path root =
          io.fraudbatch.core.testing.TestRoots.copy(
              template, tmp.resolve("crash-" + step[0] + "-" + step[1]));
      assertThat(withoutRunIds(byEventId(root))).as(name).isEqualTo(first);
      closeInUseFiles(root);
      CrashPoints.crashAt(step[0], Integer.parseInt(step[1]));
      try {
        assertThat(ingest(root).code()).as(name).isNotZero();
      } catch (CrashPoints.SimulatedCrash expectedCrash) {
        // picocli lets an Error through
      }
      assertThat(CrashPoints.crashed()).as(name).isTrue();
      CrashPoints.reset();
      // Between the kill and the rerun, readers see the old state or the new one, whole.
      Map<String, String> between = withoutRunIds(byEventId(root));
      assertThat(between).as(name).isIn(first, expected);
      long quarantineBetween = rows(root.resolve("warehouse/quarantine")).size();
      assertThat(quarantineBetween).as(name).isBetween(firstQuarantine, expectedQuarantine);

      Thread.sleep(400); // the crashed run's lease expires
      assertThat(ingest(root).code()).as(name).isZero();
      assertThat(withoutRunIds(byEventId(root))).as(name).isEqualTo(expected);
      // Each row names a committed run.
      for (GenericRecord g : rows(root.resolve("warehouse/decisions"))) {
        assertThat(
                root.resolve("warehouse/_manifests/job=ingest/" + g.get("ingestRunId") + ".json"))
            .exists();
      }
      assertThat(rows(root.resolve("warehouse/quarantine")))
          .as(name)
          .hasSize((int) expectedQuarantine);
      try (Stream<Path> left = Files.list(root.resolve("staging/ingest"))) {
        assertThat(left.toList()).as(name).isEmpty();
      }
    }
  }

  @Test
  void aRunThatDiedBeforePublishingIsDiscardedAndRedone() throws Exception {
    Path root = tmp.resolve("died");
    JsonNode gen = generate(root, 13);
    // What a run killed mid-job leaves: a staging directory without a publish journal.
    Path orphan =
        Files.createDirectories(root.resolve("staging/ingest/20260101T000000Z-dead00/out"));
    Files.writeString(orphan.resolve("junk.parquet"), "half written");
    Result r = ingest(root);
    assertThat(r.code()).isZero();
    assertThat(orphan.getParent()).doesNotExist();
    closeInUseFiles(root);
    assertThat(ingest(root).code()).isZero();
    assertThat(byEventId(root)).hasSize(gen.at("/events/unique").asInt());
  }

  @Test
  void badArgumentsExitWithCode2AndOneLine() throws Exception {
    Path root = tmp.resolve("empty");
    Files.createDirectories(root);
    assertThat(ingest(root).code()).isEqualTo(2);
    Files.createDirectories(root.resolve("landing/decisions"));
    assertThat(ingest(root, "--reprocess", "last-tuesday").code()).isEqualTo(2);
    assertThat(ingest(root, "--target-file-size", "10").code()).isEqualTo(2);
    // A regular file as the root, a configuration file that is not XML: one line, exit 2.
    Path file = Files.writeString(tmp.resolve("a-file"), "not a root");
    assertThat(ingest(file).code()).isEqualTo(2);
    Path broken = Files.writeString(tmp.resolve("broken-site.xml"), "<configuration><property>");
    java.io.ByteArrayOutputStream errBuf = new java.io.ByteArrayOutputStream();
    java.io.PrintStream was = System.err;
    System.setErr(new java.io.PrintStream(errBuf, true, java.nio.charset.StandardCharsets.UTF_8));
    int code;
    try {
      code =
          io.fraudbatch.warehouse.ToolMain.run(
              "ingest",
              new IngestJob(),
              new String[] {"-conf", broken.toString(), "--root", root.toString()},
              System.err);
    } finally {
      System.setErr(was);
    }
    assertThat(code).isEqualTo(2);
    String err = errBuf.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(err).contains("broken-site.xml").contains("not well-formed XML");
    assertThat(err.lines().filter(l -> l.startsWith("ingest:")).count()).isEqualTo(1);
  }

  private static Map<String, String> digests(Path dir) throws Exception {
    Map<String, String> m = new TreeMap<>();
    for (Path p : parquet(dir)) {
      m.put(
          dir.relativize(p).toString(),
          java.util.HexFormat.of()
              .formatHex(
                  java.security.MessageDigest.getInstance("SHA-256")
                      .digest(Files.readAllBytes(p))));
    }
    return m;
  }
}
