package io.fraudbatch.core.rules;

import io.fraudbatch.avro.ActorProfile;
import io.fraudbatch.avro.DaySpend;
import io.fraudbatch.avro.LastPlace;
import io.fraudbatch.avro.SeenLocation;
import io.fraudbatch.core.profile.ProfileAccumulator;
import io.fraudbatch.core.profile.ProfileInput;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The online rules a backtest replays, with the batch profile as of the day before: what the online
 * tier would decide with a given threshold multiplier {@code k}.
 *
 * <ul>
 *   <li>{@code AMOUNT_OVER_PROFILE}: the actor's accepted spend that day including this transaction
 *       exceeds the larger of {@code k} x the profile's median daily spend and {@code k/2} x its
 *       95th-percentile day (90 days; the profile's own published threshold at {@code k} = 3), at
 *       least {@value ProfileAccumulator#MIN_DAILY_THRESHOLD_CENTS} cents; with fewer than {@value
 *       ProfileAccumulator#MIN_ACTIVE_DAYS} active days (or no profile) the new-actor allowance
 *       {@value ProfileAccumulator#NEW_ACTOR_DAILY_THRESHOLD_CENTS} cents applies instead.
 *   <li>{@code AMOUNT_HALVED_AT_NEW_PLACE}: the same, with {@code k} halved at a place the actor
 *       has not used (not among the profile's locations nor earlier that day); both are printed so
 *       the backtest measures what the halving buys (nothing on replayed Sparkov, F1 0.39 to 0.47
 *       at k = 2 on the generator's demo sample), and ANY uses the halved one.
 *   <li>{@code UNFAMILIAR_HOUR}: the actor was active on at least {@value #HOUR_MIN_DAYS} days of
 *       the last {@value ProfileAccumulator#SHORT_WINDOW_DAYS} and on none of them within an hour
 *       of this transaction's UTC hour (the profile's daily hour sets); independent of {@code k}.
 *   <li>{@code IMPOSSIBLE_TRAVEL}: more than {@value #TRAVEL_MIN_KM} km from the previous place
 *       with coordinates (the profile's last place, or an earlier accepted transaction that day) at
 *       more than {@value #TRAVEL_MAX_KMH} km/h (time gap at least one minute).
 *   <li>{@code ANY}: amount over profile (k halved at a new place), unfamiliar hour or impossible
 *       travel.
 *   <li>{@code PLAIN_3X_30D}, the reference printed beside them: the day's accepted spend passes 3x
 *       the actor's median daily spend over its active days of the last 30 (needs one), no floor,
 *       no allowance.
 * </ul>
 *
 * Within the day, the state learns from accepted transactions (decision not DENIED) in time order,
 * as the online tier does; events of equal time are taken by eventId.
 */
public final class RuleBacktest {
  public static final double TRAVEL_MIN_KM = 300;
  public static final double TRAVEL_MAX_KMH = 900;

  /** Active days of the last 30 an actor needs before an hour can be unfamiliar. */
  public static final int HOUR_MIN_DAYS = 10;

  /**
   * The default multiplier: where the backtest's F1 peaked on replayed Sparkov (a run nobody here
   * generated); checked on PaySim and the generator (docs/replayed-datasets.md).
   */
  public static final double DEFAULT_K = 8;

  public static final String AMOUNT = "AMOUNT_OVER_PROFILE";
  public static final String AMOUNT_HALVED = "AMOUNT_HALVED_AT_NEW_PLACE";
  public static final String HOUR = "UNFAMILIAR_HOUR";
  public static final String TRAVEL = "IMPOSSIBLE_TRAVEL";
  public static final String ANY = "ANY";
  public static final String PLAIN = "PLAIN_3X_30D";

  private RuleBacktest() {}

  /** What the rules said about one event. */
  public record Verdict(
      String eventId,
      boolean amount,
      boolean travel,
      boolean amountHalved,
      boolean hour,
      boolean plain) {
    /** The fields {@link #amount} and {@link #travel} only (the rest false). */
    public Verdict(String eventId, boolean amount, boolean travel) {
      this(eventId, amount, travel, false, false, false);
    }

    /** Amount (k halved at a new place), unfamiliar hour or travel. */
    public boolean any() {
      return amountHalved || travel || hour;
    }

    /** The verdict of a rule by name. */
    public boolean of(String rule) {
      return switch (rule) {
        case AMOUNT -> amount;
        case AMOUNT_HALVED -> amountHalved;
        case HOUR -> hour;
        case TRAVEL -> travel;
        case ANY -> any();
        case PLAIN -> plain;
        default -> throw new IllegalArgumentException("unknown rule " + rule);
      };
    }
  }

  /** The daily-spend threshold in cents for multiplier {@code k} (null profile: a new actor). */
  public static long threshold(ActorProfile p, double k) {
    if (p == null || p.getSpend90().getActiveDays() < ProfileAccumulator.MIN_ACTIVE_DAYS) {
      return ProfileAccumulator.NEW_ACTOR_DAILY_THRESHOLD_CENTS;
    }
    return Math.max(
        ProfileAccumulator.MIN_DAILY_THRESHOLD_CENTS,
        (long)
            Math.ceil(
                Math.max(
                    k * p.getSpend90().getMedianCents(), k / 2 * p.getSpend90().getP95Cents())));
  }

  /**
   * The hours of day (bit set) the actor was active in within an hour of, over the last 30 days of
   * its profile, or -1 when it was active on fewer than {@link #HOUR_MIN_DAYS} of them (no habit).
   */
  static long recentHours(ActorProfile p) {
    if (p == null) {
      return -1;
    }
    long from = p.getAsOf().toEpochDay() - ProfileAccumulator.SHORT_WINDOW_DAYS + 1;
    long hours = 0;
    int days = 0;
    for (DaySpend d : p.getDailySpend()) {
      // A day without hours was written before they were kept: it says nothing of them.
      if (d.getDay().toEpochDay() >= from && d.getHours() != 0) {
        days++;
        hours |= d.getHours();
      }
    }
    if (days < HOUR_MIN_DAYS) {
      return -1;
    }
    // Widen by an hour each way (around midnight too).
    long wide = hours | (hours << 1) | (hours >>> 1) | ((hours & 1) << 23) | ((hours >>> 23) & 1);
    return wide & 0xFFFFFFL;
  }

  /** The plain reference rule's threshold: 3 x the 30-day median day, or none (-1). */
  static long plainThreshold(ActorProfile p) {
    if (p == null || p.getSpend30().getActiveDays() == 0) {
      return -1;
    }
    return 3 * p.getSpend30().getMedianCents();
  }

  /**
   * Replays one actor's events of one day (any order) against its profile as of the day before
   * (null if it had none).
   */
  public static List<Verdict> replay(ActorProfile profile, List<ProfileInput> day, double k) {
    List<ProfileInput> events = new ArrayList<>(day);
    events.sort(
        Comparator.comparingLong(ProfileInput::eventTime).thenComparing(ProfileInput::eventId));
    Set<String> places = new HashSet<>();
    boolean hasLast = false;
    double lastLat = 0;
    double lastLon = 0;
    long lastTime = 0;
    if (profile != null) {
      for (SeenLocation l : profile.getLocations()) {
        places.add(place(l.getCountry(), l.getRegion(), l.getCity()));
      }
      LastPlace lp = profile.getLastPlace();
      if (lp != null) {
        hasLast = true;
        lastLat = lp.getLat();
        lastLon = lp.getLon();
        lastTime = lp.getTime().toEpochMilli();
      }
    }
    long full = threshold(profile, k);
    long lowered = threshold(profile, k / 2);
    long habit = recentHours(profile);
    long plain = plainThreshold(profile);
    long spent = 0;
    List<Verdict> out = new ArrayList<>(events.size());
    for (ProfileInput e : events) {
      // Money received is not spend: it neither counts towards the day's spend nor is judged.
      long cents = e.usdCents() == null || e.moneyIn() ? 0 : e.usdCents();
      boolean unseen =
          e.city() != null && !places.contains(place(nz(e.country()), nz(e.region()), e.city()));
      boolean amount = !e.moneyIn() && spent + cents > full;
      boolean halved = !e.moneyIn() && spent + cents > (unseen ? lowered : full);
      int hourOfDay = (int) (Math.floorMod(e.eventTime(), 86_400_000L) / 3_600_000L);
      boolean hour = habit >= 0 && (habit & (1L << hourOfDay)) == 0;
      boolean plainFlag = !e.moneyIn() && plain >= 0 && spent + cents > plain;
      boolean travel = false;
      boolean coords = e.lat() != null && e.lon() != null;
      if (coords && hasLast) {
        double km = Geo.km(lastLat, lastLon, e.lat(), e.lon());
        double hours = Math.max(1.0 / 60, (e.eventTime() - lastTime) / 3_600_000.0);
        travel = km > TRAVEL_MIN_KM && km / hours > TRAVEL_MAX_KMH;
      }
      out.add(new Verdict(e.eventId(), amount, travel, halved, hour, plainFlag));
      if (!ProfileAccumulator.DENIED.equals(e.decision())) {
        spent += cents;
        if (e.city() != null) {
          places.add(place(nz(e.country()), nz(e.region()), e.city()));
        }
        if (coords) {
          hasLast = true;
          lastLat = e.lat();
          lastLon = e.lon();
          lastTime = e.eventTime();
        }
      }
    }
    return out;
  }

  private static String place(String country, String region, String city) {
    return country + '\u0000' + region + '\u0000' + city;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
