package io.fraudbatch.core.anomaly;

import java.util.List;

/** The kinds of key the anomaly job looks across actors by, and how an event maps to each. */
public final class KeyTypes {
  public static final String REGION = "region";
  public static final String MERCHANT = "merchant";
  public static final String MCC = "mcc";
  public static final String IP24 = "ip24";

  /**
   * Key types that span the whole population (a merchant category): their volume is reported from
   * MEDIUM only ({@link SeriesScorer}).
   */
  public static final java.util.Set<String> BROAD = java.util.Set.of(MCC);

  /** Every key type, in report order. */
  public static final List<String> ALL = List.of(REGION, MERCHANT, MCC, IP24);

  private KeyTypes() {}

  /**
   * The /24 prefix of a dotted IPv4 address ({@code 203.0.113.7} → {@code 203.0.113}); null for a
   * missing or non-IPv4 address (IPv6 prefixes are not keyed yet).
   */
  public static String ip24(String ip) {
    if (ip == null) {
      return null;
    }
    int dots = 0;
    int last = -1;
    for (int i = 0; i < ip.length(); i++) {
      char c = ip.charAt(i);
      if (c == '.') {
        dots++;
        last = i;
      } else if (c < '0' || c > '9') {
        return null;
      }
    }
    return dots == 3 && last > 0 && last < ip.length() - 1 ? ip.substring(0, last) : null;
  }
}
