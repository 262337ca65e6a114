package io.fraudbatch.jobs.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudbatch.avro.ActorProfile;
import io.fraudbatch.avro.DecisionEvent;
import io.fraudbatch.core.avro.AvroModel;
import io.fraudbatch.core.money.ReferenceRates;
import io.fraudbatch.core.profile.ProfileAccumulator;
import io.fraudbatch.core.profile.ProfileInput;
import io.fraudbatch.ingest.IngestJob;
import io.fraudbatch.sample.Generator;
import io.fraudbatch.sample.GeneratorConfig;
import io.fraudbatch.sample.LandingFormat;
import io.fraudbatch.sample.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.util.ToolRunner;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Profiles on the real engines (Spark local[*], MapReduce local runner) over data from the real
 * generator and the real ingest job.
 */
class ProfilesJobTest {
  static final LocalDate START = LocalDate.parse("2026-05-01");
  static final int DAYS = 8;

  @TempDir Path tmp;

  static void generate(Path root) throws IOException {
    generate(root, Map.of());
  }

  static void generate(Path root, Map<Scenario, Integer> incidents) throws IOException {
    new Generator(
            new GeneratorConfig(
                root.toString(),
                23,
                150,
                DAYS,
                START,
                6_000L,
                List.of(LandingFormat.SEQUENCEFILE, LandingFormat.DATASTREAM, LandingFormat.AVRO),
                0.02,
                0.5,
                0.002,
                0.0,
                0.001,
                false,
                0.5,
                incidents,
                1,
                false),
            line -> {})
        .run();
    // Flume has closed every file by the time these tests ingest.
    try (Stream<Path> s = Files.walk(root.resolve("landing"))) {
      for (Path p : s.filter(p -> p.toString().endsWith(".tmp")).toList()) {
        Files.move(p, p.resolveSibling(p.getFileName().toString().replace(".tmp", "")));
      }
    }
  }

  static Configuration localConf() {
    Configuration conf = new Configuration();
    conf.set("mapreduce.framework.name", "local");
    conf.set("fs.defaultFS", "file:///");
    return conf;
  }

  static void ingest(Path root) throws Exception {
    int code =
        ToolRunner.run(
            localConf(),
            new IngestJob(),
            new String[] {"--root", root.toString(), "--min-age-seconds", "0"});
    assertThat(code).as("ingest").isZero();
  }

  static Map<String, Object> profiles(Path root, String... args) throws Exception {
    return profiles(root, 3, args);
  }

  static Map<String, Object> profiles(Path root, int buckets, String... args) throws Exception {
    ProfilesJob job = new ProfilesJob();
    List<String> a =
        new ArrayList<>(List.of("--root", root.toString(), "--buckets", Integer.toString(buckets)));
    a.addAll(List.of(args));
    int code = ToolRunner.run(localConf(), job, a.toArray(String[]::new));
    assertThat(code).as("profiles %s", a).isZero();
    return job.lastRun();
  }

  static Path snapshot(Path root, LocalDate asOf) {
    return published(root, io.fraudbatch.warehouse.Table.PROFILES, asOf);
  }

  /** Where partition {@code value} of {@code table} is published (through the lister). */
  static Path published(Path root, io.fraudbatch.warehouse.Table table, Object value) {
    return io.fraudbatch.jobs.Published.partition(root, table, value);
  }

  /** File name → SHA-256 of the part files of a snapshot. */
  static Map<String, String> digests(Path dir) throws Exception {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(p -> p.toString().endsWith(".parquet")).toList()) {
        m.put(
            p.getFileName().toString(),
            HexFormat.of()
                .formatHex(
                    java.security.MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(p))));
      }
    }
    return m;
  }

  /**
   * File name → SHA-256 of the file's records in order, as Avro binary: the snapshot's content,
   * byte for byte. (Parquet's footers list each column's encodings from a HashSet of enums, whose
   * order follows identity hash codes: files written in different JVMs can differ in that order
   * alone. Within one JVM the files themselves are compared too.)
   */
  static Map<String, String> content(Configuration conf, org.apache.hadoop.fs.Path dir)
      throws Exception {
    Map<String, String> m = new TreeMap<>();
    for (org.apache.hadoop.fs.Path f : SnapshotFiles.parts(conf, dir)) {
      java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
      SnapshotFiles.read(
          conf, f, p -> md.update(AvroModel.toBytes(p, ActorProfile.getClassSchema())));
      m.put(f.getName(), HexFormat.of().formatHex(md.digest()));
    }
    return m;
  }

  static Map<String, ActorProfile> read(Path dir) throws IOException {
    Map<String, ActorProfile> m = new TreeMap<>();
    for (ActorProfile p :
        SnapshotFiles.readAll(localConf(), new org.apache.hadoop.fs.Path(dir.toUri()))) {
      assertThat(m.put(p.getActorId(), p)).as("actor twice: %s", p.getActorId()).isNull();
    }
    return m;
  }

  /** The same profiles computed straight from the warehouse rows, without any engine. */
  static Map<String, ActorProfile> direct(Path root, LocalDate asOf) throws IOException {
    Map<String, ProfileAccumulator> acc = new HashMap<>();
    ReferenceRates rates = ReferenceRates.defaults();
    long end = (asOf.toEpochDay() + 1) * 86_400_000L;
    List<Path> files = new ArrayList<>();
    for (io.fraudbatch.warehouse.PartitionLister.Partition part :
        io.fraudbatch.warehouse.PartitionLister.list(
                org.apache.hadoop.fs.FileSystem.getLocal(localConf()),
                new org.apache.hadoop.fs.Path(root.toAbsolutePath().toUri()),
                io.fraudbatch.warehouse.Table.DECISIONS)
            .partitions()
            .values()) {
      try (Stream<Path> s = Files.list(Path.of(part.location().toUri()))) {
        s.filter(p -> p.toString().endsWith(".parquet")).forEach(files::add);
      }
    }
    {
      for (Path p : files) {
        try (ParquetReader<DecisionEvent> r =
            AvroParquetReader.<DecisionEvent>builder(
                    HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(p.toUri()), localConf()))
                .withDataModel(AvroModel.SPECIFIC)
                .build()) {
          DecisionEvent e;
          while ((e = r.read()) != null) {
            if (e.getEventTime().toEpochMilli() < end) {
              acc.computeIfAbsent(e.getActorId(), k -> new ProfileAccumulator())
                  .add(e.getActorId(), ProfileInput.of(e, rates));
            }
          }
        }
      }
    }
    Map<String, ActorProfile> m = new TreeMap<>();
    acc.forEach((k, v) -> m.put(k, v.finish(asOf)));
    return m;
  }

  @Test
  void sparkAndMapReduceWriteByteIdenticalSnapshotsEqualToTheDirectFold() throws Exception {
    Path root = tmp.resolve("engines");
    generate(root);
    ingest(root);
    LocalDate asOf = START.plusDays(DAYS - 2); // the last day stays out: asOf cuts history

    Map<String, Object> mr =
        profiles(root, "--engine", "mapreduce", "--mode", "full", "--as-of", asOf.toString());
    Map<String, String> mrFiles = digests(snapshot(root, asOf));
    Map<String, ActorProfile> mrProfiles = read(snapshot(root, asOf));
    Map<String, Object> spark =
        profiles(root, "--engine", "spark", "--mode", "full", "--as-of", asOf.toString());
    Map<String, String> sparkFiles = digests(snapshot(root, asOf));

    assertThat(mrFiles).hasSize(3);
    assertThat(sparkFiles).as("Spark's files, byte for byte").isEqualTo(mrFiles);
    assertThat(content(localConf(), new org.apache.hadoop.fs.Path(snapshot(root, asOf).toUri())))
        .hasSize(3);
    Map<String, ActorProfile> expected = direct(root, asOf);
    assertThat(mrProfiles).isEqualTo(expected);
    assertThat(read(snapshot(root, asOf))).isEqualTo(expected);

    long events = expected.values().stream().mapToLong(ActorProfile::getEventCount).sum();
    for (Map<String, Object> run : List.of(mr, spark)) {
      assertThat(run.get("eventsRead")).isEqualTo(events);
      assertThat(run.get("eventsWritten")).isEqualTo(events);
      assertThat(run.get("actorsWritten")).isEqualTo((long) expected.size());
      assertThat(run.get("mode")).isEqualTo("full");
      assertThat(run.get("asOf")).isEqualTo(asOf.toString());
    }
    assertThat(spark.get("engine")).isEqualTo("spark");
    // Nothing after asOf leaked in.
    assertThat(expected.values())
        .allMatch(p -> p.getLastSeen().toEpochMilli() < (asOf.toEpochDay() + 1) * 86_400_000L);
    assertThat(root.resolve("warehouse/_manifests/job=profiles")).isNotEmptyDirectory();
    assertThat(root.resolve("staging/profiles")).isEmptyDirectory();
  }

  @Test
  void incrementalDayByDayWithLateDataEqualsTheFullRecomputeOnBothEngines() throws Exception {
    Path root = tmp.resolve("incremental");
    generate(root);
    // Hold back the landing days after the fourth: they "arrive" one per day below.
    Path held = tmp.resolve("held");
    for (int d = 4; d < DAYS; d++) {
      Path day = landingDay(root, START.plusDays(d));
      Files.createDirectories(held.resolve(day.getParent().getFileName().toString()));
      Files.move(day, held.resolve(day.getParent().getFileName() + "/" + day.getFileName()));
    }
    ingest(root);
    LocalDate first = START.plusDays(3);
    assertThat(profiles(root, "--mode", "incremental", "--as-of", first.toString()).get("mode"))
        .as("no snapshot yet: incremental falls back to full")
        .isEqualTo("full");

    String actor = read(snapshot(root, first)).keySet().iterator().next();
    // The local engine gets the day with late data (an earlier day's rows read again).
    String[] engines = {"spark", "local", "mapreduce"};
    for (int step = 0; step < engines.length; step++) {
      LocalDate d = START.plusDays(4 + step);
      Path day = landingDay(root, d);
      Files.move(held.resolve(day.getParent().getFileName() + "/" + day.getFileName()), day);
      if (step == 1) {
        // Late data: two events of an earlier, already profiled day land in its hour bucket now.
        long noon = START.plusDays(1).toEpochDay() * 86_400_000L + 43_200_000L;
        Path hour = landingDay(root, START.plusDays(1)).resolve("12");
        Files.createDirectories(hour);
        String event =
            "{\"eventId\":\"%s\",\"actorId\":\"%s\",\"eventTime\":%d,\"channel\":\"POS\","
                + "\"amount\":\"%s\",\"currency\":\"EUR\",\"city\":\"Lisbon\",\"country\":\"PT\","
                + "\"region\":\"PT-11\",\"lat\":38.72,\"lon\":-9.14,\"decision\":\"APPROVED\","
                + "\"reasons\":[]}";
        Files.writeString(
            hour.resolve("FlumeData." + (noon + 1)),
            String.format(event, "late-1", actor, noon, "999.00")
                + "\n"
                + String.format(event, "late-2", actor, noon + 5, "12.34")
                + "\n");
      }
      ingest(root);
      Map<String, Object> inc =
          profiles(
              root, "--engine", engines[step], "--mode", "incremental", "--as-of", d.toString());
      assertThat(inc.get("mode")).isEqualTo("incremental");
      assertThat(inc.get("engine")).isEqualTo(engines[step]);
      assertThat(inc.get("previousAsOf")).isEqualTo(d.minusDays(1).toString());
      // Spark and the local engine merge into a previous snapshot of the same layout (3 files)
      // in place.
      assertThat(inc.get("mergedInPlace")).isEqualTo(!engines[step].equals("mapreduce"));
      @SuppressWarnings("unchecked")
      List<String> days = (List<String>) inc.get("inputDays");
      if (step == 1) {
        assertThat(days).containsExactly("dt=" + START.plusDays(1), "dt=" + d);
      } else {
        assertThat(days).containsExactly("dt=" + d);
      }
      Map<String, ActorProfile> incremental = read(snapshot(root, d));
      Map<String, String> incFiles = digests(snapshot(root, d));

      Map<String, Object> full =
          profiles(root, "--engine", "mapreduce", "--mode", "full", "--as-of", d.toString());
      assertThat((Long) inc.get("eventsRead")).isLessThan((Long) full.get("eventsRead"));
      assertThat(inc.get("eventsWritten")).isEqualTo(full.get("eventsWritten"));
      assertThat(read(snapshot(root, d))).as("as of %s", d).isEqualTo(incremental);
      assertThat(digests(snapshot(root, d))).isEqualTo(incFiles);
      if (step >= 1) {
        ActorProfile p = incremental.get(actor);
        assertThat(p.getLocations()).anyMatch(l -> l.getCity().equals("Lisbon"));
      }
    }

    // The steps above merged into a snapshot of the same layout (3 files) in place; with another
    // bucket count the local engine hands the run to Spark, whose general path (a shuffle of the
    // old profiles) gives the same result.
    LocalDate last = START.plusDays(DAYS - 1);
    Path day = landingDay(root, last);
    Files.move(held.resolve(day.getParent().getFileName() + "/" + day.getFileName()), day);
    ingest(root);
    Map<String, Object> inc =
        profiles(root, 2, "--engine", "local", "--mode", "incremental", "--as-of", last.toString());
    assertThat(inc.get("mode")).isEqualTo("incremental");
    assertThat(inc.get("engine")).isEqualTo("spark");
    assertThat(inc.get("buckets")).isEqualTo(2);
    assertThat(inc.get("mergedInPlace")).isEqualTo(false);
    Map<String, ActorProfile> incremental = read(snapshot(root, last));
    Map<String, String> incFiles = digests(snapshot(root, last));
    profiles(root, 2, "--engine", "mapreduce", "--mode", "full", "--as-of", last.toString());
    assertThat(read(snapshot(root, last))).isEqualTo(incremental);
    assertThat(digests(snapshot(root, last))).isEqualTo(incFiles).hasSize(2);
    // Without --buckets an incremental run keeps its previous snapshot's count.
    ProfilesJob job = new ProfilesJob();
    int code =
        ToolRunner.run(
            localConf(),
            job,
            new String[] {
              "--root", root.toString(), "--mode", "incremental", "--as-of", last.toString()
            });
    assertThat(code).isZero();
    assertThat(job.lastRun().get("buckets")).isEqualTo(2);
    assertThat(read(snapshot(root, last))).isEqualTo(incremental);

    // A previous part file out of actor order would make the in-place merge duplicate actors:
    // the run fails instead, and publishes nothing.
    Path part = snapshot(root, last).resolve("part-00000.parquet");
    List<ActorProfile> profiles = new ArrayList<>();
    io.fraudbatch.jobs.AvroParquet.<ActorProfile>read(
        localConf(), new org.apache.hadoop.fs.Path(part.toUri()), profiles::add);
    java.util.Collections.reverse(profiles);
    io.fraudbatch.jobs.AvroParquet.write(
        localConf(),
        new org.apache.hadoop.fs.Path(part.toUri()),
        ActorProfile.getClassSchema(),
        profiles);
    Map<String, String> tampered = digests(snapshot(root, last));
    // Spark's merge join and the local engine's check the order alike.
    for (String engine : List.of("spark", "local")) {
      ProfilesJob broken = new ProfilesJob();
      java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
      broken.err = new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8);
      code =
          ToolRunner.run(
              localConf(),
              broken,
              new String[] {
                "--root",
                root.toString(),
                "--mode",
                "incremental",
                "--as-of",
                last.toString(),
                "--engine",
                engine
              });
      assertThat(code).as(engine).isEqualTo(1);
      assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8))
          .contains("part-00000.parquet is not bucket 0 of 2 sorted by actorId");
      assertThat(digests(snapshot(root, last))).isEqualTo(tampered);
    }
  }

  @TempDir static Path shared;
  private static Path ingested;

  /** A root with the generated data ingested, made once for the tests that only copy it. */
  static synchronized Path ingested() throws Exception {
    if (ingested == null) {
      Path t = shared.resolve("ingested");
      generate(t);
      ingest(t);
      ingested = t;
    }
    return ingested;
  }

  /**
   * A decisions file damaged after it was published (one byte of its actorId column's data, the
   * filesystem's own checksum file gone, as after a copy without it): each engine stops at the
   * page's CRC with one line naming the file, publishes nothing, and the repair the line gives
   * (reprocessing the day from its landing files) lets the next run through.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"spark", "mapreduce"})
  void aDamagedDecisionsFileStopsTheRunWithOneLineAndReprocessingTheDayRepairsIt(String engine)
      throws Exception {
    Path root = io.fraudbatch.core.testing.TestRoots.copy(ingested(), tmp.resolve("damaged"));
    Path file;
    try (Stream<Path> files =
        Files.walk(published(root, io.fraudbatch.warehouse.Table.DECISIONS, START))) {
      file =
          files.filter(f -> f.toString().endsWith(".parquet")).sorted().findFirst().orElseThrow();
    }
    long at;
    try (org.apache.parquet.hadoop.ParquetFileReader r =
        org.apache.parquet.hadoop.ParquetFileReader.open(
            org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(file.toUri()), localConf()))) {
      org.apache.parquet.hadoop.metadata.ColumnChunkMetaData actor =
          r.getFooter().getBlocks().get(0).getColumns().stream()
              .filter(c -> c.getPath().toDotString().equals("actorId"))
              .findFirst()
              .orElseThrow();
      // The chunk's last byte: inside its first (and only) page's compressed data.
      at = actor.getStartingPos() + actor.getTotalSize() - 1;
    }
    Files.delete(file.resolveSibling("." + file.getFileName() + ".crc"));
    byte[] bytes = Files.readAllBytes(file);
    bytes[(int) at] ^= 0x01;
    Files.write(file, bytes);

    ProfilesJob job = new ProfilesJob();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    job.err = new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8);
    int code =
        ToolRunner.run(
            localConf(),
            job,
            new String[] {"--root", root.toString(), "--engine", engine, "--mode", "full"});
    assertThat(code).isEqualTo(2);
    String line = err.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(line)
        .startsWith("profiles: Cannot read ")
        .contains(file.getFileName().toString())
        .contains("a page fails its CRC checksum")
        .contains("ingest --reprocess DAY")
        .hasLineCount(1);
    assertThat(
            Files.exists(root.resolve("warehouse/profiles"))
                && Files.list(root.resolve("warehouse/profiles")).findAny().isPresent())
        .as("nothing published")
        .isFalse();

    int reprocessed =
        ToolRunner.run(
            localConf(),
            new IngestJob(),
            new String[] {
              "--root", root.toString(), "--min-age-seconds", "0", "--reprocess", START.toString()
            });
    assertThat(reprocessed).isZero();
    profiles(root, "--engine", engine, "--mode", "full");
    LocalDate last = START.plusDays(DAYS - 1);
    assertThat(read(snapshot(root, last))).isEqualTo(direct(root, last));
  }

  @Test
  void anIngestReprocessOfACoveredDayMakesTheNextIncrementalRunFull() throws Exception {
    Path root = tmp.resolve("reprocess");
    generate(root);
    ingest(root);
    LocalDate asOf = START.plusDays(DAYS - 2);
    profiles(root, "--mode", "full", "--as-of", asOf.minusDays(1).toString());
    int code =
        ToolRunner.run(
            localConf(),
            new IngestJob(),
            new String[] {
              "--root",
              root.toString(),
              "--min-age-seconds",
              "0",
              "--reprocess",
              START.plusDays(2).toString()
            });
    assertThat(code).isZero();
    Map<String, Object> run = profiles(root, "--mode", "incremental", "--as-of", asOf.toString());
    assertThat(run.get("mode")).isEqualTo("full");
    assertThat(run.get("requestedMode")).isEqualTo("incremental");
    assertThat((String) run.get("fallbackReason")).contains("rebuilt " + START.plusDays(2));
    assertThat(read(snapshot(root, asOf))).isEqualTo(direct(root, asOf));
  }

  @Test
  void backtestScoresTheRulesAgainstTheLabelsOnEveryEventOfTheReplayedDays() throws Exception {
    Path root = tmp.resolve("backtest");
    generate(root, Map.of(Scenario.IMPOSSIBLE_TRAVEL, 8, Scenario.ACCOUNT_TAKEOVER, 4));
    ingest(root);
    for (int d = 2; d < DAYS - 1; d++) {
      profiles(root, "--as-of", START.plusDays(d).toString());
    }
    BacktestJob job = new BacktestJob();
    int code =
        ToolRunner.run(
            localConf(),
            job,
            new String[] {"--root", root.toString(), "--from", START.plusDays(3).toString()});
    assertThat(code).isZero();
    assertThat(job.lastLabelled()).isTrue();
    Map<String, io.fraudbatch.core.rules.Confusion> t = job.lastTotals();

    // Every event of the replayed days is scored once per rule and k; the fraud among them is
    // exactly the labelled events of those days.
    java.util.Set<String> labelled = new java.util.HashSet<>();
    List<String> labels = Files.readAllLines(root.resolve("labels/decisions/labels.csv"));
    for (String l : labels.subList(1, labels.size())) {
      labelled.add(l.split(",")[0]);
    }
    long events = 0;
    long fraud = 0;
    for (int d = 3; d < DAYS; d++) {
      try (Stream<Path> s =
          Files.walk(published(root, io.fraudbatch.warehouse.Table.DECISIONS, START.plusDays(d)))) {
        for (Path p : s.filter(p -> p.toString().endsWith(".parquet")).toList()) {
          try (ParquetReader<DecisionEvent> r =
              AvroParquetReader.<DecisionEvent>builder(
                      HadoopInputFile.fromPath(
                          new org.apache.hadoop.fs.Path(p.toUri()), localConf()))
                  .withDataModel(AvroModel.SPECIFIC)
                  .build()) {
            DecisionEvent e;
            while ((e = r.read()) != null) {
              events++;
              fraud += labelled.contains(e.getEventId()) ? 1 : 0;
            }
          }
        }
      }
    }
    assertThat(fraud).isPositive();
    for (Map.Entry<String, io.fraudbatch.core.rules.Confusion> e : t.entrySet()) {
      assertThat(e.getValue().events()).as(e.getKey()).isEqualTo(events);
      assertThat(e.getValue().tp() + e.getValue().fn()).as(e.getKey()).isEqualTo(fraud);
    }
    // A larger k flags fewer events; travel does not depend on k; ANY is the union.
    long previous = Long.MAX_VALUE;
    for (double k : BacktestJob.DEFAULT_K) {
      var amount = t.get(BacktestJob.key("AMOUNT_OVER_PROFILE", k));
      long flagged = amount.tp() + amount.fp();
      assertThat(flagged).as("k=%s", k).isLessThanOrEqualTo(previous);
      previous = flagged;
      assertThat(t.get(BacktestJob.key("IMPOSSIBLE_TRAVEL", k)))
          .isEqualTo(t.get(BacktestJob.key("IMPOSSIBLE_TRAVEL", 3.0)));
      var any = t.get(BacktestJob.key("ANY", k));
      assertThat(any.tp() + any.fp())
          .isGreaterThanOrEqualTo(
              Math.max(
                  flagged,
                  Math.max(
                      t.get(BacktestJob.key("IMPOSSIBLE_TRAVEL", k)).tp()
                          + t.get(BacktestJob.key("IMPOSSIBLE_TRAVEL", k)).fp(),
                      t.get(BacktestJob.key("UNFAMILIAR_HOUR", k)).tp()
                          + t.get(BacktestJob.key("UNFAMILIAR_HOUR", k)).fp())));
    }
    assertThat(t.get(BacktestJob.key("IMPOSSIBLE_TRAVEL", 3.0)).tp())
        .as("the injected impossible travel is caught")
        .isPositive();
    try (Stream<Path> s = Files.list(root.resolve("warehouse/backtests"))) {
      assertThat(s.toList()).hasSize(1);
    }
  }

  static Path landingDay(Path root, LocalDate d) {
    return root.resolve(
        String.format(
            "landing/decisions/%04d/%02d/%02d", d.getYear(), d.getMonthValue(), d.getDayOfMonth()));
  }
}
