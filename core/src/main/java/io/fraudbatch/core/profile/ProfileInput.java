package io.fraudbatch.core.profile;

import io.fraudbatch.avro.DecisionEvent;
import io.fraudbatch.core.money.ReferenceRates;

/**
 * The fields of one decision that a profile uses, as each engine reads them (MapReduce from Avro
 * records, Spark from its rows). Nullable where the contract allows it; {@code usdCents} is the
 * amount converted by {@link ReferenceRates#usdCents}, null when its currency has no rate.
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
    String ip)
    implements java.io.Serializable {

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
        e.getIp());
  }
}
