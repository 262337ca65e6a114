package io.fraudbatch.core.profile;

import io.fraudbatch.avro.ActorProfile;
import io.fraudbatch.avro.AmountStats;
import io.fraudbatch.avro.Bucket;
import io.fraudbatch.avro.DailySpendStats;
import io.fraudbatch.avro.DaySpend;
import io.fraudbatch.avro.KeyCount;
import io.fraudbatch.avro.KeyCountSum;
import io.fraudbatch.avro.LastPlace;
import io.fraudbatch.avro.SeenIp;
import io.fraudbatch.avro.SeenLocation;
import io.fraudbatch.core.FraudBatchException;
import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one implementation of the profile math (the field definitions are in {@code
 * ActorProfile.avsc}): add events in any order, merge partial accumulators in any grouping, and
 * {@link #finish} as of a day. Every result is exact and independent of order and grouping, except
 * the per-transaction median and p95, which come from a log-bucketed histogram with a stated 1%
 * error. A finished profile is also the state for an incremental update: {@link #of(ActorProfile)}
 * turns it back into an accumulator.
 *
 * <p>Memory per actor is bounded: the places and IPs kept are pruned to the most recent ones (which
 * loses nothing, since a last-seen time only grows), the day buckets are trimmed to the 90-day
 * window when finishing, and the keyed counters are over small vocabularies (decisions, channels,
 * merchant categories, regions).
 */
public final class ProfileAccumulator implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Days of the long window (asOf-89 .. asOf). */
  public static final int LONG_WINDOW_DAYS = 90;

  /** Days of the short window (asOf-29 .. asOf). */
  public static final int SHORT_WINDOW_DAYS = 30;

  /** Distinct places and IPs kept. */
  public static final int RECENT_KEPT = 20;

  /** Histogram bucket ratio: relative error of a bucket's representative value is (g-1)/(g+1). */
  public static final double GAMMA = 1.02;

  /** Active days in 90 below which the new-actor allowance applies. */
  public static final int MIN_ACTIVE_DAYS = 5;

  public static final long NEW_ACTOR_DAILY_THRESHOLD_CENTS = 50_000;
  public static final long MIN_DAILY_THRESHOLD_CENTS = 10_000;
  public static final long MIN_NEW_LOCATION_THRESHOLD_CENTS = 5_000;

  /** The decision whose transaction moved no money. */
  public static final String DENIED = "DENIED";

  private static final long DAY_MS = 86_400_000L;
  private static final double LOG_GAMMA = StrictMath.log(GAMMA);

  private String actorId;
  private long firstSeen = Long.MAX_VALUE;
  private long lastSeen = Long.MIN_VALUE;
  private long eventCount;
  private long unconverted;
  private final TreeMap<String, long[]> byDecision = new TreeMap<>();
  private final TreeMap<String, long[]> byChannel = new TreeMap<>();
  private long amountCount;
  private long amountSum;
  private long amountMin = Long.MAX_VALUE;
  private long amountMax = Long.MIN_VALUE;
  private final IntTable histogram = new IntTable(1); // bucket -> {count}
  // epoch day -> {count, cents, hours of day (bit set)}
  private final IntTable days = new IntTable(3);
  private final HashMap<String, Place> places = new HashMap<>();
  private final HashMap<String, long[]> ips = new HashMap<>(); // ip -> {lastSeen}
  private Place lastPlace;
  private final TreeMap<String, long[]> mcc = new TreeMap<>();
  private final TreeMap<String, long[]> regions = new TreeMap<>();
  private final long[] hours = new long[24];
  private int notBefore = Integer.MIN_VALUE; // asOf of the profile this started from

  /** A place as last seen: the latest event there (by time, then eventId). */
  private static final class Place implements Serializable {
    private static final long serialVersionUID = 1L;
    final String country;
    final String region;
    final String city;
    long time;
    String eventId;
    Double lat;
    Double lon;

    Place(String country, String region, String city) {
      this.country = country;
      this.region = region;
      this.city = city;
    }

    String key() {
      return country + '\u0000' + region + '\u0000' + city;
    }

    /** Whether (time, eventId) is later than this place's latest event. */
    boolean olderThan(long t, String id) {
      return t > time || (t == time && id.compareTo(eventId) > 0);
    }

    Place copy() {
      Place p = new Place(country, region, city);
      p.time = time;
      p.eventId = eventId;
      p.lat = lat;
      p.lon = lon;
      return p;
    }
  }

  public ProfileAccumulator() {}

  public String actorId() {
    return actorId;
  }

  public long eventCount() {
    return eventCount;
  }

  /** Adds one decision of {@code actor}. */
  public ProfileAccumulator add(String actor, ProfileInput e) {
    setActor(actor);
    firstSeen = Math.min(firstSeen, e.eventTime());
    lastSeen = Math.max(lastSeen, e.eventTime());
    eventCount++;
    Long cents = e.usdCents();
    long c = cents == null ? 0 : cents;
    addCountSum(byDecision, e.decision(), 1, c);
    addCountSum(byChannel, e.channel(), 1, c);
    if (DENIED.equals(e.decision())) {
      return this;
    }
    if (e.moneyIn()) {
      // Money received: activity (hours, places below), not spend.
    } else if (cents == null) {
      unconverted++;
    } else {
      amountCount++;
      amountSum += c;
      amountMin = Math.min(amountMin, c);
      amountMax = Math.max(amountMax, c);
      histogram.add(histogram.row(bucketOf(c)), 0, 1);
      int d = days.row((int) Math.floorDiv(e.eventTime(), DAY_MS));
      days.add(d, 0, 1);
      days.add(d, 1, c);
      days.or(d, 2, 1L << (Math.floorMod(e.eventTime(), DAY_MS) / 3_600_000));
    }
    if (e.mcc() != null) {
      mcc.computeIfAbsent(e.mcc(), k -> new long[1])[0]++;
    }
    if (e.region() != null) {
      regions.computeIfAbsent(e.region(), k -> new long[1])[0]++;
    }
    hours[(int) Math.floorMod(e.eventTime(), DAY_MS) / 3_600_000]++;
    if (e.city() != null) {
      Place p = new Place(nz(e.country()), nz(e.region()), e.city());
      p.time = e.eventTime();
      p.eventId = e.eventId();
      p.lat = e.lat();
      p.lon = e.lon();
      offerPlace(p);
      if (e.lat() != null && e.lon() != null) {
        offerLastPlace(p);
      }
    }
    if (e.ip() != null) {
      offerIp(e.ip(), e.eventTime());
    }
    return this;
  }

  /** Adds everything {@code other} holds; both must be for the same actor. */
  public ProfileAccumulator merge(ProfileAccumulator other) {
    if (other.actorId == null) {
      return this;
    }
    setActor(other.actorId);
    firstSeen = Math.min(firstSeen, other.firstSeen);
    lastSeen = Math.max(lastSeen, other.lastSeen);
    eventCount += other.eventCount;
    unconverted += other.unconverted;
    other.byDecision.forEach((k, v) -> addCountSum(byDecision, k, v[0], v[1]));
    other.byChannel.forEach((k, v) -> addCountSum(byChannel, k, v[0], v[1]));
    amountCount += other.amountCount;
    amountSum += other.amountSum;
    amountMin = Math.min(amountMin, other.amountMin);
    amountMax = Math.max(amountMax, other.amountMax);
    IntTable oh = other.histogram;
    for (int i = 0; i < oh.size(); i++) {
      histogram.add(histogram.row(oh.key(i)), 0, oh.get(i, 0));
    }
    IntTable od = other.days;
    for (int i = 0; i < od.size(); i++) {
      int d = days.row(od.key(i));
      days.add(d, 0, od.get(i, 0));
      days.add(d, 1, od.get(i, 1));
      days.or(d, 2, od.get(i, 2));
    }
    other.places.values().forEach(p -> offerPlace(p.copy()));
    other.ips.forEach((ip, t) -> offerIp(ip, t[0]));
    if (other.lastPlace != null) {
      offerLastPlace(other.lastPlace.copy());
    }
    other.mcc.forEach((k, v) -> mcc.computeIfAbsent(k, x -> new long[1])[0] += v[0]);
    other.regions.forEach((k, v) -> regions.computeIfAbsent(k, x -> new long[1])[0] += v[0]);
    for (int h = 0; h < 24; h++) {
      hours[h] += other.hours[h];
    }
    notBefore = Math.max(notBefore, other.notBefore);
    return this;
  }

  /**
   * The profile as of the end of {@code asOf} (UTC). Every event added must be before the end of
   * that day, and a profile this started from must not be newer.
   */
  public ActorProfile finish(LocalDate asOf) {
    FraudBatchException.check(actorId != null, "Cannot finish a profile without any event");
    int asOfDay = (int) asOf.toEpochDay();
    long end = (asOfDay + 1L) * DAY_MS;
    // Checked before the message's arguments are made (a profile a call).
    if (asOfDay < notBefore) {
      throw new FraudBatchException(
          String.format(
              java.util.Locale.ROOT,
              "Cannot finish the profile of %s as of %s: it was built on a profile as of %s",
              actorId,
              asOf,
              LocalDate.ofEpochDay(notBefore)));
    }
    if (lastSeen >= end) {
      throw new FraudBatchException(
          String.format(
              java.util.Locale.ROOT,
              "Cannot finish the profile of %s as of %s: it holds an event at %s, after that day",
              actorId,
              asOf,
              Instant.ofEpochMilli(lastSeen)));
    }
    days.dropBelow(asOfDay - LONG_WINDOW_DAYS + 1);

    List<DaySpend> daily = dailyList();
    DailySpendStats s30 = spendStats(asOfDay - SHORT_WINDOW_DAYS + 1);
    DailySpendStats s90 = spendStats(asOfDay - LONG_WINDOW_DAYS + 1);

    long daily90 = dailyThreshold(s90);

    List<Bucket> buckets = bucketList();
    AmountStats amount =
        new AmountStats(
            amountCount,
            amountSum,
            amountCount == 0 ? 0 : amountMin,
            amountCount == 0 ? 0 : amountMax,
            amountCount == 0 ? 0.0 : (double) amountSum / amountCount,
            histogramRank((amountCount + 1) / 2),
            histogramRank((95 * amountCount + 99) / 100),
            buckets);

    List<SeenLocation> locs = locationList();
    List<SeenIp> ipList = ipList();
    LastPlace last =
        lastPlace == null
            ? null
            : new LastPlace(
                Instant.ofEpochMilli(lastPlace.time),
                lastPlace.eventId,
                lastPlace.country,
                lastPlace.region,
                lastPlace.city,
                lastPlace.lat,
                lastPlace.lon);
    String home = homeRegion();
    List<Long> hourList = hourList();
    // The constructor, not the builder, whose setters and build() check each of the 21 fields:
    // code the JIT compiled into this method (0.6 s of compiling, twice, in a ten-second local
    // run).
    return new ActorProfile(
        actorId,
        asOf,
        Instant.ofEpochMilli(firstSeen),
        Instant.ofEpochMilli(lastSeen),
        eventCount,
        unconverted,
        countSums(byDecision),
        countSums(byChannel),
        amount,
        daily,
        s30,
        s90,
        locs,
        ipList,
        last,
        counts(mcc),
        counts(regions),
        hourList,
        home,
        daily90,
        newLocationThreshold(daily90));
  }

  // Each loop of finish in a method of its own: the JIT compiles small methods once, where one
  // method holding every loop was compiled again for its hot loop (on-stack replacement).

  private List<DaySpend> dailyList() {
    List<DaySpend> daily = new ArrayList<>(days.size());
    for (int i = 0; i < days.size(); i++) {
      daily.add(
          ProfileRecords.daySpend(
              EpochDays.of(days.key(i)),
              (int) days.get(i, 0),
              days.get(i, 1),
              (int) days.get(i, 2)));
    }
    return daily;
  }

  private List<Bucket> bucketList() {
    List<Bucket> buckets = new ArrayList<>(histogram.size());
    for (int i = 0; i < histogram.size(); i++) {
      buckets.add(ProfileRecords.bucket(histogram.key(i), histogram.get(i, 0)));
    }
    return buckets;
  }

  private List<SeenLocation> locationList() {
    List<SeenLocation> locs = new ArrayList<>(RECENT_KEPT);
    for (Place p : recentPlaces()) {
      locs.add(
          new SeenLocation(
              p.country, p.region, p.city, p.lat, p.lon, Instant.ofEpochMilli(p.time), p.eventId));
    }
    return locs;
  }

  private List<SeenIp> ipList() {
    List<SeenIp> ipList = new ArrayList<>(RECENT_KEPT);
    for (Map.Entry<String, long[]> e : recentIps()) {
      ipList.add(new SeenIp(e.getKey(), Instant.ofEpochMilli(e.getValue()[0])));
    }
    return ipList;
  }

  /** The region with the most events; ties keep the smallest code (TreeMap order). */
  private String homeRegion() {
    String home = null;
    long homeCount = 0;
    for (Map.Entry<String, long[]> e : regions.entrySet()) {
      if (e.getValue()[0] > homeCount) {
        home = e.getKey();
        homeCount = e.getValue()[0];
      }
    }
    return home;
  }

  private List<Long> hourList() {
    List<Long> hourList = new ArrayList<>(24);
    for (long h : hours) {
      hourList.add(h);
    }
    return hourList;
  }

  /** The daily spend threshold of a profile whose 90-day window has these statistics. */
  private static long dailyThreshold(DailySpendStats s90) {
    if (s90.getActiveDays() >= MIN_ACTIVE_DAYS) {
      return Math.max(
          MIN_DAILY_THRESHOLD_CENTS,
          Math.max(3 * s90.getMedianCents(), (3 * s90.getP95Cents() + 1) / 2));
    }
    return NEW_ACTOR_DAILY_THRESHOLD_CENTS;
  }

  private static long newLocationThreshold(long daily) {
    return Math.max(MIN_NEW_LOCATION_THRESHOLD_CENTS, daily / 2);
  }

  /**
   * Whether {@code p}, finished as of an earlier day, is the same profile as of {@code asOf} but
   * for its {@code asOf} field, with no new event: then {@code of(p).finish(asOf)} equals {@code p}
   * with {@code asOf} set, and an incremental run can copy it instead of finishing it again. Only
   * the windows move with the day: the profile changes when a day with spend leaves the 30-day
   * window (a day in {@code [p.asOf - 29, asOf - 30]}) or the 90-day one (a day up to {@code asOf -
   * 90}).
   */
  public static boolean sameAsOf(ActorProfile p, LocalDate asOf) {
    int from = (int) p.getAsOf().toEpochDay();
    int to = (int) asOf.toEpochDay();
    if (to < from) {
      return false; // finish refuses it, with the reason
    }
    int shortFirst = from - SHORT_WINDOW_DAYS + 1;
    int shortLeft = to - SHORT_WINDOW_DAYS;
    int longLeft = to - LONG_WINDOW_DAYS;
    for (DaySpend d : p.getDailySpend()) {
      int day = (int) d.getDay().toEpochDay();
      if (day <= longLeft || (day >= shortFirst && day <= shortLeft)) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code p}, finished as of an earlier day, as of {@code asOf} with no new event: equal to {@code
   * of(p).finish(asOf)}, without rebuilding the accumulator. Only what moves with the day is
   * computed again (the days that left the 90-day window dropped, both windows' statistics, the
   * thresholds), and only when a day with spend left a window ({@link #sameAsOf}); otherwise only
   * {@code asOf} changes. {@code p} itself is changed and returned.
   */
  public static ActorProfile rewindow(ActorProfile p, LocalDate asOf) {
    int from = (int) p.getAsOf().toEpochDay();
    int to = (int) asOf.toEpochDay();
    FraudBatchException.check(
        to >= from,
        "Cannot finish the profile of %s as of %s: it was built on a profile as of %s",
        p.getActorId(),
        asOf,
        p.getAsOf());
    if (!sameAsOf(p, asOf)) {
      List<DaySpend> kept = new ArrayList<>(p.getDailySpend().size());
      long[] cents90 = new long[p.getDailySpend().size()];
      long[] cents30 = new long[cents90.length];
      int n90 = 0;
      int n30 = 0;
      for (DaySpend d : p.getDailySpend()) {
        int day = (int) d.getDay().toEpochDay();
        if (day > to - LONG_WINDOW_DAYS) {
          kept.add(d);
          cents90[n90++] = d.getSumCents();
          if (day > to - SHORT_WINDOW_DAYS) {
            cents30[n30++] = d.getSumCents();
          }
        }
      }
      DailySpendStats s90 = spendStats(cents90, n90);
      long daily = dailyThreshold(s90);
      p.setDailySpend(kept);
      p.setSpend30(spendStats(cents30, n30));
      p.setSpend90(s90);
      p.setDailySpendThresholdCents(daily);
      p.setNewLocationDailySpendThresholdCents(newLocationThreshold(daily));
    }
    p.setAsOf(asOf);
    return p;
  }

  /** An accumulator holding exactly what {@code p} summarises (the incremental update's start). */
  public static ProfileAccumulator of(ActorProfile p) {
    ProfileAccumulator a = new ProfileAccumulator();
    a.actorId = p.getActorId();
    a.notBefore = (int) p.getAsOf().toEpochDay();
    a.firstSeen = p.getFirstSeen().toEpochMilli();
    a.lastSeen = p.getLastSeen().toEpochMilli();
    a.eventCount = p.getEventCount();
    a.unconverted = p.getUnconvertedCount();
    p.getByDecision()
        .forEach(k -> addCountSum(a.byDecision, k.getKey(), k.getCount(), k.getSumCents()));
    p.getByChannel()
        .forEach(k -> addCountSum(a.byChannel, k.getKey(), k.getCount(), k.getSumCents()));
    AmountStats s = p.getAmount();
    a.amountCount = s.getCount();
    a.amountSum = s.getSumCents();
    if (s.getCount() > 0) {
      a.amountMin = s.getMinCents();
      a.amountMax = s.getMaxCents();
    }
    // A repeated key (a profile finish did not write) keeps its last entry, as a map's put would.
    a.histogramOf(s.getHistogram());
    a.daysOf(p.getDailySpend());
    a.placesOf(p.getLocations());
    a.ipsOf(p.getIps());
    LastPlace lp = p.getLastPlace();
    if (lp != null) {
      Place pl = new Place(lp.getCountry(), lp.getRegion(), lp.getCity());
      pl.time = lp.getTime().toEpochMilli();
      pl.eventId = lp.getEventId();
      pl.lat = lp.getLat();
      pl.lon = lp.getLon();
      a.lastPlace = pl;
    }
    countsOf(a.mcc, p.getMcc());
    countsOf(a.regions, p.getRegions());
    List<Long> h = p.getHourOfDay();
    for (int i = 0; i < 24; i++) {
      a.hours[i] = h.get(i);
    }
    return a;
  }

  // of(p)'s loops, one method each (as finish's).

  private void histogramOf(List<Bucket> buckets) {
    histogram.reserve(buckets.size() + 4); // and a few new amounts' buckets
    for (Bucket b : buckets) {
      histogram.set(histogram.row(b.getIndex()), 0, b.getCount());
    }
  }

  private void daysOf(List<DaySpend> daily) {
    days.reserve(daily.size() + 2); // and the new day
    for (DaySpend d : daily) {
      int i = days.row((int) d.getDay().toEpochDay());
      days.set(i, 0, d.getCount());
      days.set(i, 1, d.getSumCents());
      days.set(i, 2, d.getHours());
    }
  }

  private void placesOf(List<SeenLocation> locations) {
    for (SeenLocation l : locations) {
      Place pl = new Place(l.getCountry(), l.getRegion(), l.getCity());
      pl.time = l.getLastSeen().toEpochMilli();
      pl.eventId = l.getLastEventId();
      pl.lat = l.getLat();
      pl.lon = l.getLon();
      places.put(pl.key(), pl);
    }
  }

  private void ipsOf(List<SeenIp> seen) {
    for (SeenIp i : seen) {
      ips.put(i.getIp(), new long[] {i.getLastSeen().toEpochMilli()});
    }
  }

  private static void countsOf(TreeMap<String, long[]> m, List<KeyCount> counts) {
    for (KeyCount k : counts) {
      m.put(k.getKey(), new long[] {k.getCount()});
    }
  }

  /** Histogram bucket of an amount in cents: 0 for 0, else ceil(log_g(cents)). */
  static int bucketOf(long cents) {
    if (cents <= 0) {
      return 0;
    }
    return Math.max(1, (int) Math.ceil(StrictMath.log(cents) / LOG_GAMMA));
  }

  /** The value a bucket stands for: 2 g^i / (g + 1), within (g-1)/(g+1) of any amount in it. */
  static long bucketValue(int index) {
    if (index == 0) {
      return 0;
    }
    return Math.round(2 * StrictMath.pow(GAMMA, index) / (GAMMA + 1));
  }

  private long histogramRank(long rank) {
    if (rank <= 0) {
      return 0;
    }
    long seen = 0;
    for (int i = 0; i < histogram.size(); i++) {
      seen += histogram.get(i, 0);
      if (seen >= rank) {
        // Clamp to the exact extremes: the first and last buckets' values can overshoot them.
        return Math.min(amountMax, Math.max(amountMin, bucketValue(histogram.key(i))));
      }
    }
    throw new IllegalStateException("histogram holds fewer than " + rank + " amounts");
  }

  private DailySpendStats spendStats(int fromDay) {
    long[] totals = new long[days.size()];
    int n = 0;
    for (int i = days.from(fromDay); i < days.size(); i++) {
      totals[n++] = days.get(i, 1);
    }
    return spendStats(totals, n);
  }

  /**
   * The statistics of the first {@code n} of {@code totals}, the window's active days (sorted in
   * place: every caller passes an array of its own).
   */
  private static DailySpendStats spendStats(long[] totals, int n) {
    if (n == 0) {
      return ProfileRecords.dailySpendStats(0, 0L, 0.0, 0L, 0L);
    }
    long total = 0;
    for (int i = 0; i < n; i++) {
      total += totals[i];
    }
    Arrays.sort(totals, 0, n);
    return ProfileRecords.dailySpendStats(
        n, total, (double) total / n, totals[(n + 1) / 2 - 1], totals[(95 * n + 99) / 100 - 1]);
  }

  private void setActor(String actor) {
    if (actorId == null) {
      actorId = actor;
    } else if (!actorId.equals(actor)) {
      throw new FraudBatchException(
          "Cannot combine the profiles of two actors: " + actorId + " and " + actor);
    }
  }

  private static final Comparator<Place> RECENT_FIRST =
      Comparator.comparingLong((Place p) -> -p.time).thenComparing(Place::key);

  private void offerPlace(Place p) {
    places.merge(p.key(), p, (old, nu) -> old.olderThan(nu.time, nu.eventId) ? nu : old);
    if (places.size() > 4 * RECENT_KEPT) {
      List<Place> keep = recentPlaces();
      places.clear();
      keep.forEach(k -> places.put(k.key(), k));
    }
  }

  private List<Place> recentPlaces() {
    List<Place> all = new ArrayList<>(places.values());
    all.sort(RECENT_FIRST);
    return all.size() > RECENT_KEPT ? new ArrayList<>(all.subList(0, RECENT_KEPT)) : all;
  }

  private void offerLastPlace(Place p) {
    if (lastPlace == null || lastPlace.olderThan(p.time, p.eventId)) {
      lastPlace = p;
    }
  }

  private void offerIp(String ip, long time) {
    ips.merge(ip, new long[] {time}, (old, nu) -> old[0] >= nu[0] ? old : nu);
    if (ips.size() > 4 * RECENT_KEPT) {
      List<Map.Entry<String, long[]>> keep = recentIps();
      ips.clear();
      keep.forEach(e -> ips.put(e.getKey(), e.getValue()));
    }
  }

  private List<Map.Entry<String, long[]>> recentIps() {
    List<Map.Entry<String, long[]>> all = new ArrayList<>(ips.entrySet());
    all.sort(
        Comparator.comparingLong((Map.Entry<String, long[]> e) -> -e.getValue()[0])
            .thenComparing(Map.Entry::getKey));
    return all.size() > RECENT_KEPT ? new ArrayList<>(all.subList(0, RECENT_KEPT)) : all;
  }

  private static void addCountSum(TreeMap<String, long[]> m, String key, long count, long sum) {
    long[] v = m.computeIfAbsent(key, k -> new long[2]);
    v[0] += count;
    v[1] += sum;
  }

  private static List<KeyCountSum> countSums(TreeMap<String, long[]> m) {
    List<KeyCountSum> out = new ArrayList<>(m.size());
    m.forEach((k, v) -> out.add(ProfileRecords.keyCountSum(k, v[0], v[1])));
    return out;
  }

  private static List<KeyCount> counts(TreeMap<String, long[]> m) {
    List<KeyCount> out = new ArrayList<>(m.size());
    m.forEach((k, v) -> out.add(ProfileRecords.keyCount(k, v[0])));
    return out;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
