package io.fraudbatch.hive;

import io.fraudbatch.core.FraudBatchException;
import io.fraudbatch.core.TextTree;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code .sql} files of a directory ({@code hive-ddl/ddl}, {@code hive-ddl/queries}), from disk
 * or from the jar that carries them, in file-name order.
 */
public final class Scripts {
  /** Where the jar carries the module's {@code ddl/} directory. */
  public static final String DDL = "io/fraudbatch/hive/ddl";

  /** Where the jar carries the module's {@code queries/} directory. */
  public static final String QUERIES = "io/fraudbatch/hive/queries";

  private Scripts() {}

  /** File name → text of every {@code .sql} file in {@code dir}, sorted by name. */
  public static Map<String, String> read(Path dir) {
    Map<String, String> out = TextTree.read(dir, Scripts::isScript);
    FraudBatchException.check(!out.isEmpty(), "%s holds no .sql files", dir);
    return out;
  }

  /** File name → text of every {@code .sql} file the classpath carries under {@code resource}. */
  public static Map<String, String> bundled(String resource) {
    return TextTree.bundled(resource, Scripts::isScript);
  }

  private static boolean isScript(String relative) {
    return relative.endsWith(".sql") && !relative.contains("/");
  }

  /** Every statement of {@code scripts}, in order, variables replaced. */
  public static List<SqlScript.Statement> statements(
      Map<String, String> scripts, Map<String, String> variables) {
    List<SqlScript.Statement> out = new ArrayList<>();
    scripts.forEach((name, text) -> out.addAll(SqlScript.parse(name, text, variables)));
    return out;
  }
}
