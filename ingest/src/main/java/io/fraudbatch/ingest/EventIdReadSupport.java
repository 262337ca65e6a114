package io.fraudbatch.ingest;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetInputFormat;
import org.apache.parquet.hadoop.api.InitContext;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Reads only the {@code eventId} column of published decision files (Parquet skips the other
 * columns' pages): what an appended day's duplicate check needs of its rows. A record is the id's
 * UTF-8 bytes.
 */
public final class EventIdReadSupport extends ReadSupport<byte[]> {
  static final String COLUMN = "eventId";

  /** Input format of published decision files, one record (the eventId's bytes) per row. */
  public static final class InputFormat extends ParquetInputFormat<byte[]> {
    public InputFormat() {
      super(EventIdReadSupport.class);
    }
  }

  @Override
  public ReadContext init(InitContext context) {
    MessageType file = context.getFileSchema();
    Type id = file.getType(COLUMN);
    return new ReadContext(new MessageType(file.getName(), id));
  }

  @Override
  public RecordMaterializer<byte[]> prepareForRead(
      Configuration conf,
      Map<String, String> keyValueMetaData,
      MessageType fileSchema,
      ReadContext readContext) {
    return new Materializer();
  }

  private static final class Materializer extends RecordMaterializer<byte[]> {
    private byte[] current;
    private final PrimitiveConverter value =
        new PrimitiveConverter() {
          @Override
          public void addBinary(Binary b) {
            current = b.getBytes();
          }
        };
    private final GroupConverter root =
        new GroupConverter() {
          @Override
          public Converter getConverter(int fieldIndex) {
            return value;
          }

          @Override
          public void start() {
            current = null;
          }

          @Override
          public void end() {}
        };

    @Override
    public byte[] getCurrentRecord() {
      return current;
    }

    @Override
    public GroupConverter getRootConverter() {
      return root;
    }
  }
}
