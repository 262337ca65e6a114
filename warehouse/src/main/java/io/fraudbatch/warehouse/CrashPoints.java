package io.fraudbatch.warehouse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * Named steps of a run where tests kill it. In-process tests call {@link #crashAt} and get a {@link
 * SimulatedCrash} (nothing of the run's own clean-up runs after it, as after a kill); a child JVM
 * started with {@code -Dfraud.warehouse.crash-at=STEP} halts there, and one started with {@code
 * -Dfraud.warehouse.pause-at=STEP -Dfraud.warehouse.pause-file=F} writes F and waits to be killed.
 */
public final class CrashPoints {
  /** System property: halt the JVM (exit status 137, no shutdown hooks) at this step. */
  public static final String CRASH_AT = "fraud.warehouse.crash-at";

  /** System property: stop at this step, write {@link #PAUSE_FILE}, and wait to be killed. */
  public static final String PAUSE_AT = "fraud.warehouse.pause-at";

  public static final String PAUSE_FILE = "fraud.warehouse.pause-file";

  private static volatile String armed;
  private static volatile int skip;
  private static volatile boolean crashed;

  private CrashPoints() {}

  /** What a test sees in place of a kill. */
  public static final class SimulatedCrash extends Error {
    private static final long serialVersionUID = 1L;

    SimulatedCrash(String step) {
      super("simulated crash at " + step);
    }
  }

  /** Tests: crash at the {@code nth} (1-based) time a step named {@code step} is reached. */
  public static void crashAt(String step, int nth) {
    crashed = false;
    skip = nth - 1;
    armed = step;
  }

  /** Tests: disarm and forget an earlier crash. */
  public static void reset() {
    armed = null;
    crashed = false;
  }

  /** Whether a simulated crash happened since the last {@link #crashAt} / {@link #reset}. */
  public static boolean crashed() {
    return crashed;
  }

  /** A run reached {@code step}. Steps with a detail are named {@code step:detail}. */
  public static void reach(String step) {
    String a = armed;
    if (a != null && matches(a, step)) {
      if (skip-- <= 0) {
        armed = null;
        crashed = true;
        throw new SimulatedCrash(step);
      }
    }
    String halt = System.getProperty(CRASH_AT);
    if (halt != null && matches(halt, step)) {
      Runtime.getRuntime().halt(137);
    }
    String pause = System.getProperty(PAUSE_AT);
    if (pause != null && matches(pause, step)) {
      try {
        Files.writeString(
            java.nio.file.Path.of(System.getProperty(PAUSE_FILE, "pause-" + pause)),
            step + "\n",
            StandardCharsets.UTF_8);
        Thread.sleep(Long.MAX_VALUE);
      } catch (IOException | InterruptedException e) {
        Runtime.getRuntime().halt(137);
      }
    }
  }

  private static boolean matches(String wanted, String step) {
    return step.equals(wanted) || step.startsWith(wanted + ":");
  }
}
