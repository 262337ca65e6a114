package io.fraudbatch.ingest;

import io.fraudbatch.avro.DecisionEvent;
import io.fraudbatch.avro.IngestCandidate;
import io.fraudbatch.core.avro.AvroModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
  static final SpecificData MODEL = AvroModel.SPECIFIC;

  private final SpecificDatumWriter<IngestCandidate> writer =
      new SpecificDatumWriter<>(IngestCandidate.getClassSchema(), MODEL);
  private final SpecificDatumReader<IngestCandidate> reader =
      new SpecificDatumReader<>(
          IngestCandidate.getClassSchema(), IngestCandidate.getClassSchema(), MODEL);
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
  private BinaryEncoder encoder;
  private BinaryDecoder decoder;

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
