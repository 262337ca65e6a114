package io.fraudbatch.ingest;

import java.time.Instant;
import java.time.LocalDate;

/** Partition dates: {@code dt=YYYY-MM-DD} of an instant in UTC. */
final class Dates {
  private static final long DAY_MS = 86_400_000L;

  private Dates() {}

  // Epoch-day arithmetic: a formatter over a zoned instant builds zone rules on every call, which
  // showed in ingest's profile (per row).
  static String dt(long epochMs) {
    return LocalDate.ofEpochDay(Math.floorDiv(epochMs, DAY_MS)).toString();
  }

  static String dt(Instant t) {
    return dt(t.toEpochMilli());
  }
}
