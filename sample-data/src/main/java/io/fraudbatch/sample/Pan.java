package io.fraudbatch.sample;

/** Primary account numbers for the free-text leaks ingest must mask. */
final class Pan {
  private Pan() {}

  /**
   * A 16-digit Visa-style number (leading 4) that passes the Luhn check, drawn from {@code bits}.
   */
  static String luhnValid(long bits) {
    char[] d = new char[16];
    d[0] = '4';
    long x = Rng.mix(bits);
    for (int i = 1; i < 15; i++) {
      d[i] = (char) ('0' + (int) Math.floorMod(x, 10L));
      x = x / 10 == 0 ? Rng.mix(x + i) : x / 10;
    }
    d[15] = '0';
    int sum = 0;
    for (int i = 0; i < 15; i++) {
      int v = d[14 - i] - '0';
      if (i % 2 == 0) {
        v *= 2;
        if (v > 9) {
          v -= 9;
        }
      }
      sum += v;
    }
    d[15] = (char) ('0' + (10 - sum % 10) % 10);
    return new String(d);
  }

  static boolean passesLuhn(String digits) {
    int sum = 0;
    for (int i = 0; i < digits.length(); i++) {
      int v = digits.charAt(digits.length() - 1 - i) - '0';
      if (i % 2 == 1) {
        v *= 2;
        if (v > 9) {
          v -= 9;
        }
      }
      sum += v;
    }
    return sum % 10 == 0;
  }
}
