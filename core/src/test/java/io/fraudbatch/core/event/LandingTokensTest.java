package io.fraudbatch.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Each hand-written check matches exactly what its regular expression matches. */
class LandingTokensTest {

  private static final String ALPHABET = "0123456789.:_AZaz \t~!\u007f\u00e9-";

  private static void sameAs(String regex, Predicate<String> check, String... edges) {
    sameAs(regex, ALPHABET, check, edges);
  }

  /** Edge cases, then random strings over {@code alphabet}, some matching. */
  private static void sameAs(
      String regex, String alphabet, Predicate<String> check, String... edges) {
    Pattern p = Pattern.compile(regex);
    for (String s : edges) {
      assertThat(check.test(s)).as("%s on '%s'", regex, s).isEqualTo(p.matcher(s).matches());
    }
    Random rnd = new Random(regex.hashCode());
    int matched = 0;
    for (int i = 0; i < 200_000; i++) {
      StringBuilder sb = new StringBuilder();
      int n = rnd.nextInt(i % 2 == 0 ? 6 : 40);
      for (int k = 0; k < n; k++) {
        sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
      }
      String s = sb.toString();
      boolean expected = p.matcher(s).matches();
      assertThat(check.test(s)).as("%s on '%s'", regex, s).isEqualTo(expected);
      if (expected) {
        matched++;
      }
    }
    assertThat(matched).as("random strings matching %s", regex).isPositive();
  }

  @Test
  void idsArePrintableAsciiWithoutSpaces() {
    sameAs(
        "[\\x21-\\x7E]{1,128}",
        s -> LandingTokens.isId(s, 128),
        "",
        "a",
        "a b",
        "x".repeat(128),
        "x".repeat(129),
        "\u00e9",
        "~!");
  }

  @Test
  void tokensAreUpperCaseCodes() {
    sameAs(
        "[A-Z][A-Z0-9_]{0,31}",
        LandingTokens::isToken,
        "",
        "A",
        "_A",
        "9A",
        "NEW_LOCATION",
        "A" + "B".repeat(31),
        "A" + "B".repeat(32),
        "a");
  }

  @Test
  void digitsAndLetters() {
    sameAs("\\d{4}", s -> LandingTokens.isDigits(s, 4), "5411", "541", "54111", "54a1", "");
    sameAs("[A-Z]{3}", s -> LandingTokens.isUpper(s, 3), "USD", "US", "USDX", "usd", "U$D");
    sameAs("[A-Z]{2}", s -> LandingTokens.isUpper(s, 2), "US", "U", "USA", "u1");
  }

  @Test
  void ipv4AddressesHaveFourOctetsWithoutLeadingZeros() {
    sameAs(
        "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)",
        "0122556789...x", // digits and dots mostly: addresses, near misses
        LandingTokens::isIpv4,
        "0.0.0.0",
        "255.255.255.255",
        "256.1.1.1",
        "1.1.1.01",
        "01.1.1.1",
        "1.1.1",
        "1.1.1.1.",
        ".1.1.1.1",
        "1..1.1",
        "1.1.1.1.1",
        "199.249.250.251",
        "1234.1.1.1",
        "73.12.4.9",
        "");
  }
}
