package io.fraudbatch.sample;

import io.fraudbatch.core.FraudBatchException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Pseudonymous ids for card and account numbers of imported data: HMAC-SHA256 under a secret key,
 * the first 80 bits in hex behind a prefix ({@code card-…}, {@code acct-…}). Without the key the
 * number cannot be recovered or confirmed by hashing guesses (card numbers are few enough to
 * enumerate, so a plain hash would not do).
 */
final class KeyedHash {
  /**
   * The key used when none is given: public, so ids made with it protect nothing. Fine for the
   * public datasets this module replays; pass a key file for anything else.
   */
  static final String DEVELOPMENT_KEY = "fraud-batch development key: not a secret";

  private static final int MIN_KEY_BYTES = 16;
  private final ThreadLocal<Mac> mac;
  private final boolean development;

  private KeyedHash(byte[] key, boolean development) {
    this.development = development;
    this.mac =
        ThreadLocal.withInitial(
            () -> {
              try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(new SecretKeySpec(key, "HmacSHA256"));
                return m;
              } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
              }
            });
  }

  static KeyedHash development() {
    return new KeyedHash(DEVELOPMENT_KEY.getBytes(StandardCharsets.UTF_8), true);
  }

  /** The key is the file's bytes, trailing whitespace removed; at least 16 bytes. */
  static KeyedHash fromFile(Path file) {
    byte[] key;
    try {
      key = Files.readString(file, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new FraudBatchException(
          "Cannot read --hash-key-file " + file + ": " + e.getMessage(), e);
    }
    if (key.length < MIN_KEY_BYTES) {
      throw new FraudBatchException(
          "--hash-key-file "
              + file
              + " holds "
              + key.length
              + " bytes: a key needs at least "
              + MIN_KEY_BYTES
              + " (e.g. 'openssl rand -hex 32 > "
              + file
              + "')");
    }
    return new KeyedHash(key, false);
  }

  boolean isDevelopmentKey() {
    return development;
  }

  /** {@code prefix-} and 20 hex digits of HMAC-SHA256(key, value). */
  String id(String prefix, String value) {
    byte[] h = mac.get().doFinal(value.getBytes(StandardCharsets.UTF_8));
    return prefix + "-" + HexFormat.of().formatHex(h, 0, 10);
  }

  /** {@code prefix-} and 12 hex digits of SHA-256(value): a stable id for what is not secret. */
  static String plainId(String prefix, String value) {
    try {
      byte[] h =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(value.getBytes(StandardCharsets.UTF_8));
      return prefix + "-" + HexFormat.of().formatHex(h, 0, 6);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
