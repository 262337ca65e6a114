package io.fraudbatch.sample;

/** The fraud the generator injects, each labelled; docs in sample-data/README.md. */
public enum Scenario {
  /** Bursts of micro-transactions across many cards at one web merchant from one IP range. */
  CARD_TESTING("merchant"),
  /** New device and IP from abroad, then large web purchases on one account. */
  ACCOUNT_TAKEOVER("actor"),
  /** A card present far from where it was used shortly before. */
  IMPOSSIBLE_TRAVEL("actor"),
  /** Many stolen cards used in one region within one hour: volume and declines spike. */
  REGIONAL_BURST("region"),
  /** A merchant's terminal cashing out many unfamiliar cards over a few hours. */
  COMPROMISED_MERCHANT("merchant");

  /** What the incident is keyed on in incidents.csv: merchant, actor or region. */
  final String keyType;

  Scenario(String keyType) {
    this.keyType = keyType;
  }
}
