package io.fraudbatch.sample;

import io.fraudbatch.core.rules.Geo;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A simple stand-in for the online tier's rules, so decisions and reasons look like the real thing:
 * some fraud is caught, some missed, and some honest customers are flagged.
 *
 * <p>Rules (codes as the online tier writes them): {@code AMOUNT_OVER_PROFILE} amount above four
 * times the actor's usual ticket and above 150 USD; {@code NEW_LOCATION} a card-present city not
 * among the actor's last 20; {@code IMPOSSIBLE_TRAVEL} faster than 900 km/h since the last
 * card-present transaction (over 300 km); {@code NEW_DEVICE} a web device never seen; {@code
 * VELOCITY} five or more transactions within ten minutes; {@code ISSUER_DECLINE} the issuer
 * declined (insufficient funds and the like, 1.5% at random).
 */
final class OnlineRules {
  static final double IMPOSSIBLE_KMH = 900;
  static final double ISSUER_DECLINE_RATE = 0.015;

  /** Per-actor memory of the online tier. */
  static final class State {
    int count;
    int webCount;
    double ticketUsd;
    final String[] cities = new String[20];
    int cityCount;
    final String[] devices = new String[10];
    int deviceCount;
    boolean hasLastPlace;
    double lastLat;
    double lastLon;
    long lastPlaceTime;
    final long[] recent = new long[8];
    int recentCount;
  }

  private OnlineRules() {}

  static void decide(Txn t, State s, SplittableRandom r, String rulesVersion) {
    List<String> reasons = new ArrayList<>(2);
    double usd = t.amountUsd();
    double score = 0.05;
    if (s.count >= 5 && usd > Math.max(4 * s.ticketUsd, 150)) {
      reasons.add("AMOUNT_OVER_PROFILE");
      score += 0.35;
    }
    if (t.physical()) {
      if (s.count >= 3 && !contains(s.cities, s.cityCount, t.place.name())) {
        reasons.add("NEW_LOCATION");
        score += 0.25;
      }
      if (s.hasLastPlace) {
        double km = Geo.km(s.lastLat, s.lastLon, t.place.lat(), t.place.lon());
        double hours = Math.max(1.0 / 60, (t.time - s.lastPlaceTime) / 3_600_000.0);
        if (km > 300 && km / hours > IMPOSSIBLE_KMH) {
          reasons.add("IMPOSSIBLE_TRAVEL");
          score += 0.6;
        }
      }
    } else if (t.device != null
        && s.webCount >= 1
        && !contains(s.devices, s.deviceCount, t.device)) {
      reasons.add("NEW_DEVICE");
      score += 0.25;
    }
    int inTenMinutes = 1;
    for (int i = 0; i < Math.min(s.recentCount, s.recent.length); i++) {
      if (t.time - s.recent[i] <= 10 * 60_000L) {
        inTenMinutes++;
      }
    }
    if (inTenMinutes >= 5) {
      reasons.add("VELOCITY");
      score += 0.3;
    }
    score = Math.max(0, Math.min(1, score + 0.05 * Rng.normal(r)));
    score = Math.round(score * 1000) / 1000.0;
    String decision = score >= 0.6 ? "DENIED" : score >= 0.35 ? "REVIEW" : "APPROVED";
    if (!"DENIED".equals(decision) && r.nextDouble() < ISSUER_DECLINE_RATE) {
      decision = "DENIED";
      reasons.add("ISSUER_DECLINE");
    }
    t.decision = decision;
    t.reasons = reasons;
    t.score = score;
    t.decidedAt = t.time + 20 + r.nextInt(380);
    t.rulesVersion = rulesVersion;

    // Learn: the online tier updates its memory with what it let through.
    s.recent[s.recentCount++ % s.recent.length] = t.time;
    if (!"DENIED".equals(decision)) {
      s.ticketUsd = s.count == 0 ? usd : 0.9 * s.ticketUsd + 0.1 * usd;
      s.count++;
      if (t.physical()) {
        if (!contains(s.cities, s.cityCount, t.place.name())) {
          remember(s.cities, s.cityCount++, t.place.name());
        }
        s.hasLastPlace = true;
        s.lastLat = t.place.lat();
        s.lastLon = t.place.lon();
        s.lastPlaceTime = t.time;
      } else {
        s.webCount++;
        if (t.device != null && !contains(s.devices, s.deviceCount, t.device)) {
          remember(s.devices, s.deviceCount++, t.device);
        }
      }
    }
  }

  private static boolean contains(String[] ring, int count, String v) {
    for (int i = 0; i < Math.min(count, ring.length); i++) {
      if (v.equals(ring[i])) {
        return true;
      }
    }
    return false;
  }

  private static void remember(String[] ring, int count, String v) {
    ring[count % ring.length] = v;
  }
}
