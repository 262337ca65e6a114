package io.fraudbatch.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fraudbatch.avro.DecisionEvent;
import io.fraudbatch.core.event.DecisionEventJson;
import io.fraudbatch.core.event.DecodeResult;
import io.fraudbatch.core.event.Problem;
import io.fraudbatch.sample.LandingReader.FileRead;
import io.fraudbatch.sample.LandingReader.Landed;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the generator on a small world and reads everything back like a consumer would. */
class GeneratorTest {
  static final int EVENTS = 8_000;
  static final List<LandingFormat> ALL_FORMATS = List.of(LandingFormat.values());

  @TempDir static Path tmp;
  static Path root;
  static List<FileRead> files;
  static List<Landed> records;
  static JsonNode summary;

  static GeneratorConfig config(Path root, long seed, boolean truncated) {
    return new GeneratorConfig(
        root.toString(),
        seed,
        300,
        14,
        LocalDate.parse("2026-03-01"),
        (long) EVENTS,
        ALL_FORMATS,
        0.04,
        0.3,
        0.02,
        0.01,
        0.01,
        truncated,
        0.4,
        null,
        2,
        false);
  }

  @BeforeAll
  static void generate() throws IOException {
    root = tmp.resolve("run");
    new Generator(config(root, 7, true), line -> {}).run();
    files = LandingReader.readAll(root.resolve("landing/decisions"));
    records = files.stream().flatMap(f -> f.records().stream()).toList();
    summary = new ObjectMapper().readTree(root.resolve("labels/decisions/summary.json").toFile());
  }

  static Map<String, DecisionEvent> validEvents(List<Landed> recs) {
    Map<String, DecisionEvent> byId = new HashMap<>();
    for (Landed r : recs) {
      DecodeResult d = DecisionEventJson.decode(r.body());
      if (d.isValid()) {
        byId.putIfAbsent(d.event().getEventId(), d.event());
      }
    }
    return byId;
  }

  @Test
  void exactlyTheRequestedNumberOfDistinctEventsLands() {
    assertThat(summary.at("/events/unique").asLong()).isEqualTo(EVENTS);
    assertThat(validEvents(records)).hasSize(EVENTS);
  }

  @Test
  void everyFormatIsWrittenAndRecognisedByItsMagicBytes() throws IOException {
    Map<LandingFormat, Long> byFormat =
        files.stream()
            .collect(Collectors.groupingBy(FileRead::format, TreeMap::new, Collectors.counting()));
    assertThat(byFormat.keySet()).containsExactlyInAnyOrderElementsOf(ALL_FORMATS);
    for (FileRead f : files) {
      byte[] head = Files.readAllBytes(f.file());
      switch (f.format()) {
        case SEQUENCEFILE ->
            assertThat(new String(head, 0, 3, StandardCharsets.US_ASCII)).isEqualTo("SEQ");
        case AVRO -> assertThat(new String(head, 0, 3, StandardCharsets.US_ASCII)).isEqualTo("Obj");
        case DATASTREAM_GZIP -> assertThat(head[0] & 0xff).isEqualTo(0x1f);
        case DATASTREAM -> assertThat((char) head[0]).isIn('{', (char) head[0]);
        case DATASTREAM_SNAPPY -> assertThat(f.file().toString()).contains(".snappy");
      }
    }
  }

  @Test
  void filesFollowFlumesLayoutAndBucketByTheTimestampHeader() {
    Pattern layout =
        Pattern.compile(
            ".*/landing/decisions/(\\d{4}/\\d{2}/\\d{2}/\\d{2})/FlumeData\\.(\\d{13})(\\.gz|\\.snappy)?(\\.tmp)?");
    DateTimeFormatter hour = DateTimeFormatter.ofPattern("yyyy/MM/dd/HH").withZone(ZoneOffset.UTC);
    int checked = 0;
    for (FileRead f : files) {
      Matcher m = layout.matcher(f.file().toString());
      assertThat(m.matches()).as("layout of %s", f.file()).isTrue();
      for (Landed r : f.records()) {
        if (r.timestamp() != null) {
          assertThat(hour.format(Instant.ofEpochMilli(r.timestamp())))
              .as("bucket of a record in %s", f.file())
              .isEqualTo(m.group(1));
          checked++;
        }
      }
      // Flume names a file after the clock when it opened it: the first record's arrival.
      if (!f.records().isEmpty() && f.records().get(0).timestamp() != null) {
        assertThat(Long.parseLong(m.group(2)))
            .isGreaterThanOrEqualTo(f.records().get(0).timestamp());
      }
    }
    assertThat(checked).isGreaterThan(EVENTS / 4);
  }

  @Test
  void theLastHourIsStillOpenAsInUseFiles() throws IOException {
    List<Path> inUse =
        files.stream().map(FileRead::file).filter(p -> p.toString().endsWith(".tmp")).toList();
    assertThat(inUse).hasSize(ALL_FORMATS.size());
    assertThat(inUse).allMatch(p -> p.toString().contains("/2026/03/14/23/"));
    assertThat(summary.at("/files/inUse").asInt()).isEqualTo(ALL_FORMATS.size());
  }

  @Test
  void aCrashedAgentLeftOneTruncatedFileWhoseEventsWereReplayed() {
    String truncated = summary.at("/files/truncated/file").asText();
    assertThat(truncated).isNotEmpty();
    FileRead f =
        files.stream()
            .filter(x -> x.file().toString().endsWith(truncated))
            .findFirst()
            .orElseThrow();
    int original = summary.at("/files/truncated/records").asInt();
    assertThat(f.cutShort())
        .as("%s read %d of %d records", f.format(), f.records().size(), original)
        .isTrue();
    assertThat(f.records().size()).isLessThan(original);
    assertThat(summary.at("/files/truncated/truncatedBytes").asLong())
        .isLessThan(summary.at("/files/truncated/originalBytes").asLong());
    // Every complete record in it was replayed elsewhere: nothing exists only in the broken file.
    Set<String> elsewhere =
        validEvents(records.stream().filter(r -> !r.file().equals(f.file())).toList()).keySet();
    assertThat(validEvents(f.records()).keySet()).isSubsetOf(elsewhere);
  }

  @Test
  void everyScenarioIsLabelledAndTheLabelsMatchTheData() throws IOException {
    List<String> lines = Files.readAllLines(root.resolve("labels/decisions/labels.csv"));
    assertThat(lines.get(0)).isEqualTo("eventId,scenario,incidentId,actorId,eventTime");
    Map<String, DecisionEvent> events = validEvents(records);
    Set<Scenario> seen = EnumSet.noneOf(Scenario.class);
    Set<String> ids = new HashSet<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      assertThat(ids.add(f[0])).as("label %s once", f[0]).isTrue();
      DecisionEvent e = events.get(f[0]);
      assertThat(e).as("labelled event %s is in the landing data", f[0]).isNotNull();
      assertThat(e.getActorId()).isEqualTo(f[3]);
      assertThat(e.getEventTime()).isEqualTo(Instant.parse(f[4]));
      seen.add(Scenario.valueOf(f[1]));
    }
    assertThat(seen).containsExactlyInAnyOrder(Scenario.values());
    assertThat(ids).hasSize(summary.at("/events/fraud").asInt());

    List<String> incidents = Files.readAllLines(root.resolve("labels/decisions/incidents.csv"));
    Map<String, Integer> perIncident = new HashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      perIncident.merge(line.split(",")[2], 1, Integer::sum);
    }
    for (String line : incidents.subList(1, incidents.size())) {
      String[] f = line.split(",");
      assertThat(perIncident.getOrDefault(f[0], 0))
          .as("events of %s", f[0])
          .isEqualTo(Integer.parseInt(f[7]));
      assertThat(Instant.parse(f[4])).isBefore(Instant.parse(f[5]));
    }
  }

  @Test
  void injectedFraudLooksLikeItsScenario() throws IOException {
    List<String> lines = Files.readAllLines(root.resolve("labels/decisions/labels.csv"));
    Map<String, DecisionEvent> events = validEvents(records);
    Map<Scenario, List<DecisionEvent>> byScenario = new HashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      byScenario
          .computeIfAbsent(Scenario.valueOf(f[1]), k -> new ArrayList<>())
          .add(events.get(f[0]));
    }
    // Card testing: micro amounts on the web, at one merchant per incident.
    for (DecisionEvent e : byScenario.get(Scenario.CARD_TESTING)) {
      assertThat(e.getChannel()).isEqualTo("WEB");
      assertThat(e.getIp()).isNotNull();
    }
    assertThat(
            byScenario.get(Scenario.CARD_TESTING).stream()
                .filter(e -> e.getCurrency().equals("USD"))
                .allMatch(e -> e.getAmount().compareTo(new BigDecimal("2.00")) <= 0))
        .isTrue();
    // Impossible travel: the stand-in rules catch at least some of it by that name.
    assertThat(byScenario.get(Scenario.IMPOSSIBLE_TRAVEL))
        .anyMatch(e -> e.getReasons().contains("IMPOSSIBLE_TRAVEL"));
    // Fraud is declined more often than normal traffic, but not always (some is missed).
    Set<String> fraudIds =
        lines.subList(1, lines.size()).stream()
            .map(l -> l.split(",")[0])
            .collect(Collectors.toSet());
    double fraudDenied =
        share(events.values().stream().filter(e -> fraudIds.contains(e.getEventId())));
    double legitDenied =
        share(events.values().stream().filter(e -> !fraudIds.contains(e.getEventId())));
    assertThat(fraudDenied).isGreaterThan(3 * legitDenied).isLessThan(1.0);
    assertThat(legitDenied).isGreaterThan(0.0);
  }

  private static double share(Stream<DecisionEvent> s) {
    List<DecisionEvent> l = s.toList();
    return l.stream().filter(e -> e.getDecision().equals("DENIED")).count() / (double) l.size();
  }

  @Test
  void bothLandingSchemaVersionsAreMixed() {
    long v1 = 0;
    long v2 = 0;
    for (Landed r : records) {
      String body = new String(r.body(), StandardCharsets.UTF_8);
      if (body.contains("\"amount\":\"") && body.contains("\"decidedAt\"")) {
        v2++;
      } else if (body.matches(".*\"amount\":[0-9].*") && !body.contains("\"decidedAt\"")) {
        v1++;
      }
    }
    assertThat(v1).isGreaterThan(EVENTS / 5);
    assertThat(v2).isGreaterThan(EVENTS / 5);
    assertThat(
            summary.at("/events/landingSchemaV1").asLong()
                + summary.at("/events/landingSchemaV2").asLong())
        .isEqualTo(EVENTS);
  }

  @Test
  void someRecordsLeakACardNumberInFreeTextForIngestToMask() {
    Pattern digits = Pattern.compile("\\d{13,19}");
    int leaks = 0;
    for (Landed r : records) {
      String body = new String(r.body(), StandardCharsets.UTF_8);
      if (body.contains("\"memo\"")) {
        Matcher m = digits.matcher(body.substring(body.indexOf("\"memo\"")));
        assertThat(m.find()).isTrue();
        assertThat(Pan.passesLuhn(m.group())).as("PAN %s passes Luhn", m.group()).isTrue();
        leaks++;
      }
    }
    assertThat(leaks).isGreaterThan(0);
  }

  @Test
  void duplicateAndMalformedRatesAreAsConfigured(@TempDir Path other) throws IOException {
    Path r = other.resolve("rates");
    Generator.Stats s = new Generator(config(r, 11, false), line -> {}).run();
    List<Landed> recs =
        LandingReader.readAll(r.resolve("landing/decisions")).stream()
            .flatMap(f -> f.records().stream())
            .toList();
    int malformed = 0;
    int valid = 0;
    Set<Problem> kinds = EnumSet.noneOf(Problem.class);
    for (Landed x : recs) {
      DecodeResult d = DecisionEventJson.decode(x.body());
      if (d.isValid()) {
        valid++;
      } else {
        malformed++;
        kinds.add(d.primaryProblem());
      }
    }
    int distinct = validEvents(recs).size();
    assertThat(recs).hasSize((int) s.recordsWritten);
    assertThat(distinct).isEqualTo(EVENTS);
    assertThat(valid - distinct).isEqualTo(s.duplicates);
    assertThat(malformed).isEqualTo(s.malformed);
    // Binomial: 8000 draws at 4% and 2%; four standard deviations of slack.
    assertThat(s.duplicates / (double) EVENTS)
        .isCloseTo(0.04, within(4 * Math.sqrt(0.04 * 0.96 / EVENTS)));
    assertThat(malformed / (double) EVENTS)
        .isCloseTo(0.02, within(4 * Math.sqrt(0.02 * 0.98 / EVENTS)));
    assertThat(kinds)
        .contains(
            Problem.MALFORMED_JSON,
            Problem.MISSING_FIELD,
            Problem.WRONG_TYPE,
            Problem.OUT_OF_RANGE,
            Problem.INVALID_VALUE);
  }

  @Test
  void theSameSeedGivesByteIdenticalOutputAndAnotherSeedDoesNot(@TempDir Path other)
      throws Exception {
    Path again = other.resolve("again");
    new Generator(config(again, 7, true), line -> {}).run();
    assertThat(digests(again)).isEqualTo(digests(root));
    Path different = other.resolve("different");
    new Generator(config(different, 8, true), line -> {}).run();
    assertThat(digests(different)).isNotEqualTo(digests(root));
  }

  private static Map<String, String> digests(Path run) throws Exception {
    Map<String, String> out = new TreeMap<>();
    List<Path> all;
    try (Stream<Path> s = Files.walk(run)) {
      all = s.filter(Files::isRegularFile).toList();
    }
    for (Path p : all) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      out.put(
          run.relativize(p).toString(), HexFormat.of().formatHex(md.digest(Files.readAllBytes(p))));
    }
    return out;
  }
}
