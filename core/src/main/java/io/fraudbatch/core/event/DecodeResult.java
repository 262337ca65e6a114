package io.fraudbatch.core.event;

import io.fraudbatch.avro.DecisionEvent;
import java.util.List;
import java.util.stream.Collectors;

/** Either a valid {@link DecisionEvent} or every problem found in the record, never both. */
public final class DecodeResult {
  private final DecisionEvent event;
  private final List<RecordProblem> problems;

  private DecodeResult(DecisionEvent event, List<RecordProblem> problems) {
    this.event = event;
    this.problems = List.copyOf(problems);
  }

  static DecodeResult valid(DecisionEvent event) {
    return new DecodeResult(event, List.of());
  }

  static DecodeResult invalid(List<RecordProblem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("an invalid record needs at least one problem");
    }
    return new DecodeResult(null, problems);
  }

  public boolean isValid() {
    return event != null;
  }

  /** The decoded event; throws if the record was invalid. */
  public DecisionEvent event() {
    if (event == null) {
      throw new IllegalStateException("Cannot get the event of an invalid record: " + describe());
    }
    return event;
  }

  public List<RecordProblem> problems() {
    return problems;
  }

  /** The first problem's code: the quarantine's reason code. */
  public Problem primaryProblem() {
    return problems.isEmpty() ? null : problems.get(0).problem();
  }

  /** All problems in one line, e.g. {@code amount: must not be negative (got -3.00); ...}. */
  public String describe() {
    return problems.stream().map(RecordProblem::toString).collect(Collectors.joining("; "));
  }

  @Override
  public String toString() {
    return isValid() ? "valid " + event.getEventId() : "invalid: " + describe();
  }
}
