package io.fraudbatch.sample;

import io.fraudbatch.core.FraudBatchException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Where sample decision logs go and how files are written there, shared by the generator and the
 * importers: {@code <root>/landing/decisions/} and {@code <root>/labels/decisions/}.
 */
final class LandingOutput {
  static final String LANDING = "landing/decisions";
  static final String LABELS = "labels/decisions";
  static final String LABELS_HEADER = "eventId,scenario,incidentId,actorId,eventTime\n";
  static final String INCIDENTS_HEADER =
      "incidentId,scenario,keyType,key,windowStart,windowEnd,actors,events\n";

  private LandingOutput() {}

  /** One line of incidents.csv (times as ISO-8601 UTC). */
  static void incidentLine(
      StringBuilder sb,
      String id,
      String scenario,
      String keyType,
      String key,
      long windowStart,
      long windowEnd,
      int actors,
      int events) {
    sb.append(id)
        .append(',')
        .append(scenario)
        .append(',')
        .append(keyType)
        .append(',')
        .append(key)
        .append(',')
        .append(java.time.Instant.ofEpochMilli(windowStart))
        .append(',')
        .append(java.time.Instant.ofEpochMilli(windowEnd))
        .append(',')
        .append(actors)
        .append(',')
        .append(events)
        .append('\n');
  }

  /**
   * Refuses a root that is a file or already holds landing data or labels (unless {@code
   * overwrite}, which deletes them), then checks that the root is writable. {@code verb} names the
   * command in messages ("generate", "import").
   */
  static void prepare(
      FileSystem fs, Path root, Path landing, Path labels, boolean overwrite, String verb)
      throws IOException {
    if (fs.exists(root) && !fs.getFileStatus(root).isDirectory()) {
      throw new FraudBatchException(
          "Cannot write to --root " + root + ": it is a file, not a directory");
    }
    for (Path p : List.of(landing, labels)) {
      if (fs.exists(p) && fs.listStatus(p).length > 0) {
        if (!overwrite) {
          throw new FraudBatchException(
              "Cannot "
                  + verb
                  + " into "
                  + p
                  + ": it already holds data. Use another --root, or --overwrite to replace it");
        }
        fs.delete(p, true);
      }
    }
    try {
      if (!fs.mkdirs(landing) || !fs.mkdirs(labels)) {
        throw new IOException("mkdirs returned false");
      }
      Path probe = new Path(labels, "._write_probe");
      fs.create(probe, true).close();
      fs.delete(probe, false);
    } catch (IOException e) {
      throw new FraudBatchException(
          "Cannot write to --root "
              + root
              + ": "
              + e.getMessage()
              + ". Choose a writable directory",
          e);
    }
  }

  /**
   * Writes one file and sets its modification time. On the local filesystem this goes through NIO:
   * without Hadoop's native library, the local FileSystem forks {@code chmod} for every file
   * created.
   */
  static void writeBytes(FileSystem fs, Path path, byte[] bytes, int length, long mtime)
      throws IOException {
    if ("file".equals(path.toUri().getScheme())) {
      java.nio.file.Path p = java.nio.file.Paths.get(path.toUri());
      java.nio.file.Files.createDirectories(p.getParent());
      try (OutputStream out = java.nio.file.Files.newOutputStream(p)) {
        out.write(bytes, 0, length);
      }
      java.nio.file.Files.setLastModifiedTime(
          p, java.nio.file.attribute.FileTime.fromMillis(mtime));
      return;
    }
    try (FSDataOutputStream out = fs.create(path, true)) {
      out.write(bytes, 0, length);
    }
    fs.setTimes(path, mtime, -1);
  }

  /** Writes a text file atomically (a hidden temporary file, then a rename). */
  static void writeText(FileSystem fs, Path p, String text) throws IOException {
    Path tmp = new Path(p.getParent(), "." + p.getName() + ".tmp");
    try (OutputStream out = fs.create(tmp, true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    fs.delete(p, false);
    if (!fs.rename(tmp, p)) {
      throw new IOException("Cannot rename " + tmp + " to " + p);
    }
  }
}
