package io.fraudbatch.jobs.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudbatch.avro.ActorProfile;
import io.fraudbatch.core.avro.AvroModel;
import io.fraudbatch.core.money.ReferenceRates;
import io.fraudbatch.core.profile.ProfileAccumulator;
import io.fraudbatch.core.profile.ProfileInput;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/**
 * The Spark engine's fold over Spark's internal rows sorted by actor hash: actors whose hashes
 * collide (interleaved in the sort) still get one profile each, equal to core's accumulator over
 * their own decisions; every column is decoded as the decision holds it (nulls, money in, amounts
 * in other currencies).
 */
class ActorFoldTest {
  static final LocalDate AS_OF = LocalDate.parse("2026-10-20");
  static final long T = AS_OF.atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toEpochMilli();
  static final DecimalType AMOUNT = new DecimalType(18, 2);

  /** Decision i of actor as the test knows it, and as a row of SparkProfiles.COLUMNS + hash. */
  record Case(String actor, ProfileInput input, BigDecimal amount, String currency, long hash) {
    InternalRow row() {
      ProfileInput e = input;
      return new GenericInternalRow(
          new Object[] {
            utf8(actor),
            utf8(e.eventId()),
            e.eventTime(),
            utf8(e.decision()),
            utf8(e.channel()),
            amount == null ? null : Decimal.apply(amount, 18, 2),
            utf8(currency),
            utf8(e.mcc()),
            utf8(e.country()),
            utf8(e.region()),
            utf8(e.city()),
            e.lat(),
            e.lon(),
            utf8(e.ip()),
            e.moneyIn()
                ? utf8(ProfileInput.DIRECTION_IN_JSON)
                : (amount == null ? null : utf8("\"out\"")),
            hash
          });
    }
  }

  static UTF8String utf8(String s) {
    return s == null ? null : UTF8String.fromString(s);
  }

  static Case decision(String actor, int i, long hash) {
    BigDecimal amount = i % 5 == 4 ? null : new BigDecimal(1000 + 37 * i).movePointLeft(2);
    String currency = i % 3 == 0 ? "EUR" : i % 7 == 6 ? "XXX" : "USD"; // XXX: no rate
    boolean located = i % 6 != 5;
    ProfileInput in =
        new ProfileInput(
            actor + "-e" + i,
            T + i * 60_000L,
            i % 4 == 0 ? "DENIED" : "APPROVED",
            "card",
            amount == null ? null : ReferenceRates.defaults().usdCents(amount, currency),
            i % 2 == 0 ? "5411" : null,
            "US",
            "US-CA",
            located ? "c" + (i % 2) : null,
            located ? 37.0 + i : null,
            located ? -122.0 : null,
            i % 8 == 7 ? null : "10.0.0." + i,
            i % 9 == 8);
    return new Case(actor, in, amount, currency, hash);
  }

  @Test
  void collidingHashesFoldEachActorApart() {
    List<Case> cases = new ArrayList<>();
    // a and b share hash 5 and arrive interleaved; c follows with its own hash, then d with c's
    for (int i = 0; i < 18; i++) {
      cases.add(decision(i % 2 == 0 ? "a" : "b", i, 5));
    }
    cases.add(decision("c", 19, 8));
    cases.add(decision("d", 20, 8));
    cases.add(decision("c", 21, 8));
    List<InternalRow> rows = cases.stream().map(Case::row).toList();
    List<Tuple2<String, byte[]>> out = new ArrayList<>();
    new SparkProfiles.ActorFold(rows.iterator(), AS_OF, AMOUNT).forEachRemaining(out::add);

    Map<String, ProfileAccumulator> direct = new LinkedHashMap<>();
    for (Case c : cases) {
      direct.computeIfAbsent(c.actor(), k -> new ProfileAccumulator()).add(c.actor(), c.input());
    }
    assertThat(out).extracting(Tuple2::_1).containsExactly("a", "b", "c", "d");
    for (Tuple2<String, byte[]> t : out) {
      ActorProfile p = AvroModel.fromBytes(t._2, ActorProfile.getClassSchema());
      assertThat(p).isEqualTo(direct.get(t._1).finish(AS_OF));
    }
    ActorProfile a = AvroModel.fromBytes(out.get(0)._2, ActorProfile.getClassSchema());
    assertThat(a.getEventCount()).isEqualTo(9);
    assertThat(a.getUnconvertedCount()).isPositive(); // XXX has no rate
  }

  @Test
  void inputsDecodeEveryColumn() {
    InputRows inputs = new InputRows(AMOUNT);
    for (int i = 0; i < 40; i++) {
      Case c = decision("actor-" + (i % 3), i, 1);
      InternalRow r = c.row();
      assertThat(InputRows.actor(r)).isEqualTo(c.actor());
      assertThat(inputs.input(r)).isEqualTo(c.input());
    }
  }
}
