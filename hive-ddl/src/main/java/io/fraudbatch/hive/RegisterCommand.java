package io.fraudbatch.hive;

import io.fraudbatch.core.FraudBatchException;
import io.fraudbatch.core.cli.DayRange;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code hive register}: a job's published partitions into the metastore. */
@Command(
    name = "register",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
      "Registers published partitions (ALTER TABLE … ADD IF NOT EXISTS PARTITION … LOCATION …):",
      "the given ones, or every one found under --root that the metastore does not list yet.",
      "Tables: decisions, quarantine, profiles, anomalies, risk_context, backtests, run_manifests."
    })
final class RegisterCommand implements Callable<Integer> {
  @ParentCommand HiveDdl parent;

  @Mixin HiveDdl.Connection connection;

  @Option(
      names = "--table",
      paramLabel = "TABLE",
      split = ",",
      description = "Tables to register partitions of (default: all).")
  List<String> tables;

  @Option(
      names = "--partition",
      paramLabel = "VALUE|DAY..DAY",
      description = {
        "Only this partition of the one --table: a day (2026-10-28), a range of days",
        "(2026-10-01..2026-10-28) or, for run_manifests, a job name. It must be published."
      })
  String partition;

  @Override
  public Integer call() throws Exception {
    List<HiveTables.Partitioned> selected = new ArrayList<>();
    if (tables == null || tables.isEmpty()) {
      selected.addAll(HiveTables.ALL);
    } else {
      for (String name : tables) {
        selected.add(
            HiveTables.byName(name)
                .orElseThrow(
                    () ->
                        new FraudBatchException(
                            "--table "
                                + name
                                + " is not a partitioned table; choose from "
                                + HiveTables.ALL.stream()
                                    .map(HiveTables.Partitioned::table)
                                    .toList())));
      }
    }
    List<String> values = null;
    if (partition != null) {
      FraudBatchException.check(
          selected.size() == 1, "--partition needs exactly one --table (got %d)", selected.size());
      HiveTables.Partitioned t = selected.get(0);
      values = new ArrayList<>();
      if (t.byDay()) {
        for (LocalDate d : DayRange.parse(partition, "hive register", "--partition")) {
          values.add(d.toString());
        }
      } else {
        FraudBatchException.check(
            t.valueOf(t.prefix() + partition).isPresent(),
            "--partition %s is not a valid value of %s.%s",
            partition,
            t.table(),
            t.column());
        values.add(partition);
      }
    }
    List<String> chosen = values;
    return connection.as(
        () -> {
          try (HiveSession hive = connection.open(parent.out)) {
            Registrar r =
                new Registrar(hive, connection.storage(), connection.database, parent.out);
            for (HiveTables.Partitioned t : selected) {
              r.register(t, chosen);
            }
          }
          return 0;
        });
  }
}
