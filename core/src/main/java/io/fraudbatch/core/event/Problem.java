package io.fraudbatch.core.event;

/** Why a landed record cannot become a {@code DecisionEvent}: stable codes for the quarantine. */
public enum Problem {
  /** The body is not parseable JSON (truncated, binary garbage, wrong encoding). */
  MALFORMED_JSON,
  /** The body is JSON but not an object. */
  NOT_AN_OBJECT,
  /** A required field is absent or null. */
  MISSING_FIELD,
  /** A field has the wrong JSON type (e.g. a string where a number is required). */
  WRONG_TYPE,
  /** A field has the right type but a value outside the contract (unknown enum, bad format). */
  INVALID_VALUE,
  /** A number or timestamp outside the sane range. */
  OUT_OF_RANGE,
  /** The record, or one of its string fields, is longer than the configured limit. */
  TOO_LARGE
}
