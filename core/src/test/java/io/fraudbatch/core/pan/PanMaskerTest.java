package io.fraudbatch.core.pan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PanMaskerTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "card 4111111111111111 disputed       | card ************1111 disputed",
        "4111 1111 1111 1111                  | **** **** **** 1111",
        "4111-1111-1111-1111                  | ****-****-****-1111",
        "amex 378282246310005.                | amex ***********0005.",
        "13 digits 4222222222222 ok           | 13 digits *********2222 ok",
        "maestro 501800000009 (12 digits)     | maestro ********0009 (12 digits)",
        "19 digits 6011000000000000001 end    | 19 digits ***************0001 end",
        "two 4111111111111111 and 5555555555554444 | two ************1111 and ************4444",
      })
  void masksLuhnValidRunsKeepingTheLastFour(String in, String expected) {
    assertThat(PanMasker.mask(in)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not luhn 4111111111111112",
        "too short 41111111112",
        "order 2026-10-01 ref 12345",
        "phone +1 415 555 0100",
        "no digits at all here, none",
        "uuid 3f2a1b9c-4111-4111-8111-111111111111",
        "uuid a1b2c3d4-5678-4123-9123-456789abcdef",
        "grouped oddly 41-1111111-1111111",
        "hash 79ad4111111111111111777b",
        "event spk-79ad4111111111111111777b",
        "id acct-5555555555554444",
        "id 5555555555554444_x",
      })
  void leavesEverythingElseAlone(String in) {
    assertThat(PanMasker.mask(in)).isSameAs(in);
    assertThat(PanMasker.containsPan(in)).isFalse();
  }

  @Test
  void digitRunsLongerThanAPanAreNotMasked() {
    // 20 digits: an order or reference number, even though a Luhn-valid 16-digit tail sits in it.
    String s = "ref 94111111111111111";
    assertThat(PanMasker.mask(s)).isSameAs(s);
  }

  @Test
  void nullAndShortStringsPassThrough() {
    assertThat(PanMasker.mask(null)).isNull();
    assertThat(PanMasker.mask("4111")).isEqualTo("4111");
  }
}
