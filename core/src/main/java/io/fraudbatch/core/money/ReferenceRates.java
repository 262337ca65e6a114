package io.fraudbatch.core.money;

import io.fraudbatch.core.FraudBatchException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fixed reference exchange rates (units of a currency per US dollar) and the one conversion of an
 * amount to US cents that every job uses: {@code amount * 100 / unitsPerUsd}, rounded half-even to
 * the cent, in exact decimal arithmetic, so every engine gets the same cents.
 *
 * <p>The default table is {@code reference-rates.csv} beside this class; a deployment can load its
 * own with {@link #parse(Reader, String)}. The sample-data generator prices its traffic with the
 * same table.
 */
public final class ReferenceRates {
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
  private static final ReferenceRates DEFAULT = loadDefault();

  private final Map<String, BigDecimal> unitsPerUsd;

  private ReferenceRates(Map<String, BigDecimal> unitsPerUsd) {
    this.unitsPerUsd = Collections.unmodifiableMap(new TreeMap<>(unitsPerUsd));
  }

  /** The table shipped in core. */
  public static ReferenceRates defaults() {
    return DEFAULT;
  }

  /**
   * Reads a table: lines {@code CURRENCY,unitsPerUsd}, a header line {@code currency,...} and
   * {@code #} comments allowed. {@code source} names the input in error messages.
   */
  public static ReferenceRates parse(Reader in, String source) throws IOException {
    Map<String, BigDecimal> rates = new TreeMap<>();
    BufferedReader r = new BufferedReader(in);
    String line;
    int n = 0;
    while ((line = r.readLine()) != null) {
      n++;
      String t = line.strip();
      if (t.isEmpty()
          || t.startsWith("#")
          || t.toLowerCase(java.util.Locale.ROOT).startsWith("currency,")) {
        continue;
      }
      String[] parts = t.split(",");
      FraudBatchException.check(
          parts.length == 2 && parts[0].strip().matches("[A-Z]{3}"),
          "Cannot read exchange rates %s line %d: expected CURRENCY,unitsPerUsd (got '%s')",
          source,
          n,
          t);
      BigDecimal rate;
      try {
        rate = new BigDecimal(parts[1].strip());
      } catch (NumberFormatException e) {
        throw new FraudBatchException(
            String.format(
                java.util.Locale.ROOT,
                "Cannot read exchange rates %s line %d: '%s' is not a number",
                source,
                n,
                parts[1].strip()));
      }
      FraudBatchException.check(
          rate.signum() > 0,
          "Cannot read exchange rates %s line %d: the rate must be positive (got %s)",
          source,
          n,
          rate);
      FraudBatchException.check(
          rates.put(parts[0].strip(), rate) == null,
          "Cannot read exchange rates %s line %d: %s appears twice",
          source,
          n,
          parts[0].strip());
    }
    FraudBatchException.check(
        rates.containsKey("USD"), "Cannot read exchange rates %s: no USD line", source);
    return new ReferenceRates(rates);
  }

  private static ReferenceRates loadDefault() {
    try (InputStream in = ReferenceRates.class.getResourceAsStream("reference-rates.csv")) {
      if (in == null) {
        throw new FraudBatchException("reference-rates.csv is missing from core's jar");
      }
      return parse(new InputStreamReader(in, StandardCharsets.UTF_8), "reference-rates.csv");
    } catch (IOException e) {
      throw new FraudBatchException("Cannot read core's reference-rates.csv", e);
    }
  }

  /** Whether the table has a rate for {@code currency}. */
  public boolean has(String currency) {
    return unitsPerUsd.containsKey(currency);
  }

  /** Units of {@code currency} per US dollar. */
  public BigDecimal unitsPerUsd(String currency) {
    BigDecimal r = unitsPerUsd.get(currency);
    FraudBatchException.check(
        r != null, "No reference rate for currency %s (known: %s)", currency, unitsPerUsd.keySet());
    return r;
  }

  /** {@code amount} of {@code currency} in US cents, rounded half-even; null without a rate. */
  public Long usdCents(BigDecimal amount, String currency) {
    BigDecimal r = unitsPerUsd.get(currency);
    if (r == null) {
      return null;
    }
    return amount.multiply(HUNDRED).divide(r, 0, RoundingMode.HALF_EVEN).longValueExact();
  }

  /** The currencies in the table, sorted. */
  public java.util.Set<String> currencies() {
    return unitsPerUsd.keySet();
  }
}
