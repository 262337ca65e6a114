package io.fraudbatch.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudbatch.avro.DecisionEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streaming decoder against the tree-model decoder it replaced (kept as its fallback): the same
 * event, or the same problems with the same words, for valid bodies of every shape, hostile ones,
 * and thousands of bodies damaged byte by byte.
 */
class DecisionEventJsonStreamingTest {

  private static final String V2 = DecisionEventJsonTest.V2;

  private static final String V1 =
      "{\"eventId\":\"e-2\",\"actorId\":\"A-9\",\"eventTime\":1760000000000,\"channel\":\"POS\","
          + "\"amount\":1200,\"currency\":\"JPY\",\"decision\":\"APPROVED\",\"reasons\":[]}";

  private static void same(String body) {
    same(body.getBytes(StandardCharsets.UTF_8));
  }

  private static void same(byte[] body) {
    DecodeResult streamed = DecisionEventJson.decode(body, 0, body.length);
    DecodeResult tree = DecisionEventJson.decodeTree(body, 0, body.length);
    String shown = new String(body, StandardCharsets.UTF_8);
    assertThat(streamed.isValid()).as(shown).isEqualTo(tree.isValid());
    if (tree.isValid()) {
      assertThat(streamed.event()).as(shown).isEqualTo(tree.event());
      // The id pass of ingest finds the same id without decoding the body.
      assertThat(DecisionEventJson.eventId(body, 0, body.length))
          .as(shown)
          .isEqualTo(tree.event().getEventId());
    } else {
      assertThat(streamed.problems()).as(shown).isEqualTo(tree.problems());
    }
  }

  @Test
  void validBodiesOfEveryShapeGiveTheSameEvent() {
    List<String> bodies =
        List.of(
            V2,
            V1,
            V2.replace("\"amount\":\"12.30\"", "\"amount\":12.3"),
            V2.replace("\"amount\":\"12.30\"", "\"amount\":1.23E1"),
            V2.replace("\"lat\":37.3382", "\"lat\":37")
                .replace("\"lon\":-121.8863", "\"lon\":-121"),
            V2.replace("\"score\":0.71", "\"score\":7.1e-1"),
            V2.replace("\"city\":\"San Jose\"", "\"city\":\"S\\u00e3o Paulo \\\"centro\\\"\""),
            V2.replace("\"city\":\"San Jose\"", "\"city\":\"Zürich\""),
            V2.replace("\"ip\":\"73.12.4.9\"", "\"ip\":\"2001:db8::1\""),
            V2.replace("\"mcc\":\"5411\"", "\"mcc\":null"),
            V2.replace("}", ",\"tier\":\"gold\",\"n\":3,\"f\":1.50,\"b\":true,\"z\":null}"),
            V2.replace("}", ",\"big\":123456789012345678901234567890}"),
            V2.replace("}", ",\"flat\":[1,\"a\",null,2.50]}"),
            V2.replace("{\"eventId\"", "{\"\\u0078\":1,\"eventId\""),
            "  " + V2 + " \n");
    bodies.forEach(DecisionEventJsonStreamingTest::same);
    assertThat(DecisionEventJson.decode(bodies.get(10)).event().getExtraFields())
        .containsExactly(
            java.util.Map.entry("tier", "\"gold\""),
            java.util.Map.entry("n", "3"),
            java.util.Map.entry("f", "1.50"),
            java.util.Map.entry("b", "true"),
            java.util.Map.entry("z", "null"));
  }

  @Test
  void theIdScanFindsTheDecodedIdWhereverItIsAndSaysNullOnlyForInvalidBodies() {
    String last = V2.replace("\"eventId\":\"e-1\",", "").replace("}", ",\"eventId\":\"e-1\"}");
    String escaped = V2.replace("\"eventId\":\"e-1\"", "\"event\\u0049d\":\"e\\u002d1\"");
    String afterNested = "{\"o\":{\"eventId\":\"inner\"}," + V2.substring(1);
    for (String body : List.of(V2, last, escaped)) {
      assertThat(DecisionEventJson.decode(body).isValid()).as(body).isTrue();
      byte[] b = ("xx" + body + "yy").getBytes(StandardCharsets.UTF_8);
      assertThat(DecisionEventJson.eventId(b, 2, b.length - 4)).as(body).isEqualTo("e-1");
    }
    // Nested values send the body to the tree decoder, which finds it invalid; the scan still
    // skips the nested object's field.
    assertThat(
            DecisionEventJson.eventId(
                afterNested.getBytes(StandardCharsets.UTF_8), 0, afterNested.length()))
        .isIn("e-1", null);
    for (String bad : List.of("", "[]", "{\"eventId\":7}", "{\"a\":", "\u0000\u0000\u0000\u0001")) {
      byte[] b = bad.getBytes(StandardCharsets.UTF_8);
      assertThat(DecisionEventJson.eventId(b, 0, b.length)).as(bad).isNull();
    }
  }

  @Test
  void hostileBodiesGiveTheSameProblems() {
    List<String> bodies =
        List.of(
            "",
            " ",
            "null",
            "[]",
            "\"text\"",
            "42",
            "{}",
            V2 + "x",
            V2 + "{}",
            V2.substring(0, V2.length() - 1),
            V2.replace("\"channel\":\"WEB\"", "\"channel\":\"WEB\",\"channel\":\"POS\""),
            V2.replace("}", ",\"x\":1,\"x\":2}"),
            V2.replace("\"reasons\":[\"NEW_LOCATION\",", "\"reasons\":[[\"NEW_LOCATION\"],"),
            V2.replace("\"reasons\":[\"NEW_LOCATION\",", "\"reasons\":[{\"a\":1},"),
            V2.replace("\"reasons\":[\"NEW_LOCATION\",", "\"reasons\":[7,"),
            V2.replace(
                "\"reasons\":[\"NEW_LOCATION\",\"AMOUNT_OVER_PROFILE\"]", "\"reasons\":\"X\""),
            V2.replace("}", ",\"nested\":{\"a\":[1,{\"b\":2}]}}"),
            V2.replace("\"amount\":\"12.30\"", "\"amount\":{\"v\":1}"),
            V2.replace("\"amount\":\"12.30\"", "\"amount\":\"12.345\""),
            V2.replace("\"amount\":\"12.30\"", "\"amount\":-1"),
            V2.replace("\"amount\":\"12.30\"", "\"amount\":1e400"),
            V2.replace("\"eventTime\":1760000000000", "\"eventTime\":1.7e12"),
            V2.replace("\"eventTime\":1760000000000", "\"eventTime\":99999999999999999999999"),
            V2.replace("\"eventTime\":1760000000000", "\"eventTime\":\"1760000000000\""),
            V2.replace("\"eventTime\":1760000000000", "\"eventTime\":true"),
            V2.replace("\"lat\":37.3382", "\"lat\":91.5"),
            V2.replace("\"lat\":37.3382,", ""),
            V2.replace("\"score\":0.71", "\"score\":\"high\""),
            V2.replace("\"actorId\":\"C00000001\"", "\"actorId\":\"C 1\""),
            V2.replace("\"actorId\":\"C00000001\"", "\"actorId\":\"\""),
            V2.replace("\"country\":\"US\"", "\"country\":\"XX\""),
            V2.replace("\"ip\":\"73.12.4.9\"", "\"ip\":\"073.12.4.9\""),
            V2.replace("\"ip\":\"73.12.4.9\"", "\"ip\":\"256.1.1.1\""),
            V2.replace("\"decision\":\"REVIEW\"", "\"decision\":\"MAYBE\""),
            V2.replace("\"decidedAt\":1760000000042", "\"decidedAt\":1750000000000"),
            V2.replace("\"eventId\"", "\"event\\u0000Id\""),
            V2.replace(":", " : ").replace(",", " ,\n"),
            "{\"a\":1 \"b\":2}",
            "{'eventId':'x'}",
            "{\"eventId\":\"e\u0001\"}");
    bodies.forEach(DecisionEventJsonStreamingTest::same);
  }

  @Test
  void bodiesDamagedByteByByteGiveTheSameResult() {
    Random rnd = new Random(17);
    byte[][] seeds = {
      V2.getBytes(StandardCharsets.UTF_8),
      V1.getBytes(StandardCharsets.UTF_8),
      V2.replace("}", ",\"extra\":[1,2],\"o\":{\"k\":\"v\"}}").getBytes(StandardCharsets.UTF_8)
    };
    byte[] alphabet = "{}[]\":,.-+eE0129 \\ntruefalsnul\u00e9xA_".getBytes(StandardCharsets.UTF_8);
    int valid = 0;
    for (int i = 0; i < 20_000; i++) {
      List<Byte> b = new ArrayList<>();
      for (byte x : seeds[i % seeds.length]) {
        b.add(x);
      }
      for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
        int at = rnd.nextInt(b.size());
        byte with =
            rnd.nextInt(8) == 0 ? (byte) rnd.nextInt(256) : alphabet[rnd.nextInt(alphabet.length)];
        switch (rnd.nextInt(3)) {
          case 0 -> b.remove(at);
          case 1 -> b.add(at, with);
          default -> b.set(at, with);
        }
      }
      byte[] body = new byte[b.size()];
      for (int j = 0; j < body.length; j++) {
        body[j] = b.get(j);
      }
      same(body);
      if (DecisionEventJson.decode(body, 0, body.length).isValid()) {
        valid++;
      }
    }
    // Both outcomes are exercised: many damaged bodies still decode, many do not.
    assertThat(valid).isBetween(1_000, 19_000);
  }

  @Test
  void anEventDecodedByEitherPathEncodesBackTheSame() {
    DecisionEvent e = DecisionEventJson.decode(V2).event();
    String again = DecisionEventJson.encode(e, LandingSchemaVersion.V2);
    same(again);
    assertThat(DecisionEventJson.decode(again).event()).isEqualTo(e);
  }
}
