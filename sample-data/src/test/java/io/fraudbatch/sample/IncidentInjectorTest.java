package io.fraudbatch.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudbatch.core.FraudBatchException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class IncidentInjectorTest {
  static final long DAY = 86_400_000L;
  static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

  /** 60 days of purchases: 12 POS merchants in two regions, 3 web merchants, 50 cards. */
  static Replay.Imported data() {
    List<Replay.Event> events = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < 6000; i++) {
      long t = T0 + (long) (r.nextDouble() * 60 * DAY);
      int m = r.nextInt(15);
      boolean web = m >= 12;
      Replay.Event e = new Replay.Event("ev-" + i, t, web ? "WEB" : "POS");
      e.actorId = "card-" + r.nextInt(50);
      e.merchantId = "M" + m;
      e.mcc = web ? "5999" : "5411";
      e.country = "US";
      e.txn.currency = "USD";
      e.txn.fxPerUsd = 1;
      e.txn.amount = BigDecimal.valueOf(20 + r.nextInt(60));
      if (!web) {
        String region = m < 6 ? "US-ME" : "US-TX";
        e.region = region;
        e.city = region + "-city" + (m % 3);
        e.lat = 40.0 + m;
        e.lon = -70.0 - m;
        e.txn.place = new City(0, e.city, "US", region, e.lat, e.lon, ZoneOffset.UTC, "USD", 1, 0);
      }
      events.add(e);
    }
    // A web merchant that only opens on day 55: too new to be struck.
    for (int i = 0; i < 40; i++) {
      Replay.Event e = new Replay.Event("new-" + i, T0 + 55 * DAY + i * 3_600_000L, "WEB");
      e.actorId = "card-" + i;
      e.merchantId = "M99";
      e.mcc = "5999";
      e.country = "US";
      e.txn.currency = "USD";
      e.txn.fxPerUsd = 1;
      e.txn.amount = BigDecimal.valueOf(30);
      events.add(e);
    }
    return new Replay.Imported(events, List.of(), new LinkedHashMap<>(Map.of("dataset", "test")));
  }

  @Test
  void incidentsGoWhereTheDatasetTradesAfterTheWarmUpAndAreLabelled() {
    Replay.Imported in = data();
    Set<String> cards = in.events().stream().map(e -> e.actorId).collect(Collectors.toSet());
    Replay.Imported out = IncidentInjector.inject(in, IncidentInjector.parse("all=3"), 7);

    assertThat(out.incidents()).hasSize(12);
    assertThat(out.about().get("injected").toString())
        .isEqualTo("{card-testing=3, merchant-compromise=3, regional-spike=3, decline-wave=3}");
    List<Replay.Event> added = out.events().subList(in.events().size(), out.events().size());
    assertThat(added).allMatch(e -> e.scenario != null && e.incidentId.startsWith("INJ-"));
    assertThat(added).noneMatch(e -> cards.contains(e.actorId));
    assertThat(added).allMatch(e -> e.txn.time >= T0 + IncidentInjector.WARM_UP_DAYS * DAY);
    assertThat(in.events()).allMatch(e -> e.scenario == null); // the originals untouched
    for (Replay.IncidentRow i : out.incidents()) {
      List<Replay.Event> mine = added.stream().filter(e -> e.incidentId.equals(i.id())).toList();
      assertThat(mine).hasSize(i.events());
      assertThat(mine).allMatch(e -> e.txn.time >= i.windowStart() && e.txn.time <= i.windowEnd());
      switch (i.scenario()) {
        case "CARD_TESTING" -> {
          assertThat(i.keyType()).isEqualTo("merchant");
          assertThat(i.key()).isIn("M12", "M13", "M14"); // a web merchant of the data
          assertThat(mine).allMatch(e -> e.txn.amount.compareTo(BigDecimal.valueOf(2)) < 0);
          assertThat(mine.stream().map(e -> e.txn.ip.substring(0, e.txn.ip.lastIndexOf('.'))))
              .containsOnly(mine.get(0).txn.ip.substring(0, mine.get(0).txn.ip.lastIndexOf('.')));
          assertThat(i.actors()).isBetween(30, 80);
        }
        case "MERCHANT_COMPROMISE" -> {
          assertThat(mine).allMatch(e -> e.merchantId.equals(i.key()) && e.txn.place != null);
          assertThat(i.windowEnd() - i.windowStart()).isBetween(2 * 3_600_000L, 4 * 3_600_000L);
        }
        case "REGIONAL_SPIKE" -> {
          assertThat(i.keyType()).isEqualTo("region");
          assertThat(mine).allMatch(e -> i.key().equals(e.region));
          assertThat(mine.stream().map(e -> e.merchantId).distinct().count()).isGreaterThan(1);
          assertThat(i.windowStart() % 3_600_000L).isZero();
          assertThat(i.windowEnd() - i.windowStart()).isEqualTo(3_600_000L);
        }
        case "DECLINE_WAVE" -> {
          long declined = mine.stream().filter(e -> e.issuerDeclines).count();
          assertThat(declined).isGreaterThan(mine.size() / 2);
        }
        default -> throw new AssertionError(i.scenario());
      }
    }
    // Only where the key had traded four weeks before.
    assertThat(out.incidents()).noneMatch(i -> i.key().equals("M99"));
    // Merchants are not reused across incidents.
    Set<String> keys = new HashSet<>();
    out.incidents().stream()
        .filter(i -> i.keyType().equals("merchant"))
        .forEach(i -> assertThat(keys.add(i.key())).as(i.key()).isTrue());
    // Scaled down: a tenth of the cards (30-80 -> 3-8).
    assertThat(
            IncidentInjector.inject(data(), IncidentInjector.parse("card-testing=3"), 7, 0.1)
                .incidents())
        .hasSize(3)
        .allSatisfy(i -> assertThat(i.actors()).isBetween(3, 8));
    // Same seed, same incidents.
    assertThat(IncidentInjector.inject(data(), IncidentInjector.parse("all=3"), 7).incidents())
        .isEqualTo(out.incidents());
  }

  @Test
  void badSpecsAndTooShortDataAreOneLineErrors() {
    assertThatThrownBy(() -> IncidentInjector.parse("card-testing"))
        .isInstanceOf(FraudBatchException.class)
        .hasMessageContaining("KIND=COUNT");
    assertThatThrownBy(() -> IncidentInjector.parse("skimming=2"))
        .hasMessageContaining("unknown incident kind 'skimming'")
        .hasMessageContaining("regional-spike");
    assertThat(IncidentInjector.parse("regional-spike=2, decline-wave=0"))
        .containsEntry(IncidentInjector.Kind.REGIONAL_SPIKE, 2)
        .containsEntry(IncidentInjector.Kind.DECLINE_WAVE, 0);
    Replay.Imported d = data();
    List<Replay.Event> firstWeek =
        d.events().stream().filter(e -> e.txn.time < T0 + 7 * DAY).toList();
    assertThatThrownBy(
            () ->
                IncidentInjector.inject(
                    new Replay.Imported(firstWeek, List.of(), d.about()),
                    IncidentInjector.parse("all=1"),
                    1))
        .hasMessageContaining("warm-up of 35 days");
    assertThatThrownBy(() -> IncidentInjector.inject(d, IncidentInjector.parse("all=1"), 1, 0))
        .hasMessageContaining("--inject-scale");
  }
}
