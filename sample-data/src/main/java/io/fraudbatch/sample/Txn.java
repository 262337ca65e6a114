package io.fraudbatch.sample;

import java.math.BigDecimal;
import java.util.List;

/** One transaction as the generator builds it, before and after the stand-in online rules. */
final class Txn {
  String eventId;
  long time;
  Actor actor;
  Merchant merchant;
  String channel;

  /** Physical location (POS/ATM); for web, the city the IP geolocates to. */
  City place;

  BigDecimal amount;
  String currency;
  double fxPerUsd;
  String ip;
  String device;

  /** Null for legitimate traffic. */
  Scenario scenario;

  int incident = -1;

  // Filled by OnlineRules
  String decision;
  List<String> reasons;
  double score;
  long decidedAt;
  String rulesVersion;

  double amountUsd() {
    return amount.doubleValue() / fxPerUsd;
  }

  /** Card present at a place (POS, ATM); web and mobile transactions have no place. */
  boolean physical() {
    return "POS".equals(channel) || "ATM".equals(channel);
  }

  static int byTimeThenId(Txn a, Txn b) {
    int c = Long.compare(a.time, b.time);
    return c != 0 ? c : a.eventId.compareTo(b.eventId);
  }
}
