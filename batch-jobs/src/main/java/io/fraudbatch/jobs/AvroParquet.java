package io.fraudbatch.jobs;

import io.fraudbatch.core.avro.AvroModel;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetOutputFormat;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.hadoop.util.HadoopOutputFile;

/** Parquet files of core's Avro records, written and read the same way by every job. */
public final class AvroParquet {
  private AvroParquet() {}

  /** Row groups of this size at most. */
  public static final int ROW_GROUP_BYTES = 64 * 1024 * 1024;

  public static <T> ParquetWriter<T> open(Configuration conf, Path file, Schema schema)
      throws IOException {
    return open(conf, file, schema, true);
  }

  public static <T> ParquetWriter<T> open(
      Configuration conf, Path file, Schema schema, boolean dictionary) throws IOException {
    return open(conf, file, schema, dictionary, b -> b);
  }

  /** The same writer, with {@code more} options set last. */
  public static <T> ParquetWriter<T> open(
      Configuration conf,
      Path file,
      Schema schema,
      boolean dictionary,
      java.util.function.UnaryOperator<AvroParquetWriter.Builder<T>> more)
      throws IOException {
    return more.apply(
            pages(AvroParquetWriter.<T>builder(HadoopOutputFile.fromPath(file, conf)), conf)
                .withDictionaryEncoding(dictionary)
                .withSchema(schema)
                .withDataModel(AvroModel.SPECIFIC)
                .withCompressionCodec(CompressionCodecName.ZSTD)
                .withRowGroupSize(ROW_GROUP_BYTES)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withConf(conf)
                // Standard three-level lists (after withConf, which replaces the configuration):
                // Hive reads an empty two-level list as NULL (hive-ddl/README.md).
                .config(AvroWriteSupport.WRITE_OLD_LIST_STRUCTURE, "false"))
        .build();
  }

  /**
   * The page size and page row limit of {@code conf} ({@code parquet.page.size}, {@code
   * parquet.page.row.count.limit}, as Hadoop users set them with -D) on a writer builder, which
   * otherwise ignores them; Parquet's defaults where unset.
   */
  public static <B extends ParquetWriter.Builder<?, B>> B pages(B builder, Configuration conf) {
    return builder
        .withPageSize(
            conf.getInt(ParquetOutputFormat.PAGE_SIZE, ParquetProperties.DEFAULT_PAGE_SIZE))
        .withPageRowCountLimit(
            conf.getInt(
                ParquetOutputFormat.PAGE_ROW_COUNT_LIMIT,
                ParquetProperties.DEFAULT_PAGE_ROW_COUNT_LIMIT));
  }

  /** Writes {@code records} to one file (an empty file when there are none). */
  public static <T> void write(Configuration conf, Path file, Schema schema, Iterable<T> records)
      throws IOException {
    try (ParquetWriter<T> w = open(conf, file, schema)) {
      for (T r : records) {
        w.write(r);
      }
    }
  }

  /** A reader of one file's records, in file order ({@code read()} gives null at the end). */
  public static <T> ParquetReader<T> reader(Configuration conf, Path file) throws IOException {
    return AvroParquetReader.<T>builder(HadoopInputFile.fromPath(file, conf))
        .withDataModel(AvroModel.SPECIFIC)
        .build();
  }

  /**
   * {@code schema} with only {@code fields}, in its order, for {@code
   * AvroReadSupport.setRequestedProjection}: Parquet then reads and decodes only those columns, and
   * the records are the schema's class with the other fields left null.
   */
  public static Schema projection(Schema schema, java.util.Collection<String> fields) {
    List<Schema.Field> kept = new java.util.ArrayList<>();
    for (Schema.Field f : schema.getFields()) {
      if (fields.contains(f.name())) {
        kept.add(new Schema.Field(f, f.schema()));
      }
    }
    if (kept.size() != new java.util.HashSet<>(fields).size()) {
      throw new IllegalArgumentException(schema.getName() + " lacks one of " + fields);
    }
    return Schema.createRecord(
        schema.getName(), schema.getDoc(), schema.getNamespace(), schema.isError(), kept);
  }

  public static <T> void read(Configuration conf, Path file, Consumer<T> sink) throws IOException {
    try (ParquetReader<T> r = reader(conf, file)) {
      T p;
      while ((p = r.read()) != null) {
        sink.accept(p);
      }
    }
  }
}
