package io.fraudbatch.core.profile;

import io.fraudbatch.avro.Bucket;
import io.fraudbatch.avro.DailySpendStats;
import io.fraudbatch.avro.DaySpend;
import io.fraudbatch.avro.KeyCount;
import io.fraudbatch.avro.KeyCountSum;
import java.time.LocalDate;

/**
 * A profile's small records made from primitives. Avro's generated constructors take every number
 * boxed ({@code Long}, {@code Integer}) and unbox it into a primitive field: a {@code Long}
 * allocated for each count or sum above 127, tens of them per profile for its days and histogram
 * buckets (a tenth of what an incremental run allocated at 20M events). The setters take
 * primitives.
 */
public final class ProfileRecords {
  private ProfileRecords() {}

  public static DaySpend daySpend(LocalDate day, int count, long sumCents, int hours) {
    DaySpend d = new DaySpend();
    d.setDay(day);
    d.setCount(count);
    d.setSumCents(sumCents);
    d.setHours(hours);
    return d;
  }

  public static Bucket bucket(int index, long count) {
    Bucket b = new Bucket();
    b.setIndex(index);
    b.setCount(count);
    return b;
  }

  public static KeyCount keyCount(String key, long count) {
    KeyCount k = new KeyCount();
    k.setKey(key);
    k.setCount(count);
    return k;
  }

  public static KeyCountSum keyCountSum(String key, long count, long sumCents) {
    KeyCountSum k = new KeyCountSum();
    k.setKey(key);
    k.setCount(count);
    k.setSumCents(sumCents);
    return k;
  }

  public static DailySpendStats dailySpendStats(
      int activeDays, long totalCents, double meanCents, long medianCents, long p95Cents) {
    DailySpendStats s = new DailySpendStats();
    s.setActiveDays(activeDays);
    s.setTotalCents(totalCents);
    s.setMeanCents(meanCents);
    s.setMedianCents(medianCents);
    s.setP95Cents(p95Cents);
    return s;
  }
}
