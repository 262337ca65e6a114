package io.fraudbatch.sample;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Sparkov card transactions ({@code transactions.csv[.gz]}, {@code |}-separated) as decision
 * events.
 *
 * <ul>
 *   <li>actorId: {@code card-} + keyed hash of {@code cc_num}; the number itself is written only
 *       into the free-text memo of a few records (ingest must mask it);
 *   <li>eventId: {@code spk-} + keyed hash of {@code trans_num}, card and {@code unix_time} ({@code
 *       trans_num} alone repeats across cards), {@code trans_num} kept in {@code transNum};
 *       eventTime: {@code unix_time} (UTC);
 *   <li>channel: WEB for the {@code *_net} categories, else POS; mcc from the category ({@link
 *       #MCC});
 *   <li>place (POS): the merchant's coordinates; the region is the contract's administrative
 *       region, {@code US-} + the cardholder's state ({@code US-ME}, ISO 3166-2): Sparkov gives
 *       merchants coordinates, not states, and draws them near the cardholder's home; the city is
 *       the merchant's 1° grid cell, e.g. {@code US-N44W070}; web purchases have no place;
 *   <li>merchantId: {@code SPK-} + hash of the merchant name (whose {@code fraud_} prefix is a
 *       generator quirk, dropped), the name kept in {@code merchantName};
 *   <li>the cardholder's home ({@code homeCity}, {@code homeState}, {@code homeLat}, {@code
 *       homeLon}) as context fields;
 *   <li>labels: {@code is_fraud = 1} is {@link #SCENARIO}; a card's fraud events less than {@link
 *       #EPISODE_GAP_MS} apart form one incident keyed on the actor.
 * </ul>
 */
final class SparkovImport {
  static final String SCENARIO = "SPARKOV_FRAUD";
  static final long EPISODE_GAP_MS = 72 * Replay.HOUR;
  static final String COUNTRY = "US";

  /** Sparkov category → merchant category code. */
  static final Map<String, String> MCC =
      Map.ofEntries(
          Map.entry("entertainment", "7999"),
          Map.entry("food_dining", "5812"),
          Map.entry("gas_transport", "5541"),
          Map.entry("grocery_net", "5411"),
          Map.entry("grocery_pos", "5411"),
          Map.entry("health_fitness", "7997"),
          Map.entry("home", "5200"),
          Map.entry("kids_pets", "5995"),
          Map.entry("misc_net", "5999"),
          Map.entry("misc_pos", "5999"),
          Map.entry("personal_care", "7230"),
          Map.entry("shopping_net", "5311"),
          Map.entry("shopping_pos", "5311"),
          Map.entry("travel", "4722"));

  static final List<String> COLUMNS =
      List.of(
          "cc_num",
          "trans_num",
          "unix_time",
          "category",
          "amt",
          "is_fraud",
          "merchant",
          "merch_lat",
          "merch_long",
          "city",
          "state",
          "lat",
          "long");

  private SparkovImport() {}

  /** The 1° grid cell of a point, e.g. 44.07, -69.09 → N44W070. */
  static String cell(double lat, double lon) {
    int la = (int) Math.floor(lat);
    int lo = (int) Math.floor(lon);
    return String.format(
        Locale.ROOT,
        "%s%02d%s%03d",
        la >= 0 ? "N" : "S",
        Math.abs(la),
        lo >= 0 ? "E" : "W",
        Math.abs(lo));
  }

  static Replay.Imported read(Path input, KeyedHash keys) throws IOException {
    List<Replay.Event> events = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    Map<String, String> cards = new HashMap<>();
    Map<String, String> merchants = new HashMap<>();
    Path file;
    try (SourceFile f =
        SourceFile.open(
            input, "transactions\\.csv(\\.gz)?", '|', COLUMNS, "Sparkov transactions")) {
      file = f.path;
      int cc = f.column("cc_num");
      int id = f.column("trans_num");
      int time = f.column("unix_time");
      int cat = f.column("category");
      int amt = f.column("amt");
      int fraud = f.column("is_fraud");
      int merchant = f.column("merchant");
      int mlat = f.column("merch_lat");
      int mlon = f.column("merch_long");
      int city = f.column("city");
      int stateColumn = f.column("state");
      int hlat = f.column("lat");
      int hlon = f.column("long");
      String[] row;
      while ((row = f.next()) != null) {
        String transNum = row[id].strip();
        String card = row[cc].strip();
        if (!card.matches("[0-9]{8,19}")) {
          throw f.error("cc_num is not a card number");
        }
        // trans_num alone is not unique (17,514 of them repeat in the shared run, on different
        // cards and days); with the card and the second it is.
        String eventId = keys.id("spk", transNum + "|" + card + "|" + row[time].strip());
        if (transNum.isEmpty() || !ids.add(eventId)) {
          throw f.error(
              transNum.isEmpty()
                  ? "trans_num is empty"
                  : "transaction " + transNum + " of this card at this second repeats");
        }
        String mcc = MCC.get(row[cat]);
        if (mcc == null) {
          throw f.error("unknown category '" + row[cat] + "' (known: " + MCC.keySet() + ")");
        }
        long epochSeconds = (long) f.number(row, time, "unix_time");
        boolean web = row[cat].endsWith("_net");
        Replay.Event e = new Replay.Event(eventId, epochSeconds * 1000, web ? "WEB" : "POS");
        e.actorId = cards.computeIfAbsent(card, c -> keys.id("card", c));
        e.pan = card;
        e.txn.amount = f.decimal(row, amt, "amt");
        e.txn.currency = "USD";
        e.txn.fxPerUsd = 1;
        e.mcc = mcc;
        String name =
            row[merchant].startsWith("fraud_") ? row[merchant].substring(6) : row[merchant];
        e.merchantId = merchants.computeIfAbsent(name, n -> KeyedHash.plainId("SPK", n));
        e.country = COUNTRY;
        if (!web) {
          double lat = f.number(row, mlat, "merch_lat");
          double lon = f.number(row, mlon, "merch_long");
          String c = COUNTRY + "-" + cell(lat, lon);
          String state = row[stateColumn].strip();
          if (!state.matches("[A-Z]{2}")) {
            throw f.error("state '" + state + "' is not a two-letter US state code");
          }
          e.region = COUNTRY + "-" + state;
          e.city = c;
          e.lat = lat;
          e.lon = lon;
          e.txn.place = new City(0, c, COUNTRY, e.region, lat, lon, ZoneOffset.UTC, "USD", 1, 0);
        }
        e.extra.put("transNum", Replay.json(transNum));
        e.extra.put("merchantName", Replay.json(name));
        e.extra.put("homeCity", Replay.json(row[city]));
        e.extra.put("homeState", Replay.json(row[stateColumn]));
        e.extra.put("homeLat", Double.toString(f.number(row, hlat, "lat")));
        e.extra.put("homeLon", Double.toString(f.number(row, hlon, "long")));
        if (f.flag(row, fraud, "is_fraud")) {
          e.scenario = SCENARIO;
        }
        events.add(e);
      }
    }
    List<Replay.IncidentRow> incidents = ActorEpisodes.assign(events, SCENARIO, EPISODE_GAP_MS);
    Map<String, Object> about = new LinkedHashMap<>();
    about.put("dataset", "sparkov");
    about.put("file", file.toString());
    about.put("rows", events.size());
    about.put("cards", cards.size());
    about.put("merchants", merchants.size());
    return new Replay.Imported(events, incidents, about);
  }
}
