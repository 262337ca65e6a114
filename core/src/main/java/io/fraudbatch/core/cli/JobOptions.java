package io.fraudbatch.core.cli;

import picocli.CommandLine.Option;

/**
 * The options every job shares, defined once and mixed into each command ({@code @Mixin}): the
 * storage root, the run-record copy, the Spark master.
 */
public final class JobOptions {
  private JobOptions() {}

  /** {@code --root}: the storage root every job reads and writes. */
  public static final class Root {
    public static final String DEFAULT = "./fraud-data";

    @Option(
        names = "--root",
        paramLabel = "DIR|URI",
        description = "Storage root: a local directory or a Hadoop URI (default: " + DEFAULT + ").")
    String root;

    /** The root given, else the default. */
    public String get() {
      return root == null ? DEFAULT : root;
    }

    /** The root given on the command line, or null (a job may then take it from configuration). */
    public String explicit() {
      return root;
    }
  }

  /** {@code --summary-json}: a copy of the run record for the caller (a scheduler, a script). */
  public static final class SummaryJson {
    @Option(
        names = "--summary-json",
        paramLabel = "FILE",
        description = "Also write the run record (one line of JSON) to this local file.")
    String path;

    /** The file, or null. */
    public String get() {
      return path;
    }
  }

  /** {@code --spark-master}: for runs outside spark-submit. */
  public static final class SparkMaster {
    @Option(
        names = "--spark-master",
        paramLabel = "URL",
        description = "Spark master when not set by spark-submit (default: local[*]).")
    String master;

    /** The master given, or null (spark-submit's, else local[*]). */
    public String get() {
      return master;
    }
  }
}
