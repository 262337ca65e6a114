package io.fraudbatch.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The cities, merchants and actors of one generated run, all derived from the seed. */
final class World {
  static final int MERCHANTS_PER_CITY = 40;
  static final int WEB_MERCHANTS = 150;

  final List<City> cities;
  final double[] cityCumulative;
  final List<Merchant> merchants;

  /** Per city, per category: indexes into {@link #merchants}. */
  final int[][][] posMerchants;

  /** Per category: indexes of web merchants. */
  final int[][] webMerchants;

  final Actor[] actors;

  World(long seed, int actorCount) {
    this.cities = City.load();
    this.cityCumulative = Rng.cumulative(cities.stream().mapToDouble(City::weight).toArray());
    Category[] cats = Category.values();

    SplittableRandom mr = Rng.stream(seed, 1);
    List<Merchant> ms = new ArrayList<>();
    double[] posWeights = new double[cats.length];
    double[] webWeights = new double[cats.length];
    for (Category c : cats) {
      posWeights[c.ordinal()] = c.pos || c == Category.CASH ? c.weight : 0;
      webWeights[c.ordinal()] = c.web ? c.weight : 0;
    }
    double[] posCum = Rng.cumulative(posWeights);
    double[] webCum = Rng.cumulative(webWeights);
    posMerchants = new int[cities.size()][cats.length][];
    for (City city : cities) {
      List<List<Integer>> byCat = new ArrayList<>();
      for (int i = 0; i < cats.length; i++) {
        byCat.add(new ArrayList<>());
      }
      for (int i = 0; i < MERCHANTS_PER_CITY + cats.length; i++) {
        // The first pass guarantees one merchant of every physical category per city.
        Category c = i < cats.length ? cats[i] : cats[Rng.pick(mr, posCum)];
        if (!(c.pos || c == Category.CASH)) {
          continue;
        }
        Merchant m = new Merchant(ms.size(), merchantId(seed, ms.size()), c, city, false);
        ms.add(m);
        byCat.get(c.ordinal()).add(m.index());
      }
      for (int i = 0; i < cats.length; i++) {
        posMerchants[city.index()][i] = byCat.get(i).stream().mapToInt(Integer::intValue).toArray();
      }
    }
    List<List<Integer>> webByCat = new ArrayList<>();
    for (int i = 0; i < cats.length; i++) {
      webByCat.add(new ArrayList<>());
    }
    for (int i = 0; i < WEB_MERCHANTS + cats.length; i++) {
      Category c = i < cats.length ? cats[i] : cats[Rng.pick(mr, webCum)];
      if (!c.web) {
        continue;
      }
      City home = cities.get(Rng.pick(mr, cityCumulative));
      Merchant m = new Merchant(ms.size(), merchantId(seed, ms.size()), c, home, true);
      ms.add(m);
      webByCat.get(c.ordinal()).add(m.index());
    }
    webMerchants = new int[cats.length][];
    for (int i = 0; i < cats.length; i++) {
      webMerchants[i] = webByCat.get(i).stream().mapToInt(Integer::intValue).toArray();
    }
    this.merchants = List.copyOf(ms);

    actors = new Actor[actorCount];
    for (int a = 0; a < actorCount; a++) {
      actors[a] = newActor(seed, a, cats);
    }
  }

  private Actor newActor(long seed, int index, Category[] cats) {
    SplittableRandom r = Rng.stream(seed, 2, index);
    City home = cities.get(Rng.pick(r, cityCumulative));
    double[] w = new double[cats.length];
    for (Category c : cats) {
      // Each actor over- and under-uses categories: a lognormal taste around the population mix.
      w[c.ordinal()] = c.weight * Math.exp(0.9 * Rng.normal(r));
    }
    double webShare = Math.min(0.7, Math.max(0.02, Rng.logNormal(r, 0.18, 0.6)));
    String[] devices = new String[1 + r.nextInt(2)];
    for (int i = 0; i < devices.length; i++) {
      devices[i] = "dev-" + Rng.hex(r.nextLong(), 12);
    }
    String[] ips = new String[1 + r.nextInt(2)];
    for (int i = 0; i < ips.length; i++) {
      ips[i] = home.ip(r.nextLong());
    }
    int[] fav = new int[cats.length];
    for (Category c : cats) {
      int[] local = posMerchants[home.index()][c.ordinal()];
      fav[c.ordinal()] = local.length == 0 ? -1 : local[r.nextInt(local.length)];
    }
    return new Actor(
        index,
        "C" + Rng.hex(Rng.key(seed, 3, index), 15).toUpperCase(java.util.Locale.ROOT),
        home,
        Rng.gamma(r, 2.0, 1.25), // mean 2.5 transactions a day, long right tail
        Rng.logNormal(r, 1.0, 0.45),
        Rng.cumulative(w),
        webShare,
        0.03,
        Rng.normal(r) * 1.5,
        devices,
        ips,
        fav);
  }

  City randomCity(SplittableRandom r) {
    return cities.get(Rng.pick(r, cityCumulative));
  }

  Merchant merchant(int index) {
    return merchants.get(index);
  }

  int[] posMerchants(City city, Category c) {
    return posMerchants[city.index()][c.ordinal()];
  }

  int[] webMerchants(Category c) {
    return webMerchants[c.ordinal()];
  }

  static String merchantId(long seed, int index) {
    return "M" + Rng.hex(Rng.key(seed, 4, index), 10).toUpperCase(java.util.Locale.ROOT);
  }
}
