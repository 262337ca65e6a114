package io.fraudbatch.core.cli;

import io.fraudbatch.core.FraudBatchException;
import java.io.PrintStream;
import picocli.CommandLine;

/**
 * How every fraud-batch command runs its picocli command line: errors the user can fix (bad
 * arguments, a {@link FraudBatchException}) print one line and exit 2, anything else prints its
 * trace and exits 1.
 */
public final class Cli {
  /** Bad arguments or environment: the user can fix it. */
  public static final int USAGE = 2;

  /** Something failed. */
  public static final int FAILED = 1;

  private Cli() {}

  /** Runs {@code command} (a picocli command) on {@code args}; returns the exit code. */
  public static int execute(Object command, String name, PrintStream err, String... args) {
    CommandLine cl = new CommandLine(command);
    cl.setExecutionExceptionHandler(
        (ex, line, parsed) -> {
          if (ex instanceof FraudBatchException) {
            err.println(name + ": " + ex.getMessage());
            return USAGE;
          }
          String config = configurationError(ex);
          if (config != null) {
            err.println(name + ": " + config);
            return USAGE;
          }
          String damaged = damagedParquet(ex);
          if (damaged != null) {
            err.println(name + ": " + damaged);
            return USAGE;
          }
          err.println(name + ": failed: " + ex);
          ex.printStackTrace(err);
          return FAILED;
        });
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          err.println(name + ": " + ex.getMessage());
          err.println("Try '" + name + " --help' for the options.");
          return USAGE;
        });
    return cl.execute(args);
  }

  /** Parquet's message when a page's bytes do not match the CRC its writer stored. */
  static final String PARQUET_CRC_FAILED = "CRC checksum verification failed";

  private static final java.util.regex.Pattern PARQUET_FILE =
      java.util.regex.Pattern.compile("([a-z][a-z0-9+.-]*:/*)?/\\S*?\\.parquet");

  /**
   * One line for a job stopped by a damaged Parquet file (a page failing its CRC, which every job
   * checks), naming the file when a cause does; null for other errors.
   */
  public static String damagedParquet(Throwable t) {
    boolean crc = false;
    String file = null;
    for (Throwable c = t; c != null && c != c.getCause(); c = c.getCause()) {
      String m = String.valueOf(c.getMessage());
      crc |= m.contains(PARQUET_CRC_FAILED);
      java.util.regex.Matcher f = PARQUET_FILE.matcher(m);
      if (file == null && f.find()) {
        file = f.group();
      }
    }
    if (!crc) {
      return null;
    }
    return "Cannot read "
        + (file != null ? file : "a Parquet file")
        + ": a page fails its CRC checksum, the file is damaged; nothing was published. Restore"
        + " the file from a copy or rebuild its partition (decisions: ingest --reprocess DAY),"
        + " then run again.";
  }

  /**
   * One line for a configuration file that cannot be parsed (Hadoop reads its *-site.xml files
   * lazily, so a broken one surfaces wherever the first setting is read); null for other errors.
   */
  public static String configurationError(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      String cls = c.getClass().getName();
      if (c instanceof javax.xml.stream.XMLStreamException
          || c instanceof org.xml.sax.SAXException
          || cls.startsWith("com.ctc.wstx.exc.")) {
        String m = String.valueOf(c.getMessage()).replace('\n', ' ').replaceAll("\\s+", " ");
        return "Cannot read a configuration file, it is not well-formed XML: "
            + m
            + " (fix or remove it: it comes from --conf DIR, HADOOP_CONF_DIR or -conf)";
      }
    }
    return null;
  }
}
