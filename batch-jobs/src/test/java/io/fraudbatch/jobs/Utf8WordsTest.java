package io.fraudbatch.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

class Utf8WordsTest {
  @Test
  void repeatedValuesShareOneStringAndNeverGoStale() {
    Utf8Words words = new Utf8Words(2); // four slots: most of the values below collide
    byte[] buffer = new byte[64];
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 50; i++) {
        String value = i % 7 == 0 ? "Zürich-" + i : "v" + (i * 31);
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        // The same reused buffer for every value, as Spark's rows reuse theirs.
        System.arraycopy(b, 0, buffer, 3, b.length);
        UTF8String s = UTF8String.fromBytes(buffer, 3, b.length);
        assertThat(words.get(s)).isEqualTo(value);
        assertThat(words.get(s)).isSameAs(words.get(s));
      }
    }
    assertThat(words.get(null)).isNull();
    String longValue = "x".repeat(Utf8Words.MAX_BYTES + 1);
    assertThat(words.get(UTF8String.fromString(longValue))).isEqualTo(longValue);
  }
}
