package io.fraudbatch.hive;

import io.fraudbatch.core.FraudBatchException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code hive query}: the example analyst queries (hive-ddl/queries), or a file of one's own. */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
      "Runs example analyst queries (hive-ddl/queries/NAME.sql) and prints their results; without",
      "a NAME, lists them with the question each answers."
    })
final class QueryCommand implements Callable<Integer> {
  @ParentCommand HiveDdl parent;

  @Mixin HiveDdl.Connection connection;

  @Parameters(paramLabel = "NAME", arity = "0..*", description = "Example queries to run.")
  List<String> names = new ArrayList<>();

  @Option(names = "--all", description = "Run every example query.")
  boolean all;

  @Option(names = "--file", paramLabel = "FILE", description = "Run the statements of this file.")
  Path file;

  @Option(
      names = "--max-rows",
      description = "Rows printed per query (default: ${DEFAULT-VALUE}).",
      defaultValue = "20")
  int maxRows;

  @Override
  public Integer call() throws Exception {
    Map<String, String> examples = new LinkedHashMap<>();
    Scripts.bundled(Scripts.QUERIES)
        .forEach((f, text) -> examples.put(f.replaceAll("\\.sql$", ""), text));
    Map<String, String> chosen = new LinkedHashMap<>();
    if (file != null) {
      FraudBatchException.check(Files.isReadable(file), "--file %s is not a readable file", file);
      chosen.put(file.toString(), Files.readString(file));
    }
    if (all) {
      chosen.putAll(examples);
    }
    for (String n : names) {
      String text = examples.get(n.replaceAll("\\.sql$", ""));
      FraudBatchException.check(
          text != null, "no example query %s; there are: %s", n, examples.keySet());
      chosen.put(n, text);
    }
    if (chosen.isEmpty()) {
      parent.out.println("Example queries (bin/fraud-batch hive query NAME…, or --all):");
      examples.forEach((n, text) -> parent.out.printf("  %-28s %s%n", n, question(text)));
      return 0;
    }
    return connection.as(
        () -> {
          try (HiveSession hive = connection.open(parent.out)) {
            for (Map.Entry<String, String> e : chosen.entrySet()) {
              for (SqlScript.Statement s :
                  SqlScript.parse(e.getKey(), e.getValue(), connection.variables())) {
                long t0 = System.currentTimeMillis();
                HiveSession.Result r = hive.query(s);
                parent.out.printf(
                    "%n== %s: %s (%d rows, %.1f s)%n",
                    e.getKey(),
                    question(e.getValue()),
                    r.rows().size(),
                    (System.currentTimeMillis() - t0) / 1000.0);
                parent.out.print(TextTable.render(r, maxRows));
              }
            }
          }
          return 0;
        });
  }

  /** The question a query answers: its "-- Answers:" comment. */
  static String question(String text) {
    StringBuilder q = new StringBuilder();
    boolean in = false;
    for (String line : text.lines().toList()) {
      String l = line.strip();
      if (l.startsWith("-- Answers:")) {
        in = true;
        q.append(l.substring("-- Answers:".length()).strip());
      } else if (in && l.startsWith("--") && !l.startsWith("-- (")) {
        q.append(' ').append(l.substring(2).strip());
      } else {
        in = false;
        if (q.length() > 0) {
          break;
        }
      }
    }
    return q.toString();
  }
}
