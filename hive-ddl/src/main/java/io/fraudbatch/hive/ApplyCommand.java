package io.fraudbatch.hive;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code hive apply}: the DDL, idempotently, then the partitions published so far. */
@Command(
    name = "apply",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
      "Creates the database, tables and views that do not exist yet (CREATE … IF NOT EXISTS: an",
      "existing object is never changed or dropped), then registers every published partition."
    })
final class ApplyCommand implements Callable<Integer> {
  @ParentCommand HiveDdl parent;

  @Mixin HiveDdl.Connection connection;

  @Option(
      names = "--ddl",
      paramLabel = "DIR",
      description = "Directory of .sql files to apply (default: the ones this jar carries).")
  Path ddl;

  @Option(names = "--no-register", description = "Apply the DDL only; register no partitions.")
  boolean noRegister;

  @Option(names = "--dry-run", description = "Print the statements instead of running them.")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    Map<String, String> scripts = ddl == null ? Scripts.bundled(Scripts.DDL) : Scripts.read(ddl);
    List<SqlScript.Statement> statements = Scripts.statements(scripts, connection.variables());
    if (dryRun) {
      for (SqlScript.Statement s : statements) {
        parent.out.println("-- " + s.where());
        parent.out.println(s.sql() + ";");
        parent.out.println();
      }
      return 0;
    }
    return connection.as(
        () -> {
          long t0 = System.currentTimeMillis();
          try (HiveSession hive = connection.open(parent.out)) {
            for (SqlScript.Statement s : statements) {
              hive.execute(s);
            }
            parent.out.printf(
                "hive: applied %d statements from %d files to database %s at %s in %.1f s%n",
                statements.size(),
                scripts.size(),
                connection.database,
                connection.url,
                (System.currentTimeMillis() - t0) / 1000.0);
            if (!noRegister) {
              Registrar r =
                  new Registrar(hive, connection.storage(), connection.database, parent.out);
              for (HiveTables.Partitioned t : HiveTables.ALL) {
                r.register(t, null);
              }
            }
          }
          return 0;
        });
  }
}
