package io.fraudbatch.sample;

import java.util.SplittableRandom;

/** Where each actor is on each day: home, or on an occasional trip to another city. */
final class TravelPlan {
  static final double TRIP_START_PER_DAY = 0.006;

  private final short[][] cityByDay;

  TravelPlan(long seed, World world, int days) {
    cityByDay = new short[world.actors.length][];
    for (Actor a : world.actors) {
      SplittableRandom r = Rng.stream(seed, 5, a.index());
      short[] plan = new short[days];
      int d = 0;
      while (d < days) {
        if (r.nextDouble() < TRIP_START_PER_DAY) {
          City dest = world.randomCity(r);
          if (dest.index() == a.home().index()) {
            dest = world.cities.get((dest.index() + 1) % world.cities.size());
          }
          int length = 2 + r.nextInt(5);
          for (int i = 0; i < length && d < days; i++, d++) {
            plan[d] = (short) dest.index();
          }
        } else {
          plan[d++] = (short) a.home().index();
        }
      }
      cityByDay[a.index()] = plan;
    }
  }

  int cityOn(Actor a, int day) {
    return cityByDay[a.index()][day];
  }
}
