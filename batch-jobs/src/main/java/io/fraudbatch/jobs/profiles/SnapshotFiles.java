package io.fraudbatch.jobs.profiles;

import io.fraudbatch.avro.ActorProfile;
import io.fraudbatch.jobs.AvroParquet;
import io.fraudbatch.warehouse.BufferedOutputFile;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.codec.ZstandardCodec;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.OutputFile;

/**
 * The physical layout of a profile snapshot, shared by every engine so they write the same bytes:
 * actors are spread over {@code buckets} files by {@link #bucketOf}, each file {@code
 * part-NNNNN.parquet} holds its actors sorted by the UTF-8 bytes of actorId, written by {@link
 * #open} with fixed settings.
 */
public final class SnapshotFiles {
  private SnapshotFiles() {}

  /** The bucket of an actor: String.hashCode is specified by the language, so stable everywhere. */
  public static int bucketOf(String actorId, int buckets) {
    return Math.floorMod(actorId.hashCode(), buckets);
  }

  public static Path partFile(Path dir, int bucket) {
    return new Path(dir, String.format(Locale.ROOT, "part-%05d.parquet", bucket));
  }

  /** Actor ids in the order MapReduce sorts Text keys: by their UTF-8 bytes. */
  public static final Comparator<String> ACTOR_ORDER = new Utf8Order();

  private static final class Utf8Order implements Comparator<String>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(String a, String b) {
      return Arrays.compareUnsigned(
          a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * A snapshot file's writer: parquet-avro's file layout, written column by column ({@link
   * ProfileWriteSupport}), zstd, no dictionary encoding (a profile's columns are nearly all
   * distinct per actor; building and abandoning dictionaries was the writer's top cost in a profile
   * of an incremental run; files grow about 13%, runs shrink about a second at 2.4M events).
   */
  public static ParquetWriter<ActorProfile> open(Configuration conf, Path file) throws IOException {
    return open(conf, file, true);
  }

  /**
   * zstd's level for snapshot files unless the configuration sets one: level 1 wrote a
   * 41.5k-profile part file in 19-22 us a profile against 22-26 at Parquet's default 3, and 2%
   * smaller.
   */
  static final int ZSTD_LEVEL = 1;

  static Configuration withLevel(Configuration conf) {
    Configuration c = new Configuration(conf);
    c.setIfUnset(ZstandardCodec.PARQUET_COMPRESS_ZSTD_LEVEL, Integer.toString(ZSTD_LEVEL));
    return c;
  }

  /** {@code direct} false: the same writer with parquet-avro's record shredding (tests). */
  static ParquetWriter<ActorProfile> open(Configuration base, Path file, boolean direct)
      throws IOException {
    Configuration conf = withLevel(base);
    return build(new Builder<>(output(file, conf), new ProfileWriteSupport(direct)), conf, direct);
  }

  /**
   * The same writer for profiles given as Avro binary ({@code AvroModel.toBytes}), as the Spark
   * engine shuffles them: their values go to the column writers as they are decoded, without
   * building the records ({@link ProfileWriteSupport.AvroBinary}). Same files as {@link #open}.
   */
  public static ParquetWriter<byte[]> openAvroBinary(Configuration base, Path file)
      throws IOException {
    Configuration conf = withLevel(base);
    return build(
        new Builder<>(output(file, conf), new ProfileWriteSupport.AvroBinary()), conf, true);
  }

  /** A snapshot file's output: its pages reach the filesystem in large writes. */
  private static OutputFile output(Path file, Configuration conf) throws IOException {
    return new BufferedOutputFile(HadoopOutputFile.fromPath(file, conf));
  }

  private static <T> ParquetWriter<T> build(Builder<T> builder, Configuration conf, boolean direct)
      throws IOException {
    if (direct) {
      PlainValues.use(builder);
    }
    builder = statistics(AvroParquet.pages(builder, conf));
    return builder
        .withDictionaryEncoding(false)
        .withCompressionCodec(CompressionCodecName.ZSTD)
        .withRowGroupSize(AvroParquet.ROW_GROUP_BYTES)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .withConf(conf)
        .build();
  }

  /**
   * The statistics a snapshot file holds: min/max (and the page indexes built from them) on the
   * top-level and struct columns only, where a query engine prunes row groups and pages, not on the
   * elements of lists, whose statistics cost a comparison per value; and no size statistics (level
   * histograms updated per value, which no reader here uses). Together about 3% of an incremental
   * run's writing CPU at 20M events.
   */
  static <B extends ParquetWriter.Builder<?, B>> B statistics(B builder) {
    builder = builder.withSizeStatisticsEnabled(false);
    for (org.apache.parquet.column.ColumnDescriptor c : ProfileWriteSupport.schema().getColumns()) {
      if (c.getMaxRepetitionLevel() > 0) {
        builder = builder.withStatisticsEnabled(String.join(".", c.getPath()), false);
      }
    }
    return builder;
  }

  /** parquet-avro's writer for the same files (the reference {@link #open} is tested against). */
  static ParquetWriter<ActorProfile> openAvro(Configuration conf, Path file) throws IOException {
    return AvroParquet.open(
        withLevel(conf), file, ActorProfile.getClassSchema(), false, SnapshotFiles::statistics);
  }

  /** The snapshot writer's builder, with the write support it hands out (tests hold it too). */
  static final class Builder<T> extends ParquetWriter.Builder<T, Builder<T>> {
    private final WriteSupport<T> support;

    Builder(OutputFile file, WriteSupport<T> support) {
      super(file);
      this.support = support;
    }

    @Override
    protected Builder<T> self() {
      return this;
    }

    @Override
    protected WriteSupport<T> getWriteSupport(Configuration conf) {
      return support;
    }
  }

  /** Every profile in a snapshot directory, file by file. */
  public static List<ActorProfile> readAll(Configuration conf, Path dir) throws IOException {
    List<ActorProfile> out = new ArrayList<>();
    for (Path p : parts(conf, dir)) {
      read(conf, p, out::add);
    }
    return out;
  }

  /** The part files of a snapshot directory, sorted by name. */
  public static List<Path> parts(Configuration conf, Path dir) throws IOException {
    FileSystem fs = dir.getFileSystem(conf);
    List<Path> out = new ArrayList<>();
    for (FileStatus s : fs.listStatus(dir)) {
      if (s.isFile() && s.getPath().getName().endsWith(".parquet")) {
        out.add(s.getPath());
      }
    }
    out.sort(Comparator.comparing(Path::getName));
    return out;
  }

  public static void read(
      Configuration conf, Path file, java.util.function.Consumer<ActorProfile> sink)
      throws IOException {
    try (ProfileSource r = reader(conf, file)) {
      ActorProfile p;
      while ((p = r.read()) != null) {
        sink.accept(p);
      }
    }
  }

  /** A snapshot file's profiles in file order ({@link #read()} gives null at the end). */
  public interface ProfileSource extends java.io.Closeable {
    ActorProfile read() throws IOException;
  }

  /**
   * A snapshot file's reader: column by column ({@link ProfileColumnReader}) when the file has the
   * snapshot writer's schema, else (an older layout) parquet-avro's, which resolves it.
   */
  public static ProfileSource reader(Configuration conf, Path file) throws IOException {
    ProfileColumnReader direct = new ProfileColumnReader(conf, file);
    if (direct.isDirect()) {
      return direct;
    }
    direct.close();
    ParquetReader<ActorProfile> r = AvroParquet.reader(conf, file);
    return new ProfileSource() {
      @Override
      public ActorProfile read() throws IOException {
        return r.read();
      }

      @Override
      public void close() throws IOException {
        r.close();
      }
    };
  }
}
