package io.fraudbatch.core.rules;

import io.fraudbatch.avro.ActorProfile;
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
 *       exceeds {@code k} x the profile's median daily spend (90 days), at least {@value
 *       ProfileAccumulator#MIN_DAILY_THRESHOLD_CENTS} cents; with fewer than {@value
 *       ProfileAccumulator#MIN_ACTIVE_DAYS} active days (or no profile) the new-actor allowance
 *       {@value ProfileAccumulator#NEW_ACTOR_DAILY_THRESHOLD_CENTS} cents applies instead. At a
 *       place the actor has not used (not among the profile's locations nor earlier that day) the
 *       multiplier is halved: an unseen location lowers k.
 *   <li>{@code IMPOSSIBLE_TRAVEL}: more than {@value #TRAVEL_MIN_KM} km from the previous place
 *       with coordinates (the profile's last place, or an earlier accepted transaction that day) at
 *       more than {@value #TRAVEL_MAX_KMH} km/h (time gap at least one minute).
 *   <li>{@code ANY}: either.
 * </ul>
 *
 * Within the day, the state learns from accepted transactions (decision not DENIED) in time order,
 * as the online tier does; events of equal time are taken by eventId.
 */
public final class RuleBacktest {
  public static final double TRAVEL_MIN_KM = 300;
  public static final double TRAVEL_MAX_KMH = 900;

  public static final String AMOUNT = "AMOUNT_OVER_PROFILE";
  public static final String TRAVEL = "IMPOSSIBLE_TRAVEL";
  public static final String ANY = "ANY";

  private RuleBacktest() {}

  /** What the rules said about one event. */
  public record Verdict(String eventId, boolean amount, boolean travel) {
    public boolean any() {
      return amount || travel;
    }
  }

  /** The daily-spend threshold in cents for multiplier {@code k} (null profile: a new actor). */
  public static long threshold(ActorProfile p, double k) {
    if (p == null || p.getSpend90().getActiveDays() < ProfileAccumulator.MIN_ACTIVE_DAYS) {
      return ProfileAccumulator.NEW_ACTOR_DAILY_THRESHOLD_CENTS;
    }
    return Math.max(
        ProfileAccumulator.MIN_DAILY_THRESHOLD_CENTS,
        (long) Math.ceil(k * p.getSpend90().getMedianCents()));
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
    long spent = 0;
    List<Verdict> out = new ArrayList<>(events.size());
    for (ProfileInput e : events) {
      long cents = e.usdCents() == null ? 0 : e.usdCents();
      boolean unseen =
          e.city() != null && !places.contains(place(nz(e.country()), nz(e.region()), e.city()));
      boolean amount = spent + cents > (unseen ? lowered : full);
      boolean travel = false;
      boolean coords = e.lat() != null && e.lon() != null;
      if (coords && hasLast) {
        double km = Geo.km(lastLat, lastLon, e.lat(), e.lon());
        double hours = Math.max(1.0 / 60, (e.eventTime() - lastTime) / 3_600_000.0);
        travel = km > TRAVEL_MIN_KM && km / hours > TRAVEL_MAX_KMH;
      }
      out.add(new Verdict(e.eventId(), amount, travel));
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
