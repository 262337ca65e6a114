package io.fraudbatch.ingest;

import io.fraudbatch.avro.DecisionEvent;
import io.fraudbatch.avro.IngestCandidate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Conversions;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/** Avro binary for the shuffle: one codec instance per task (not thread-safe). */
final class CandidateCodec {
  /** The specific model with the logical-type conversions the schemas use. */
  static final SpecificData MODEL = model();

  private final SpecificDatumWriter<IngestCandidate> writer =
      new SpecificDatumWriter<>(IngestCandidate.getClassSchema(), MODEL);
  private final SpecificDatumReader<IngestCandidate> reader =
      new SpecificDatumReader<>(
          IngestCandidate.getClassSchema(), IngestCandidate.getClassSchema(), MODEL);
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
  private BinaryEncoder encoder;
  private BinaryDecoder decoder;

  static SpecificData model() {
    // parquet-avro converts a fixed decimal by casting the fixed it built to GenericData.Fixed; the
    // specific model would build the generated Amount class instead. Logical-type fixeds stay
    // generic.
    SpecificData m =
        new SpecificData() {
          @Override
          @SuppressWarnings("rawtypes")
          public Class getClass(org.apache.avro.Schema schema) {
            if (schema.getType() == org.apache.avro.Schema.Type.FIXED
                && schema.getLogicalType() != null) {
              return null; // stays GenericData.Fixed until the conversion turns it into BigDecimal
            }
            return super.getClass(schema);
          }
        };
    m.addLogicalTypeConversion(new Conversions.DecimalConversion());
    m.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    return m;
  }

  byte[] encode(boolean history, String sourceFile, long index, DecisionEvent event) {
    buffer.reset();
    encoder = EncoderFactory.get().binaryEncoder(buffer, encoder);
    try {
      writer.write(new IngestCandidate(history, sourceFile, index, event), encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot encode " + event.getEventId(), e);
    }
    return buffer.toByteArray();
  }

  IngestCandidate decode(byte[] bytes, int length) {
    decoder = DecoderFactory.get().binaryDecoder(bytes, 0, length, decoder);
    try {
      return reader.read(null, decoder);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot decode a shuffled candidate", e);
    }
  }
}
