package io.fraudbatch.core.cli;

import io.fraudbatch.core.FraudBatchException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

/** A command-line day or day range: {@code 2026-10-28} or {@code 2026-10-21..2026-10-28}. */
public final class DayRange {
  private DayRange() {}

  /**
   * The days of {@code value}, in order (at most a year of them).
   *
   * @param job the command, for the message ("Cannot run JOB: ...")
   * @param option the option's name, for the message
   */
  public static List<LocalDate> parse(String value, String job, String option) {
    try {
      int dots = value.indexOf("..");
      if (dots < 0) {
        return List.of(LocalDate.parse(value));
      }
      LocalDate a = LocalDate.parse(value.substring(0, dots));
      LocalDate b = LocalDate.parse(value.substring(dots + 2));
      FraudBatchException.check(
          !b.isBefore(a) && a.plusDays(366).isAfter(b),
          "Cannot run %s: %s %s must go forward and span at most a year",
          job,
          option,
          value);
      return a.datesUntil(b.plusDays(1)).toList();
    } catch (DateTimeParseException e) {
      throw new FraudBatchException(
          "Cannot run "
              + job
              + ": "
              + option
              + " takes a date like 2026-10-28 or a range 2026-10-21..2026-10-28 (got "
              + value
              + ")");
    }
  }
}
