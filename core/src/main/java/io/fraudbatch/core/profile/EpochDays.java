package io.fraudbatch.core.profile;

import java.time.LocalDate;

/**
 * {@link LocalDate#ofEpochDay}, with each date of 1970 to 2149 made once and shared. A profile
 * holds a date for each of up to 90 active days, and a snapshot of 333k profiles made 13 million of
 * them on each read, each a calendar computation; the same few hundred days recur. {@code
 * LocalDate} is immutable (final fields), so a date published through the shared array without a
 * lock is seen whole by every thread; two threads making the same date at once both store an equal
 * one.
 */
public final class EpochDays {
  private EpochDays() {}

  private static final int CACHED = 1 << 16;
  private static final LocalDate[] DATES = new LocalDate[CACHED];

  /** The date {@code day} days after 1970-01-01 (negative: before). */
  public static LocalDate of(long day) {
    if (day < 0 || day >= CACHED) {
      return LocalDate.ofEpochDay(day);
    }
    LocalDate d = DATES[(int) day];
    if (d == null) {
      d = LocalDate.ofEpochDay(day);
      DATES[(int) day] = d;
    }
    return d;
  }
}
