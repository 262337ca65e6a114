package io.fraudbatch.sample;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The ways producers break records, each applied to a copy of a real event under a fresh event id
 * so the valid original still lands once.
 */
enum Malformed {
  /** The body is cut off mid-way. */
  TRUNCATED_JSON,
  /** No eventId at all. */
  MISSING_EVENT_ID,
  /** No amount. */
  MISSING_AMOUNT,
  /** eventTime as an ISO-8601 string instead of epoch milliseconds. */
  EVENT_TIME_AS_STRING,
  /** eventTime in epoch seconds: lands in 1970. */
  EVENT_TIME_IN_SECONDS,
  /** A negative amount. */
  NEGATIVE_AMOUNT,
  /** A decision outside APPROVED/DENIED/REVIEW. */
  UNKNOWN_DECISION,
  /** A currency that is no ISO 4217 code. */
  BAD_CURRENCY,
  /** Binary garbage instead of JSON. */
  NOT_JSON;

  byte[] corrupt(byte[] body, String eventId, String freshId, SplittableRandom r) {
    String json =
        new String(body, StandardCharsets.UTF_8)
            .replace("\"eventId\":\"" + eventId + "\"", "\"eventId\":\"" + freshId + "\"");
    String out =
        switch (this) {
          case TRUNCATED_JSON -> json.substring(0, 10 + r.nextInt(Math.max(1, json.length() - 20)));
          case MISSING_EVENT_ID -> json.replace("\"eventId\":\"" + freshId + "\",", "");
          case MISSING_AMOUNT -> json.replaceFirst(",\"amount\":(\"[^\"]*\"|[0-9.]+)", "");
          case EVENT_TIME_AS_STRING ->
              json.replaceFirst(
                  "\"eventTime\":(\\d+)",
                  "\"eventTime\":\"" + java.time.Instant.ofEpochMilli(eventTime(json)) + "\"");
          case EVENT_TIME_IN_SECONDS ->
              json.replaceFirst("\"eventTime\":(\\d+)", "\"eventTime\":" + eventTime(json) / 1000);
          case NEGATIVE_AMOUNT -> json.replaceFirst("\"amount\":(\"?)", "\"amount\":$1-");
          case UNKNOWN_DECISION ->
              json.replaceFirst("\"decision\":\"[A-Z]+\"", "\"decision\":\"PENDING\"");
          case BAD_CURRENCY ->
              json.replaceFirst("\"currency\":\"[A-Z]+\"", "\"currency\":\"US\\$\"");
          case NOT_JSON -> null;
        };
    if (out != null) {
      return out.getBytes(StandardCharsets.UTF_8);
    }
    byte[] garbage = new byte[20 + r.nextInt(180)];
    for (int i = 0; i < garbage.length; i++) {
      int b;
      do {
        b = r.nextInt(256);
      } while (b == '\n' || b == '\r' || b == '{');
      garbage[i] = (byte) b;
    }
    return garbage;
  }

  private static long eventTime(String json) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\"eventTime\":(\\d+)").matcher(json);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }
}
