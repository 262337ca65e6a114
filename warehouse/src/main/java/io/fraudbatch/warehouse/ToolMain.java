package io.fraudbatch.warehouse;

import io.fraudbatch.core.cli.Cli;
import java.io.PrintStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.util.Tool;
import org.apache.hadoop.util.ToolRunner;

/**
 * The main of every Hadoop tool: {@code ToolRunner.run}, with a broken configuration file (read
 * lazily by Hadoop, so it fails wherever the first setting is read, even before the command line is
 * parsed) reported in one line with exit status 2 instead of a stack trace.
 */
public final class ToolMain {
  private ToolMain() {}

  /** Runs {@code tool} on {@code args}; returns its exit status. */
  public static int run(String name, Tool tool, String[] args, PrintStream err) {
    try {
      return ToolRunner.run(new Configuration(), tool, args);
    } catch (Exception e) {
      String config = Cli.configurationError(e);
      if (config != null) {
        err.println(name + ": " + config);
        return Cli.USAGE;
      }
      err.println(name + ": failed: " + e);
      e.printStackTrace(err);
      return Cli.FAILED;
    }
  }
}
