package io.fraudbatch.core.profile;

import io.fraudbatch.avro.DecisionEvent;
import io.fraudbatch.core.money.ReferenceRates;

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
}
