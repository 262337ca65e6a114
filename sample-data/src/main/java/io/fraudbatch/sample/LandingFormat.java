package io.fraudbatch.sample;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.GzipCodec;
import org.apache.hadoop.io.compress.SnappyCodec;
import org.apache.hadoop.util.ReflectionUtils;

/**
 * The Flume HDFS sink formats in use (ARCHITECTURE.md, landing contract), each written the way
 * Flume writes it.
 */
public enum LandingFormat {
  /** {@code hdfs.fileType = SequenceFile}: key LongWritable timestamp, value BytesWritable body. */
  SEQUENCEFILE("sequencefile", ""),
  /** {@code hdfs.fileType = DataStream}, text serializer: one JSON body per line. */
  DATASTREAM("datastream", ""),
  /** {@code hdfs.fileType = CompressedStream}, {@code hdfs.codeC = gzip}. */
  DATASTREAM_GZIP("datastream-gzip", ".gz"),
  /**
   * {@code hdfs.fileType = CompressedStream}, {@code hdfs.codeC = snappy} (Hadoop block format).
   */
  DATASTREAM_SNAPPY("datastream-snappy", ".snappy"),
  /** {@code hdfs.fileType = DataStream}, {@code serializer = avro_event}: Avro Flume events. */
  AVRO("avro", "");

  /**
   * The schema of Flume's {@code avro_event} serializer (FlumeEventAvroEventSerializer): the
   * event's headers and its body.
   */
  public static final Schema FLUME_EVENT_SCHEMA =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"Event\",\"fields\":["
                  + "{\"name\":\"headers\",\"type\":{\"type\":\"map\",\"values\":\"string\"}},"
                  + "{\"name\":\"body\",\"type\":\"bytes\"}]}");

  /** Avro block size: Flume's syncIntervalBytes, set to Avro's usual 64 KiB. */
  static final int AVRO_SYNC_INTERVAL = 64 * 1024;

  final String cliName;

  /** What Flume appends to the file name: the codec's default extension. */
  final String suffix;

  LandingFormat(String cliName, String suffix) {
    this.cliName = cliName;
    this.suffix = suffix;
  }

  public String cliName() {
    return cliName;
  }

  /** Parses a command-line name, e.g. {@code datastream-gzip}. */
  public static LandingFormat parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (LandingFormat f : values()) {
      if (f.cliName.equals(n)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "unknown landing format '"
            + name
            + "' (expected one of "
            + String.join(", ", Arrays.stream(values()).map(f -> f.cliName).toList())
            + ")");
  }

  /**
   * The whole file's bytes. {@code sync} (16 bytes) replaces the random sync markers SequenceFile
   * and Avro would otherwise draw, so the same seed gives byte-identical files.
   */
  FileBytes write(List<LandingRecord> records, String host, byte[] sync, Configuration conf)
      throws IOException {
    long size = 1024;
    for (LandingRecord r : records) {
      size += r.body().length + 24;
    }
    FileBytes bytes = new FileBytes((int) Math.min(size, Integer.MAX_VALUE - 16));
    switch (this) {
      case SEQUENCEFILE -> writeSequenceFile(records, bytes, sync, conf);
      case DATASTREAM -> writeLines(records, bytes);
      case DATASTREAM_GZIP -> writeCompressed(records, bytes, GzipCodec.class, conf);
      case DATASTREAM_SNAPPY -> writeCompressed(records, bytes, SnappyCodec.class, conf);
      case AVRO -> writeAvro(records, bytes, host, sync);
    }
    return bytes;
  }

  /** A file's bytes without the copy ByteArrayOutputStream.toByteArray() makes. */
  static final class FileBytes extends ByteArrayOutputStream {
    FileBytes(int size) {
      super(size);
    }

    byte[] array() {
      return buf;
    }

    int length() {
      return count;
    }
  }

  private static void writeLines(List<LandingRecord> records, OutputStream out) throws IOException {
    for (LandingRecord r : records) {
      out.write(r.body());
      out.write('\n');
    }
  }

  private static void writeCompressed(
      List<LandingRecord> records,
      OutputStream out,
      Class<? extends CompressionCodec> codecClass,
      Configuration conf)
      throws IOException {
    CompressionCodec codec = ReflectionUtils.newInstance(codecClass, conf);
    try (OutputStream c = codec.createOutputStream(out)) {
      writeLines(records, c);
    }
  }

  private static void writeSequenceFile(
      List<LandingRecord> records, FileBytes out, byte[] sync, Configuration conf)
      throws IOException {
    try (FSDataOutputStream stream = new FSDataOutputStream(out, null);
        SequenceFile.Writer w =
            SequenceFile.createWriter(
                conf,
                SequenceFile.Writer.stream(stream),
                SequenceFile.Writer.keyClass(LongWritable.class),
                SequenceFile.Writer.valueClass(BytesWritable.class),
                SequenceFile.Writer.compression(SequenceFile.CompressionType.NONE))) {
      LongWritable key = new LongWritable();
      BytesWritable value = new BytesWritable();
      for (LandingRecord r : records) {
        key.set(r.timestamp());
        value.set(r.body(), 0, r.body().length);
        w.append(key, value);
      }
      w.hflush();
    }
    replaceSequenceFileSync(out, sync);
  }

  /**
   * SequenceFile draws its sync marker from a random UID and the clock; swap it (in the header and
   * at every sync point) for the seeded one. The header is: "SEQ", version, key and value class
   * names, two flags, metadata count, then the 16-byte marker.
   */
  private static void replaceSequenceFileSync(FileBytes out, byte[] sync) {
    byte[] file = out.array();
    int length = out.length();
    int pos = 4;
    for (int i = 0; i < 2; i++) {
      int len = file[pos]; // class names are shorter than 128 bytes: a one-byte vint
      pos += 1 + len;
    }
    pos += 2 + 4; // compressed + blockCompressed flags, metadata count (0)
    byte[] random = Arrays.copyOfRange(file, pos, pos + 16);
    for (int i = pos; i <= length - 16; i++) {
      if (file[i] == random[0] && Arrays.equals(file, i, i + 16, random, 0, 16)) {
        System.arraycopy(sync, 0, file, i, 16);
        i += 15;
      }
    }
  }

  private static void writeAvro(
      List<LandingRecord> records, OutputStream out, String host, byte[] sync) throws IOException {
    try (DataFileWriter<GenericRecord> w =
        new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(FLUME_EVENT_SCHEMA))) {
      w.setSyncInterval(AVRO_SYNC_INTERVAL);
      w.create(FLUME_EVENT_SCHEMA, out, sync);
      GenericRecord e = new GenericData.Record(FLUME_EVENT_SCHEMA);
      for (LandingRecord r : records) {
        TreeMap<String, String> headers = new TreeMap<>();
        headers.put("timestamp", Long.toString(r.timestamp()));
        headers.put("host", host);
        e.put("headers", headers);
        e.put("body", ByteBuffer.wrap(r.body()));
        w.append(e);
      }
    }
  }
}
