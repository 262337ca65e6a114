package io.fraudbatch.core.pan;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudbatch.avro.DecisionEvent;
import io.fraudbatch.core.event.DecisionEventJson;
import org.junit.jupiter.api.Test;

class EventPanMaskingTest {
  private static DecisionEvent event(String actor, String extra) {
    return DecisionEventJson.decode(
            "{\"eventId\":\"e1\",\"actorId\":\""
                + actor
                + "\",\"eventTime\":1760000000000,"
                + "\"channel\":\"POS\",\"amount\":\"1.00\",\"currency\":\"USD\",\"decision\":\"APPROVED\""
                + extra
                + "}")
        .event();
  }

  static final PanTokens TOKENS = new PanTokens("0123456789abcdef-test".getBytes());

  @Test
  void tokenisesIdsThatAreCardsAndMasksFreeTextButNotNumbers() {
    DecisionEvent e =
        event(
            "4111111111111111",
            ",\"memo\":\"card 5555555555554444 disputed\",\"authTs\":1760000000000,\"n\":4111111111111111");
    int changed = EventPanMasking.mask(e, TOKENS);
    assertThat(changed).isEqualTo(2);
    // The same card is the same token (dedup and joins still work), another key another token.
    assertThat(e.getActorId())
        .startsWith("pan-")
        .hasSize(28)
        .isEqualTo(TOKENS.token("4111-1111-1111-1111"))
        .isNotEqualTo(new PanTokens("another key, 16+ bytes".getBytes()).token("4111111111111111"));
    assertThat(e.getExtraFields().get("memo")).isEqualTo("\"card ************4444 disputed\"");
    // Numbers are not string fields: left as they are.
    assertThat(e.getExtraFields().get("authTs")).isEqualTo("1760000000000");
    assertThat(e.getExtraFields().get("n")).isEqualTo("4111111111111111");
    assertThat(e.getEventTime().toEpochMilli()).isEqualTo(1760000000000L);
  }

  @Test
  void aCleanEventIsUntouched() {
    DecisionEvent e = event("C0001", ",\"memo\":\"all fine\"");
    DecisionEvent copy = DecisionEvent.newBuilder(e).build();
    assertThat(EventPanMasking.mask(e, TOKENS)).isZero();
    assertThat(e).isEqualTo(copy);
  }

  @Test
  void escapedQuotesInsideStringsDoNotConfuseTheScanner() {
    String json = "{\"a\":\"say \\\"4111111111111111\\\" ok\",\"b\":4111111111111111}";
    assertThat(EventPanMasking.maskJsonStrings(json))
        .isEqualTo("{\"a\":\"say \\\"************1111\\\" ok\",\"b\":4111111111111111}");
  }

  @Test
  void identifiersAreNeverPartiallyMasked() {
    // Hashed ids whose hex digits hold a Luhn-valid run (Sparkov and PaySim replays had them).
    String hashed = "spk-79ad4111111111111111777b";
    DecisionEvent e = event("acct-5555555555554444ab", ",\"memo\":\"see 4111111111111111\"");
    e.setEventId(hashed);
    e.setMerchantId("m-601100000000000412");
    e.setDeviceId("4111111111111112"); // not Luhn-valid: an ordinary number
    EventPanMasking.mask(e, TOKENS);
    assertThat(e.getEventId()).isEqualTo(hashed);
    assertThat(e.getActorId()).isEqualTo("acct-5555555555554444ab");
    assertThat(e.getMerchantId()).isEqualTo("m-601100000000000412");
    assertThat(e.getDeviceId()).isEqualTo("4111111111111112");
    assertThat(e.getExtraFields().get("memo")).isEqualTo("\"see ************1111\"");
  }

  @Test
  void aShortKeyIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PanTokens(new byte[8]))
        .hasMessageContaining("at least 16 bytes (got 8)");
  }
}
