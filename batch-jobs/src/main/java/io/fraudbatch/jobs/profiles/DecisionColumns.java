package io.fraudbatch.jobs.profiles;

import io.fraudbatch.core.money.ReferenceRates;
import io.fraudbatch.core.profile.ProfileInput;
import io.fraudbatch.warehouse.PageCodecs;
import io.fraudbatch.warehouse.PageColumn;
import java.io.Closeable;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Reads the decision columns a profile uses ({@link ProfileInput#DECISION_FIELDS}, the actor and
 * the ingest run) from a warehouse decision file, page by page ({@link PageColumn}), a row at a
 * time, into {@link ProfileInput}s: no Avro record is assembled. Only those columns' chunks are
 * read. parquet-avro's record assembly (converters per field, a record and its map built per row,
 * the decimal through the data model) was about 37% of the MapReduce mappers' CPU at 20M events,
 * and in the local engine's day read, the first phase of its JVM, its classes were loaded and
 * compiled for 200k rows.
 *
 * <p>A file is read here only if every one of those columns has the type and nesting ingest writes
 * and encodings {@link PageColumn} decodes ({@link #unreadable}); the engines read any other file
 * (an older layout, another writer's encodings) through parquet-avro as before. Page CRCs are
 * checked as the configuration says ({@code parquet.page.verify-checksum.enabled}).
 *
 * <p>Use: {@link #next} moves to a row and reads its day and ingest run; then {@link #input} and
 * {@link #actorId} read the rest of it, or the next {@link #next} skips it.
 */
final class DecisionColumns implements Closeable {
  // Column order here: the reader's, not the file's.
  private static final int EVENT_TIME = 0;
  private static final int INGEST_RUN = 1;
  private static final int ACTOR = 2;
  private static final int EVENT_ID = 3;
  private static final int DECISION = 4;
  private static final int CHANNEL = 5;
  private static final int AMOUNT = 6;
  private static final int CURRENCY = 7;
  private static final int MCC = 8;
  private static final int COUNTRY = 9;
  private static final int REGION = 10;
  private static final int CITY = 11;
  private static final int LAT = 12;
  private static final int LON = 13;
  private static final int IP = 14;
  private static final int EXTRA_KEY = 15;
  private static final int EXTRA_VALUE = 16;

  /** Each column read: its path, type, and maximum definition and repetition levels. */
  private record Need(String path, PrimitiveTypeName type, int maxDef, int maxRep) {}

  private static final List<Need> NEEDS =
      List.of(
          new Need("eventTime", PrimitiveTypeName.INT64, 0, 0),
          new Need("ingestRunId", PrimitiveTypeName.BINARY, 1, 0),
          new Need("actorId", PrimitiveTypeName.BINARY, 0, 0),
          new Need("eventId", PrimitiveTypeName.BINARY, 0, 0),
          new Need("decision", PrimitiveTypeName.BINARY, 0, 0),
          new Need("channel", PrimitiveTypeName.BINARY, 0, 0),
          new Need("amount", PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, 0, 0),
          new Need("currency", PrimitiveTypeName.BINARY, 0, 0),
          new Need("mcc", PrimitiveTypeName.BINARY, 1, 0),
          new Need("country", PrimitiveTypeName.BINARY, 1, 0),
          new Need("region", PrimitiveTypeName.BINARY, 1, 0),
          new Need("city", PrimitiveTypeName.BINARY, 1, 0),
          new Need("lat", PrimitiveTypeName.DOUBLE, 1, 0),
          new Need("lon", PrimitiveTypeName.DOUBLE, 1, 0),
          new Need("ip", PrimitiveTypeName.BINARY, 1, 0),
          new Need("extraFields.key_value.key", PrimitiveTypeName.BINARY, 1, 1),
          new Need("extraFields.key_value.value", PrimitiveTypeName.BINARY, 1, 1));

  private static final long DAY_MS = 86_400_000L;

  private final Path path;
  private final ParquetFileReader file;
  private final PageColumn[] c;
  private final int amountScale;
  private final long rows;
  private long rowsLeft;
  private long rowsRead;

  /** Columns of the current row not read yet: from this index of the reader's order on. */
  private int readFrom = NEEDS.size();

  private long eventTime;
  private String ingestRunId;

  private DecisionColumns(Path path, ParquetFileReader file, PageColumn[] c, int amountScale) {
    this.path = path;
    this.file = file;
    this.c = c;
    this.amountScale = amountScale;
    this.rows = file.getRecordCount();
  }

  /** The share of the file's rows read so far. */
  float progress() {
    return rows == 0 ? 1f : (float) rowsRead / rows;
  }

  /**
   * A reader of {@code path}, or null if the file is not one this class reads ({@link
   * #unreadable}): the caller reads it through parquet-avro.
   */
  static DecisionColumns open(Configuration conf, Path path) throws IOException {
    ParquetFileReader file =
        ParquetFileReader.open(
            HadoopInputFile.fromPath(path, conf),
            HadoopReadOptions.builder(conf, path).withCodecFactory(new PageCodecs(conf)).build());
    try {
      MessageType schema = file.getFooter().getFileMetaData().getSchema();
      if (unreadable(schema, file.getFooter().getBlocks()) != null) {
        file.close();
        return null;
      }
      PageColumn[] c = new PageColumn[NEEDS.size()];
      List<Type> projected = new ArrayList<>();
      for (int i = 0; i < c.length; i++) {
        String[] p = NEEDS.get(i).path().split("\\.");
        c[i] = new PageColumn(schema.getColumnDescription(p));
        Type top = schema.getType(p[0]);
        if (!projected.contains(top)) {
          projected.add(top);
        }
      }
      // Only these columns' chunks are read from the file.
      file.setRequestedSchema(new MessageType(schema.getName(), projected));
      LogicalTypeAnnotation.DecimalLogicalTypeAnnotation decimal =
          (LogicalTypeAnnotation.DecimalLogicalTypeAnnotation)
              schema.getType("amount").getLogicalTypeAnnotation();
      return new DecisionColumns(path, file, c, decimal.getScale());
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
  }

  /**
   * Why a file of this schema and these row groups is not read here (a column missing, or of
   * another type, nesting or encoding than ingest writes); null if it is.
   */
  static String unreadable(MessageType schema, List<BlockMetaData> blocks) {
    for (Need n : NEEDS) {
      String[] p = n.path().split("\\.");
      if (!schema.containsPath(p)) {
        return "no column " + n.path();
      }
      ColumnDescriptor d = schema.getColumnDescription(p);
      if (d.getPrimitiveType().getPrimitiveTypeName() != n.type()
          || d.getMaxDefinitionLevel() != n.maxDef()
          || d.getMaxRepetitionLevel() != n.maxRep()) {
        return "column " + n.path() + " is " + d;
      }
    }
    if (!(schema.getType("eventTime").getLogicalTypeAnnotation()
            instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation t
        && t.getUnit() == LogicalTypeAnnotation.TimeUnit.MILLIS)) {
      return "column eventTime is " + schema.getType("eventTime");
    }
    Type amount = schema.getType("amount");
    if (!(amount.getLogicalTypeAnnotation()
            instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation)
        || amount.asPrimitiveType().getTypeLength() > 8) {
      return "column amount is " + amount;
    }
    for (BlockMetaData b : blocks) {
      for (ColumnChunkMetaData chunk : b.getColumns()) {
        String p = chunk.getPath().toDotString();
        if (NEEDS.stream().anyMatch(n -> n.path().equals(p))
            && !PageColumn.decodes(chunk.getEncodings())) {
          return "column " + p + " is encoded as " + chunk.getEncodings();
        }
      }
    }
    return null;
  }

  /**
   * Moves to the next row (skipping what was not read of the one before) and reads its event time
   * and ingest run; false after the last row.
   */
  boolean next() throws IOException {
    try {
      for (int i = readFrom; i < c.length; i++) {
        skip(i);
      }
      while (rowsLeft == 0) {
        PageReadStore rowGroup = file.readNextRowGroup();
        if (rowGroup == null) {
          readFrom = c.length;
          return false;
        }
        for (PageColumn col : c) {
          col.open(rowGroup.getPageReader(col.descriptor()));
        }
        rowsLeft = rowGroup.getRowCount();
      }
      rowsLeft--;
      rowsRead++;
      eventTime = c[EVENT_TIME].nextLong();
      ingestRunId = optionalString(c[INGEST_RUN]);
      readFrom = ACTOR;
      return true;
    } catch (IOException | RuntimeException e) {
      throw failed(e);
    }
  }

  /** The row's day (UTC epoch day of its event time). */
  int day() {
    return (int) Math.floorDiv(eventTime, DAY_MS);
  }

  /** The run that ingested the row; null for a row from before runs were recorded. */
  String ingestRunId() {
    return ingestRunId;
  }

  /** The row's actor; read once per row, before {@link #input}. */
  String actorId() throws IOException {
    expect(ACTOR);
    readFrom = EVENT_ID;
    try {
      return c[ACTOR].nextString();
    } catch (RuntimeException e) {
      throw failed(e);
    }
  }

  /** The rest of the row, as {@link ProfileInput#of} reads it from the record. */
  ProfileInput input(ReferenceRates rates) throws IOException {
    expect(EVENT_ID);
    readFrom = c.length;
    try {
      String eventId = c[EVENT_ID].nextString();
      String decision = c[DECISION].nextString();
      String channel = c[CHANNEL].nextString();
      BigDecimal amount = BigDecimal.valueOf(c[AMOUNT].nextLong(), amountScale);
      String currency = c[CURRENCY].nextString();
      return new ProfileInput(
          eventId,
          eventTime,
          decision,
          channel,
          rates.usdCents(amount, currency),
          optionalString(c[MCC]),
          optionalString(c[COUNTRY]),
          optionalString(c[REGION]),
          optionalString(c[CITY]),
          optionalDouble(c[LAT]),
          optionalDouble(c[LON]),
          optionalString(c[IP]),
          ProfileInput.DIRECTION_IN_JSON.equals(direction()));
    } catch (RuntimeException e) {
      throw failed(e);
    }
  }

  /** {@code extraFields[direction]}: the last entry of that key, as the record's map keeps it. */
  private String direction() {
    PageColumn key = c[EXTRA_KEY];
    PageColumn value = c[EXTRA_VALUE];
    if (key.def() == 0) { // an empty map
      key.skip();
      value.skip();
      return null;
    }
    String direction = null;
    do {
      String k = key.nextString();
      if (ProfileInput.DIRECTION.equals(k)) {
        direction = value.nextString();
      } else {
        value.skip();
      }
    } while (key.repeats());
    return direction;
  }

  private void skip(int column) {
    PageColumn col = c[column];
    do {
      col.skip();
    } while (col.repeats());
  }

  private void expect(int column) {
    if (readFrom != column) {
      throw new IllegalStateException("columns of a row read out of order");
    }
  }

  private static String optionalString(PageColumn col) {
    if (col.def() == 0) {
      col.skip();
      return null;
    }
    return col.nextString();
  }

  private static Double optionalDouble(PageColumn col) {
    if (col.def() == 0) {
      col.skip();
      return null;
    }
    return col.nextDouble();
  }

  /** Parquet's own messages (a page failing its CRC, say) do not name the file. */
  private IOException failed(Exception e) {
    return new IOException("Cannot read " + path + ": " + e.getMessage(), e);
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
