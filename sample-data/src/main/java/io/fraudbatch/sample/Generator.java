package io.fraudbatch.sample;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fraudbatch.avro.DecisionEvent;
import io.fraudbatch.core.FraudBatchException;
import io.fraudbatch.core.event.DecisionEventJson;
import io.fraudbatch.core.event.LandingSchemaVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Generates decision logs in Flume's landing layout with injected, labelled fraud, plus the
 * ground-truth labels and a summary of what was written (sample-data/README.md).
 */
public final class Generator {
  static final long HOUR = IncidentPlanner.HOUR;
  static final long DAY = IncidentPlanner.DAY;
  static final String LANDING = LandingOutput.LANDING;
  static final String LABELS = LandingOutput.LABELS;
  static final String FILE_PREFIX = "FlumeData";
  static final String IN_USE_SUFFIX = ".tmp";
  private static final DateTimeFormatter BUCKET =
      DateTimeFormatter.ofPattern("yyyy/MM/dd/HH").withZone(ZoneOffset.UTC);

  private final GeneratorConfig cfg;
  private final Consumer<String> progress;
  private final Configuration conf = new Configuration();
  private final long start;
  private final long end;
  private final long lastBucket;

  private World world;
  private IncidentPlanner planner;
  private TravelPlan travel;
  private FileSystem fs;
  private Path landing;
  private Path labels;
  private ForkJoinPool pool;

  private final List<TreeMap<Long, List<LandingRecord>>> pending = new ArrayList<>();
  private long recordSeq;
  private final List<String[]> labelRows = new ArrayList<>();
  private final Stats stats = new Stats();
  private java.util.concurrent.CompletableFuture<Void> inFlight;
  private int truncateAgent = -1;
  private long truncateBucket = Long.MIN_VALUE;

  public Generator(GeneratorConfig cfg, Consumer<String> progress) {
    this.cfg = cfg.validate();
    this.progress = progress;
    this.start = cfg.start().atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    this.end = start + cfg.days() * DAY;
    this.lastBucket = end - HOUR;
  }

  /** What a run wrote: the counts in summary.json. */
  public static final class Stats {
    long uniqueEvents;
    long legitEvents;
    long fraudEvents;
    long recordsWritten;
    long duplicates;
    long lateDuplicates;
    long redeliveredAfterCrash;
    long malformed;
    long lateDeliveries;
    long panRecords;
    long v1Events;
    long v2Events;
    long files;
    long bytes;
    long inUseFiles;
    long recordsInInUseFiles;
    final Map<Scenario, Long> fraudByScenario = new EnumMap<>(Scenario.class);
    final Map<Scenario, Integer> incidentsByScenario = new EnumMap<>(Scenario.class);
    final Map<String, Long> malformedByKind = new TreeMap<>();
    final Map<String, Long> filesByFormat = new TreeMap<>();
    final Map<String, Long> recordsByFormat = new TreeMap<>();
    final Map<String, Object> truncated = new LinkedHashMap<>();

    public long uniqueEvents() {
      return uniqueEvents;
    }

    public long recordsWritten() {
      return recordsWritten;
    }

    public long bytes() {
      return bytes;
    }

    public long files() {
      return files;
    }
  }

  /** Runs the generator; returns the counts also written to summary.json. */
  public Stats run() throws IOException {
    Path root = new Path(cfg.root());
    fs = FileSystem.newInstance(root.toUri(), conf);
    fs.setWriteChecksum(false); // Flume on HDFS leaves no .crc files beside its output
    pool = new ForkJoinPool(cfg.threads());
    try {
      root = fs.makeQualified(root);
      landing = new Path(root, LANDING);
      labels = new Path(root, LABELS);
      long t0 = System.nanoTime();
      checkActorsHeap();
      int[][] legit = plan();
      checkHeap(legit);
      prepareOutput(root); // after the checks: a run that cannot finish leaves the old data
      generate(t0, legit);
      writeLabels();
      writeIncidents();
      writeSummary();
      return stats;
    } finally {
      pool.shutdownNow();
      fs.close();
    }
  }

  private void prepareOutput(Path root) throws IOException {
    LandingOutput.prepare(fs, root, landing, labels, cfg.overwrite(), "generate");
  }

  /** The world, the incidents and every actor's legitimate transactions per day. */
  private int[][] plan() {
    world = new World(cfg.seed(), cfg.actors());
    travel = new TravelPlan(cfg.seed(), world, cfg.days());
    planner = new IncidentPlanner(cfg.seed(), world, travel, start, cfg.days());
    Map<Scenario, Integer> counts =
        cfg.incidents() != null
            ? cfg.incidents()
            : IncidentPlanner.defaultCounts(cfg.actors(), cfg.days());
    planner.plan(counts);
    for (Incident i : planner.incidents) {
      stats.incidentsByScenario.merge(i.scenario(), 1, Integer::sum);
    }
    return legitCounts();
  }

  /**
   * Heap a generated day needs at its peak, per event of the day: the day's transactions and their
   * rendered bodies, and the deliveries still open from the day before. Measured 2026-12-03 with
   * the launcher's 1.5 GiB heap (G1): one day of 2.3M events fit, one of 2.6M ran out, and so did a
   * second day of about 2.36M (4.5M events over two days), 60k actors each time.
   */
  static final long HEAP_BYTES_PER_EVENT_OF_A_DAY = 660;

  /**
   * Heap the world needs per actor, besides {@link #HEAP_BYTES_PER_ACTOR_DAY} per actor and day:
   * the actor, its habits, places and devices, its online-rule state. Measured 2026-12-03: 1M
   * actors over 90 days held 1.58 GB live with a small day.
   */
  static final long HEAP_BYTES_PER_ACTOR = 1_250;

  /** The planned transactions per actor and day ({@code int}). */
  static final long HEAP_BYTES_PER_ACTOR_DAY = 4;

  private long actorsHeap() {
    return cfg.actors() * (HEAP_BYTES_PER_ACTOR + HEAP_BYTES_PER_ACTOR_DAY * cfg.days());
  }

  /**
   * Fails at once when the actors alone cannot fit in the heap (the world is built before anything
   * else, so such a run used to run out of memory while planning).
   */
  private void checkActorsHeap() {
    long max = Runtime.getRuntime().maxMemory();
    long need = actorsHeap();
    if (need > max) {
      throw tooLarge(
          String.format(
              java.util.Locale.ROOT,
              "%,d actors over %d days need about %.2f GiB of heap before any event",
              cfg.actors(),
              cfg.days(),
              gib(need)),
          "Use fewer --actors",
          need,
          max);
    }
  }

  /**
   * Fails before anything is written when the busiest day cannot fit in the heap beside the actors:
   * the generator holds a day in memory (its deliveries are sorted by arrival into hourly files,
   * and late ones reach hours already past), so a run that would run out of memory says so up
   * front.
   */
  private void checkHeap(int[][] legit) {
    long busiest = 0;
    int busiestDay = 0;
    for (int d = 0; d < cfg.days(); d++) {
      long n = planner.byDay.get(d).size();
      for (int[] actor : legit) {
        n += actor[d];
      }
      if (n > busiest) {
        busiest = n;
        busiestDay = d;
      }
    }
    long max = Runtime.getRuntime().maxMemory();
    long need = actorsHeap() + busiest * HEAP_BYTES_PER_EVENT_OF_A_DAY;
    if (need > max) {
      throw tooLarge(
          String.format(
              java.util.Locale.ROOT,
              "its busiest day (%s) has %,d events, which with %,d actors need about %.2f GiB of"
                  + " heap",
              Instant.ofEpochMilli(start + busiestDay * DAY).toString().substring(0, 10),
              busiest,
              cfg.actors(),
              gib(need)),
          "Spread the events over more --days",
          need,
          max);
    }
  }

  private static double gib(long bytes) {
    return bytes / (double) (1L << 30);
  }

  /**
   * The one-line refusal of a run that cannot fit in the heap: what needs it, this JVM's heap, and
   * a heap setting with some room above {@code need}.
   */
  private static FraudBatchException tooLarge(String what, String fix, long need, long max) {
    return new FraudBatchException(
        String.format(
            java.util.Locale.ROOT,
            "Cannot generate: %s, and this JVM has %.2f GiB. %s, or raise the heap"
                + " (FRAUD_BATCH_HEAP=%dg bin/fraud-batch generate ...)",
            what,
            gib(max),
            fix,
            (long) Math.ceil(need * 1.15 / (1L << 30))));
  }

  private void generate(long t0, int[][] legit) throws IOException {
    Traffic traffic = new Traffic(cfg.seed(), world, travel, start);
    OnlineRules.State[] states = new OnlineRules.State[world.actors.length];
    for (int i = 0; i < states.length; i++) {
      states[i] = new OnlineRules.State();
    }
    for (int a = 0; a < cfg.formats().size(); a++) {
      pending.add(new TreeMap<>());
    }
    SplittableRandom tr = Rng.stream(cfg.seed(), 14);
    if (cfg.truncatedFile() && cfg.days() * 24 >= 8) {
      truncateAgent = tr.nextInt(cfg.formats().size());
      int hours = cfg.days() * 24;
      truncateBucket = start + (hours / 4 + tr.nextInt(Math.max(1, hours / 2))) * HOUR;
    }

    long[] phase = new long[4];
    progress.accept(
        String.format(
            java.util.Locale.ROOT,
            "planned %d incidents (%,d fraud events) over %,d actors in %.1f s",
            planner.incidents.size(),
            planner.fraudEvents,
            world.actors.length,
            (System.nanoTime() - t0) / 1e9));
    for (int day = 0; day < cfg.days(); day++) {
      long p0 = System.nanoTime();
      List<Txn> txns = decideDay(day, legit, traffic, states);
      // The previous day's files were written while this day was decided; their bodies go before
      // this day's are rendered, so the heap holds one day of bodies, not two.
      long decided = System.nanoTime();
      awaitWrites();
      long p1 = System.nanoTime();
      List<byte[]> bodies = render(txns);
      long p2 = System.nanoTime();
      deliver(day, txns, bodies);
      long p3 = System.nanoTime();
      flush(Math.min(start + (day + 1) * DAY, lastBucket), false);
      long p4 = System.nanoTime();
      phase[0] += decided - p0;
      phase[1] += p2 - p1;
      phase[2] += p3 - p2;
      phase[3] += (p4 - p3) + (p1 - decided); // waiting for the previous day's files counts here
      double secs = (System.nanoTime() - t0) / 1e9;
      progress.accept(
          String.format(
              java.util.Locale.ROOT,
              "day %d/%d (%s): %,d events, %,d records so far, %.0f events/s",
              day + 1,
              cfg.days(),
              Instant.ofEpochMilli(start + day * DAY).toString().substring(0, 10),
              txns.size(),
              stats.recordsWritten,
              stats.uniqueEvents / Math.max(secs, 1e-9)));
    }
    flush(Long.MAX_VALUE, true);
    awaitWrites();
    progress.accept(
        String.format(
            java.util.Locale.ROOT,
            "time by phase: generate+rules %.1f s, render JSON %.1f s, deliver %.1f s, write files %.1f s",
            phase[0] / 1e9,
            phase[1] / 1e9,
            phase[2] / 1e9,
            phase[3] / 1e9));
  }

  /**
   * Legitimate transactions per actor and day: Poisson around each actor's habit, scaled and
   * adjusted so that, with the planned incidents, the total equals --events exactly when given.
   */
  private int[][] legitCounts() {
    Actor[] actors = world.actors;
    double[] dayFactor = new double[cfg.days()];
    double expected = 0;
    for (int d = 0; d < cfg.days(); d++) {
      dayFactor[d] = Traffic.weekdayFactor(start + d * DAY);
    }
    for (Actor a : actors) {
      for (double f : dayFactor) {
        expected += a.txPerDay() * f;
      }
    }
    long target = -1;
    double scale = 1;
    if (cfg.events() != null) {
      target = cfg.events() - planner.fraudEvents - planner.anchorEvents;
      if (target < 0) {
        throw new FraudBatchException(
            String.format(
                "Cannot generate exactly %d events: the planned incidents alone have %d."
                    + " Raise --events or lower --incidents-per-scenario",
                cfg.events(), planner.fraudEvents + planner.anchorEvents));
      }
      scale = target / expected;
    }
    int[][] counts = new int[actors.length][cfg.days()];
    final double s = scale;
    IntStream.range(0, actors.length)
        .parallel()
        .forEach(
            a -> {
              SplittableRandom r = Rng.stream(cfg.seed(), 8, a);
              for (int d = 0; d < cfg.days(); d++) {
                counts[a][d] = Rng.poisson(r, actors[a].txPerDay() * dayFactor[d] * s);
              }
            });
    if (target >= 0) {
      long total = 0;
      for (int[] row : counts) {
        for (int c : row) {
          total += c;
        }
      }
      SplittableRandom r = Rng.stream(cfg.seed(), 9);
      while (total > target) {
        int a = r.nextInt(actors.length);
        int d = r.nextInt(cfg.days());
        if (counts[a][d] > 0) {
          counts[a][d]--;
          total--;
        }
      }
      while (total < target) {
        counts[r.nextInt(actors.length)][r.nextInt(cfg.days())]++;
        total++;
      }
    }
    return counts;
  }

  /** Builds one day's transactions and runs the stand-in online rules per actor in time order. */
  private List<Txn> decideDay(int day, int[][] legit, Traffic traffic, OnlineRules.State[] states) {
    Map<Integer, List<Txn>> incidentByActor = new HashMap<>();
    for (Txn t : planner.byDay.get(day)) {
      incidentByActor.computeIfAbsent(t.actor.index(), k -> new ArrayList<>()).add(t);
    }
    Actor[] actors = world.actors;
    String rulesVersion = day < cfg.days() / 2 ? "rules-2026.09.1" : "rules-2026.10.2";
    List<Txn>[] perActor =
        submit(
            () ->
                IntStream.range(0, actors.length)
                    .parallel()
                    .mapToObj(
                        a -> {
                          List<Txn> ts = new ArrayList<>(legit[a][day] + 4);
                          traffic.generate(actors[a], day, legit[a][day], ts);
                          List<Txn> inc = incidentByActor.get(a);
                          if (inc != null) {
                            ts.addAll(inc);
                          }
                          ts.sort(Txn::byTimeThenId);
                          SplittableRandom r = Rng.stream(cfg.seed(), 11, a, day);
                          for (Txn t : ts) {
                            OnlineRules.decide(t, states[a], r, rulesVersion);
                          }
                          return ts;
                        })
                    .toArray(List[]::new));
    int n = 0;
    for (List<Txn> ts : perActor) {
      n += ts.size();
    }
    List<Txn> all = new ArrayList<>(n);
    for (List<Txn> ts : perActor) {
      all.addAll(ts);
    }
    all.sort(Txn::byTimeThenId);
    for (Txn t : all) {
      stats.uniqueEvents++;
      if (t.scenario != null) {
        stats.fraudEvents++;
        stats.fraudByScenario.merge(t.scenario, 1L, Long::sum);
        labelRows.add(
            new String[] {
              t.eventId,
              t.scenario.name(),
              String.format(java.util.Locale.ROOT, "INC-%04d", t.incident),
              t.actor.id(),
              Instant.ofEpochMilli(t.time).toString()
            });
      } else {
        stats.legitEvents++;
      }
    }
    return all;
  }

  private <T> T submit(java.util.concurrent.Callable<T> task) {
    try {
      return pool.submit(task).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FraudBatchException("Generation interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new FraudBatchException("Generation failed: " + e.getCause(), e.getCause());
    }
  }

  /** Which landing layout the online tier wrote this event in: v1, a two-day rollout, then v2. */
  private LandingSchemaVersion version(Txn t) {
    long rollout = start + (long) (cfg.v2From() * cfg.days() * DAY);
    long overlap = 2 * DAY;
    if (t.decidedAt < rollout) {
      return LandingSchemaVersion.V1;
    }
    if (t.decidedAt >= rollout + overlap) {
      return LandingSchemaVersion.V2;
    }
    double share = (t.decidedAt - rollout) / (double) overlap;
    double u = (Rng.key(cfg.seed(), 15, t.eventId.hashCode()) >>> 11) * 0x1.0p-53;
    return u < share ? LandingSchemaVersion.V2 : LandingSchemaVersion.V1;
  }

  private static final ThreadLocal<StringBuilder> JSON_BUFFER =
      ThreadLocal.withInitial(() -> new StringBuilder(1024));

  private List<byte[]> render(List<Txn> txns) {
    byte[][] out = new byte[txns.size()][];
    boolean[] pan = new boolean[txns.size()];
    LandingSchemaVersion[] versions = new LandingSchemaVersion[txns.size()];
    submit(
        () -> {
          IntStream.range(0, txns.size())
              .parallel()
              .forEach(
                  i -> {
                    Txn t = txns.get(i);
                    t.eventId.hashCode(); // computed here in parallel; deliver() reuses it
                    LandingSchemaVersion v = version(t);
                    versions[i] = v;
                    Map<String, String> extra = Map.of();
                    if (v == LandingSchemaVersion.V2) {
                      long k = Rng.key(cfg.seed(), 16, t.eventId.hashCode());
                      if ((k >>> 11) * 0x1.0p-53 < cfg.panRate()) {
                        StringBuilder memo = new StringBuilder(64);
                        DecisionEventJson.quote(
                            memo, "cardholder disputes charge, card " + Pan.luhnValid(k));
                        extra = Map.of("memo", memo.toString());
                        pan[i] = true;
                      }
                    }
                    StringBuilder sb = JSON_BUFFER.get();
                    sb.setLength(0);
                    DecisionEventJson.appendTo(sb, toEvent(t, extra), v);
                    out[i] = sb.toString().getBytes(StandardCharsets.UTF_8);
                  });
          return null;
        });
    for (int i = 0; i < txns.size(); i++) {
      if (versions[i] == LandingSchemaVersion.V2) {
        stats.v2Events++;
      } else {
        stats.v1Events++;
      }
      if (pan[i]) {
        stats.panRecords++;
      }
    }
    return java.util.Arrays.asList(out);
  }

  private static DecisionEvent toEvent(Txn t, Map<String, String> extra) {
    boolean web = !t.physical();
    City p = t.place;
    return new DecisionEvent(
        t.eventId,
        t.actor.id(),
        Instant.ofEpochMilli(t.time),
        t.channel,
        t.amount.setScale(DecisionEventJson.AMOUNT_SCALE),
        t.currency,
        t.merchant.id(),
        t.merchant.category().mcc,
        p.country(),
        p.region(),
        web ? null : p.name(),
        web ? null : p.lat(),
        web ? null : p.lon(),
        web ? t.ip : null,
        web ? t.device : null,
        t.decision,
        t.reasons,
        t.score,
        t.rulesVersion,
        Instant.ofEpochMilli(t.decidedAt),
        extra,
        null); // ingestRunId: set by ingest, never in landing data
  }

  /**
   * Turns events into Flume deliveries: the agent that got each, when (its timestamp header), and
   * the realities of at-least-once delivery (duplicates, late arrivals) and of buggy producers
   * (malformed records).
   */
  private void deliver(int day, List<Txn> txns, List<byte[]> bodies) {
    int agents = cfg.formats().size();
    for (int i = 0; i < txns.size(); i++) {
      Txn t = txns.get(i);
      byte[] body = bodies.get(i);
      SplittableRandom r = Rng.stream(cfg.seed(), 12, day, i);
      int agent = Math.floorMod(t.eventId.hashCode(), agents);
      long ts = t.decidedAt + 50 + r.nextInt(3000);
      if (r.nextDouble() < cfg.lateDeliveryRate()) {
        ts += HOUR + (long) (r.nextDouble() * 5 * HOUR);
        stats.lateDeliveries++;
      }
      enqueue(agent, ts, body);
      if (r.nextDouble() < cfg.duplicateRate()) {
        stats.duplicates++;
        if (r.nextDouble() < cfg.lateDuplicateShare()) {
          stats.lateDuplicates++;
          enqueue(r.nextInt(agents), ts + HOUR + (long) (r.nextDouble() * 7 * HOUR), body);
        } else {
          enqueue(agent, ts + 1000 + r.nextInt(120_000), body);
        }
      }
      if (r.nextDouble() < cfg.malformedRate()) {
        Malformed kind = Malformed.values()[r.nextInt(Malformed.values().length)];
        stats.malformed++;
        stats.malformedByKind.merge(kind.name(), 1L, Long::sum);
        enqueue(agent, ts + r.nextInt(500), kind.corrupt(body, t.eventId, Rng.uuid(r), r));
      }
    }
  }

  private void enqueue(int agent, long ts, byte[] body) {
    long clamped = Math.min(ts, end - 1); // still in the agent's channel at the end: the open file
    long bucket = clamped - Math.floorMod(clamped, HOUR);
    pending
        .get(agent)
        .computeIfAbsent(bucket, k -> new ArrayList<>())
        .add(new LandingRecord(clamped, recordSeq++, body));
  }

  private record FileJob(int agent, long bucket, List<LandingRecord> records) {}

  /** Writes every bucket that can no longer receive records (before {@code limit}). */
  private void flush(long limit, boolean last) throws IOException {
    // A crashed agent's file: everything it held is replayed into its next hour after restart.
    if (truncateAgent >= 0 && truncateBucket < limit) {
      List<LandingRecord> crashed = pending.get(truncateAgent).get(truncateBucket);
      if (crashed != null && stats.truncated.isEmpty()) {
        crashed.sort(LandingRecord::byTimestamp);
        long replayAt = truncateBucket + HOUR + 30_000;
        for (int i = 0; i < crashed.size(); i++) {
          enqueue(truncateAgent, replayAt + i, crashed.get(i).body());
        }
        stats.redeliveredAfterCrash += crashed.size();
        stats.truncated.put("records", crashed.size());
      }
    }
    List<FileJob> jobs = new ArrayList<>();
    for (int a = 0; a < pending.size(); a++) {
      var head = pending.get(a).headMap(limit, false);
      for (Map.Entry<Long, List<LandingRecord>> e : head.entrySet()) {
        e.getValue().sort(LandingRecord::byTimestamp);
        jobs.add(new FileJob(a, e.getKey(), e.getValue()));
      }
      head.clear();
    }
    // Names first (sequentially, so collisions resolve the same way every run), then write in
    // parallel.
    Map<Long, Set<String>> used = new HashMap<>();
    List<Path> paths = new ArrayList<>();
    for (FileJob j : jobs) {
      LandingFormat f = cfg.formats().get(j.agent());
      long millis = j.records().get(0).timestamp();
      Set<String> names = used.computeIfAbsent(j.bucket(), k -> new HashSet<>());
      String name;
      do {
        name = FILE_PREFIX + "." + millis++ + f.suffix;
      } while (!names.add(name));
      boolean inUse = last && j.bucket() == lastBucket;
      paths.add(
          new Path(
              new Path(landing, BUCKET.format(Instant.ofEpochMilli(j.bucket()))),
              inUse ? name + IN_USE_SUFFIX : name));
    }
    // Files are written while the next day is generated; one batch in flight at a time.
    awaitWrites();
    inFlight =
        java.util.concurrent.CompletableFuture.runAsync(
            () -> {
              long[][] written =
                  IntStream.range(0, jobs.size())
                      .parallel()
                      .mapToObj(i -> writeFile(jobs.get(i), paths.get(i)))
                      .toArray(long[][]::new);
              account(jobs, paths, written);
            },
            pool);
  }

  private void awaitWrites() {
    if (inFlight == null) {
      return;
    }
    try {
      inFlight.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof UncheckedIOException u) {
        throw new FraudBatchException(u.getMessage() + ": " + u.getCause().getMessage(), u);
      }
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    } finally {
      inFlight = null;
    }
  }

  private void account(List<FileJob> jobs, List<Path> paths, long[][] written) {
    for (int i = 0; i < jobs.size(); i++) {
      FileJob j = jobs.get(i);
      String format = cfg.formats().get(j.agent()).cliName();
      stats.files++;
      stats.bytes += written[i][0];
      stats.recordsWritten += j.records().size();
      stats.filesByFormat.merge(format, 1L, Long::sum);
      stats.recordsByFormat.merge(format, (long) j.records().size(), Long::sum);
      if (paths.get(i).getName().endsWith(IN_USE_SUFFIX)) {
        stats.inUseFiles++;
        stats.recordsInInUseFiles += j.records().size();
      }
      if (written[i][1] >= 0) {
        stats.truncated.put("file", relative(paths.get(i)));
        stats.truncated.put("format", format);
        stats.truncated.put("originalBytes", written[i][1]);
        stats.truncated.put("truncatedBytes", written[i][0]);
      }
    }
  }

  private String relative(Path p) {
    return landing.toUri().relativize(p.toUri()).getPath();
  }

  /** Returns {bytes written, original length if truncated else -1}. */
  private long[] writeFile(FileJob j, Path path) {
    LandingFormat f = cfg.formats().get(j.agent());
    byte[] sync = Rng.sync(Rng.key(cfg.seed(), 13, j.bucket(), j.agent()));
    try {
      LandingFormat.FileBytes fileBytes =
          f.write(j.records(), "flume-agent-" + (j.agent() + 1), sync, conf);
      byte[] bytes = fileBytes.array();
      int length = fileBytes.length();
      long original = -1;
      if (j.agent() == truncateAgent && j.bucket() == truncateBucket) {
        SplittableRandom r = Rng.stream(cfg.seed(), 17);
        original = length;
        length = (int) (length * (0.5 + 0.4 * r.nextDouble()));
      }
      long last = j.records().get(j.records().size() - 1).timestamp();
      writeBytes(path, bytes, length, last + 1000);
      return new long[] {length, original};
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write landing file " + path, e);
    }
  }

  private void writeLabels() throws IOException {
    labelRows.sort(
        (a, b) -> a[4].compareTo(b[4]) != 0 ? a[4].compareTo(b[4]) : a[0].compareTo(b[0]));
    StringBuilder sb = new StringBuilder(LandingOutput.LABELS_HEADER);
    for (String[] row : labelRows) {
      sb.append(String.join(",", row)).append('\n');
    }
    write(new Path(labels, "labels.csv"), sb.toString());
  }

  private void writeIncidents() throws IOException {
    StringBuilder sb = new StringBuilder(LandingOutput.INCIDENTS_HEADER);
    for (Incident i : planner.incidents) {
      LandingOutput.incidentLine(
          sb,
          i.incidentId(),
          i.scenario().name(),
          i.scenario().keyType,
          i.key(),
          i.windowStart(),
          i.windowEnd(),
          i.actors(),
          i.events());
    }
    write(new Path(labels, "incidents.csv"), sb.toString());
  }

  private void writeSummary() throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("seed", cfg.seed());
    run.put("actors", cfg.actors());
    run.put("days", cfg.days());
    run.put("start", cfg.start().toString());
    run.put("end", Instant.ofEpochMilli(end).toString());
    run.put("requestedEvents", cfg.events());
    run.put("formats", cfg.formats().stream().map(LandingFormat::cliName).toList());
    run.put("duplicateRate", cfg.duplicateRate());
    run.put("lateDuplicateShare", cfg.lateDuplicateShare());
    run.put("malformedRate", cfg.malformedRate());
    run.put("lateDeliveryRate", cfg.lateDeliveryRate());
    run.put("panRate", cfg.panRate());
    run.put("v2From", cfg.v2From());
    m.put("config", run);
    Map<String, Object> ev = new LinkedHashMap<>();
    ev.put("unique", stats.uniqueEvents);
    ev.put("legitimate", stats.legitEvents);
    ev.put("fraud", stats.fraudEvents);
    ev.put("fraudByScenario", stats.fraudByScenario);
    ev.put("incidentsByScenario", stats.incidentsByScenario);
    ev.put("landingSchemaV1", stats.v1Events);
    ev.put("landingSchemaV2", stats.v2Events);
    ev.put("withPanInFreeText", stats.panRecords);
    m.put("events", ev);
    Map<String, Object> rec = new LinkedHashMap<>();
    rec.put("written", stats.recordsWritten);
    rec.put("duplicates", stats.duplicates);
    rec.put("lateDuplicates", stats.lateDuplicates);
    rec.put("redeliveredAfterCrash", stats.redeliveredAfterCrash);
    rec.put("malformed", stats.malformed);
    rec.put("malformedByKind", stats.malformedByKind);
    rec.put("lateDeliveries", stats.lateDeliveries);
    rec.put("byFormat", stats.recordsByFormat);
    m.put("records", rec);
    Map<String, Object> files = new LinkedHashMap<>();
    files.put("count", stats.files);
    files.put("bytes", stats.bytes);
    files.put("byFormat", stats.filesByFormat);
    files.put("inUse", stats.inUseFiles);
    files.put("recordsInInUseFiles", stats.recordsInInUseFiles);
    files.put("truncated", stats.truncated.isEmpty() ? null : stats.truncated);
    m.put("files", files);
    String json =
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m);
    write(new Path(labels, "summary.json"), json + "\n");
  }

  private void writeBytes(Path path, byte[] bytes, int length, long mtime) throws IOException {
    LandingOutput.writeBytes(fs, path, bytes, length, mtime);
  }

  private void write(Path p, String text) throws IOException {
    LandingOutput.writeText(fs, p, text);
  }
}
