package io.fraudbatch.core.event;

import java.util.Objects;

/**
 * One thing wrong with one landed record: the field, the offending value (shortened), a code and a
 * sentence.
 */
public record RecordProblem(String field, String value, Problem problem, String message) {
  static final int MAX_VALUE_CHARS = 80;

  public RecordProblem {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(problem, "problem");
    Objects.requireNonNull(message, "message");
    value = shorten(value);
  }

  static String shorten(String value) {
    if (value == null || value.length() <= MAX_VALUE_CHARS) {
      return value;
    }
    return value.substring(0, MAX_VALUE_CHARS) + "…(" + value.length() + " chars)";
  }

  @Override
  public String toString() {
    return field + ": " + message + (value == null ? "" : " (got " + value + ")");
  }
}
