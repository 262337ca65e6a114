package io.fraudbatch.core.event;

/**
 * The landing contract's token shapes, checked char by char: each method matches exactly the
 * strings its regular expression (in its comment) matches, which {@code LandingTokensTest} checks
 * against the expression itself. The matchers of those expressions were a fifth of decoding a
 * record, and decoding a third of ingest's CPU (bench/README.md).
 */
final class LandingTokens {
  private LandingTokens() {}

  /** {@code [\x21-\x7E]{1,max}}: printable ASCII without spaces. */
  static boolean isId(String s, int max) {
    int n = s.length();
    if (n == 0 || n > max) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x21 || c > 0x7E) {
        return false;
      }
    }
    return true;
  }

  /** {@code [A-Z][A-Z0-9_]{0,31}}: an upper-case code like POS or NEW_LOCATION. */
  static boolean isToken(String s) {
    int n = s.length();
    if (n == 0 || n > 32 || !upper(s.charAt(0))) {
      return false;
    }
    for (int i = 1; i < n; i++) {
      char c = s.charAt(i);
      if (!upper(c) && !digit(c) && c != '_') {
        return false;
      }
    }
    return true;
  }

  /** {@code \d{n}}: exactly n ASCII digits. */
  static boolean isDigits(String s, int n) {
    if (s.length() != n) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (!digit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** {@code [A-Z]{n}}: exactly n ASCII upper-case letters. */
  static boolean isUpper(String s, int n) {
    if (s.length() != n) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (!upper(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code ((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)}: four decimal
   * octets 0-255 without leading zeros.
   */
  static boolean isIpv4(String s) {
    int n = s.length();
    int i = 0;
    for (int octet = 0; octet < 4; octet++) {
      if (octet > 0) {
        if (i >= n || s.charAt(i) != '.') {
          return false;
        }
        i++;
      }
      int start = i;
      int value = 0;
      while (i < n && i - start < 3 && digit(s.charAt(i))) {
        value = value * 10 + (s.charAt(i) - '0');
        i++;
      }
      int digits = i - start;
      if (digits == 0 || value > 255 || (digits > 1 && s.charAt(start) == '0')) {
        return false;
      }
    }
    return i == n;
  }

  private static boolean upper(char c) {
    return c >= 'A' && c <= 'Z';
  }

  private static boolean digit(char c) {
    return c >= '0' && c <= '9';
  }
}
