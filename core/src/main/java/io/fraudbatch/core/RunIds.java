package io.fraudbatch.core;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Run ids of every job: {@code yyyyMMddTHHmmssZ-xxxxxx} (UTC start second, 6 random hex digits).
 * They sort in start order; a job that holds its run lock for more than a second (every real run)
 * therefore gets ids that sort in commit order too, which incremental readers rely on.
 */
public final class RunIds {
  public static final Pattern PATTERN = Pattern.compile("\\d{8}T\\d{6}Z-[0-9a-f]{6}");

  private static final DateTimeFormatter SECOND =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private RunIds() {}

  public static String next(long startedMillis) {
    return SECOND.format(Instant.ofEpochMilli(startedMillis))
        + String.format(Locale.ROOT, "-%06x", ThreadLocalRandom.current().nextInt(1 << 24));
  }

  /** The start second of {@code runId}, in epoch milliseconds. */
  public static long startMillis(String runId) {
    return java.time.ZonedDateTime.parse(runId.substring(0, 16), SECOND).toInstant().toEpochMilli();
  }
}
