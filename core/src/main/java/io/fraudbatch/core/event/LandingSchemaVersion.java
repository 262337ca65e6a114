package io.fraudbatch.core.event;

/**
 * The landing JSON layouts the online tier has shipped. Both are read by the same codec; new
 * optional fields never break an older reader.
 */
public enum LandingSchemaVersion {
  /** The first layout: amount as a JSON number; no deviceId, score, rulesVersion or decidedAt. */
  V1,
  /** amount as a decimal string; adds deviceId, score, rulesVersion and decidedAt. */
  V2
}
