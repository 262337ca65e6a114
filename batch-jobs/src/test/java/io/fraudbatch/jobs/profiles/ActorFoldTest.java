package io.fraudbatch.jobs.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudbatch.avro.ActorProfile;
import io.fraudbatch.core.avro.AvroModel;
import io.fraudbatch.core.money.ReferenceRates;
import io.fraudbatch.core.profile.ProfileAccumulator;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/**
 * The Spark engine's fold over rows sorted by actor hash: actors whose hashes collide (interleaved
 * in the sort) still get one profile each, equal to core's accumulator over their own rows.
 */
class ActorFoldTest {
  static final LocalDate AS_OF = LocalDate.parse("2026-10-20");
  static final long T = AS_OF.atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toEpochMilli();

  static Row row(String actor, int i, long hash) {
    return RowFactory.create(
        actor,
        actor + "-e" + i,
        T + i * 60_000L,
        i % 4 == 0 ? "DENIED" : "APPROVED",
        "card",
        new BigDecimal(1000 + 37 * i).movePointLeft(2),
        i % 3 == 0 ? "EUR" : "USD",
        "5411",
        "US",
        "US-CA",
        "c" + (i % 2),
        37.0,
        -122.0,
        "10.0.0." + i,
        null,
        hash);
  }

  @Test
  void collidingHashesFoldEachActorApart() {
    List<Row> rows = new ArrayList<>();
    // a and b share hash 5 and arrive interleaved; c follows with its own hash
    for (int i = 0; i < 6; i++) {
      rows.add(row(i % 2 == 0 ? "a" : "b", i, 5));
    }
    rows.add(row("c", 9, 8));
    List<Tuple2<String, byte[]>> out = new ArrayList<>();
    new SparkProfiles.ActorFold(rows.iterator(), AS_OF).forEachRemaining(out::add);

    Map<String, ProfileAccumulator> direct = new LinkedHashMap<>();
    ReferenceRates rates = ReferenceRates.defaults();
    for (Row r : rows) {
      direct
          .computeIfAbsent(r.getString(0), k -> new ProfileAccumulator())
          .add(r.getString(0), SparkProfiles.input(r, rates));
    }
    assertThat(out).extracting(Tuple2::_1).containsExactly("a", "b", "c");
    for (Tuple2<String, byte[]> t : out) {
      ActorProfile p = AvroModel.fromBytes(t._2, ActorProfile.getClassSchema());
      assertThat(p).isEqualTo(direct.get(t._1).finish(AS_OF));
    }
    ActorProfile a = AvroModel.fromBytes(out.get(0)._2, ActorProfile.getClassSchema());
    assertThat(a.getEventCount()).isEqualTo(3);
  }
}
