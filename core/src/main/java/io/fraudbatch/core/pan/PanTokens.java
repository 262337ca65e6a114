package io.fraudbatch.core.pan;

import io.fraudbatch.core.FraudBatchException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Replaces an identifier that is a card number by a keyed token: {@code pan-} and the first 24 hex
 * digits of HMAC-SHA256(key, digits). The same card gives the same token (so dedup, joins and
 * profiles still work); without the key nobody can recover the card or test a guess. An identifier
 * that is not wholly a card number is returned unchanged, never partially masked: a masked id is a
 * corrupted key.
 */
public final class PanTokens {
  /** Keys shorter than this are refused. */
  public static final int MIN_KEY_BYTES = 16;

  public static final String PREFIX = "pan-";

  private final SecretKeySpec key;
  private final ThreadLocal<Mac> mac;

  public PanTokens(byte[] key) {
    FraudBatchException.check(
        key != null && key.length >= MIN_KEY_BYTES,
        "Cannot tokenise card numbers: the key must have at least %d bytes (got %d)",
        MIN_KEY_BYTES,
        key == null ? 0 : key.length);
    this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    this.mac =
        ThreadLocal.withInitial(
            () -> {
              try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(this.key);
                return m;
              } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
              }
            });
  }

  /** The token of {@code id} if it is a card number; else the same instance. */
  public String token(String id) {
    String digits = PanMasker.wholePan(id);
    if (digits == null) {
      return id;
    }
    byte[] h = mac.get().doFinal(digits.getBytes(StandardCharsets.US_ASCII));
    return PREFIX + HexFormat.of().formatHex(h, 0, 12);
  }
}
