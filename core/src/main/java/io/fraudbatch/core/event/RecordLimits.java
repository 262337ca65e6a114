package io.fraudbatch.core.event;

import io.fraudbatch.avro.DecisionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Size limits of a landed record: a whole body, and each string field (unknown fields included).
 * Over a limit, the record is quarantined ({@link Problem#TOO_LARGE}); its neighbours are kept.
 *
 * @param maxRecordBytes the largest body accepted, in bytes
 * @param maxStringChars the longest string field accepted, in characters
 */
public record RecordLimits(int maxRecordBytes, int maxStringChars) {
  /** Decisions are about a kilobyte: 1 MiB and 4,096 characters leave room for any real one. */
  public static final RecordLimits DEFAULT = new RecordLimits(1 << 20, 4096);

  public RecordLimits {
    io.fraudbatch.core.FraudBatchException.check(
        maxRecordBytes >= 1024 && maxStringChars >= 64,
        "Cannot use record limits below 1024 bytes and 64 characters (got %d, %d)",
        maxRecordBytes,
        maxStringChars);
  }

  /** The problem of a body over the size limit, or null. */
  RecordProblem checkSize(byte[] body, int offset, int length) {
    if (length <= maxRecordBytes) {
      return null;
    }
    return new RecordProblem(
        "$",
        new String(body, offset, Math.min(length, 120), java.nio.charset.StandardCharsets.UTF_8),
        Problem.TOO_LARGE,
        "a record of " + length + " bytes; the limit is " + maxRecordBytes);
  }

  /** The string fields of {@code e} longer than the limit. */
  List<RecordProblem> checkFields(DecisionEvent e) {
    List<RecordProblem> out = new ArrayList<>();
    field(out, "eventId", e.getEventId());
    field(out, "actorId", e.getActorId());
    field(out, "merchantId", e.getMerchantId());
    field(out, "city", e.getCity());
    field(out, "region", e.getRegion());
    field(out, "deviceId", e.getDeviceId());
    field(out, "rulesVersion", e.getRulesVersion());
    for (String r : e.getReasons()) {
      field(out, "reasons[]", r);
    }
    for (Map.Entry<String, String> x : e.getExtraFields().entrySet()) {
      field(out, x.getKey(), x.getValue());
    }
    return out;
  }

  private void field(List<RecordProblem> out, String name, String value) {
    if (value != null && value.length() > maxStringChars) {
      out.add(
          new RecordProblem(
              name,
              value.substring(0, 60) + "…",
              Problem.TOO_LARGE,
              value.length() + " characters; the limit is " + maxStringChars));
    }
  }
}
