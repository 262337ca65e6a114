package io.fraudbatch.ingest;

import io.fraudbatch.core.FraudBatchException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One ingest run at a time per storage root: a lock file created exclusively. Oozie runs ingest
 * with concurrency 1; this also covers ad hoc runs started by hand at the same time.
 */
final class RunLock implements AutoCloseable {
  private final FileSystem fs;
  private final Path file;

  private RunLock(FileSystem fs, Path file) {
    this.fs = fs;
    this.file = file;
  }

  static RunLock acquire(FileSystem fs, Path stagingDir) throws IOException {
    fs.mkdirs(stagingDir);
    Path file = new Path(stagingDir, "_LOCK");
    try (OutputStream out = fs.create(file, false)) {
      String owner =
          "pid "
              + ProcessHandle.current().pid()
              + " on "
              + InetAddress.getLocalHost().getHostName()
              + " since "
              + Instant.now();
      out.write(owner.getBytes(StandardCharsets.UTF_8));
    } catch (FileAlreadyExistsException e) {
      throw new FraudBatchException(
          "Cannot ingest: another ingest run holds "
              + file
              + " ("
              + owner(fs, file)
              + ")."
              + " If no run is active (it crashed), delete that file and run again");
    } catch (IOException e) {
      if (fs.exists(file) && e.getMessage() != null && e.getMessage().contains("exists")) {
        throw new FraudBatchException(
            "Cannot ingest: another ingest run holds "
                + file
                + " ("
                + owner(fs, file)
                + ")."
                + " If no run is active (it crashed), delete that file and run again");
      }
      throw e;
    }
    return new RunLock(fs, file);
  }

  private static String owner(FileSystem fs, Path file) {
    try (InputStream in = fs.open(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "owner unknown";
    }
  }

  @Override
  public void close() throws IOException {
    fs.delete(file, false);
  }
}
