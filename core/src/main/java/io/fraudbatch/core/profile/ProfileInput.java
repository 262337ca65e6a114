package io.fraudbatch.core.profile;

import io.fraudbatch.avro.DecisionEvent;
import io.fraudbatch.core.money.ReferenceRates;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The fields of one decision that a profile uses, as each engine reads them (MapReduce from Avro
 * records, Spark from its rows). Nullable where the contract allows it; {@code usdCents} is the
 * amount converted by {@link ReferenceRates#usdCents}, null when its currency has no rate; {@code
 * moneyIn} marks money coming in (a cash deposit, a transfer received: the context field {@link
 * #DIRECTION} is {@code "in"}), which is activity but not spend.
 */
public record ProfileInput(
    String eventId,
    long eventTime,
    String decision,
    String channel,
    Long usdCents,
    String mcc,
    String country,
    String region,
    String city,
    Double lat,
    Double lon,
    String ip,
    boolean moneyIn)
    implements java.io.Serializable {

  /**
   * The landing context field (kept in {@code extraFields}) saying which way the money went: {@code
   * "in"} for money received; absent or anything else is money out (a purchase, a withdrawal, a
   * transfer sent).
   */
  public static final String DIRECTION = "direction";

  /** {@code extraFields[direction]} as ingest keeps it (compact JSON text) for money in. */
  public static final String DIRECTION_IN_JSON = "\"in\"";

  /** Money going out (the common case). */
  public ProfileInput(
      String eventId,
      long eventTime,
      String decision,
      String channel,
      Long usdCents,
      String mcc,
      String country,
      String region,
      String city,
      Double lat,
      Double lon,
      String ip) {
    this(
        eventId, eventTime, decision, channel, usdCents, mcc, country, region, city, lat, lon, ip,
        false);
  }

  /**
   * The warehouse row's fields {@link #of} reads (a reader may project the rows to them; the Spark
   * engine's SQL projection of the same fields is batch-jobs' {@code SparkProfiles.COLUMNS}).
   */
  public static final java.util.List<String> DECISION_FIELDS =
      java.util.List.of(
          "eventId",
          "eventTime",
          "decision",
          "channel",
          "amount",
          "currency",
          "mcc",
          "country",
          "region",
          "city",
          "lat",
          "lon",
          "ip",
          "extraFields");

  /**
   * From a warehouse row; the amount converted with {@code rates} (null when its currency has no
   * rate).
   */
  public static ProfileInput of(DecisionEvent e, ReferenceRates rates) {
    return new ProfileInput(
        e.getEventId(),
        e.getEventTime().toEpochMilli(),
        e.getDecision(),
        e.getChannel(),
        rates.usdCents(e.getAmount(), e.getCurrency()),
        e.getMcc(),
        e.getCountry(),
        e.getRegion(),
        e.getCity(),
        e.getLat(),
        e.getLon(),
        e.getIp(),
        DIRECTION_IN_JSON.equals(e.getExtraFields().get(DIRECTION)));
  }

  /**
   * Writes this input compactly (the MapReduce engine shuffles events this way): a presence mask,
   * the time, then each present field; strings as their UTF-8 length and bytes. {@link #read} gives
   * back an equal input.
   */
  public void write(DataOutput out) throws IOException {
    Object[] nullable = {
      eventId, decision, channel, usdCents, mcc, country, region, city, lat, lon, ip
    };
    int mask = moneyIn ? 1 << nullable.length : 0;
    for (int i = 0; i < nullable.length; i++) {
      if (nullable[i] != null) {
        mask |= 1 << i;
      }
    }
    out.writeShort(mask);
    out.writeLong(eventTime);
    for (Object v : nullable) {
      if (v instanceof String str) {
        byte[] b = str.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
      } else if (v instanceof Long l) {
        out.writeLong(l);
      } else if (v instanceof Double d) {
        out.writeDouble(d);
      }
    }
  }

  /** An input written by {@link #write}. */
  public static ProfileInput read(DataInput in) throws IOException {
    int mask = in.readUnsignedShort();
    long time = in.readLong();
    return new ProfileInput(
        string(in, mask, 0),
        time,
        string(in, mask, 1),
        string(in, mask, 2),
        (mask & 1 << 3) == 0 ? null : in.readLong(),
        string(in, mask, 4),
        string(in, mask, 5),
        string(in, mask, 6),
        string(in, mask, 7),
        (mask & 1 << 8) == 0 ? null : in.readDouble(),
        (mask & 1 << 9) == 0 ? null : in.readDouble(),
        string(in, mask, 10),
        (mask & 1 << 11) != 0);
  }

  private static String string(DataInput in, int mask, int bit) throws IOException {
    if ((mask & 1 << bit) == 0) {
      return null;
    }
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }
}
