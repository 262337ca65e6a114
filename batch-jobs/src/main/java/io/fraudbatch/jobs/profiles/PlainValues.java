package io.fraudbatch.jobs.profiles;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.nio.ByteOrder;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.factory.DefaultValuesWriterFactory;
import org.apache.parquet.column.values.factory.ValuesWriterFactory;
import org.apache.parquet.column.values.plain.PlainValuesWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.api.Binary;

/**
 * Parquet's PLAIN encoding of INT32, INT64, FLOAT, DOUBLE and BINARY values written into one
 * growing array: the same bytes as parquet-column's {@link PlainValuesWriter}, which goes through a
 * {@code LittleEndianDataOutputStream} one byte per call into slabs (a third of the writing's
 * samples in a profile of the local engine, at 150 values a profile). Only writers Parquet's own
 * factory would have made a {@link PlainValuesWriter} are replaced ({@link Factory}), so the
 * encodings chosen, page boundaries and statistics are Parquet's.
 */
final class PlainValues extends ArrayValues {
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  PlainValues(int initialBytes) {
    super("PLAIN", initialBytes);
  }

  @Override
  public void writeInteger(int v) {
    room(4);
    INT.set(buf, size, v);
    size += 4;
  }

  @Override
  public void writeLong(long v) {
    room(8);
    LONG.set(buf, size, v);
    size += 8;
  }

  @Override
  public void writeDouble(double v) {
    writeLong(Double.doubleToLongBits(v));
  }

  @Override
  public void writeFloat(float v) {
    writeInteger(Float.floatToIntBits(v));
  }

  @Override
  public void writeBytes(Binary v) {
    int len = v.length();
    room(4 + len);
    INT.set(buf, size, len);
    v.toByteBuffer().get(buf, size + 4, len);
    size += 4 + len;
  }

  @Override
  public BytesInput getBytes() {
    return BytesInput.from(buf, 0, size);
  }

  @Override
  public Encoding getEncoding() {
    return Encoding.PLAIN;
  }

  /**
   * Parquet's default values writers, with {@link PlainValues} for its {@link PlainValuesWriter}.
   */
  static final class Factory implements ValuesWriterFactory {
    private final DefaultValuesWriterFactory parquet = new DefaultValuesWriterFactory();
    private int initialBytes;

    @Override
    public void initialize(ParquetProperties props) {
      parquet.initialize(props);
      initialBytes = props.getInitialSlabSize();
    }

    @Override
    public ValuesWriter newValuesWriter(ColumnDescriptor column) {
      ValuesWriter w = parquet.newValuesWriter(column);
      if (w.getClass() != PlainValuesWriter.class) {
        return w;
      }
      w.close();
      return new PlainValues(initialBytes);
    }
  }

  /**
   * Gives a writer builder {@link Factory}; false (and the builder unchanged) when this Parquet's
   * builder does not let it be reached: the builder's properties are not public API.
   */
  static boolean use(ParquetWriter.Builder<?, ?> builder) {
    try {
      Field f = ParquetWriter.Builder.class.getDeclaredField("encodingPropsBuilder");
      f.setAccessible(true);
      if (f.get(builder) instanceof ParquetProperties.Builder props) {
        props.withValuesWriterFactory(new Factory());
        return true;
      }
      return false;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }
}
