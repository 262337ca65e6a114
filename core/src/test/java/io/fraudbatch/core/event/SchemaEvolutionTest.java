package io.fraudbatch.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudbatch.avro.DecisionEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.List;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.file.SeekableByteArrayInput;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The rules in core/README.md ("Schema evolution"), checked against the first released schema. */
class SchemaEvolutionTest {
  private static Schema v1;
  private static final Schema CURRENT = DecisionEvent.getClassSchema();

  @BeforeAll
  static void loadV1() throws IOException {
    try (InputStream in =
        SchemaEvolutionTest.class.getResourceAsStream("/schemas/DecisionEvent-v1.avsc")) {
      v1 = new Schema.Parser().parse(in);
    }
  }

  @Test
  void currentSchemaReadsDataWrittenWithTheOldOneAndViceVersa() {
    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(CURRENT, v1).getType())
        .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(v1, CURRENT).getType())
        .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
  }

  @Test
  void everyFieldAddedSinceV1IsOptionalWithADefault() {
    for (Schema.Field f : CURRENT.getFields()) {
      if (v1.getField(f.name()) == null) {
        assertThat(f.hasDefaultValue()).as("new field %s needs a default", f.name()).isTrue();
      }
    }
  }

  @Test
  void oldFilesAreReadWithDefaultsForNewFields() throws IOException {
    GenericRecord old = new GenericData.Record(v1);
    old.put("eventId", "e-old");
    old.put("actorId", "C1");
    old.put("eventTime", 1_700_000_000_000L);
    old.put("channel", "POS");
    Schema amountSchema = v1.getField("amount").schema();
    old.put(
        "amount",
        new Conversions.DecimalConversion()
            .toFixed(new BigDecimal("9.9900"), amountSchema, LogicalTypes.decimal(18, 4)));
    old.put("currency", "EUR");
    old.put("decision", "APPROVED");
    old.put("reasons", List.of());

    ByteArrayOutputStream file = new ByteArrayOutputStream();
    try (DataFileWriter<GenericRecord> w = new DataFileWriter<>(new GenericDatumWriter<>(v1))) {
      w.create(v1, file);
      w.append(old);
    }

    try (DataFileReader<DecisionEvent> r =
        new DataFileReader<>(
            new SeekableByteArrayInput(file.toByteArray()),
            new SpecificDatumReader<>(DecisionEvent.class))) {
      DecisionEvent e = r.next();
      assertThat(e.getEventId()).isEqualTo("e-old");
      assertThat(e.getAmount()).isEqualTo(new BigDecimal("9.9900"));
      assertThat(e.getDeviceId()).isNull();
      assertThat(e.getDecidedAt()).isNull();
      assertThat(e.getExtraFields()).isEmpty();
      assertThat(r.hasNext()).isFalse();
    }
  }

  @Test
  void oldReadersIgnoreNewFields() throws IOException {
    DecisionEvent current =
        DecisionEventJson.decode(
                "{\"eventId\":\"e-new\",\"actorId\":\"C2\",\"eventTime\":1700000000000,"
                    + "\"channel\":\"WEB\",\"amount\":\"5\",\"currency\":\"GBP\",\"deviceId\":\"d\","
                    + "\"decision\":\"DENIED\",\"reasons\":[\"NEW_DEVICE\"],\"future\":true}")
            .event();
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    try (DataFileWriter<DecisionEvent> w =
        new DataFileWriter<>(new SpecificDatumWriter<>(DecisionEvent.class))) {
      w.create(CURRENT, file);
      w.append(current);
    }
    try (DataFileReader<GenericRecord> r =
        new DataFileReader<>(
            new SeekableByteArrayInput(file.toByteArray()), new GenericDatumReader<>(null, v1))) {
      GenericRecord e = r.next();
      assertThat(e.get("eventId").toString()).isEqualTo("e-new");
      assertThat(e.getSchema().getField("deviceId")).isNull();
      assertThat(e.get("decision").toString()).isEqualTo("DENIED");
    }
  }
}
