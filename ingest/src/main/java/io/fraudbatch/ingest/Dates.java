package io.fraudbatch.ingest;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Partition dates: {@code dt=YYYY-MM-DD} of an instant in UTC. */
final class Dates {
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

  private Dates() {}

  static String dt(long epochMs) {
    return DAY.format(Instant.ofEpochMilli(epochMs));
  }

  static String dt(Instant t) {
    return DAY.format(t);
  }
}
