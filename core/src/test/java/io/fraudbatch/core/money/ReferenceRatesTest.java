package io.fraudbatch.core.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudbatch.core.FraudBatchException;
import java.io.StringReader;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class ReferenceRatesTest {
  final ReferenceRates rates = ReferenceRates.defaults();

  @Test
  void convertsToUsCentsRoundingHalfEven() {
    assertThat(rates.usdCents(new BigDecimal("12.3400"), "USD")).isEqualTo(1234L);
    assertThat(rates.usdCents(new BigDecimal("1.36"), "CAD")).isEqualTo(100L);
    assertThat(rates.usdCents(new BigDecimal("150"), "JPY")).isEqualTo(100L);
    // 0.005 USD and 0.015 USD: half-even goes to the even cent.
    assertThat(rates.usdCents(new BigDecimal("0.0050"), "USD")).isEqualTo(0L);
    assertThat(rates.usdCents(new BigDecimal("0.0150"), "USD")).isEqualTo(2L);
    assertThat(rates.usdCents(new BigDecimal("-5.00"), "USD")).isEqualTo(-500L);
    assertThat(rates.usdCents(new BigDecimal("10"), "XAU")).as("no rate").isNull();
  }

  @Test
  void coversEveryCurrencyTheSampleDataUses() {
    assertThat(rates.currencies())
        .contains(
            "USD", "EUR", "GBP", "CAD", "AUD", "JPY", "INR", "BRL", "MXN", "CHF", "SEK", "SGD");
    assertThat(rates.unitsPerUsd("EUR")).isEqualByComparingTo("0.92");
  }

  @Test
  void badTablesAreRefusedWithTheLine() {
    assertThatThrownBy(() -> ReferenceRates.parse(new StringReader("USD,1\nEUR,zero\n"), "r.csv"))
        .isInstanceOf(FraudBatchException.class)
        .hasMessageContaining("r.csv line 2")
        .hasMessageContaining("'zero' is not a number");
    assertThatThrownBy(() -> ReferenceRates.parse(new StringReader("USD,1\nEUR,-1\n"), "r.csv"))
        .hasMessageContaining("must be positive");
    assertThatThrownBy(() -> ReferenceRates.parse(new StringReader("USD,1\nUSD,2\n"), "r.csv"))
        .hasMessageContaining("USD appears twice");
    assertThatThrownBy(() -> ReferenceRates.parse(new StringReader("EUR,0.9\n"), "r.csv"))
        .hasMessageContaining("no USD line");
    assertThatThrownBy(() -> ReferenceRates.parse(new StringReader("euro;0.9\n"), "r.csv"))
        .hasMessageContaining("expected CURRENCY,unitsPerUsd");
    assertThatThrownBy(() -> rates.unitsPerUsd("XAU"))
        .hasMessageContaining("No reference rate for currency XAU");
  }
}
