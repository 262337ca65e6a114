package io.fraudbatch.ingest;

import io.fraudbatch.core.StorageLayout;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;

/** The landing layout: {@code <root>/landing/decisions/YYYY/MM/DD/HH/FlumeData.<millis>[.tmp]}. */
public final class LandingLayout {
  public static final String LANDING = StorageLayout.LANDING;

  private static final Pattern HOUR =
      Pattern.compile(".*/(\\d{4})/(\\d{2})/(\\d{2})/(\\d{2})/[^/]+$");

  private LandingLayout() {}

  /** {@code YYYY/MM/DD/HH/name} of a landing file: short enough for a counter name. */
  public static String relativeName(Path file) {
    Matcher m = RELATIVE.matcher(file.toUri().getPath());
    return m.matches() ? m.group(1) : file.getName();
  }

  private static final Pattern RELATIVE =
      Pattern.compile(".*/(\\d{4}/\\d{2}/\\d{2}/\\d{2}/[^/]+)$");

  /** The hour bucket of a landing file, epoch ms UTC; -1 when the path is not in the layout. */
  public static long hourOf(Path file) {
    Matcher m = HOUR.matcher(file.toUri().getPath());
    if (!m.matches()) {
      return -1;
    }
    try {
      return LocalDateTime.of(
              Integer.parseInt(m.group(1)),
              Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3)),
              Integer.parseInt(m.group(4)),
              0)
          .toInstant(ZoneOffset.UTC)
          .toEpochMilli();
    } catch (java.time.DateTimeException e) {
      return -1;
    }
  }
}
