package io.fraudbatch.core.hbase;

import io.fraudbatch.core.FraudBatchException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The HBase contract between profile-builder (writer) and the online tier (reader),
 * ARCHITECTURE.md: table and family names, qualifiers, and the row-key codec.
 *
 * <p><b>Profiles row key</b>: a 2-byte prefix — the first two bytes of the MD5 of the actorId's
 * UTF-8 bytes — followed by those bytes. The prefix spreads consecutive actor ids over the key
 * space (and so over the regions pre-split on it) while a point get still needs only the actorId.
 * The two bytes {@code 00 00} alone (no actorId) are the reserved {@linkplain #META_ROW meta row}
 * holding the live batch view's run record; no actor row can equal it.
 *
 * <p><b>Cells</b> (family {@code b}, written by bulk load only): {@code p} = the profile in Avro
 * single-object encoding (the 2-byte marker {@code C3 01}, the schema's 8-byte CRC-64-AVRO
 * fingerprint, then Avro binary: a reader resolves the writer's schema by the fingerprint), {@code
 * w} = the watermark the batch view is complete up to (epoch ms, 8 bytes big-endian). Every cell's
 * timestamp is that watermark: re-loading a snapshot writes the same cells again, and a snapshot
 * older than what is loaded never shadows it. Family {@code r} belongs to the online tier.
 *
 * <p><b>Risk-context row key</b>: {@code keyType 0x00 key} (e.g. {@code merchant\0M123}); cell
 * {@code b:c} = the RiskContext in single-object encoding, timestamp = the snapshot time.
 */
public final class HBaseSchema {
  private HBaseSchema() {}

  public static final String DEFAULT_NAMESPACE = "fraud";
  public static final String PROFILES_TABLE = "profiles";
  public static final String RISK_CONTEXT_TABLE = "risk_context";

  /** The batch view's family (bulk load only). */
  public static final byte[] BATCH = bytes("b");

  /** The online tier's real-time family. */
  public static final byte[] REALTIME = bytes("r");

  public static final byte[] PROFILE = bytes("p");
  public static final byte[] WATERMARK = bytes("w");
  public static final byte[] CONTEXT = bytes("c");

  /** Qualifiers of the meta row (the live run record): run id, as-of day, JSON record. */
  public static final byte[] RUN_ID = bytes("run");

  public static final byte[] RUN_AS_OF = bytes("asof");
  public static final byte[] RUN_RECORD = bytes("json");

  /** The table attribute naming this layout; a table with another value is refused. */
  public static final String LAYOUT_ATTRIBUTE = "fraud.layout";

  public static final String PROFILES_LAYOUT = "profiles/md5-2+actorId/b:p,w/v1";
  public static final String RISK_CONTEXT_LAYOUT = "risk_context/type\\0key/b:c/v1";

  /** Bytes of the row-key prefix. */
  public static final int PREFIX_BYTES = 2;

  /** The meta row of the profiles table. */
  public static final byte[] META_ROW = new byte[PREFIX_BYTES];

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The profiles row key of an actor. */
  public static byte[] profileRow(String actorId) {
    FraudBatchException.check(
        actorId != null && !actorId.isEmpty(), "an actorId must not be empty");
    byte[] id = bytes(actorId);
    byte[] row = new byte[PREFIX_BYTES + id.length];
    System.arraycopy(md5(id), 0, row, 0, PREFIX_BYTES);
    System.arraycopy(id, 0, row, PREFIX_BYTES, id.length);
    return row;
  }

  /** The actorId of a profiles row key (checking its prefix). */
  public static String actorOf(byte[] row) {
    FraudBatchException.check(
        row != null && row.length > PREFIX_BYTES, "not a profile row key (too short)");
    byte[] id = Arrays.copyOfRange(row, PREFIX_BYTES, row.length);
    byte[] h = md5(id);
    FraudBatchException.check(
        h[0] == row[0] && h[1] == row[1], "not a profile row key (its prefix does not match)");
    return new String(id, StandardCharsets.UTF_8);
  }

  /**
   * Split points for {@code regions} regions evenly over the 2-byte prefix space ({@code regions -
   * 1} keys, each two bytes).
   */
  public static byte[][] splits(int regions) {
    FraudBatchException.check(
        regions >= 1 && regions <= 4096, "regions must be between 1 and 4096 (got %d)", regions);
    byte[][] s = new byte[regions - 1][];
    for (int i = 1; i < regions; i++) {
      int v = (int) ((long) i * 65536 / regions);
      s[i - 1] = new byte[] {(byte) (v >>> 8), (byte) v};
    }
    return s;
  }

  /** The risk-context row key of a key. */
  public static byte[] contextRow(String keyType, String key) {
    return bytes(keyType + "\u0000" + key);
  }

  /**
   * One digest per thread: {@code MessageDigest.getInstance} looks the provider up and builds the
   * digest by reflection on every call (4% of the generating threads' samples in a JFR profile of a
   * bulk load of 1M profiles).
   */
  private static final ThreadLocal<MessageDigest> MD5 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("MD5");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("every JVM has MD5", e);
            }
          });

  private static byte[] md5(byte[] b) {
    return MD5.get().digest(b); // digest() resets it for the next call
  }
}
