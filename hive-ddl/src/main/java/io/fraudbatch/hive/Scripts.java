package io.fraudbatch.hive;

import io.fraudbatch.core.FraudBatchException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

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
    FraudBatchException.check(Files.isDirectory(dir), "%s is not a directory of .sql files", dir);
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String name = p.getFileName().toString();
        if (name.endsWith(".sql")) {
          out.put(name, Files.readString(p, StandardCharsets.UTF_8));
        }
      }
    } catch (IOException e) {
      throw new FraudBatchException("Cannot read " + dir + ": " + e.getMessage());
    }
    FraudBatchException.check(!out.isEmpty(), "%s holds no .sql files", dir);
    return out;
  }

  /** File name → text of every {@code .sql} file the classpath carries under {@code resource}. */
  public static Map<String, String> bundled(String resource) {
    URL url = Scripts.class.getClassLoader().getResource(resource);
    FraudBatchException.check(url != null, "the classpath carries no %s", resource);
    try {
      if ("jar".equals(url.getProtocol())) {
        try (FileSystem jar = FileSystems.newFileSystem(url.toURI(), Collections.emptyMap())) {
          return read(jar.getPath(resource));
        }
      }
      return read(Path.of(url.toURI()));
    } catch (IOException | URISyntaxException e) {
      throw new FraudBatchException("Cannot list " + url + ": " + e.getMessage());
    }
  }

  /** The text of one bundled file. */

  /** Every statement of {@code scripts}, in order, variables replaced. */
  public static List<SqlScript.Statement> statements(
      Map<String, String> scripts, Map<String, String> variables) {
    List<SqlScript.Statement> out = new ArrayList<>();
    scripts.forEach((name, text) -> out.addAll(SqlScript.parse(name, text, variables)));
    return out;
  }
}
