package io.fraudbatch.core;

/** The root of fraud-batch's unchecked exceptions: a message that says what failed and why. */
public class FraudBatchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public FraudBatchException(String message) {
    super(message);
  }

  public FraudBatchException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Throws with a formatted message unless {@code condition} holds.
   *
   * <p>Write messages as "Cannot X: Y (got Z)" so the offending value is in the message.
   */
  public static void check(boolean condition, String format, Object... args) {
    if (!condition) {
      throw new FraudBatchException(String.format(java.util.Locale.ROOT, format, args));
    }
  }
}
