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

  /**
   * A published row of an appended day, known by its id alone: one byte no encoded candidate starts
   * with (a candidate starts with its Avro boolean, 0 or 1).
   */
  static final byte[] MARKER = {2};

  static boolean isMarker(byte[] b, int length) {
    return length == 1 && b[0] == MARKER[0];
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

  private final SpecificDatumWriter<DecisionEvent> eventWriter =
      new SpecificDatumWriter<>(DecisionEvent.getClassSchema(), MODEL);

  /** An event alone in Avro binary (the form {@link AvroBinaryWriteSupport} writes). */
  byte[] encodeEvent(DecisionEvent event) {
    buffer.reset();
    encoder = EncoderFactory.get().binaryEncoder(buffer, encoder);
    try {
      eventWriter.write(event, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot encode " + event.getEventId(), e);
    }
    return buffer.toByteArray();
  }

  /**
   * What the reducer needs of an encoded candidate without decoding it: its first fields, where its
   * event's bytes start, and the event's time (the event's third field).
   */
  record Header(boolean history, String sourceFile, int eventOffset, long eventTime) {}

  static {
    // header() reads these fields by position: a schema change must come here first.
    check(IngestCandidate.getClassSchema(), "history", "sourceFile", "recordIndex", "event");
    check(DecisionEvent.getClassSchema(), "eventId", "actorId", "eventTime");
  }

  private static void check(org.apache.avro.Schema s, String... first) {
    for (int i = 0; i < first.length; i++) {
      if (!s.getFields().get(i).name().equals(first[i])) {
        throw new IllegalStateException(
            s.getName() + "'s field " + i + " is not " + first[i] + ": update CandidateCodec");
      }
    }
  }

  static Header header(byte[] b) {
    io.fraudbatch.warehouse.AvroBinaryIn in = new io.fraudbatch.warehouse.AvroBinaryIn();
    in.buf = b;
    in.pos = 0;
    boolean history = b[in.pos++] != 0;
    int len = (int) in.readLong();
    String sourceFile = new String(b, in.pos, len, java.nio.charset.StandardCharsets.UTF_8);
    in.pos += len;
    in.readLong(); // recordIndex
    int eventOffset = in.pos;
    for (int field = 0; field < 2; field++) { // eventId, actorId
      int skip = (int) in.readLong(); // (read before adding: the length moves pos itself)
      in.pos += skip;
    }
    return new Header(history, sourceFile, eventOffset, in.readLong());
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
