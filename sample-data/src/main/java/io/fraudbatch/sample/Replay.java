package io.fraudbatch.sample;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fraudbatch.avro.DecisionEvent;
import io.fraudbatch.core.event.DecisionEventJson;
import io.fraudbatch.core.event.LandingSchemaVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes imported transactions as the online tier would have logged them: the stand-in online rules
 * ({@link OnlineRules}) decide every transaction per actor in event order, each decision becomes a
 * landing JSON body (schema v2), Flume delivers it a few seconds after the decision into the hour
 * directory of its arrival (one agent, one file per hour, all files closed), and the source's fraud
 * flags become the generator's label files.
 */
final class Replay {
  static final long HOUR = 3_600_000L;
  static final String RULES_VERSION_PREFIX = "replay-";
  private static final DateTimeFormatter BUCKET =
      DateTimeFormatter.ofPattern("yyyy/MM/dd/HH").withZone(ZoneOffset.UTC);

  /** One imported transaction, filled by an importer, decided here. */
  static final class Event {
    /** What the online rules read (eventId, time, channel, place, amount, device) and fill. */
    final Txn txn = new Txn();

    String actorId;
    String merchantId;
    String mcc;
    String country;
    String region;
    String city;
    Double lat;
    Double lon;

    /** Fields beyond the contract's, as JSON text (a quoted string or a number). */
    final Map<String, String> extra = new TreeMap<>();

    /** The source's card number, written into a free-text memo of a few records; or null. */
    String pan;

    /** Label: the source's fraud scenario and incident, or null for legitimate. */
    String scenario;

    String incidentId;

    /** What one incident's events share (default: the actor); the incident is keyed on it. */
    String incidentKey;

    /** An injected decline wave: the issuer declines this attempt whatever the rules said. */
    boolean issuerDeclines;

    Event(String eventId, long time, String channel) {
      txn.eventId = eventId;
      txn.time = time;
      txn.channel = channel;
    }
  }

  /** A row of incidents.csv. */
  record IncidentRow(
      String id,
      String scenario,
      String keyType,
      String key,
      long windowStart,
      long windowEnd,
      int actors,
      int events) {}

  /** What an importer read: the events, their incidents, and what to say about the source. */
  record Imported(List<Event> events, List<IncidentRow> incidents, Map<String, Object> about) {}

  /** Where and how to write. */
  record Options(
      String root,
      String source,
      LandingFormat format,
      long seed,
      double panRate,
      boolean overwrite,
      Consumer<String> progress) {}

  /** What was written (also in summary.json). */
  record Result(
      long events,
      long labelled,
      long actors,
      long files,
      long bytes,
      long panRecords,
      Map<String, Long> decisions,
      Map<String, Long> reasons,
      Instant first,
      Instant last) {}

  private Replay() {}

  /** A string as JSON text, for {@link Event#extra}. */
  static String json(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    DecisionEventJson.quote(sb, s);
    return sb.toString();
  }

  /** Decides and writes {@code events}; {@code about} goes into summary.json as "source". */
  static Result write(
      Options o, List<Event> events, List<IncidentRow> incidents, Map<String, Object> about)
      throws IOException {
    Configuration conf = new Configuration();
    Path root = new Path(o.root());
    try (FileSystem fs = FileSystem.newInstance(root.toUri(), conf)) {
      fs.setWriteChecksum(false); // Flume on HDFS leaves no .crc files beside its output
      root = fs.makeQualified(root);
      Path landing = new Path(root, LandingOutput.LANDING);
      Path labels = new Path(root, LandingOutput.LABELS);
      LandingOutput.prepare(fs, root, landing, labels, o.overwrite(), "import");

      List<Event> sorted = new ArrayList<>(events);
      sorted.sort(
          Comparator.<Event>comparingLong(e -> e.txn.time).thenComparing(e -> e.txn.eventId));
      Map<String, Long> decisions = new TreeMap<>();
      Map<String, Long> reasons = new TreeMap<>();
      decide(o, sorted, decisions, reasons);
      o.progress().accept(String.format("decided %,d transactions: %s", sorted.size(), decisions));

      Delivery delivery = deliver(o, sorted);
      TreeMap<Long, List<LandingRecord>> buckets = delivery.buckets();
      long bytes = writeFiles(fs, conf, landing, o, buckets);
      o.progress()
          .accept(String.format("wrote %,d landing files (%,d bytes)", buckets.size(), bytes));

      long labelled = writeLabels(fs, labels, sorted);
      writeIncidents(fs, labels, incidents);
      long actors = sorted.stream().map(e -> e.actorId).distinct().count();
      Instant first = sorted.isEmpty() ? null : Instant.ofEpochMilli(sorted.get(0).txn.time);
      Instant last =
          sorted.isEmpty() ? null : Instant.ofEpochMilli(sorted.get(sorted.size() - 1).txn.time);
      Result r =
          new Result(
              sorted.size(),
              labelled,
              actors,
              buckets.size(),
              bytes,
              delivery.panRecords(),
              decisions,
              reasons,
              first,
              last);
      writeSummary(fs, labels, o, r, incidents.size(), about);
      return r;
    }
  }

  private static void decide(
      Options o, List<Event> sorted, Map<String, Long> decisions, Map<String, Long> reasons) {
    Map<String, OnlineRules.State> states = new HashMap<>();
    SplittableRandom r = Rng.stream(o.seed(), 21);
    String rulesVersion = RULES_VERSION_PREFIX + o.source();
    for (Event e : sorted) {
      OnlineRules.State s = states.computeIfAbsent(e.actorId, k -> new OnlineRules.State());
      OnlineRules.decide(e.txn, s, r, rulesVersion);
      if (e.issuerDeclines && !"DENIED".equals(e.txn.decision)) {
        e.txn.decision = "DENIED";
        e.txn.reasons.add("ISSUER_DECLINE");
      }
      decisions.merge(e.txn.decision, 1L, Long::sum);
      for (String reason : e.txn.reasons) {
        reasons.merge(reason, 1L, Long::sum);
      }
    }
  }

  /** Landing records by the hour bucket they reach HDFS in, and how many carry a card number. */
  private record Delivery(TreeMap<Long, List<LandingRecord>> buckets, long panRecords) {}

  /** Landing bodies by the hour they reach HDFS: 50 ms to 3 s after the decision. */
  private static Delivery deliver(Options o, List<Event> sorted) {
    byte[][] bodies = new byte[sorted.size()][];
    boolean[] withPan = new boolean[sorted.size()];
    IntStream.range(0, sorted.size())
        .parallel()
        .forEach(
            i -> {
              Event e = sorted.get(i);
              Map<String, String> extra = e.extra;
              long k = Rng.key(o.seed(), 16, e.txn.eventId.hashCode());
              if (e.pan != null && (k >>> 11) * 0x1.0p-53 < o.panRate()) {
                StringBuilder memo = new StringBuilder(64);
                DecisionEventJson.quote(memo, "cardholder disputes charge, card " + e.pan);
                extra = new TreeMap<>(e.extra);
                extra.put("memo", memo.toString());
                withPan[i] = true;
              }
              bodies[i] =
                  DecisionEventJson.encode(toEvent(e, extra), LandingSchemaVersion.V2)
                      .getBytes(StandardCharsets.UTF_8);
            });
    TreeMap<Long, List<LandingRecord>> buckets = new TreeMap<>();
    SplittableRandom r = Rng.stream(o.seed(), 22);
    long panRecords = 0;
    for (int i = 0; i < sorted.size(); i++) {
      long ts = sorted.get(i).txn.decidedAt + 50 + r.nextInt(3000);
      buckets
          .computeIfAbsent(ts - Math.floorMod(ts, HOUR), b -> new ArrayList<>())
          .add(new LandingRecord(ts, i, bodies[i]));
      if (withPan[i]) {
        panRecords++;
      }
    }
    for (List<LandingRecord> l : buckets.values()) {
      l.sort(LandingRecord::byTimestamp);
    }
    return new Delivery(buckets, panRecords);
  }

  private static DecisionEvent toEvent(Event e, Map<String, String> extra) {
    Txn t = e.txn;
    return new DecisionEvent(
        t.eventId,
        e.actorId,
        Instant.ofEpochMilli(t.time),
        t.channel,
        t.amount.setScale(DecisionEventJson.AMOUNT_SCALE),
        t.currency,
        e.merchantId,
        e.mcc,
        e.country,
        e.region,
        e.city,
        e.lat,
        e.lon,
        t.ip,
        t.device,
        t.decision,
        t.reasons,
        t.score,
        t.rulesVersion,
        Instant.ofEpochMilli(t.decidedAt),
        extra,
        null); // ingestRunId: set by ingest, never in landing data
  }

  /** One closed file per hour, named after its first record's arrival; returns the bytes. */
  private static long writeFiles(
      FileSystem fs,
      Configuration conf,
      Path landing,
      Options o,
      TreeMap<Long, List<LandingRecord>> buckets) {
    List<Map.Entry<Long, List<LandingRecord>>> files = new ArrayList<>(buckets.entrySet());
    return IntStream.range(0, files.size())
        .parallel()
        .mapToLong(
            i -> {
              long bucket = files.get(i).getKey();
              List<LandingRecord> records = files.get(i).getValue();
              Path path =
                  new Path(
                      new Path(landing, BUCKET.format(Instant.ofEpochMilli(bucket))),
                      Generator.FILE_PREFIX + "." + records.get(0).timestamp() + o.format().suffix);
              byte[] sync = Rng.sync(Rng.key(o.seed(), 13, bucket));
              try {
                LandingFormat.FileBytes f = o.format().write(records, "flume-agent-1", sync, conf);
                long mtime = records.get(records.size() - 1).timestamp() + 1000;
                LandingOutput.writeBytes(fs, path, f.array(), f.length(), mtime);
                return f.length();
              } catch (IOException e) {
                throw new UncheckedIOException("Cannot write landing file " + path, e);
              }
            })
        .sum();
  }

  private static long writeLabels(FileSystem fs, Path labels, List<Event> sorted)
      throws IOException {
    StringBuilder sb = new StringBuilder(LandingOutput.LABELS_HEADER);
    long n = 0;
    for (Event e : sorted) {
      if (e.scenario != null) {
        n++;
        sb.append(e.txn.eventId)
            .append(',')
            .append(e.scenario)
            .append(',')
            .append(e.incidentId)
            .append(',')
            .append(e.actorId)
            .append(',')
            .append(Instant.ofEpochMilli(e.txn.time))
            .append('\n');
      }
    }
    LandingOutput.writeText(fs, new Path(labels, "labels.csv"), sb.toString());
    return n;
  }

  private static void writeIncidents(FileSystem fs, Path labels, List<IncidentRow> incidents)
      throws IOException {
    StringBuilder sb = new StringBuilder(LandingOutput.INCIDENTS_HEADER);
    for (IncidentRow i : incidents) {
      LandingOutput.incidentLine(
          sb,
          i.id(),
          i.scenario(),
          i.keyType(),
          i.key(),
          i.windowStart(),
          i.windowEnd(),
          i.actors(),
          i.events());
    }
    LandingOutput.writeText(fs, new Path(labels, "incidents.csv"), sb.toString());
  }

  private static void writeSummary(
      FileSystem fs, Path labels, Options o, Result r, int incidents, Map<String, Object> about)
      throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source", about);
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("seed", o.seed());
    run.put("format", o.format().cliName());
    run.put("panRate", o.panRate());
    run.put("rulesVersion", RULES_VERSION_PREFIX + o.source());
    m.put("config", run);
    Map<String, Object> ev = new LinkedHashMap<>();
    ev.put("unique", r.events());
    ev.put("labelled", r.labelled());
    ev.put("incidents", incidents);
    ev.put("actors", r.actors());
    ev.put("first", r.first() == null ? null : r.first().toString());
    ev.put("last", r.last() == null ? null : r.last().toString());
    ev.put("decisions", r.decisions());
    ev.put("reasons", r.reasons());
    ev.put("withPanInFreeText", r.panRecords());
    m.put("events", ev);
    Map<String, Object> files = new LinkedHashMap<>();
    files.put("count", r.files());
    files.put("bytes", r.bytes());
    files.put("records", r.events());
    m.put("files", files);
    String json =
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m);
    LandingOutput.writeText(fs, new Path(labels, "summary.json"), json + "\n");
  }
}
