package io.fraudbatch.core.avro;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * The one Avro data model for fraud-batch's generated records wherever they are read or written
 * (Parquet through parquet-avro, shuffles, HBase cells): the specific model with the logical-type
 * conversions the schemas use (decimal, timestamp-millis, date).
 */
public final class AvroModel {
  /** The model; thread-safe once built. */
  public static final SpecificData SPECIFIC = build();

  private AvroModel() {}

  private static SpecificData build() {
    SpecificData m = new Model();
    m.addLogicalTypeConversion(new Conversions.DecimalConversion());
    m.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    m.addLogicalTypeConversion(new TimeConversions.DateConversion());
    return m;
  }

  /** The specific model with two changes. */
  private static final class Model extends SpecificData {
    /** Marks a record name whose records the default path builds. */
    private static final Supplier<Object> DEFAULT = () -> null;

    // By full name (a string with a cached hash), as SpecificData finds classes: hashing and
    // comparing Schema objects walks them whole.
    private final Map<String, Supplier<Object>> makers = new ConcurrentHashMap<>();

    /**
     * parquet-avro converts a fixed decimal by casting the fixed it built to GenericData.Fixed; the
     * specific model would build the generated Amount class instead. Logical-type fixeds stay
     * generic until the decimal conversion turns them into BigDecimal.
     */
    @Override
    @SuppressWarnings("rawtypes")
    public Class getClass(Schema schema) {
      if (schema.getType() == Schema.Type.FIXED && schema.getLogicalType() != null) {
        return null;
      }
      return super.getClass(schema);
    }

    /**
     * A new generated record through a constructor reference made once per record name: the default
     * looks the class up and calls its constructor by reflection for every record, which made
     * reading a profile snapshot (about a hundred nested records a profile) a quarter slower.
     */
    @Override
    public Object newRecord(Object old, Schema schema) {
      if (old != null || schema.getType() != Schema.Type.RECORD) {
        return super.newRecord(old, schema); // reusing a record: the default's rules
      }
      Supplier<Object> maker = makers.get(schema.getFullName());
      if (maker == null) {
        maker = makers.computeIfAbsent(schema.getFullName(), n -> maker(schema));
      }
      return maker == DEFAULT ? super.newRecord(null, schema) : maker.get();
    }

    private Supplier<Object> maker(Schema schema) {
      Class<?> c = getClass(schema);
      if (c == null || SchemaConstructable.class.isAssignableFrom(c)) {
        return DEFAULT;
      }
      try {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        MethodHandle ctor = lookup.findConstructor(c, MethodType.methodType(void.class));
        @SuppressWarnings("unchecked")
        Supplier<Object> s =
            (Supplier<Object>)
                LambdaMetafactory.metafactory(
                        lookup,
                        "get",
                        MethodType.methodType(Supplier.class),
                        MethodType.methodType(Object.class),
                        ctor,
                        MethodType.methodType(c))
                    .getTarget()
                    .invoke();
        return s;
      } catch (Throwable e) {
        return DEFAULT; // no public no-argument constructor: the default path
      }
    }
  }

  /**
   * Avro binary of a generated record. Cheap enough per record: each thread keeps one writer and
   * encoder per schema.
   */
  @SuppressWarnings("unchecked")
  public static <T> byte[] toBytes(T record, Schema schema) {
    Codec c = CODECS.get().computeIfAbsent(schema, Codec::new);
    try {
      c.buffer.reset();
      c.encoder = EncoderFactory.get().binaryEncoder(c.buffer, c.encoder);
      ((SpecificDatumWriter<T>) c.writer).write(record, c.encoder);
      c.encoder.flush();
      return c.buffer.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot encode a " + schema.getName(), e);
    }
  }

  /** The record {@link #toBytes} wrote (a new instance each call). */
  @SuppressWarnings("unchecked")
  public static <T> T fromBytes(byte[] bytes, Schema schema) {
    Codec c = CODECS.get().computeIfAbsent(schema, Codec::new);
    try {
      c.decoder = DecoderFactory.get().binaryDecoder(bytes, c.decoder);
      return ((SpecificDatumReader<T>) c.reader).read(null, c.decoder);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot decode a " + schema.getName(), e);
    }
  }

  /** One thread's reusable writer, reader and buffers for one schema. */
  private static final class Codec {
    final SpecificDatumWriter<Object> writer;
    final SpecificDatumReader<Object> reader;
    final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);
    BinaryEncoder encoder;
    BinaryDecoder decoder;

    Codec(Schema schema) {
      writer = new SpecificDatumWriter<>(schema, SPECIFIC);
      reader = new SpecificDatumReader<>(schema, schema, SPECIFIC);
    }
  }

  private static final ThreadLocal<java.util.Map<Schema, Codec>> CODECS =
      ThreadLocal.withInitial(java.util.IdentityHashMap::new);
}
