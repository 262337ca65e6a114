package io.fraudbatch.sample;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.GzipCodec;
import org.apache.hadoop.io.compress.SnappyCodec;
import org.apache.hadoop.util.ReflectionUtils;

/**
 * Reads landing files back with the libraries a consumer would use: Hadoop's SequenceFile.Reader,
 * Avro's DataFileReader and a JSON-lines reader (through Hadoop's codecs when compressed).
 */
final class LandingReader {
  /** One record as read back, with the file it came from. */
  record Landed(Path file, LandingFormat format, Long timestamp, byte[] body) {}

  /** What one file gave. */
  record FileRead(Path file, LandingFormat format, List<Landed> records, boolean cutShort) {}

  private static final Configuration CONF = new Configuration();

  static List<FileRead> readAll(Path landing) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(landing)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    List<FileRead> out = new ArrayList<>();
    for (Path f : files) {
      out.add(read(f));
    }
    return out;
  }

  /** The format, recognised by content (magic bytes); Hadoop's snappy stream has none: by name. */
  static LandingFormat detect(Path file) throws IOException {
    byte[] head = new byte[4];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, 4);
    }
    if (n >= 3 && head[0] == 'S' && head[1] == 'E' && head[2] == 'Q') {
      return LandingFormat.SEQUENCEFILE;
    }
    if (n == 4 && head[0] == 'O' && head[1] == 'b' && head[2] == 'j' && head[3] == 1) {
      return LandingFormat.AVRO;
    }
    if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      return LandingFormat.DATASTREAM_GZIP;
    }
    if (file.getFileName().toString().replace(".tmp", "").endsWith(".snappy")) {
      return LandingFormat.DATASTREAM_SNAPPY;
    }
    return LandingFormat.DATASTREAM;
  }

  static FileRead read(Path file) throws IOException {
    LandingFormat format = detect(file);
    List<Landed> records = new ArrayList<>();
    boolean cut = false;
    try {
      switch (format) {
        case SEQUENCEFILE -> {
          org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(file.toUri());
          FileSystem fs = FileSystem.getLocal(CONF).getRawFileSystem();
          try (SequenceFile.Reader r =
              new SequenceFile.Reader(
                  CONF,
                  SequenceFile.Reader.stream(fs.open(p)),
                  SequenceFile.Reader.length(Files.size(file)))) {
            LongWritable k = new LongWritable();
            BytesWritable v = new BytesWritable();
            while (r.next(k, v)) {
              records.add(new Landed(file, format, k.get(), v.copyBytes()));
            }
          }
        }
        case AVRO -> {
          try (DataFileReader<GenericRecord> r =
              new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
            while (r.hasNext()) {
              GenericRecord e = r.next();
              ByteBuffer b = (ByteBuffer) e.get("body");
              byte[] body = new byte[b.remaining()];
              b.get(body);
              @SuppressWarnings("unchecked")
              java.util.Map<Object, Object> h = (java.util.Map<Object, Object>) e.get("headers");
              Object ts = null;
              for (var en : h.entrySet()) {
                if (en.getKey().toString().equals("timestamp")) {
                  ts = en.getValue();
                }
              }
              records.add(
                  new Landed(
                      file, format, ts == null ? null : Long.parseLong(ts.toString()), body));
            }
          }
          // Avro's hasNext() answers false on a torn block instead of failing: a complete file
          // ends with the sync marker that closes the header.
          byte[] all = Files.readAllBytes(file);
          org.apache.avro.io.BinaryDecoder d =
              org.apache.avro.io.DecoderFactory.get().binaryDecoder(all, 4, all.length - 4, null);
          for (long n = d.readMapStart(); n != 0; n = d.mapNext()) {
            for (long i = 0; i < n; i++) {
              d.readString();
              d.skipBytes();
            }
          }
          byte[] sync = new byte[16];
          d.readFixed(sync);
          cut = !java.util.Arrays.equals(all, all.length - 16, all.length, sync, 0, 16);
        }
        default -> {
          InputStream raw = new BufferedInputStream(Files.newInputStream(file));
          InputStream in = raw;
          if (format != LandingFormat.DATASTREAM) {
            Class<? extends CompressionCodec> c =
                format == LandingFormat.DATASTREAM_GZIP ? GzipCodec.class : SnappyCodec.class;
            in = ReflectionUtils.newInstance(c, CONF).createInputStream(raw);
          }
          try (InputStream s = in) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = s.read()) != -1) {
              if (b == '\n') {
                records.add(new Landed(file, format, null, line.toByteArray()));
                line.reset();
              } else {
                line.write(b);
              }
            }
            if (line.size() > 0) {
              cut = true; // an unterminated last line: the writer stopped mid-record
            }
          }
        }
      }
    } catch (EOFException e) {
      cut = true;
    } catch (IOException | org.apache.avro.AvroRuntimeException e) {
      // A truncated Avro block or compressed stream surfaces as one of these.
      cut = true;
    }
    return new FileRead(file, format, records, cut);
  }

  private LandingReader() {}
}
