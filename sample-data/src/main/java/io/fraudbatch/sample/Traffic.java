package io.fraudbatch.sample;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

/** Legitimate traffic: each actor's habits turned into transactions for one UTC day. */
final class Traffic {
  /** Relative activity by local hour: quiet nights, lunch and early-evening peaks. */
  private static final double[] HOUR_WEIGHTS = {
    0.4, 0.25, 0.15, 0.1, 0.1, 0.2, 0.6, 1.4, 2.2, 2.6, 3.0, 3.6, 4.4, 4.0, 3.4, 3.3, 3.6, 4.2, 4.8,
    4.5, 3.6, 2.6, 1.6, 0.9
  };

  /** Activity by day of week, Monday first. */
  static final double[] WEEKDAY_FACTOR = {0.95, 0.95, 1.0, 1.0, 1.1, 1.2, 0.85};

  private static final double[] HOUR_CUM = Rng.cumulative(HOUR_WEIGHTS);

  private final World world;
  private final TravelPlan travel;
  private final long start;
  private final long seed;

  Traffic(long seed, World world, TravelPlan travel, long start) {
    this.seed = seed;
    this.world = world;
    this.travel = travel;
    this.start = start;
  }

  static double weekdayFactor(long dayStartMs) {
    int dow =
        Instant.ofEpochMilli(dayStartMs).atZone(java.time.ZoneOffset.UTC).getDayOfWeek().getValue();
    return WEEKDAY_FACTOR[dow - 1];
  }

  /** Appends {@code count} legitimate transactions of actor {@code a} on day {@code day}. */
  void generate(Actor a, int day, int count, List<Txn> out) {
    if (count == 0) {
      return;
    }
    SplittableRandom r = Rng.stream(seed, 10, a.index(), day);
    long dayStart = start + day * IncidentPlanner.DAY;
    City where = world.cities.get(travel.cityOn(a, day));
    boolean away = where.index() != a.home().index();
    int offsetHours =
        where.zone().getRules().getOffset(Instant.ofEpochMilli(dayStart)).getTotalSeconds() / 3600;
    Category[] cats = Category.values();
    for (int i = 0; i < count; i++) {
      Txn t = new Txn();
      t.eventId = Rng.uuid(r);
      t.actor = a;
      double shifted = Rng.pick(r, HOUR_CUM) + a.peakHourShift() + r.nextDouble();
      int localSecond = (int) (Math.floorMod((long) (shifted * 3600), 86_400L));
      long utcSecond = Math.floorMod(localSecond - offsetHours * 3600L, 86_400L);
      t.time = dayStart + utcSecond * 1000 + r.nextInt(1000);

      double u = r.nextDouble();
      t.channel =
          u < a.atmShare()
              ? "ATM"
              : u < a.atmShare() + a.webShare() * (away ? 0.5 : 1) ? "WEB" : "POS";
      Category c;
      if ("ATM".equals(t.channel)) {
        c = Category.CASH;
      } else {
        c = cats[Rng.pick(r, a.categoryCumulative())];
        for (int k = 0; k < 20 && !(t.channel.equals("WEB") ? c.web : c.pos); k++) {
          c = cats[Rng.pick(r, a.categoryCumulative())];
        }
        if (!(t.channel.equals("WEB") ? c.web : c.pos)) {
          c = t.channel.equals("WEB") ? Category.DIGITAL_GOODS : Category.GROCERY;
        }
      }
      if (t.channel.equals("WEB")) {
        int[] ms = world.webMerchants(c);
        t.merchant = world.merchant(ms[r.nextInt(ms.length)]);
        City home = a.home();
        t.place = away && r.nextInt(10) < 7 ? where : home;
        t.ip = t.place == home ? a.ips()[r.nextInt(a.ips().length)] : where.ip(r.nextLong());
        t.device = a.devices()[r.nextInt(a.devices().length)];
        t.currency = home.currency();
        t.fxPerUsd = home.fxPerUsd();
        t.amount = Money.of(Rng.logNormal(r, c.medianUsd * a.ticketScale(), c.sigma), home);
      } else {
        int fav = a.favouriteMerchants()[c.ordinal()];
        int[] ms = world.posMerchants(where, c);
        if (!away && fav >= 0 && r.nextInt(2) == 0) {
          t.merchant = world.merchant(fav);
        } else if (ms.length > 0) {
          t.merchant = world.merchant(ms[r.nextInt(ms.length)]);
        } else {
          int[] groceries = world.posMerchants(where, Category.GROCERY);
          t.merchant = world.merchant(groceries[r.nextInt(groceries.length)]);
          c = Category.GROCERY;
        }
        t.place = where;
        t.currency = where.currency();
        t.fxPerUsd = where.fxPerUsd();
        double usd = Rng.logNormal(r, c.medianUsd * a.ticketScale(), c.sigma);
        t.amount = c == Category.CASH ? Money.cash(usd, where) : Money.of(usd, where);
      }
      out.add(t);
    }
  }
}
