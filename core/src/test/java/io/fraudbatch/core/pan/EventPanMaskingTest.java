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

  @Test
  void masksStringFieldsAndStringsInsideUnknownFieldsButNotNumbers() {
    DecisionEvent e =
        event(
            "4111111111111111",
            ",\"memo\":\"card 5555555555554444 disputed\",\"authTs\":1760000000000,\"n\":4111111111111111");
    int changed = EventPanMasking.mask(e);
    assertThat(changed).isEqualTo(2);
    assertThat(e.getActorId()).isEqualTo("************1111");
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
    assertThat(EventPanMasking.mask(e)).isZero();
    assertThat(e).isEqualTo(copy);
  }

  @Test
  void escapedQuotesInsideStringsDoNotConfuseTheScanner() {
    String json = "{\"a\":\"say \\\"4111111111111111\\\" ok\",\"b\":4111111111111111}";
    assertThat(EventPanMasking.maskJsonStrings(json))
        .isEqualTo("{\"a\":\"say \\\"************1111\\\" ok\",\"b\":4111111111111111}");
  }
}
