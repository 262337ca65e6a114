package io.fraudbatch.sample;

import io.fraudbatch.core.FraudBatchException;
import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Adds labelled cross-user incidents to an imported dataset, so the anomaly job can be measured on
 * data nobody here generated: the incidents are placed at the dataset's own merchants and regions,
 * at amounts taken from the dataset, on days after a warm-up, and decided by the same stand-in
 * online rules as the rest.
 *
 * <p>Independent of the generator's scenarios on purpose (its own sizes and shapes, written from
 * what fraud teams report, not from what the anomaly job scores): {@link Kind#CARD_TESTING} — many
 * new cards probing one web merchant with amounts under 2 USD from one /24 within an hour; {@link
 * Kind#MERCHANT_COMPROMISE} — a POS terminal charging many unfamiliar cards large amounts over a
 * few hours; {@link Kind#REGIONAL_SPIKE} — stolen cards spent at many merchants across one region
 * within an hour; {@link Kind#DECLINE_WAVE} — a run of attempts at one merchant that issuers mostly
 * decline. Each incident's cards are new to the dataset; its key is a merchant or a region, so
 * {@code incidents.csv} gives the anomaly job's evaluation what to look for.
 */
final class IncidentInjector {
  static final long MINUTE = 60_000L;
  static final long HOUR = 60 * MINUTE;
  static final long DAY = 24 * HOUR;

  /** Days at the start of the data left alone: the anomaly job's baseline needs history. */
  static final int WARM_UP_DAYS = 35;

  /**
   * Days a merchant or region has traded in the data before an incident strikes it (an incident at
   * a merchant that does not exist yet is not one a fraud team would see).
   */
  static final int KEY_HISTORY_DAYS = 28;

  /** The kinds of incident, with the key type their incidents are keyed on. */
  enum Kind {
    CARD_TESTING("merchant"),
    MERCHANT_COMPROMISE("merchant"),
    REGIONAL_SPIKE("region"),
    DECLINE_WAVE("merchant");

    final String keyType;

    Kind(String keyType) {
      this.keyType = keyType;
    }

    String cliName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  private IncidentInjector() {}

  /**
   * "card-testing=3,regional-spike=2" or "all=3" (every kind) → counts per kind.
   *
   * @throws FraudBatchException with the accepted forms
   */
  static Map<Kind, Integer> parse(String spec) {
    Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
    String kinds =
        String.join(", ", Arrays.stream(Kind.values()).map(Kind::cliName).toList()) + ", all";
    for (String part : spec.split(",")) {
      String[] kv = part.strip().split("=", 2);
      int n;
      try {
        n = kv.length == 2 ? Integer.parseInt(kv[1].strip()) : -1;
      } catch (NumberFormatException e) {
        n = -1;
      }
      if (n < 0 || n > 1000) {
        throw new FraudBatchException(
            "--inject takes KIND=COUNT[,KIND=COUNT...] with COUNT 0..1000 (got '"
                + part.strip()
                + "'; kinds: "
                + kinds
                + ")");
      }
      String name = kv[0].strip();
      if (name.equals("all")) {
        for (Kind k : Kind.values()) {
          counts.put(k, n);
        }
        continue;
      }
      Kind kind =
          Arrays.stream(Kind.values())
              .filter(k -> k.cliName().equals(name))
              .findFirst()
              .orElseThrow(
                  () ->
                      new FraudBatchException(
                          "--inject: unknown incident kind '" + name + "' (kinds: " + kinds + ")"));
      counts.put(kind, n);
    }
    return counts;
  }

  /** Where a merchant trades, from its events in the data. */
  private static final class Place {
    final String merchantId;
    String mcc;
    String country;
    String region;
    String city;
    Double lat;
    Double lon;
    City city0;
    String currency;
    double fxPerUsd;
    final List<Double> usd = new ArrayList<>();
    boolean web;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;

    Place(String merchantId) {
      this.merchantId = merchantId;
    }

    /** Learns from one of the merchant's own (unlabelled) transactions. */
    void observe(Replay.Event e) {
      // Where and in what currency it trades: its first transaction, or its first with a place.
      if (currency == null || (lat == null && e.lat != null)) {
        mcc = e.mcc;
        country = e.country;
        region = e.region;
        city = e.city;
        lat = e.lat;
        lon = e.lon;
        city0 = e.txn.place;
        currency = e.txn.currency;
        fxPerUsd = e.txn.fxPerUsd;
      }
      web |= "WEB".equals(e.txn.channel);
      first = Math.min(first, e.txn.time);
      last = Math.max(last, e.txn.time);
      if (usd.size() < 200) {
        usd.add(e.txn.amount.doubleValue() / e.txn.fxPerUsd);
      }
    }

    double medianUsd() {
      double[] v = usd.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      return v.length == 0 ? 50 : Math.max(5, v[v.length / 2]);
    }
  }

  /**
   * Adds {@code counts} incidents of each kind to {@code in}'s events; returns the data with the
   * injected events and incidents (ids {@code INJ-0001}…) and an "injected" entry in its summary.
   *
   * @throws FraudBatchException when the data has too few days or no key for a kind
   */
  static Replay.Imported inject(Replay.Imported in, Map<Kind, Integer> counts, long seed) {
    return inject(in, counts, seed, 1);
  }

  /**
   * As {@link #inject(Replay.Imported, Map, long)}, with every incident's cards (attempts, for a
   * decline wave) multiplied by {@code scale} (at least one): to find where detection stops.
   */
  static Replay.Imported inject(
      Replay.Imported in, Map<Kind, Integer> counts, long seed, double scale) {
    FraudBatchException.check(
        scale > 0 && scale <= 10, "--inject-scale must be in (0, 10] (got %s)", scale);
    List<Replay.Event> events = in.events();
    FraudBatchException.check(!events.isEmpty(), "--inject: the dataset has no transactions");
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    Map<String, Place> places = new TreeMap<>();
    for (Replay.Event e : events) {
      first = Math.min(first, e.txn.time);
      last = Math.max(last, e.txn.time);
      if (e.merchantId == null || e.scenario != null) {
        continue;
      }
      Place p = places.computeIfAbsent(e.merchantId, Place::new);
      p.observe(e);
    }
    long firstDay = first - Math.floorMod(first, DAY) + WARM_UP_DAYS * DAY;
    long lastDay = last - Math.floorMod(last, DAY);
    FraudBatchException.check(
        lastDay > firstDay,
        "--inject: the dataset spans %d days; incidents go after a warm-up of %d days",
        (last - first) / DAY + 1,
        WARM_UP_DAYS);
    List<Place> web = places.values().stream().filter(p -> p.web).toList();
    List<Place> pos = places.values().stream().filter(p -> p.city0 != null).toList();
    // A region's places: where its transactions happened (a chain trades in many regions).
    Map<String, Map<String, Place>> byRegion = new TreeMap<>();
    Map<String, long[]> regionSpan = new TreeMap<>();
    for (Replay.Event e : events) {
      if (e.region == null || e.txn.place == null || e.merchantId == null || e.scenario != null) {
        continue;
      }
      long[] span =
          regionSpan.computeIfAbsent(e.region, k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
      span[0] = Math.min(span[0], e.txn.time);
      span[1] = Math.max(span[1], e.txn.time);
      Place p =
          byRegion
              .computeIfAbsent(e.region, k -> new TreeMap<>())
              .computeIfAbsent(e.merchantId, Place::new);
      p.observe(e);
    }
    List<String> regions =
        byRegion.entrySet().stream()
            .filter(e -> e.getValue().size() >= 5)
            .map(Map.Entry::getKey)
            .filter(
                k -> days(regionSpan.get(k)[0], regionSpan.get(k)[1], firstDay, lastDay) != null)
            .toList();

    SplittableRandom r = Rng.stream(seed, 31);
    List<Replay.Event> out = new ArrayList<>(events);
    List<Replay.IncidentRow> incidents = new ArrayList<>(in.incidents());
    Set<String> usedKeys = new HashSet<>();
    Map<String, Integer> injected = new LinkedHashMap<>();
    int[] serial = {0};
    for (Kind kind : Kind.values()) {
      int n = counts.getOrDefault(kind, 0);
      for (int i = 0; i < n; i++) {
        String id = String.format(Locale.ROOT, "INJ-%04d", incidents.size() + 1);
        long day;
        List<Replay.Event> added = new ArrayList<>();
        String key;
        long from;
        long to;
        switch (kind) {
          case CARD_TESTING -> {
            Place m = pick(web.isEmpty() ? pos : web, usedKeys, r, kind, firstDay, lastDay);
            day = day(m.first, m.last, firstDay, lastDay, r);
            key = m.merchantId;
            long duration = (20 + r.nextInt(41)) * MINUTE;
            from = day + (long) (r.nextDouble() * (DAY - duration));
            to = from + duration;
            String prefix = "198.51." + (1 + r.nextInt(254));
            String[] devices = {
              "dev-inj-" + Rng.hex(r.nextLong(), 12), "dev-inj-" + Rng.hex(r.nextLong(), 12)
            };
            int cards = scaled(30 + r.nextInt(51), scale);
            for (int c = 0; c < cards; c++) {
              String card = card(seed, id, c);
              int attempts = 1 + r.nextInt(3);
              for (int a = 0; a < attempts; a++) {
                Replay.Event e =
                    event(
                        seed,
                        id,
                        serial,
                        from + (long) (r.nextDouble() * duration),
                        "WEB",
                        m,
                        card);
                e.txn.amount = Money.of(0.5 + r.nextDouble() * 1.49, m.currency, m.fxPerUsd);
                e.txn.ip = prefix + "." + (1 + r.nextInt(254));
                e.txn.device = devices[r.nextInt(devices.length)];
                added.add(e); // a web attempt: event() gave it no place
              }
            }
          }
          case MERCHANT_COMPROMISE -> {
            Place m = pick(pos, usedKeys, r, kind, firstDay, lastDay);
            day = day(m.first, m.last, firstDay, lastDay, r);
            key = m.merchantId;
            long duration = (2 + r.nextInt(3)) * HOUR;
            from = day + (long) (r.nextDouble() * (DAY - duration));
            to = from + duration;
            int cards = scaled(30 + r.nextInt(31), scale);
            for (int c = 0; c < cards; c++) {
              String card = card(seed, id, c);
              int uses = 1 + r.nextInt(2);
              for (int a = 0; a < uses; a++) {
                Replay.Event e =
                    event(
                        seed,
                        id,
                        serial,
                        from + (long) (r.nextDouble() * duration),
                        "POS",
                        m,
                        card);
                e.txn.amount =
                    Money.of(m.medianUsd() * (3 + r.nextDouble() * 5), m.currency, m.fxPerUsd);
                added.add(e);
              }
            }
          }
          case REGIONAL_SPIKE -> {
            FraudBatchException.check(
                !regions.isEmpty(),
                "--inject: regional-spike needs a region with at least 5 merchants with a place");
            String region = regions.get(r.nextInt(regions.size()));
            for (int tries = 0; usedKeys.contains(region) && tries < 50; tries++) {
              region = regions.get(r.nextInt(regions.size()));
            }
            usedKeys.add(region);
            key = region;
            day = day(regionSpan.get(region)[0], regionSpan.get(region)[1], firstDay, lastDay, r);
            List<Place> here = new ArrayList<>(byRegion.get(region).values());
            from = day + r.nextInt(24) * HOUR;
            to = from + HOUR;
            int cards = scaled(40 + r.nextInt(61), scale);
            for (int c = 0; c < cards; c++) {
              String card = card(seed, id, c);
              int uses = 1 + r.nextInt(2);
              for (int a = 0; a < uses; a++) {
                Place m = here.get(r.nextInt(here.size()));
                Replay.Event e =
                    event(seed, id, serial, from + (long) (r.nextDouble() * HOUR), "POS", m, card);
                e.txn.amount =
                    Money.of(m.medianUsd() * (2 + r.nextDouble() * 3), m.currency, m.fxPerUsd);
                added.add(e);
              }
            }
          }
          case DECLINE_WAVE -> {
            Place m = pick(places.values().stream().toList(), usedKeys, r, kind, firstDay, lastDay);
            day = day(m.first, m.last, firstDay, lastDay, r);
            key = m.merchantId;
            long duration = (60 + r.nextInt(61)) * MINUTE;
            from = day + (long) (r.nextDouble() * (DAY - duration));
            to = from + duration;
            int attempts = scaled(30 + r.nextInt(41), scale);
            String channel = m.city0 != null ? "POS" : "WEB";
            for (int c = 0; c < attempts; c++) {
              Replay.Event e =
                  event(
                      seed,
                      id,
                      serial,
                      from + (long) (r.nextDouble() * duration),
                      channel,
                      m,
                      card(seed, id, c));
              e.txn.amount =
                  Money.of(m.medianUsd() * (0.5 + r.nextDouble()), m.currency, m.fxPerUsd);
              e.issuerDeclines = r.nextDouble() < 0.85;
              added.add(e);
            }
          }
          default -> throw new IllegalStateException(kind.name());
        }
        for (Replay.Event e : added) {
          e.scenario = kind.name();
          e.incidentId = id;
          e.incidentKey = key;
        }
        out.addAll(added);
        incidents.add(
            new Replay.IncidentRow(
                id,
                kind.name(),
                kind.keyType,
                key,
                from,
                to,
                (int) added.stream().map(e -> e.actorId).distinct().count(),
                added.size()));
        injected.merge(kind.cliName(), 1, Integer::sum);
      }
    }
    Map<String, Object> about = new LinkedHashMap<>(in.about());
    about.put("injected", injected);
    about.put("injectedScale", scale);
    about.put(
        "injectedAfter",
        java.time.Instant.ofEpochMilli(firstDay).atZone(ZoneOffset.UTC).toLocalDate().toString());
    return new Replay.Imported(out, incidents, about);
  }

  /**
   * The days an incident may strike a key that traded from {@code first} to {@code last}: after the
   * warm-up and {@link #KEY_HISTORY_DAYS} of the key's own trading, while it still trades; null
   * when there is none. As {first day, number of days}.
   */
  static long[] days(long first, long last, long firstDay, long lastDay) {
    long lo = Math.max(firstDay, first - Math.floorMod(first, DAY) + KEY_HISTORY_DAYS * DAY);
    long hi = Math.min(lastDay, last - Math.floorMod(last, DAY));
    return lo > hi ? null : new long[] {lo, (hi - lo) / DAY + 1};
  }

  private static long day(long first, long last, long firstDay, long lastDay, SplittableRandom r) {
    long[] d = days(first, last, firstDay, lastDay);
    return d[0] + r.nextInt((int) d[1]) * DAY;
  }

  private static Place pick(
      List<Place> all,
      Set<String> used,
      SplittableRandom r,
      Kind kind,
      long firstDay,
      long lastDay) {
    List<Place> from =
        all.stream().filter(p -> days(p.first, p.last, firstDay, lastDay) != null).toList();
    FraudBatchException.check(
        !from.isEmpty(),
        "--inject: the dataset has no merchant for %s that traded %d days before a day after the"
            + " warm-up",
        kind.cliName(),
        KEY_HISTORY_DAYS);
    Place p = from.get(r.nextInt(from.size()));
    for (int tries = 0; used.contains(p.merchantId) && tries < 50; tries++) {
      p = from.get(r.nextInt(from.size()));
    }
    used.add(p.merchantId);
    return p;
  }

  private static int scaled(int n, double scale) {
    return Math.max(1, (int) Math.round(n * scale));
  }

  private static String card(long seed, String incident, int i) {
    return KeyedHash.plainId("card-inj", seed + "|" + incident + "|" + i);
  }

  private static Replay.Event event(
      long seed, String incident, int[] serial, long time, String channel, Place m, String card) {
    Replay.Event e =
        new Replay.Event(
            KeyedHash.plainId("inj", seed + "|" + incident + "|" + serial[0]++), time, channel);
    e.actorId = card;
    e.merchantId = m.merchantId;
    e.mcc = m.mcc;
    e.country = m.country;
    e.txn.currency = m.currency;
    e.txn.fxPerUsd = m.fxPerUsd;
    if ("POS".equals(channel) && m.city0 != null) {
      e.region = m.region;
      e.city = m.city;
      e.lat = m.lat;
      e.lon = m.lon;
      e.txn.place = m.city0;
    }
    e.txn.amount = BigDecimal.ONE;
    return e;
  }
}
