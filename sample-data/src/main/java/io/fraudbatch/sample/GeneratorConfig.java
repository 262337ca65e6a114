package io.fraudbatch.sample;

import static io.fraudbatch.core.FraudBatchException.check;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Everything a generator run depends on. Same config (seed included) → byte-identical output.
 *
 * @param root storage root (a local path or any Hadoop FileSystem URI)
 * @param events exact number of distinct events, or null to let the actors' habits decide
 * @param formats one Flume agent per entry, each writing its own sink format
 * @param incidents incidents per scenario, or null for a default scaled to the run
 */
public record GeneratorConfig(
    String root,
    long seed,
    int actors,
    int days,
    LocalDate start,
    Long events,
    List<LandingFormat> formats,
    double duplicateRate,
    double lateDuplicateShare,
    double malformedRate,
    double lateDeliveryRate,
    double panRate,
    boolean truncatedFile,
    double v2From,
    Map<Scenario, Integer> incidents,
    int threads,
    boolean overwrite) {

  public static final String DEFAULT_ROOT = "./fraud-data";
  public static final long DEFAULT_SEED = 42;
  public static final int DEFAULT_ACTORS = 2000;
  public static final int DEFAULT_DAYS = 28;
  public static final String DEFAULT_START = "2026-10-01";
  public static final double DEFAULT_DUPLICATE_RATE = 0.01;
  public static final double DEFAULT_LATE_DUPLICATE_SHARE = 0.3;
  public static final double DEFAULT_MALFORMED_RATE = 0.002;
  public static final double DEFAULT_LATE_DELIVERY_RATE = 0.002;
  public static final double DEFAULT_PAN_RATE = 0.0005;
  public static final double DEFAULT_V2_FROM = 0.4;
  public static final String DEFAULT_FORMATS = "sequencefile,datastream,datastream-gzip,avro";

  /** A config with every default, writing under {@code root}. */
  public static GeneratorConfig defaults(String root) {
    return new GeneratorConfig(
        root,
        DEFAULT_SEED,
        DEFAULT_ACTORS,
        DEFAULT_DAYS,
        LocalDate.parse(DEFAULT_START),
        null,
        java.util.Arrays.stream(DEFAULT_FORMATS.split(",")).map(LandingFormat::parse).toList(),
        DEFAULT_DUPLICATE_RATE,
        DEFAULT_LATE_DUPLICATE_SHARE,
        DEFAULT_MALFORMED_RATE,
        DEFAULT_LATE_DELIVERY_RATE,
        DEFAULT_PAN_RATE,
        true,
        DEFAULT_V2_FROM,
        null,
        Runtime.getRuntime().availableProcessors(),
        false);
  }

  /** Checks every value, naming the option and the offending value. */
  public GeneratorConfig validate() {
    check(root != null && !root.isBlank(), "Cannot generate: --root is empty");
    check(actors >= 10, "Cannot generate: --actors must be at least 10 (got %d)", actors);
    check(
        actors <= 5_000_000, "Cannot generate: --actors must be at most 5000000 (got %d)", actors);
    check(days >= 1 && days <= 3660, "Cannot generate: --days must be 1..3660 (got %d)", days);
    check(
        events == null || events > 0,
        "Cannot generate: --events must be positive (got %d)",
        events);
    check(formats != null && !formats.isEmpty(), "Cannot generate: --formats is empty");
    rate("--duplicate-rate", duplicateRate, 0.5);
    rate("--late-duplicate-share", lateDuplicateShare, 1);
    rate("--malformed-rate", malformedRate, 0.5);
    rate("--late-delivery-rate", lateDeliveryRate, 0.5);
    rate("--pan-rate", panRate, 0.5);
    rate("--v2-from", v2From, 1);
    check(threads >= 1, "Cannot generate: --threads must be at least 1 (got %d)", threads);
    if (incidents != null) {
      for (Map.Entry<Scenario, Integer> e : incidents.entrySet()) {
        check(
            e.getValue() >= 0,
            "Cannot generate: incidents of %s must not be negative (got %d)",
            e.getKey(),
            e.getValue());
      }
    }
    return this;
  }

  private static void rate(String option, double v, double max) {
    check(
        !Double.isNaN(v) && v >= 0 && v <= max,
        "Cannot generate: %s must be between 0 and %s (got %s)",
        option,
        max,
        v);
  }
}
