package io.fraudbatch.sample;

import io.fraudbatch.core.rules.Geo;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Plans every injected incident before the run, so the number of fraud events is known up front and
 * the legitimate traffic can make up the requested total exactly.
 */
final class IncidentPlanner {
  static final long MINUTE = 60_000L;
  static final long HOUR = 60 * MINUTE;
  static final long DAY = 24 * HOUR;

  private final World world;
  private final TravelPlan travel;
  private final long start;
  private final int days;
  private final SplittableRandom r;
  private final long seed;

  final List<Incident> incidents = new ArrayList<>();

  /** Incident transactions by UTC day index. */
  final List<List<Txn>> byDay = new ArrayList<>();

  int fraudEvents;
  int anchorEvents;

  IncidentPlanner(long seed, World world, TravelPlan travel, long start, int days) {
    this.seed = seed;
    this.world = world;
    this.travel = travel;
    this.start = start;
    this.days = days;
    this.r = Rng.stream(seed, 6);
    for (int d = 0; d < days; d++) {
      byDay.add(new ArrayList<>());
    }
  }

  /** Default incident counts for a run of this size (at least two of each). */
  static Map<Scenario, Integer> defaultCounts(int actors, int days) {
    Map<Scenario, Integer> m = new EnumMap<>(Scenario.class);
    m.put(Scenario.CARD_TESTING, Math.max(2, days / 10));
    m.put(Scenario.ACCOUNT_TAKEOVER, Math.max(3, actors / 500));
    m.put(Scenario.IMPOSSIBLE_TRAVEL, Math.max(3, actors / 500));
    m.put(Scenario.REGIONAL_BURST, Math.max(2, days / 10));
    m.put(Scenario.COMPROMISED_MERCHANT, Math.max(2, days / 14));
    return m;
  }

  void plan(Map<Scenario, Integer> counts) {
    for (Scenario s : Scenario.values()) {
      int n = counts.getOrDefault(s, 0);
      for (int i = 0; i < n; i++) {
        switch (s) {
          case CARD_TESTING -> cardTesting();
          case ACCOUNT_TAKEOVER -> accountTakeover();
          case IMPOSSIBLE_TRAVEL -> impossibleTravel();
          case REGIONAL_BURST -> regionalBurst();
          case COMPROMISED_MERCHANT -> compromisedMerchant();
        }
      }
    }
  }

  /** A time in a random day after a warm-up, so the actors have some history first. */
  private long randomTime(long lastMs) {
    int warmUp = days >= 7 ? 3 : 0;
    int day = warmUp + r.nextInt(days - warmUp);
    long t = start + day * DAY + (long) (r.nextDouble() * (DAY - lastMs));
    return t;
  }

  private Set<Actor> stolenCards(int wanted, java.util.function.Predicate<Actor> ok) {
    int n = Math.max(1, Math.min(wanted, world.actors.length / 3));
    Set<Actor> picked = new LinkedHashSet<>();
    int tries = 0;
    while (picked.size() < n && tries++ < n * 50) {
      Actor a = world.actors[r.nextInt(world.actors.length)];
      if (ok.test(a)) {
        picked.add(a);
      }
    }
    return picked;
  }

  private Txn txn(Actor a, long time, Merchant m, String channel, City place, Scenario s, int inc) {
    Txn t = new Txn();
    t.eventId = Rng.uuid(r);
    t.time = time;
    t.actor = a;
    t.merchant = m;
    t.channel = channel;
    t.place = place;
    t.scenario = s;
    t.incident = inc;
    return t;
  }

  private void add(Txn t) {
    int day = (int) Math.floorDiv(t.time - start, DAY);
    if (day < 0 || day >= days) {
      return; // an incident running past the end of the range is cut there
    }
    byDay.get(day).add(t);
    if (t.scenario != null) {
      fraudEvents++;
    } else {
      anchorEvents++;
    }
  }

  private int countLabelled(List<Txn> ts) {
    int n = 0;
    for (Txn t : ts) {
      int day = (int) Math.floorDiv(t.time - start, DAY);
      if (t.scenario != null && day >= 0 && day < days) {
        n++;
      }
    }
    return n;
  }

  private void record(Scenario s, String key, long from, long to, Set<Actor> actors, List<Txn> ts) {
    for (Txn t : ts) {
      add(t);
    }
    incidents.add(
        new Incident(incidents.size() + 1, s, key, from, to, actors.size(), countLabelled(ts)));
  }

  private void cardTesting() {
    int id = incidents.size() + 1;
    Category c = r.nextBoolean() ? Category.DIGITAL_GOODS : Category.MISC_RETAIL;
    int[] candidates = world.webMerchants(c);
    Merchant m = world.merchant(candidates[r.nextInt(candidates.length)]);
    long duration = (20 + r.nextInt(41)) * MINUTE;
    long from = randomTime(duration);
    City attackerCity = world.randomCity(r);
    String prefix = attackerCity.ip(r.nextLong()).replaceAll("\\.\\d+$", "");
    String[] devices = {"dev-" + Rng.hex(r.nextLong(), 12), "dev-" + Rng.hex(r.nextLong(), 12)};
    Set<Actor> cards = stolenCards(40 + r.nextInt(81), a -> true);
    List<Txn> ts = new ArrayList<>();
    for (Actor a : cards) {
      int attempts = 1 + r.nextInt(3);
      for (int i = 0; i < attempts; i++) {
        Txn t =
            txn(
                a,
                from + (long) (r.nextDouble() * duration),
                m,
                "WEB",
                attackerCity,
                Scenario.CARD_TESTING,
                id);
        t.currency = a.home().currency();
        t.fxPerUsd = a.home().fxPerUsd();
        t.amount = Money.of(0.5 + r.nextDouble() * 1.5, a.home());
        t.ip = prefix + "." + (1 + r.nextInt(254));
        t.device = devices[r.nextInt(devices.length)];
        ts.add(t);
      }
    }
    record(Scenario.CARD_TESTING, m.id(), from, from + duration, cards, ts);
  }

  private void accountTakeover() {
    int id = incidents.size() + 1;
    Actor a = world.actors[r.nextInt(world.actors.length)];
    long duration = (60 + r.nextInt(121)) * MINUTE;
    long from = randomTime(duration);
    City abroad = world.randomCity(r);
    for (int i = 0; abroad.country().equals(a.home().country()) && i < 20; i++) {
      abroad = world.randomCity(r);
    }
    String device = "dev-" + Rng.hex(r.nextLong(), 12);
    String ip = abroad.ip(r.nextLong());
    int n = 2 + r.nextInt(5);
    Category[] cats = {Category.ELECTRONICS, Category.MISC_RETAIL, Category.DIGITAL_GOODS};
    List<Txn> ts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Category c = cats[r.nextInt(cats.length)];
      int[] ms = world.webMerchants(c);
      Merchant m = world.merchant(ms[r.nextInt(ms.length)]);
      Txn t =
          txn(
              a,
              from + (long) (r.nextDouble() * duration),
              m,
              "WEB",
              abroad,
              Scenario.ACCOUNT_TAKEOVER,
              id);
      t.currency = a.home().currency();
      t.fxPerUsd = a.home().fxPerUsd();
      t.amount = Money.of(40 * a.ticketScale() * (4 + r.nextDouble() * 8), a.home());
      t.ip = ip;
      t.device = device;
      ts.add(t);
    }
    record(Scenario.ACCOUNT_TAKEOVER, a.id(), from, from + duration, Set.of(a), ts);
  }

  private void impossibleTravel() {
    int id = incidents.size() + 1;
    Actor a = world.actors[r.nextInt(world.actors.length)];
    long anchorTime = randomTime(4 * HOUR);
    int day = (int) ((anchorTime - start) / DAY);
    City here = world.cities.get(travel.cityOn(a, day));
    City far = world.randomCity(r);
    for (int i = 0; Geo.km(here.lat(), here.lon(), far.lat(), far.lon()) < 3000 && i < 50; i++) {
      far = world.randomCity(r);
    }
    List<Txn> ts = new ArrayList<>();
    // The genuine purchase the fraud is impossible relative to: legitimate, not labelled.
    int[] local = world.posMerchants(here, Category.GROCERY);
    Txn anchor =
        txn(a, anchorTime, world.merchant(local[r.nextInt(local.length)]), "POS", here, null, -1);
    anchor.currency = here.currency();
    anchor.fxPerUsd = here.fxPerUsd();
    anchor.amount = Money.of(Rng.logNormal(r, 45 * a.ticketScale(), 0.5), here);
    ts.add(anchor);
    long from = anchorTime + (20 + r.nextInt(100)) * MINUTE;
    int n = 1 + r.nextInt(3);
    long last = from;
    for (int i = 0; i < n; i++) {
      boolean atm = r.nextInt(3) == 0;
      Category c = atm ? Category.CASH : Category.ELECTRONICS;
      int[] ms = world.posMerchants(far, c);
      if (ms.length == 0) {
        ms = world.posMerchants(far, Category.DEPARTMENT_STORE);
      }
      long t0 = from + i * (5 + r.nextInt(30)) * MINUTE;
      Txn t =
          txn(
              a,
              t0,
              world.merchant(ms[r.nextInt(ms.length)]),
              atm ? "ATM" : "POS",
              far,
              Scenario.IMPOSSIBLE_TRAVEL,
              id);
      t.currency = far.currency();
      t.fxPerUsd = far.fxPerUsd();
      double usd = 45 * a.ticketScale() * (2 + r.nextDouble() * 4);
      t.amount = atm ? Money.cash(usd * 2, far) : Money.of(usd, far);
      ts.add(t);
      last = t0;
    }
    record(Scenario.IMPOSSIBLE_TRAVEL, a.id(), from, last + MINUTE, Set.of(a), ts);
  }

  private void regionalBurst() {
    int id = incidents.size() + 1;
    City seedCity = world.randomCity(r);
    String region = seedCity.region();
    List<City> inRegion = world.cities.stream().filter(c -> c.region().equals(region)).toList();
    long hourStart = start + (randomTime(HOUR) - start) / HOUR * HOUR;
    Set<Actor> cards = stolenCards(60 + r.nextInt(91), a -> !a.home().region().equals(region));
    Category[] cats = {
      Category.ELECTRONICS, Category.DEPARTMENT_STORE, Category.CLOTHING, Category.CASH
    };
    List<Txn> ts = new ArrayList<>();
    for (Actor a : cards) {
      int n = 1 + r.nextInt(2);
      for (int i = 0; i < n; i++) {
        City city = inRegion.get(r.nextInt(inRegion.size()));
        Category c = cats[r.nextInt(cats.length)];
        int[] ms = world.posMerchants(city, c);
        if (ms.length == 0) {
          ms = world.posMerchants(city, Category.GROCERY);
        }
        boolean atm = c == Category.CASH;
        Txn t =
            txn(
                a,
                hourStart + (long) (r.nextDouble() * HOUR),
                world.merchant(ms[r.nextInt(ms.length)]),
                atm ? "ATM" : "POS",
                city,
                Scenario.REGIONAL_BURST,
                id);
        t.currency = city.currency();
        t.fxPerUsd = city.fxPerUsd();
        double usd = c.medianUsd * (2 + r.nextDouble() * 3);
        t.amount = atm ? Money.cash(usd, city) : Money.of(usd, city);
        ts.add(t);
      }
    }
    record(Scenario.REGIONAL_BURST, region, hourStart, hourStart + HOUR, cards, ts);
  }

  private void compromisedMerchant() {
    int id = incidents.size() + 1;
    City city = world.randomCity(r);
    Category[] cats = {
      Category.FUEL, Category.ELECTRONICS, Category.MISC_RETAIL, Category.DEPARTMENT_STORE
    };
    Category c = cats[r.nextInt(cats.length)];
    int[] ms = world.posMerchants(city, c);
    Merchant m = world.merchant(ms[r.nextInt(ms.length)]);
    long duration = (2 + r.nextInt(5)) * HOUR;
    long from = randomTime(duration);
    Set<Actor> cards = stolenCards(30 + r.nextInt(51), a -> a.home().index() != city.index());
    List<Txn> ts = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Actor a : cards) {
      int n = 1 + r.nextInt(2);
      for (int i = 0; i < n; i++) {
        Txn t =
            txn(
                a,
                from + (long) (r.nextDouble() * duration),
                m,
                "POS",
                city,
                Scenario.COMPROMISED_MERCHANT,
                id);
        t.currency = city.currency();
        t.fxPerUsd = city.fxPerUsd();
        t.amount = Money.of(c.medianUsd * (3 + r.nextDouble() * 5), city);
        ts.add(t);
        seen.add(a.id());
      }
    }
    record(Scenario.COMPROMISED_MERCHANT, m.id(), from, from + duration, cards, ts);
  }

  long seed() {
    return seed;
  }
}
