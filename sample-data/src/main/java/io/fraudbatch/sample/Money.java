package io.fraudbatch.sample;

import io.fraudbatch.core.event.DecisionEventJson;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** Turns US-dollar-equivalent amounts into local currency with the currency's minor units. */
final class Money {
  private Money() {}

  static BigDecimal of(double usd, City currencyOf) {
    return of(usd, currencyOf.currency(), currencyOf.fxPerUsd());
  }

  static BigDecimal of(double usd, String currency, double fxPerUsd) {
    int digits = DecisionEventJson.minorDigits(currency);
    BigDecimal v = BigDecimal.valueOf(usd * fxPerUsd).setScale(digits, RoundingMode.HALF_UP);
    BigDecimal min = BigDecimal.ONE.movePointLeft(digits);
    return v.compareTo(min) < 0 ? min : v;
  }

  /** Cash withdrawals come in round notes: multiples of 20 units (2000 for JPY-like currencies). */
  static BigDecimal cash(double usd, City city) {
    double local = usd * city.fxPerUsd();
    double note = city.fxPerUsd() >= 50 ? 2000 : city.fxPerUsd() >= 4 ? 200 : 20;
    double rounded = Math.max(note, Math.round(local / note) * note);
    return BigDecimal.valueOf(rounded)
        .setScale(DecisionEventJson.minorDigits(city.currency()), RoundingMode.UNNECESSARY);
  }
}
