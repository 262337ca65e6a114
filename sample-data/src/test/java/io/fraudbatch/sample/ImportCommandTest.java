package io.fraudbatch.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The importers on hand-made files in each dataset's layout; the landing files read back. */
class ImportCommandTest {
  @TempDir Path tmp;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream oldOut;
  private PrintStream oldErr;

  static final String SPARKOV_HEADER =
      "ssn|cc_num|first|last|gender|street|city|state|zip|lat|long|city_pop|job|dob|acct_num|profile"
          + "|trans_num|trans_date|trans_time|unix_time|category|amt|is_fraud|merchant|merch_lat|merch_long";
  static final String CARD_A = "4111111111111111";
  static final String CARD_B = "501800000009";
  static final long T0 = 1_600_000_000L; // 2020-09-13T12:26:40Z

  @BeforeEach
  void capture() {
    oldOut = System.out;
    oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(oldOut);
    System.setErr(oldErr);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  static String sparkovRow(
      String card, String transNum, long unix, String category, String amt, int fraud) {
    return "111-22-3333|"
        + card
        + "|Ann|Lee|F|1 Main St|Owls Head|ME|04854|44.0732|-69.0894|1580|Designer|1996-05-04|1|p.json|"
        + transNum
        + "|2020-09-13|12:00:00|"
        + unix
        + "|"
        + category
        + "|"
        + amt
        + "|"
        + fraud
        + "|fraud_O'Keefe, Hudson and Sons|44.798215|-69.864502";
  }

  /** Card A: six small purchases, then a fraud episode; 5 days later another. Card B: one. */
  Path sparkovFile() throws Exception {
    List<String> l = new ArrayList<>(List.of(SPARKOV_HEADER));
    for (int i = 0; i < 6; i++) {
      l.add(sparkovRow(CARD_A, "t" + i, T0 + i * 3600, "grocery_pos", "10.00", 0));
    }
    l.add(sparkovRow(CARD_A, "f1", T0 + 7 * 3600, "shopping_net", "900.00", 1));
    l.add(sparkovRow(CARD_A, "f2", T0 + 8 * 3600, "shopping_net", "850.00", 1));
    l.add(sparkovRow(CARD_A, "f3", T0 + 5 * 86400, "misc_pos", "700.00", 1));
    // The same trans_num on another card: Sparkov has these; both must land.
    l.add(sparkovRow(CARD_B, "t0", T0 + 60, "gas_transport", "40.00", 0));
    return Files.write(tmp.resolve("transactions.csv"), l);
  }

  static List<JsonNode> landed(Path root) throws Exception {
    ObjectMapper m = new ObjectMapper();
    List<JsonNode> bodies = new ArrayList<>();
    for (LandingReader.FileRead f : LandingReader.readAll(root.resolve("landing/decisions"))) {
      assertThat(f.cutShort()).isFalse();
      for (LandingReader.Landed r : f.records()) {
        bodies.add(m.readTree(r.body()));
      }
    }
    return bodies;
  }

  @Test
  void sparkovRowsLandOnceDecidedByTheRulesWithKeyedActorsAndLabels() throws Exception {
    Path root = tmp.resolve("root");
    int code =
        ImportCommand.run(
            "sparkov",
            "--input",
            sparkovFile().toString(),
            "--root",
            root.toString(),
            "-q",
            "--pan-rate",
            "0");
    assertThat(code).as(err()).isZero();
    List<JsonNode> events = landed(root);
    assertThat(events).hasSize(10);
    Set<String> ids = new HashSet<>();
    events.forEach(e -> ids.add(e.get("eventId").asText()));
    assertThat(ids).hasSize(10);
    String all = events.toString();
    assertThat(all).doesNotContain(CARD_A).doesNotContain(CARD_B).doesNotContain("\"memo\"");
    JsonNode big =
        events.stream().filter(e -> e.get("amount").asText().equals("900.00")).findFirst().get();
    assertThat(big.get("actorId").asText()).startsWith("card-").hasSize(25);
    assertThat(big.get("channel").asText()).isEqualTo("WEB");
    assertThat(big.has("region")).isFalse();
    assertThat(big.get("reasons").toString()).contains("AMOUNT_OVER_PROFILE");
    assertThat(big.get("rulesVersion").asText()).isEqualTo("replay-sparkov");
    JsonNode pos =
        events.stream().filter(e -> e.get("amount").asText().equals("40.00")).findFirst().get();
    assertThat(pos.get("region").asText()).isEqualTo("US-ME");
    assertThat(pos.get("city").asText()).isEqualTo("US-N44W070");
    assertThat(pos.get("lat").asDouble()).isEqualTo(44.798215);
    assertThat(pos.get("mcc").asText()).isEqualTo("5541");
    assertThat(pos.get("merchantName").asText()).isEqualTo("O'Keefe, Hudson and Sons");
    assertThat(pos.get("homeState").asText()).isEqualTo("ME");

    List<String> labels = Files.readAllLines(root.resolve("labels/decisions/labels.csv"));
    assertThat(labels).hasSize(1 + 3);
    List<String> incidents = Files.readAllLines(root.resolve("labels/decisions/incidents.csv"));
    // Two episodes of card A: five days apart is more than the 72-hour gap.
    assertThat(incidents).hasSize(1 + 2);
    assertThat(incidents.get(1)).startsWith("INC-0001,SPARKOV_FRAUD,actor,card-").endsWith(",1,2");
    assertThat(incidents.get(2)).startsWith("INC-0002,SPARKOV_FRAUD,actor,").endsWith(",1,1");
    JsonNode summary =
        new ObjectMapper().readTree(root.resolve("labels/decisions/summary.json").toFile());
    assertThat(summary.at("/events/unique").asLong()).isEqualTo(10);
    assertThat(summary.at("/source/cards").asInt()).isEqualTo(2);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("imported 10 of 10 rows");
  }

  @Test
  void everyCardNumberIsInAMemoAtPanRateOneAndTheKeyChangesTheIds() throws Exception {
    Path input = sparkovFile();
    Path a = tmp.resolve("a");
    assertThat(
            ImportCommand.run(
                "sparkov",
                "--input",
                input.toString(),
                "--root",
                a.toString(),
                "-q",
                "--pan-rate",
                "1"))
        .isZero();
    List<JsonNode> events = landed(a);
    assertThat(events).allMatch(e -> e.get("memo").asText().matches(".*card [0-9]{12,19}$"));
    Path key = Files.writeString(tmp.resolve("key"), "0123456789abcdef0123456789abcdef\n");
    Path b = tmp.resolve("b");
    assertThat(
            ImportCommand.run(
                "sparkov",
                "--input",
                input.toString(),
                "--root",
                b.toString(),
                "-q",
                "--hash-key-file",
                key.toString()))
        .isZero();
    Set<String> actorsA = new HashSet<>();
    events.forEach(e -> actorsA.add(e.get("actorId").asText()));
    Set<String> actorsB = new HashSet<>();
    landed(b).forEach(e -> actorsB.add(e.get("actorId").asText()));
    assertThat(actorsA).hasSize(2);
    assertThat(actorsB).hasSize(2).doesNotContainAnyElementsOf(actorsA);
  }

  @Test
  void badInputEndsWithOneLineNamingFileAndLine() throws Exception {
    Path noCard = Files.writeString(tmp.resolve("transactions.csv"), "a|b\n1|2\n");
    assertThat(ImportCommand.run("sparkov", "--input", noCard.toString(), "--root", tmp + "/r"))
        .isEqualTo(2);
    assertThat(err())
        .contains("transactions.csv:1: not Sparkov transactions: the header lacks cc_num");
    Path badCat =
        Files.write(
            tmp.resolve("bad.csv"),
            List.of(SPARKOV_HEADER, sparkovRow(CARD_A, "x", T0, "spaceflight", "1.00", 0)));
    assertThat(ImportCommand.run("sparkov", "--input", badCat.toString(), "--root", tmp + "/r"))
        .isEqualTo(2);
    assertThat(err()).contains("bad.csv:2: unknown category 'spaceflight'");
    assertThat(ImportCommand.run("paysim", "--input", tmp + "/nothing", "--root", tmp + "/r"))
        .isEqualTo(2);
    assertThat(err()).contains("--input " + tmp + "/nothing does not exist");
    Path shortKey = Files.writeString(tmp.resolve("k"), "abc");
    assertThat(
            ImportCommand.run(
                "sparkov",
                "--input",
                sparkovFile().toString(),
                "--root",
                tmp + "/r",
                "--hash-key-file",
                shortKey.toString()))
        .isEqualTo(2);
    assertThat(err()).contains("holds 3 bytes: a key needs at least 16");
    assertThat(err()).doesNotContain("\tat ");
  }

  @Test
  void anExistingRootIsRefusedUnlessOverwrite() throws Exception {
    Path root = tmp.resolve("root");
    String input = sparkovFile().toString();
    assertThat(ImportCommand.run("sparkov", "--input", input, "--root", root.toString(), "-q"))
        .isZero();
    assertThat(ImportCommand.run("sparkov", "--input", input, "--root", root.toString(), "-q"))
        .isEqualTo(2);
    assertThat(err()).contains("already holds data").contains("--overwrite");
    assertThat(
            ImportCommand.run(
                "sparkov", "--input", input, "--root", root.toString(), "-q", "--overwrite"))
        .isZero();
    assertThat(landed(root)).hasSize(10);
  }

  @Test
  void paySimTakeOverIsOneIncidentOnTheVictimAndStepsAreHours() throws Exception {
    Path log =
        Files.write(
            tmp.resolve("PS_1_rawLog.csv"),
            List.of(
                "step,action,amount,nameOrig,oldBalanceOrig,newBalanceOrig,nameDest,oldBalanceDest,"
                    + "newBalanceDest,isFraud,isFlaggedFraud,isUnauthorizedOverdraft",
                "1,PAYMENT,12.50,C100,100,87.5,M200,0,0,0,0,0",
                "1,TRANSFER,5000.00,C101,5000,0,CC300,0,5000,1,0,0",
                "1,CASH_OUT,5000.00,CC300,5000,0,M201,0,0,1,0,0",
                "3,CASH_IN,20.00,C100,87.5,107.5,M202,0,0,0,0,0"));
    Path root = tmp.resolve("paysim");
    assertThat(
            ImportCommand.run(
                "paysim",
                "--input",
                tmp.toString(),
                "--root",
                root.toString(),
                "-q",
                "--start",
                "2026-10-01"))
        .as(err())
        .isZero();
    List<JsonNode> events = landed(root);
    assertThat(events).hasSize(4);
    assertThat(events).allMatch(e -> e.get("channel").asText().equals("MOBILE"));
    assertThat(events.toString()).doesNotContain("C100").doesNotContain("CC300");
    List<Long> times = events.stream().map(e -> e.get("eventTime").asLong()).sorted().toList();
    long day = java.time.Instant.parse("2026-10-01T00:00:00Z").toEpochMilli();
    // Step 1's three rows at 1/6, 3/6 and 5/6 of the first hour; step 3's alone mid-hour 3.
    assertThat(times)
        .containsExactly(
            day + 600_000, day + 1_800_000, day + 3_000_000, day + 2 * 3_600_000 + 1_800_000);
    List<String> incidents = Files.readAllLines(root.resolve("labels/decisions/incidents.csv"));
    assertThat(incidents).hasSize(2);
    String victim = KeyedHash.development().id("acct", "C101");
    assertThat(incidents.get(1)).contains(",PAYSIM_FRAUD,actor," + victim + ",").endsWith(",2,2");
    assertThat(Files.readAllLines(root.resolve("labels/decisions/labels.csv"))).hasSize(3);
  }

  /**
   * A series in NAB's layout (data/realTest/NAME) with its labelled windows (a JSON array) in
   * labels/combined_windows.json beside data/.
   */
  Path nabSeries(String name, List<String> lines, String windows) throws Exception {
    Path csv =
        Files.write(Files.createDirectories(tmp.resolve("nab/data/realTest")).resolve(name), lines);
    Files.writeString(
        Files.createDirectories(tmp.resolve("nab/labels")).resolve("combined_windows.json"),
        "{\"realTest/" + name + "\": " + windows + "}");
    return csv;
  }

  @Test
  void nabValuesBecomeHourlyVolumeWithTheWindowsEventsLabelled() throws Exception {
    List<String> series = new ArrayList<>(List.of("timestamp,value"));
    for (int h = 0; h < 48; h++) {
      series.add(
          String.format("2014-01-%02d %02d:00:00,%s", 1 + h / 24, h % 24, h == 30 ? "30" : "10"));
    }
    Path csv =
        nabSeries(
            "spiky.csv",
            series,
            "[[\"2014-01-02 05:00:00.000000\", \"2014-01-02 07:00:00.000000\"]]");
    Path root = tmp.resolve("nabroot");
    assertThat(
            ImportCommand.run(
                "nab",
                "--input",
                csv.toString(),
                "--root",
                root.toString(),
                "-q",
                "--per-hour",
                "4"))
        .as(err())
        .isZero();
    List<JsonNode> events = landed(root);
    // 47 hours at the median (4 each) and the spike at 3x (12).
    assertThat(events).hasSize(47 * 4 + 12);
    assertThat(events).allMatch(e -> e.get("region").asText().equals("NAB-SPIKY"));
    List<String> labels = Files.readAllLines(root.resolve("labels/decisions/labels.csv"));
    // 05:00..07:00 inclusive: hours 05 and 06 (4 + 12) and none of hour 07 (its first is 07:07:30).
    assertThat(labels).hasSize(1 + 16);
    assertThat(labels.subList(1, labels.size())).allMatch(l -> l.contains(",NAB_WINDOW,INC-0001,"));
    assertThat(Files.readAllLines(root.resolve("labels/decisions/incidents.csv")).get(1))
        .startsWith(
            "INC-0001,NAB_WINDOW,region,NAB-SPIKY,2014-01-02T05:00:00Z,2014-01-02T07:00:00Z,");
  }

  @Test
  void nabPointsOutOfOrderAreSortedAndARepeatedTimestampIsTheMeanOfItsValues() throws Exception {
    Path csv =
        nabSeries(
            "quirky.csv",
            List.of(
                "timestamp,value",
                "2014-01-01 00:00:00,10",
                "2014-01-01 02:00:00,10",
                "2014-01-01 01:00:00,10",
                "2014-01-01 03:00:00,10",
                "2014-01-01 03:00:00,30",
                "2014-01-01 04:00:00,10"),
            "[]");
    Path root = tmp.resolve("quirky");
    assertThat(
            ImportCommand.run(
                "nab",
                "--input",
                csv.toString(),
                "--root",
                root.toString(),
                "-q",
                "--per-hour",
                "10"))
        .as(err())
        .isZero();
    // Five hours, the fourth at mean 20 = twice the median: 10 + 10 + 10 + 20 + 10.
    assertThat(landed(root)).hasSize(60);
    JsonNode summary =
        new ObjectMapper().readTree(root.resolve("labels/decisions/summary.json").toFile());
    assertThat(summary.at("/source/pointsRead").asInt()).isEqualTo(6);
    assertThat(summary.at("/source/outOfOrder").asInt()).isEqualTo(1);
    assertThat(summary.at("/source/repeatedTimestampsAveraged").asInt()).isEqualTo(1);
    assertThat(summary.at("/source/points").asInt()).isEqualTo(5);
  }
}
