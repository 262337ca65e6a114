package io.fraudbatch.ingest;

import io.fraudbatch.core.FraudBatchException;
import io.fraudbatch.core.pan.PanTokens;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * The key of the card-number tokens ({@link PanTokens}): read by the driver from {@link
 * IngestConf#PAN_TOKEN_KEY_FILE} (created under the root when unset and absent) and handed to the
 * tasks in the job configuration.
 */
final class PanKeys {
  private PanKeys() {}

  /** Reads (or creates) the key and puts it in {@code conf} for the tasks. */
  static void load(Configuration conf, FileSystem fs, Path root, Consumer<String> say)
      throws IOException {
    String configured = conf.get(IngestConf.PAN_TOKEN_KEY_FILE);
    Path file =
        configured != null
            ? new Path(configured)
            : new Path(root, IngestConf.PAN_TOKEN_KEY_FILE_DEFAULT);
    FileSystem kfs = file.getFileSystem(conf);
    if (!kfs.exists(file)) {
      FraudBatchException.check(
          configured == null,
          "Cannot ingest: the card-number token key %s (%s) does not exist",
          file,
          IngestConf.PAN_TOKEN_KEY_FILE);
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      kfs.mkdirs(file.getParent(), new FsPermission((short) 0700));
      try (OutputStream o = kfs.create(file, false)) {
        o.write(key);
      } catch (FileAlreadyExistsException e) {
        // another run created it first: use theirs
      }
      kfs.setPermission(file, new FsPermission((short) 0600));
      say.accept(
          "created the card-number token key "
              + file
              + " (identifiers holding a card number are replaced by tokens keyed by it; keep it"
              + " with the root, or set "
              + IngestConf.PAN_TOKEN_KEY_FILE
              + ")");
    }
    byte[] key;
    try (InputStream in = kfs.open(file)) {
      key = in.readAllBytes();
    }
    FraudBatchException.check(
        key.length >= PanTokens.MIN_KEY_BYTES,
        "Cannot ingest: the card-number token key %s has %d bytes; it needs at least %d",
        file,
        key.length,
        PanTokens.MIN_KEY_BYTES);
    conf.set(IngestConf.PAN_TOKEN_KEY, HexFormat.of().formatHex(key));
  }

  /** The tokens of a task, from the key the driver set. */
  static PanTokens tokens(Configuration conf) {
    String hex = conf.get(IngestConf.PAN_TOKEN_KEY);
    if (hex == null) {
      // Only tests driving a mapper without the driver get here: a fixed, public test key.
      return new PanTokens("fraud-batch test key, not secret".getBytes());
    }
    return new PanTokens(HexFormat.of().parseHex(hex));
  }
}
