package io.fraudbatch.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudbatch.avro.DecisionEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class DecisionEventJsonTest {

  /** A V2 body with every field (also the seed of {@code DecisionEventJsonStreamingTest}). */
  static final String V2 =
      "{\"eventId\":\"e-1\",\"actorId\":\"C00000001\",\"eventTime\":1760000000000,"
          + "\"channel\":\"WEB\",\"amount\":\"12.30\",\"currency\":\"USD\",\"merchantId\":\"M1\","
          + "\"mcc\":\"5411\",\"country\":\"US\",\"region\":\"US-CA\",\"city\":\"San Jose\","
          + "\"lat\":37.3382,\"lon\":-121.8863,\"ip\":\"73.12.4.9\",\"deviceId\":\"d-9\","
          + "\"decision\":\"REVIEW\",\"reasons\":[\"NEW_LOCATION\",\"AMOUNT_OVER_PROFILE\"],"
          + "\"score\":0.71,\"rulesVersion\":\"r-2026.10\",\"decidedAt\":1760000000042}";

  private static String with(String field, String jsonValue) {
    String replaced =
        V2.replaceFirst(
            "\"" + field + "\":(\"[^\"]*\"|\\[[^\\]]*\\]|[-0-9.]+)",
            "\"" + field + "\":" + jsonValue);
    assertThat(replaced).as("test fixture must contain %s", field).isNotEqualTo(V2);
    return replaced;
  }

  private static String without(String field) {
    String value = "(\"[^\"]*\"|\\[[^\\]]*\\]|[-0-9.]+)";
    String removed =
        V2.replaceFirst(",\"" + field + "\":" + value, "")
            .replaceFirst("\\{\"" + field + "\":" + value + ",", "{");
    assertThat(removed).as("test fixture must contain %s", field).isNotEqualTo(V2);
    return removed;
  }

  private static RecordProblem onlyProblem(String json) {
    DecodeResult r = DecisionEventJson.decode(json);
    assertThat(r.isValid()).as("expected invalid: %s", json).isFalse();
    assertThat(r.problems()).hasSize(1);
    return r.problems().get(0);
  }

  @Test
  void bodiesJacksonTakesForUtf32AreMalformedNotACrash() {
    // Zero bytes in front of a record (seen in landing files replayed as JSON lines): Jackson's
    // encoding detection reads them as UTF-32 of an odd byte order, or as invalid UTF-32.
    for (String hex : List.of("00f7000001387b22", "0000000138 7b2265")) {
      byte[] head = java.util.HexFormat.of().parseHex(hex.replace(" ", ""));
      byte[] body = new byte[head.length + V2.length()];
      System.arraycopy(head, 0, body, 0, head.length);
      byte[] json = V2.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      System.arraycopy(json, 0, body, head.length, json.length);
      DecodeResult r = DecisionEventJson.decode(body, 0, body.length);
      assertThat(r.isValid()).isFalse();
      assertThat(r.problems()).hasSize(1);
      assertThat(r.problems().get(0).problem()).isEqualTo(Problem.MALFORMED_JSON);
      assertThat(r.problems().get(0).message()).startsWith("not valid UTF-8 JSON: ");
    }
  }

  @Test
  void anAmountBeyondADoublesRangeIsOutOfRangeNotACrash() {
    // Jackson keeps such a fraction as an infinite double, which has no decimal value.
    RecordProblem p = onlyProblem(with("amount", "1e400"));
    assertThat(p.field()).isEqualTo("amount");
    assertThat(p.problem()).isEqualTo(Problem.OUT_OF_RANGE);
    assertThat(p.value()).isEqualTo("Infinity");
    assertThat(onlyProblem(with("amount", "-1e400")).message()).isEqualTo("must not be negative");
    assertThat(DecisionEventJson.decode(with("amount", "1e11")).isValid()).isTrue();
  }

  @Test
  void decodesEveryFieldOfAV2Record() {
    DecisionEvent e = DecisionEventJson.decode(V2).event();
    assertThat(e.getEventId()).isEqualTo("e-1");
    assertThat(e.getActorId()).isEqualTo("C00000001");
    assertThat(e.getEventTime()).isEqualTo(Instant.ofEpochMilli(1760000000000L));
    assertThat(e.getChannel()).isEqualTo("WEB");
    assertThat(e.getAmount()).isEqualTo(new BigDecimal("12.3000"));
    assertThat(e.getCurrency()).isEqualTo("USD");
    assertThat(e.getMcc()).isEqualTo("5411");
    assertThat(e.getRegion()).isEqualTo("US-CA");
    assertThat(e.getLat()).isEqualTo(37.3382);
    assertThat(e.getLon()).isEqualTo(-121.8863);
    assertThat(e.getDeviceId()).isEqualTo("d-9");
    assertThat(e.getDecision()).isEqualTo("REVIEW");
    assertThat(e.getReasons()).containsExactly("NEW_LOCATION", "AMOUNT_OVER_PROFILE");
    assertThat(e.getScore()).isEqualTo(0.71);
    assertThat(e.getDecidedAt()).isEqualTo(Instant.ofEpochMilli(1760000000042L));
    assertThat(e.getExtraFields()).isEmpty();
  }

  @Test
  void amountAsJsonNumberIsReadExactlyNotAsBinaryFloat() {
    // 0.1 + 0.2 style values must survive: a double would give 1234567.8899999999.
    DecisionEvent e = DecisionEventJson.decode(with("amount", "1234567.89")).event();
    assertThat(e.getAmount()).isEqualByComparingTo("1234567.89");
    assertThat(e.getAmount().scale()).isEqualTo(DecisionEventJson.AMOUNT_SCALE);
  }

  @Test
  void v1RecordWithoutTheNewFieldsIsValid() {
    String v1 = V2;
    for (String f : List.of("deviceId", "score", "rulesVersion", "decidedAt")) {
      v1 = v1.replaceFirst(",\"" + f + "\":(\"[^\"]*\"|[-0-9.]+)", "");
    }
    DecisionEvent e = DecisionEventJson.decode(v1).event();
    assertThat(e.getDeviceId()).isNull();
    assertThat(e.getScore()).isNull();
    assertThat(e.getDecidedAt()).isNull();
  }

  @Test
  void unknownFieldsAreKeptNotRejected() {
    String json = V2.replace("}", ",\"authCode\":\"A1B2\",\"risk\":{\"tags\":[1,2]}}");
    DecisionEvent e = DecisionEventJson.decode(json).event();
    assertThat(e.getExtraFields())
        .containsEntry("authCode", "\"A1B2\"")
        .containsEntry("risk", "{\"tags\":[1,2]}");
  }

  @ParameterizedTest
  @EnumSource(LandingSchemaVersion.class)
  void encodeThenDecodeGivesTheSameEvent(LandingSchemaVersion version) {
    DecisionEvent original =
        DecisionEventJson.decode(V2.replace("}", ",\"memo\":\"tab\\there\"}")).event();
    DecisionEvent back =
        DecisionEventJson.decode(DecisionEventJson.encode(original, version)).event();
    if (version == LandingSchemaVersion.V2) {
      assertThat(back).isEqualTo(original);
    } else {
      assertThat(back.getDeviceId()).isNull();
      assertThat(back.getScore()).isNull();
      assertThat(back.getRulesVersion()).isNull();
      assertThat(back.getDecidedAt()).isNull();
      assertThat(back.getAmount()).isEqualTo(original.getAmount());
      assertThat(back.getReasons()).isEqualTo(original.getReasons());
      assertThat(back.getExtraFields()).isEqualTo(original.getExtraFields());
    }
  }

  @Test
  void v1WritesAmountAsANumberAndV2AsAString() {
    DecisionEvent e = DecisionEventJson.decode(V2).event();
    assertThat(DecisionEventJson.encode(e, LandingSchemaVersion.V1)).contains("\"amount\":12.30,");
    assertThat(DecisionEventJson.encode(e, LandingSchemaVersion.V2))
        .contains("\"amount\":\"12.30\",");
  }

  @Test
  void truncatedBodyIsMalformedJson() {
    RecordProblem p = onlyProblem(V2.substring(0, 57));
    assertThat(p.problem()).isEqualTo(Problem.MALFORMED_JSON);
    assertThat(p.field()).isEqualTo("$");
    assertThat(p.value()).startsWith("{\"eventId\":\"e-1\"");
  }

  @Test
  void duplicateKeysAndTrailingGarbageAreMalformed() {
    assertThat(onlyProblem(V2.replace("{", "{\"eventId\":\"x\",")).problem())
        .isEqualTo(Problem.MALFORMED_JSON);
    assertThat(onlyProblem(V2 + " {}").problem()).isEqualTo(Problem.MALFORMED_JSON);
    assertThat(onlyProblem("[1,2]").problem()).isEqualTo(Problem.NOT_AN_OBJECT);
    assertThat(onlyProblem("").problem()).isEqualTo(Problem.MALFORMED_JSON);
  }

  @Test
  void invalidUtf8IsMalformed() {
    byte[] body = V2.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    body[20] = (byte) 0xC3; // a lead byte without its continuation
    body[21] = (byte) 0x28;
    assertThat(DecisionEventJson.decode(body).primaryProblem()).isEqualTo(Problem.MALFORMED_JSON);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "eventId   | MISSING_FIELD |",
        "actorId   | MISSING_FIELD |",
        "eventTime | MISSING_FIELD |",
        "channel   | MISSING_FIELD |",
        "amount    | MISSING_FIELD |",
        "currency  | MISSING_FIELD |",
        "decision  | MISSING_FIELD |"
      })
  void everyRequiredFieldIsReportedByName(String field, Problem expected, String ignored) {
    RecordProblem p = onlyProblem(without(field));
    assertThat(p.field()).isEqualTo(field);
    assertThat(p.problem()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "eventTime | `\"1760000000000\"`  | WRONG_TYPE    | integer number of epoch milliseconds",
        "eventTime | 1760000000000.5      | WRONG_TYPE    | integer number",
        "eventTime | 17600000             | OUT_OF_RANGE  | between 2000-01-01 and 2100-01-01",
        "amount    | `\"-3.00\"`          | OUT_OF_RANGE  | must not be negative",
        "amount    | `\"12.345\"`         | INVALID_VALUE | has 3 decimal places; USD allows 2",
        "amount    | `\"twelve\"`         | INVALID_VALUE | must be a decimal number",
        "amount    | `[12]`               | WRONG_TYPE    | not an array",
        "amount    | `\"2000000000000\"`  | OUT_OF_RANGE  | must not exceed",
        "currency  | `\"XYZ\"`            | INVALID_VALUE | ISO 4217",
        "decision  | `\"MAYBE\"`          | INVALID_VALUE | APPROVED, DENIED, REVIEW",
        "channel   | `\"web\"`            | INVALID_VALUE | upper-case token",
        "mcc       | `\"54x1\"`           | INVALID_VALUE | four digits",
        "country   | `\"XX\"`             | INVALID_VALUE | ISO 3166-1",
        "lat       | 91.5                 | OUT_OF_RANGE  | between -90",
        "ip        | `\"999.1.1.1\"`      | INVALID_VALUE | IPv4 or IPv6",
        "reasons   | `\"NEW_LOCATION\"`   | WRONG_TYPE    | array of rule codes",
        "reasons   | `[\"ok\", 3]`        | INVALID_VALUE | upper-case rule code",
        "decidedAt | 1750000000000        | OUT_OF_RANGE  | more than a day before eventTime",
        "eventId   | `\"has space\"`      | INVALID_VALUE | printable ASCII",
      })
  void badValuesNameTheFieldTheValueAndTheRule(
      String field, String json, Problem expected, String messagePart) {
    RecordProblem p = onlyProblem(with(field, json));
    assertThat(p.field()).isEqualTo(field);
    assertThat(p.problem()).isEqualTo(expected);
    assertThat(p.message()).contains(messagePart);
    assertThat(p.toString()).startsWith(field + ": ").contains("(got ");
  }

  @Test
  void currencyMinorUnitsDecideTheAllowedScale() {
    assertThat(
            DecisionEventJson.decode(with("currency", "\"JPY\"").replace("12.30", "1230"))
                .isValid())
        .isTrue();
    assertThat(onlyProblem(with("currency", "\"JPY\"")).message()).contains("JPY allows 0");
    assertThat(
            DecisionEventJson.decode(with("currency", "\"BHD\"").replace("12.30", "1.234"))
                .isValid())
        .isTrue();
  }

  @Test
  void everyProblemOfARecordIsReportedAtOnce() {
    String json = with("decision", "\"MAYBE\"").replace("\"channel\":\"WEB\"", "\"channel\":7");
    DecodeResult r = DecisionEventJson.decode(json);
    assertThat(r.problems())
        .extracting(RecordProblem::field)
        .containsExactly("channel", "decision");
    assertThat(r.describe()).contains("channel: must be a string, not a number (got 7)");
    assertThatThrownBy(r::event)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("decision: must be one of");
  }

  @Test
  void latWithoutLonIsReported() {
    RecordProblem p = onlyProblem(without("lon"));
    assertThat(p.field()).isEqualTo("lon");
    assertThat(p.problem()).isEqualTo(Problem.MISSING_FIELD);
  }

  @Test
  void longValuesAreShortenedInProblems() {
    String longId = "x".repeat(300);
    RecordProblem p = onlyProblem(with("eventId", "\"" + longId + "\""));
    assertThat(p.value()).hasSizeLessThan(120).contains("(300 chars)");
  }

  @Test
  void ipv6LiteralsAreAcceptedWithoutAnyLookup() {
    assertThat(DecisionEventJson.decode(with("ip", "\"2001:db8::1\"")).isValid()).isTrue();
    assertThat(onlyProblem(with("ip", "\"example.org\"")).field()).isEqualTo("ip");
  }
}
