package io.fraudbatch.sample;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PanTest {
  @Test
  void generatedNumbersPassLuhnAndLookLikeVisa() {
    for (long k = 0; k < 2_000; k++) {
      String pan = Pan.luhnValid(k * 7919);
      assertThat(pan).hasSize(16).startsWith("4").containsOnlyDigits();
      assertThat(Pan.passesLuhn(pan)).isTrue();
    }
  }

  @Test
  void luhnRejectsASingleDigitChange() {
    assertThat(Pan.passesLuhn("4111111111111111")).isTrue();
    assertThat(Pan.passesLuhn("4111111111111112")).isFalse();
    assertThat(Pan.passesLuhn("79927398713")).isTrue();
  }
}
