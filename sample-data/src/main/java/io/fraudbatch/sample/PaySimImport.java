package io.fraudbatch.sample;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * PaySim mobile-money transactions ({@code *_rawLog.csv[.gz]}) as decision events.
 *
 * <ul>
 *   <li>actorId: {@code acct-} + keyed hash of {@code nameOrig}; merchantId: {@code nameDest} for
 *       merchants ({@code M…}), else the counterparty account's keyed hash;
 *   <li>eventTime: PaySim's {@code step} is the hour since the simulation began, which has no date:
 *       step 1 is the hour from {@code start} 00:00 UTC, and the step's rows are spread evenly over
 *       the hour in file order (so a take-over's TRANSFER precedes its CASH_OUT);
 *   <li>eventId: {@code paysim-} + the row number; channel MOBILE; mcc from the action ({@link
 *       #MCC}); no place (PaySim has no geography); the action kept in {@code action}; the balances
 *       are left out (the online rules do not read them);
 *   <li>labels: {@code isFraud = 1} is {@link #SCENARIO}; the take-over's TRANSFER to a mule and
 *       the mule's CASH_OUT form one incident keyed on the victim.
 * </ul>
 */
final class PaySimImport {
  static final String SCENARIO = "PAYSIM_FRAUD";
  static final long EPISODE_GAP_MS = 48 * Replay.HOUR;
  static final Map<String, String> MCC =
      Map.of(
          "CASH_IN", "6012",
          "CASH_OUT", "6011",
          "DEBIT", "6012",
          "PAYMENT", "5999",
          "TRANSFER", "4829");
  static final List<String> COLUMNS =
      List.of("step", "action", "amount", "nameOrig", "nameDest", "isFraud");

  private PaySimImport() {}

  static Replay.Imported read(Path input, KeyedHash keys, LocalDate start, String currency)
      throws IOException {
    long t0 = start.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    List<Replay.Event> events = new ArrayList<>();
    List<Integer> steps = new ArrayList<>();
    Map<String, String> accounts = new HashMap<>();
    Map<String, String> muleOf = new HashMap<>();
    Path file;
    try (SourceFile f =
        SourceFile.open(input, ".*_rawLog\\.csv(\\.gz)?", ',', COLUMNS, "a PaySim raw log")) {
      file = f.path;
      int step = f.column("step");
      int action = f.column("action");
      int amount = f.column("amount");
      int orig = f.column("nameOrig");
      int dest = f.column("nameDest");
      int fraud = f.column("isFraud");
      String[] row;
      while ((row = f.next()) != null) {
        int s = (int) f.number(row, step, "step");
        if (s < 1) {
          throw f.error("step must be 1 or more, not " + s);
        }
        String mcc = MCC.get(row[action]);
        if (mcc == null) {
          throw f.error("unknown action '" + row[action] + "' (known: " + MCC.keySet() + ")");
        }
        Replay.Event e =
            new Replay.Event(
                String.format(Locale.ROOT, "paysim-%07d", events.size() + 1), 0, "MOBILE");
        steps.add(s);
        e.actorId = accounts.computeIfAbsent(row[orig], a -> keys.id("acct", a));
        String d = row[dest];
        e.merchantId = d.startsWith("M") ? d : accounts.computeIfAbsent(d, a -> keys.id("acct", a));
        e.txn.amount = f.decimal(row, amount, "amount");
        e.txn.currency = currency;
        e.txn.fxPerUsd =
            io.fraudbatch.core.money.ReferenceRates.defaults().unitsPerUsd(currency).doubleValue();
        e.mcc = mcc;
        e.extra.put("action", Replay.json(row[action]));
        if ("CASH_IN".equals(row[action])) {
          // Money coming in: activity, not spend (core's ProfileInput.DIRECTION).
          e.extra.put(io.fraudbatch.core.profile.ProfileInput.DIRECTION, Replay.json("in"));
        }
        if (f.flag(row, fraud, "isFraud")) {
          e.scenario = SCENARIO;
          String victim = muleOf.get(row[orig]);
          e.incidentKey = victim != null ? victim : e.actorId;
          if ("TRANSFER".equals(row[action])) {
            muleOf.put(d, e.actorId);
          }
        }
        events.add(e);
      }
    }
    // Spread each step's rows over its hour, in file order.
    Map<Integer, int[]> perStep = new HashMap<>();
    for (int s : steps) {
      perStep.computeIfAbsent(s, k -> new int[2])[0]++;
    }
    for (int i = 0; i < events.size(); i++) {
      int[] c = perStep.get(steps.get(i));
      long offset = (Replay.HOUR * (2L * c[1]++ + 1)) / (2L * c[0]);
      events.get(i).txn.time = t0 + (steps.get(i) - 1) * Replay.HOUR + offset;
    }
    List<Replay.IncidentRow> incidents = ActorEpisodes.assign(events, SCENARIO, EPISODE_GAP_MS);
    Map<String, Object> about = new LinkedHashMap<>();
    about.put("dataset", "paysim");
    about.put("file", file.toString());
    about.put("rows", events.size());
    about.put("accounts", accounts.size());
    about.put("start", start.toString());
    about.put("currency", currency);
    return new Replay.Imported(events, incidents, about);
  }
}
