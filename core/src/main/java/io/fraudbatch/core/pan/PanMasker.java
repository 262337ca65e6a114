package io.fraudbatch.core.pan;

/**
 * Masks primary account numbers in free text: any whole run of 12–19 digits (optionally grouped by
 * single spaces or dashes, as people type them) that passes the Luhn check keeps its last four
 * digits and has every other digit replaced by {@code *}. Separators are kept, so the text keeps
 * its shape. A digit run inside an alphanumeric token (a hex hash, a UUID, {@code spk-79ad…5777b})
 * is part of that token, not a card number, and is left alone. Identifier fields are never masked
 * here: see {@link PanTokens}.
 *
 * <p>Thread-safe and allocation-free when there is nothing to mask.
 */
public final class PanMasker {
  /**
   * Maestro cards have 12-digit numbers (ISO/IEC 7812 allows them; the Sparkov data has them), so
   * 12, not the 13 of Visa's shortest.
   */
  public static final int MIN_DIGITS = 12;

  public static final int MAX_DIGITS = 19;
  public static final int KEEP_LAST = 4;
  public static final char MASK = '*';

  private PanMasker() {}

  /** The text with every PAN masked; the same instance when none was found. */
  public static String mask(String text) {
    if (text == null || text.length() < MIN_DIGITS) {
      return text;
    }
    char[] out = null;
    int n = text.length();
    int i = 0;
    while (i < n) {
      if (!isDigit(text.charAt(i)) || (i > 0 && isDigit(text.charAt(i - 1)))) {
        i++;
        continue;
      }
      // A candidate run starts at i: digits, each separated by at most one space or dash.
      int end = i;
      int digits = 0;
      int j = i;
      while (j < n) {
        char c = text.charAt(j);
        if (isDigit(c)) {
          digits++;
          end = j + 1;
          j++;
        } else if ((c == ' ' || c == '-')
            && j + 1 < n
            && isDigit(text.charAt(j + 1))
            && digits > 0) {
          j++;
        } else {
          break;
        }
      }
      if (digits >= MIN_DIGITS
          && !insideAlphanumericToken(text, i, end)
          && (end - i == digits || groupedLikeACard(text, i, end))) {
        int[] masked = findPan(text, i, end, digits);
        if (masked != null) {
          if (out == null) {
            out = text.toCharArray();
          }
          maskDigits(out, masked[0], masked[1]);
        }
      }
      i = Math.max(end, i + 1);
    }
    return out == null ? text : new String(out);
  }

  /** Whether the text holds a PAN that {@link #mask} would mask. */
  public static boolean containsPan(String text) {
    return mask(text) != text;
  }

  /** The run's char span if its digits (12-19 of them) pass the Luhn check; null otherwise. */
  private static int[] findPan(String text, int from, int to, int digits) {
    if (digits > MAX_DIGITS) {
      return null; // longer numbers are references or ids, not card numbers
    }
    int[] pos = new int[digits];
    int k = 0;
    for (int p = from; p < to; p++) {
      if (isDigit(text.charAt(p))) {
        pos[k++] = p;
      }
    }
    return luhn(text, pos, 0, digits) ? new int[] {from, to} : null;
  }

  private static boolean luhn(String text, int[] pos, int start, int len) {
    int sum = 0;
    for (int i = 0; i < len; i++) {
      int d = text.charAt(pos[start + len - 1 - i]) - '0';
      if ((i & 1) == 1) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
    }
    return sum % 10 == 0;
  }

  private static void maskDigits(char[] out, int from, int to) {
    int keep = 0;
    for (int p = to - 1; p >= from; p--) {
      if (isDigit(out[p])) {
        if (keep < KEEP_LAST) {
          keep++;
        } else {
          out[p] = MASK;
        }
      }
    }
  }

  /**
   * A run with separators counts only when grouped the way card numbers are printed (4-4-4-4,
   * 4-4-4-4-1..3, 4-4-4-1..3, 4-6-4, 4-6-5) and standing alone: not glued to letters or other
   * separators, so UUIDs and dates never look like cards.
   */
  private static boolean groupedLikeACard(String text, int from, int to) {
    if ((from > 0 && isWordy(text.charAt(from - 1)))
        || (to < text.length() && isWordy(text.charAt(to)))) {
      return false;
    }
    java.util.List<Integer> groups = new java.util.ArrayList<>(5);
    int len = 0;
    for (int p = from; p < to; p++) {
      if (isDigit(text.charAt(p))) {
        len++;
      } else {
        groups.add(len);
        len = 0;
      }
    }
    groups.add(len);
    int n = groups.size();
    if (n == 3
        && groups.get(0) == 4
        && groups.get(1) == 6
        && (groups.get(2) == 4 || groups.get(2) == 5)) {
      return true;
    }
    if (n < 4 || n > 5) {
      return false;
    }
    for (int g = 0; g < n - 1; g++) {
      if (groups.get(g) != 4) {
        return false;
      }
    }
    int last = groups.get(n - 1);
    return n == 4 ? last >= 1 && last <= 4 : last >= 1 && last <= 3;
  }

  /**
   * Whether the run {@code [from, to)} belongs to a longer token holding letters: scanning out from
   * the run over letters, digits, '-' and '_', a letter is met.
   */
  static boolean insideAlphanumericToken(String text, int from, int to) {
    for (int p = from - 1; p >= 0 && isWordy(text.charAt(p)); p--) {
      if (Character.isLetter(text.charAt(p))) {
        return true;
      }
    }
    for (int p = to; p < text.length() && isWordy(text.charAt(p)); p++) {
      if (Character.isLetter(text.charAt(p))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The digits of {@code text} when the whole of it (spaces and dashes aside) is a Luhn-valid 12–19
   * digit card number; null otherwise.
   */
  public static String wholePan(String text) {
    if (text == null || text.length() < MIN_DIGITS || text.length() > 2 * MAX_DIGITS) {
      return null;
    }
    StringBuilder digits = new StringBuilder(MAX_DIGITS);
    for (int p = 0; p < text.length(); p++) {
      char c = text.charAt(p);
      if (isDigit(c)) {
        digits.append(c);
      } else if (c != ' ' && c != '-') {
        return null;
      }
    }
    int n = digits.length();
    if (n < MIN_DIGITS || n > MAX_DIGITS) {
      return null;
    }
    String d = digits.toString();
    int[] pos = new int[n];
    for (int k = 0; k < n; k++) {
      pos[k] = k;
    }
    return luhn(d, pos, 0, n) ? d : null;
  }

  private static boolean isWordy(char c) {
    return Character.isLetterOrDigit(c) || c == '-' || c == '_';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
