package io.fraudbatch.core.avro;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudbatch.avro.ActorProfile;
import io.fraudbatch.avro.KeyCountSum;
import io.fraudbatch.avro.LastPlace;
import io.fraudbatch.avro.RiskContext;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;

class AvroModelTest {
  @Test
  void newRecordsAreTheGeneratedClassesTopLevelAndNested() {
    Object p = AvroModel.SPECIFIC.newRecord(null, ActorProfile.getClassSchema());
    assertThat(p).isInstanceOf(ActorProfile.class);
    assertThat(AvroModel.SPECIFIC.newRecord(null, ActorProfile.getClassSchema())).isNotSameAs(p);
    Schema keyCountSum =
        ActorProfile.getClassSchema().getField("byDecision").schema().getElementType();
    assertThat(AvroModel.SPECIFIC.newRecord(null, keyCountSum)).isInstanceOf(KeyCountSum.class);
    Schema lastPlace =
        ActorProfile.getClassSchema().getField("lastPlace").schema().getTypes().get(1);
    assertThat(AvroModel.SPECIFIC.newRecord(null, lastPlace)).isInstanceOf(LastPlace.class);
    assertThat(AvroModel.SPECIFIC.newRecord(null, RiskContext.getClassSchema()))
        .isInstanceOf(RiskContext.class);
  }

  @Test
  void aRecordWithoutAGeneratedClassIsGenericAndAnOldRecordIsReused() {
    Schema other =
        new Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"NoSuchClass\",\"namespace\":\"nowhere\","
                    + "\"fields\":[{\"name\":\"a\",\"type\":\"long\"}]}");
    assertThat(AvroModel.SPECIFIC.newRecord(null, other)).isInstanceOf(GenericData.Record.class);
    ActorProfile old = new ActorProfile();
    assertThat(AvroModel.SPECIFIC.newRecord(old, ActorProfile.getClassSchema())).isSameAs(old);
  }

  @Test
  void aRecordRoundTripsThroughTheModel() {
    RiskContext rc =
        RiskContext.newBuilder()
            .setKeyType("merchant")
            .setKey("M1")
            .setLevel("HIGH")
            .setAmountMultiplier(0.5)
            .setNewLocationMultiplier(0.5)
            .setAnomalies(1)
            .setTopMetric("count")
            .setTopScore(3.5)
            .setLastAnomalyEnd(java.time.Instant.ofEpochMilli(1_000))
            .setValidUntil(java.time.Instant.ofEpochMilli(2_000))
            .setAsOf(java.time.Instant.ofEpochMilli(3_000))
            .setRunId("r")
            .build();
    assertThat(
            AvroModel.<RiskContext>fromBytes(
                AvroModel.toBytes(rc, RiskContext.getClassSchema()), RiskContext.getClassSchema()))
        .isEqualTo(rc);
  }
}
