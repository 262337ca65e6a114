package io.fraudbatch.core.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudbatch.avro.ActorProfile;
import io.fraudbatch.avro.KeyCount;
import io.fraudbatch.avro.KeyCountSum;
import io.fraudbatch.avro.SeenIp;
import io.fraudbatch.avro.SeenLocation;
import io.fraudbatch.core.FraudBatchException;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

class ProfileAccumulatorTest {
  static final String A = "actor-1";
  static final LocalDate AS_OF = LocalDate.parse("2026-06-30");
  static final long DAY = 86_400_000L;

  /** Midnight UTC starting {@code d}. */
  static long at(LocalDate d) {
    return d.toEpochDay() * DAY;
  }

  static long at(String isoInstant) {
    return Instant.parse(isoInstant).toEpochMilli();
  }

  static int seq;

  static ProfileInput ev(long time, String decision, Long cents) {
    return new ProfileInput(
        String.format("e%06d", seq++),
        time,
        decision,
        "POS",
        cents,
        "5411",
        "US",
        "US-NY",
        "New York",
        40.7,
        -74.0,
        null);
  }

  static ProfileInput at(long time, String city, String region, Double lat, String id) {
    return new ProfileInput(
        id,
        time,
        "APPROVED",
        "POS",
        1000L,
        "5411",
        "US",
        region,
        city,
        lat,
        lat == null ? null : 1.0,
        null);
  }

  static ProfileInput ip(long time, String ip) {
    return new ProfileInput(
        String.format("e%06d", seq++),
        time,
        "APPROVED",
        "WEB",
        500L,
        "5999",
        null,
        null,
        null,
        null,
        null,
        ip);
  }

  static ActorProfile fold(List<ProfileInput> events, LocalDate asOf) {
    ProfileAccumulator a = new ProfileAccumulator();
    events.forEach(e -> a.add(A, e));
    return a.finish(asOf);
  }

  @Test
  void countsSumsAndSeenTimesOverEveryDecisionButMoneyOnlyOverAccepted() {
    List<ProfileInput> es =
        List.of(
            ev(at("2026-06-01T10:00:00Z"), "APPROVED", 1_000L),
            ev(at("2026-06-02T11:00:00Z"), "REVIEW", 3_000L),
            ev(at("2026-05-20T09:30:00Z"), "DENIED", 90_000L),
            new ProfileInput(
                "x",
                at("2026-06-03T12:00:00Z"),
                "APPROVED",
                "WEB",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null));
    ActorProfile p = fold(es, AS_OF);

    assertThat(p.getEventCount()).isEqualTo(4);
    assertThat(p.getFirstSeen()).isEqualTo(Instant.parse("2026-05-20T09:30:00Z"));
    assertThat(p.getLastSeen()).isEqualTo(Instant.parse("2026-06-03T12:00:00Z"));
    assertThat(p.getByDecision())
        .containsExactly(
            new KeyCountSum("APPROVED", 2L, 1_000L),
            new KeyCountSum("DENIED", 1L, 90_000L),
            new KeyCountSum("REVIEW", 1L, 3_000L));
    assertThat(p.getByChannel())
        .containsExactly(new KeyCountSum("POS", 3L, 94_000L), new KeyCountSum("WEB", 1L, 0L));
    assertThat(p.getUnconvertedCount()).as("the amount without a rate").isEqualTo(1);
    assertThat(p.getAmount().getCount()).isEqualTo(2);
    assertThat(p.getAmount().getSumCents()).isEqualTo(4_000);
    assertThat(p.getAmount().getMinCents()).isEqualTo(1_000);
    assertThat(p.getAmount().getMaxCents()).isEqualTo(3_000);
    assertThat(p.getAmount().getMeanCents()).isEqualTo(2_000.0);
    assertThat(p.getMcc()).containsExactly(new KeyCount("5411", 2L));
    assertThat(p.getHourOfDay().get(10)).isEqualTo(1);
    assertThat(p.getHourOfDay().get(11)).isEqualTo(1);
    assertThat(p.getHourOfDay().get(12)).isEqualTo(1);
    assertThat(p.getHourOfDay().get(9)).as("denied").isZero();
    assertThat(p.getHomeRegion()).isEqualTo("US-NY");
  }

  @Test
  void moneyComingInIsActivityNotSpend() {
    String in =
        "{\"eventId\":\"in1\",\"actorId\":\"a\",\"eventTime\":"
            + (at(AS_OF) + 3_600_000L)
            + ",\"channel\":\"MOBILE\",\"amount\":\"900.00\",\"currency\":\"USD\","
            + "\"decision\":\"APPROVED\",\"direction\":\"in\"}";
    ProfileInput deposit =
        ProfileInput.of(
            io.fraudbatch.core.event.DecisionEventJson.decode(in).event(),
            io.fraudbatch.core.money.ReferenceRates.defaults());
    assertThat(deposit.moneyIn()).isTrue();
    assertThat(deposit.usdCents()).isEqualTo(90_000);
    ActorProfile p = fold(List.of(deposit, ev(at(AS_OF) + 7_200_000L, "APPROVED", 1_000L)), AS_OF);
    assertThat(p.getEventCount()).isEqualTo(2);
    assertThat(p.getAmount().getSumCents()).isEqualTo(1_000);
    assertThat(p.getSpend30().getTotalCents()).isEqualTo(1_000);
    assertThat(p.getHourOfDay().get(1)).as("the deposit's hour").isEqualTo(1);
    // Any other direction, or none, is money out.
    assertThat(
            ProfileInput.of(
                    io.fraudbatch.core.event.DecisionEventJson.decode(
                            in.replace("\"in\"}", "\"out\"}"))
                        .event(),
                    io.fraudbatch.core.money.ReferenceRates.defaults())
                .moneyIn())
        .isFalse();
  }

  @Test
  void windowEdgesAreWholeUtcDaysEndingWithAsOf() {
    List<ProfileInput> es =
        List.of(
            ev(at(AS_OF.plusDays(1)) - 1, "APPROVED", 1L), // last millisecond of asOf: in both
            ev(at(AS_OF.minusDays(29)), "APPROVED", 10L), // first millisecond of the 30 days
            ev(at(AS_OF.minusDays(29)) - 1, "APPROVED", 100L), // day 31: 90 only
            ev(at(AS_OF.minusDays(89)), "APPROVED", 1_000L), // first day of the 90
            ev(at(AS_OF.minusDays(89)) - 1, "APPROVED", 10_000L)); // day 91: in neither
    ActorProfile p = fold(es, AS_OF);

    assertThat(p.getSpend30().getActiveDays()).isEqualTo(2);
    assertThat(p.getSpend30().getTotalCents()).isEqualTo(11);
    assertThat(p.getSpend90().getActiveDays()).isEqualTo(4);
    assertThat(p.getSpend90().getTotalCents()).isEqualTo(1_111);
    assertThat(p.getDailySpend()).hasSize(4);
    assertThat(p.getDailySpend().get(0).getDay()).isEqualTo(AS_OF.minusDays(89));
    // The hours of each day as a bit set: 00:00 is bit 0, 23:59:59.999 bit 23.
    assertThat(p.getDailySpend().get(0).getHours()).isEqualTo(1);
    assertThat(p.getDailySpend().get(3).getHours()).isEqualTo(1 << 23);
    assertThat(p.getAmount().getSumCents()).as("amount stats are all-time").isEqualTo(11_111);

    ProfileAccumulator late = new ProfileAccumulator();
    late.add(A, ev(at(AS_OF.plusDays(1)), "APPROVED", 1L));
    assertThatThrownBy(() -> late.finish(AS_OF))
        .isInstanceOf(FraudBatchException.class)
        .hasMessageContaining("after that day");
  }

  @Test
  void dailyMedianAndP95AreNearestRankOverActiveDays() {
    List<ProfileInput> es = new ArrayList<>();
    // 20 active days with totals 100, 200, ..., 2000 cents; the 10th day has two transactions.
    for (int i = 1; i <= 20; i++) {
      long t = at(AS_OF.minusDays(i)) + 3_600_000L;
      if (i == 10) {
        es.add(ev(t, "APPROVED", 400L));
        es.add(ev(t + 1, "REVIEW", 600L));
      } else {
        es.add(ev(t, "APPROVED", 100L * i));
      }
    }
    es.add(ev(at(AS_OF.minusDays(3)), "DENIED", 1_000_000L)); // denied: no spend
    ActorProfile p = fold(es, AS_OF);

    assertThat(p.getSpend30().getActiveDays()).isEqualTo(20);
    assertThat(p.getSpend30().getMedianCents()).as("10th of 20").isEqualTo(1_000);
    assertThat(p.getSpend30().getP95Cents()).as("19th of 20").isEqualTo(1_900);
    assertThat(p.getSpend30().getMeanCents()).isEqualTo(1_050.0);
    assertThat(p.getDailySpendThresholdCents())
        .as("max(10000, 3 x 1000, ceil(1.5 x 1900))")
        .isEqualTo(10_000);
    assertThat(p.getNewLocationDailySpendThresholdCents()).isEqualTo(5_000);

    List<ProfileInput> big = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      big.add(ev(at(AS_OF.minusDays(i)), "APPROVED", i == 6 ? 99_999L : 20_000L));
    }
    ActorProfile b = fold(big, AS_OF);
    assertThat(b.getSpend90().getMedianCents()).isEqualTo(20_000);
    assertThat(b.getSpend90().getP95Cents()).isEqualTo(99_999);
    assertThat(b.getDailySpendThresholdCents()).as("ceil(1.5 x 99999)").isEqualTo(149_999);
    assertThat(b.getNewLocationDailySpendThresholdCents()).isEqualTo(74_999);

    ActorProfile fresh = fold(big.subList(0, 4), AS_OF);
    assertThat(fresh.getDailySpendThresholdCents())
        .as("fewer than 5 active days: the new-actor allowance")
        .isEqualTo(ProfileAccumulator.NEW_ACTOR_DAILY_THRESHOLD_CENTS);
  }

  @Test
  void recentPlacesAreDistinctMostRecentFirstWithTiesByPlace() {
    long t = at("2026-06-10T12:00:00Z");
    List<ProfileInput> es = new ArrayList<>();
    es.add(at(t, "Boston", "US-MA", 42.3, "b1"));
    es.add(at(t + 5, "Boston", "US-MA", 42.4, "b2")); // Boston's latest: lat 42.4
    es.add(at(t + 5, "Albany", "US-NY", 42.6, "a1")); // same time: Boston first (US-MA < US-NY)
    es.add(at(t + 9, "Zurich", "CH-ZH", null, "z1")); // no coordinates: a place, not lastPlace
    es.add(at(t + 3, "Miami", "US-FL", 25.7, "m1"));
    ActorProfile p = fold(es, AS_OF);

    assertThat(p.getLocations())
        .extracting(SeenLocation::getCity)
        .containsExactly("Zurich", "Boston", "Albany", "Miami");
    assertThat(p.getLocations().get(1).getLat()).isEqualTo(42.4);
    assertThat(p.getLocations().get(0).getLat()).isNull();
    assertThat(p.getLastPlace().getCity())
        .as("latest with coordinates; of equal times the greatest eventId (b2 > a1)")
        .isEqualTo("Boston");
    assertThat(p.getLastPlace().getEventId()).isEqualTo("b2");
  }

  @Test
  void keepsTheTwentyMostRecentDistinctIpsAndPlaces() {
    List<ProfileInput> es = new ArrayList<>();
    long t0 = at("2026-06-01T00:00:00Z");
    for (int i = 0; i < 200; i++) {
      es.add(ip(t0 + i * 60_000L, "10.0.0." + (i % 50)));
      es.add(at(t0 + i * 60_000L, "City" + (i % 70), "R", 1.0, "p" + i));
    }
    Collections.shuffle(es, new Random(7));
    ActorProfile p = fold(es, AS_OF);

    // The last 50 minutes used IPs 150..199 -> 10.0.0.0..49, the latest being 199 % 50 = 49.
    assertThat(p.getIps()).hasSize(20);
    assertThat(p.getIps().get(0))
        .isEqualTo(new SeenIp("10.0.0.49", Instant.ofEpochMilli(t0 + 199 * 60_000L)));
    assertThat(p.getIps()).extracting(SeenIp::getIp).doesNotHaveDuplicates();
    assertThat(p.getIps().get(19).getIp()).isEqualTo("10.0.0.30");
    assertThat(p.getLocations()).hasSize(20);
    assertThat(p.getLocations().get(0).getCity()).isEqualTo("City" + (199 % 70));
    assertThat(p.getLocations().get(19).getCity()).isEqualTo("City" + (180 % 70));
  }

  @Test
  void orderAndGroupingDoNotMatter() {
    List<ProfileInput> es = history(new Random(42), 3_000, AS_OF);
    ActorProfile reference = fold(es, AS_OF);
    Random r = new Random(1);
    for (int round = 0; round < 20; round++) {
      List<ProfileInput> shuffled = new ArrayList<>(es);
      Collections.shuffle(shuffled, r);
      // Random partials merged in a random tree.
      List<ProfileAccumulator> parts = new ArrayList<>();
      int i = 0;
      while (i < shuffled.size()) {
        int n = 1 + r.nextInt(400);
        ProfileAccumulator a = new ProfileAccumulator();
        shuffled.subList(i, Math.min(shuffled.size(), i + n)).forEach(e -> a.add(A, e));
        parts.add(a);
        i += n;
      }
      parts.add(new ProfileAccumulator()); // an empty partial merges as nothing
      while (parts.size() > 1) {
        ProfileAccumulator x = parts.remove(r.nextInt(parts.size()));
        ProfileAccumulator y = parts.remove(r.nextInt(parts.size()));
        parts.add(y.merge(x));
      }
      assertThat(bytes(parts.get(0).finish(AS_OF))).isEqualTo(bytes(reference));
    }
  }

  @Test
  void incrementalUpdatesOverSeveralDaysEqualTheFullRecompute() {
    LocalDate start = AS_OF.minusDays(10);
    List<ProfileInput> es = history(new Random(3), 4_000, AS_OF);
    Random r = new Random(9);
    // The day each event "arrives": its own day, or up to 3 days later (late data).
    int[] arrival = new int[es.size()];
    for (int i = 0; i < es.size(); i++) {
      long day = Math.floorDiv(es.get(i).eventTime(), DAY);
      arrival[i] =
          (int) Math.min(AS_OF.toEpochDay(), day + (r.nextInt(10) == 0 ? r.nextInt(4) : 0));
    }
    ActorProfile previous = null;
    for (LocalDate d = start; !d.isAfter(AS_OF); d = d.plusDays(1)) {
      ProfileAccumulator a =
          previous == null ? new ProfileAccumulator() : ProfileAccumulator.of(previous);
      for (int i = 0; i < es.size(); i++) {
        boolean isNew =
            previous == null ? arrival[i] <= d.toEpochDay() : arrival[i] == d.toEpochDay();
        if (isNew) {
          a.add(A, es.get(i));
        }
      }
      previous = a.finish(d);
      // The full recompute as of d sees what has arrived by d.
      ProfileAccumulator full = new ProfileAccumulator();
      for (int i = 0; i < es.size(); i++) {
        if (arrival[i] <= d.toEpochDay()) {
          full.add(A, es.get(i));
        }
      }
      assertThat(bytes(previous)).as("as of %s", d).isEqualTo(bytes(full.finish(d)));
    }
  }

  @Test
  void aProfileWhoseListsAreOutOfOrderStartsTheSameAccumulator() {
    // of() builds its maps in one pass from the ascending lists finish() writes; lists in another
    // order (a profile from elsewhere) must give the same accumulator.
    ActorProfile p = fold(history(new Random(5), 600, AS_OF), AS_OF);
    assertThat(p.getDailySpend().size()).isGreaterThan(5);
    assertThat(p.getAmount().getHistogram().size()).isGreaterThan(5);
    ActorProfile shuffled = ActorProfile.newBuilder(p).build();
    List<io.fraudbatch.avro.DaySpend> daily = new ArrayList<>(p.getDailySpend());
    java.util.Collections.reverse(daily);
    shuffled.setDailySpend(daily);
    List<io.fraudbatch.avro.Bucket> hist = new ArrayList<>(p.getAmount().getHistogram());
    java.util.Collections.shuffle(hist, new Random(1));
    shuffled.setAmount(
        io.fraudbatch.avro.AmountStats.newBuilder(p.getAmount()).setHistogram(hist).build());
    LocalDate next = AS_OF.plusDays(1);
    ProfileInput more = history(new Random(6), 3, next).get(0);
    ProfileAccumulator a = ProfileAccumulator.of(p);
    ProfileAccumulator b = ProfileAccumulator.of(shuffled);
    a.add(A, more);
    b.add(A, more);
    assertThat(bytes(b.finish(next))).isEqualTo(bytes(a.finish(next)));
  }

  @Test
  void sameAsOfTellsExactlyWhenALaterDayLeavesTheProfileUnchangedAndRewindowEqualsFinish() {
    Random r = new Random(11);
    int same = 0;
    int changed = 0;
    for (int actor = 0; actor < 300; actor++) {
      // Sparse histories (1-12 events over 150 days), so that windows lose days now and then.
      ActorProfile p = fold(history(r, 1 + r.nextInt(12), AS_OF), AS_OF);
      for (int later = 0; later <= 120; later += 1 + r.nextInt(3)) {
        LocalDate d = AS_OF.plusDays(later);
        ActorProfile copy = ActorProfile.newBuilder(p).setAsOf(d).build();
        byte[] finished = bytes(ProfileAccumulator.of(p).finish(d));
        boolean equal = Arrays.equals(finished, bytes(copy));
        assertThat(bytes(ProfileAccumulator.rewindow(ActorProfile.newBuilder(p).build(), d)))
            .as("rewindow, actor %d, %d day(s) later", actor, later)
            .isEqualTo(finished);
        assertThat(ProfileAccumulator.sameAsOf(p, d))
            .as("actor %d, %d day(s) later: %s", actor, later, p.getDailySpend())
            .isEqualTo(equal);
        if (equal) {
          same++;
        } else {
          changed++;
        }
      }
    }
    assertThat(same).isGreaterThan(1_000);
    assertThat(changed).isGreaterThan(1_000);
    ActorProfile p = fold(history(r, 5, AS_OF), AS_OF);
    assertThat(ProfileAccumulator.sameAsOf(p, AS_OF.minusDays(1))).as("an earlier day").isFalse();
    assertThatThrownBy(() -> ProfileAccumulator.rewindow(p, AS_OF.minusDays(1)))
        .isInstanceOf(FraudBatchException.class)
        .hasMessageContaining("built on a profile as of " + AS_OF);
  }

  @Test
  void histogramQuantilesAreWithinOnePercent() {
    Random r = new Random(5);
    List<ProfileInput> es = new ArrayList<>();
    long[] amounts = new long[2_001];
    for (int i = 0; i < amounts.length; i++) {
      amounts[i] = 1 + (long) Math.exp(r.nextDouble() * 14); // 1 cent .. ~12k USD, skewed
      es.add(ev(at(AS_OF.minusDays(r.nextInt(200))), "APPROVED", amounts[i]));
    }
    ActorProfile p = fold(es, AS_OF);
    Arrays.sort(amounts);
    long median = amounts[(amounts.length + 1) / 2 - 1];
    long p95 = amounts[(95 * amounts.length + 99) / 100 - 1];
    assertThat((double) p.getAmount().getMedianCents()).isCloseTo(median, withinOnePercent(median));
    assertThat((double) p.getAmount().getP95Cents()).isCloseTo(p95, withinOnePercent(p95));
    for (long c : new long[] {1, 2, 3, 99, 100, 101, 12_345, 1_000_000_000L}) {
      long v = ProfileAccumulator.bucketValue(ProfileAccumulator.bucketOf(c));
      assertThat((double) v).as("bucket value of %d", c).isCloseTo(c, withinOnePercent(c));
    }
    assertThat(ProfileAccumulator.bucketValue(ProfileAccumulator.bucketOf(0))).isZero();
  }

  private static org.assertj.core.data.Offset<Double> withinOnePercent(long v) {
    return org.assertj.core.data.Offset.offset(v * 0.01 + 1);
  }

  @Test
  void refusesToMixActorsOrToGoBackInTime() {
    ProfileAccumulator a = new ProfileAccumulator().add("x", ev(at(AS_OF), "APPROVED", 1L));
    ProfileAccumulator b = new ProfileAccumulator().add("y", ev(at(AS_OF), "APPROVED", 1L));
    assertThatThrownBy(() -> a.merge(b))
        .isInstanceOf(FraudBatchException.class)
        .hasMessageContaining("two actors: x and y");
    ActorProfile p = a.finish(AS_OF);
    assertThatThrownBy(() -> ProfileAccumulator.of(p).finish(AS_OF.minusDays(1)))
        .isInstanceOf(FraudBatchException.class)
        .hasMessageContaining("built on a profile as of " + AS_OF);
    assertThatThrownBy(() -> new ProfileAccumulator().finish(AS_OF))
        .isInstanceOf(FraudBatchException.class);
  }

  /** A varied history up to asOf: all decisions, channels, places, IPs, ties in time. */
  static List<ProfileInput> history(Random r, int n, LocalDate asOf) {
    String[] decisions = {"APPROVED", "APPROVED", "APPROVED", "REVIEW", "DENIED"};
    String[] channels = {"POS", "WEB", "ATM", "MOBILE"};
    String[] cities = new String[60];
    for (int i = 0; i < cities.length; i++) {
      cities[i] = "C" + i;
    }
    long from = at(asOf.minusDays(150));
    long span = at(asOf.plusDays(1)) - from;
    List<ProfileInput> es = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long t = from + (long) (r.nextDouble() * span);
      t -= t % 60_000; // many equal times
      boolean place = r.nextBoolean();
      int c = r.nextInt(cities.length);
      es.add(
          new ProfileInput(
              String.format("e%05d", r.nextInt(100_000)),
              t,
              decisions[r.nextInt(decisions.length)],
              channels[r.nextInt(channels.length)],
              r.nextInt(20) == 0 ? null : (long) r.nextInt(50_000),
              r.nextInt(10) == 0 ? null : "5" + r.nextInt(5) + "11",
              place ? "C" + (c % 3) : null,
              place ? "R" + (c % 7) : null,
              place ? cities[c] : null,
              place && r.nextBoolean() ? 10.0 + c : null,
              place ? 20.0 : null,
              place ? null : "192.168.0." + r.nextInt(60)));
    }
    return es;
  }

  static byte[] bytes(ActorProfile p) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
      new SpecificDatumWriter<>(ActorProfile.class).write(p, enc);
      enc.flush();
      byte[] b = out.toByteArray();
      // and it reads back to the same record
      BinaryDecoder dec = DecoderFactory.get().binaryDecoder(b, null);
      assertThat(new SpecificDatumReader<>(ActorProfile.class).read(null, dec)).isEqualTo(p);
      return b;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
