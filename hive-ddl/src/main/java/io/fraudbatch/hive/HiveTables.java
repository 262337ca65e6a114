package io.fraudbatch.hive;

import io.fraudbatch.core.StorageLayout;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The partitioned tables of the DDL and where their partitions live under the storage root: one
 * place tying a Hive table to the directory a job publishes (core's {@link StorageLayout}).
 */
public final class HiveTables {
  private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]*");

  /**
   * A table partitioned by one column; partition {@code v} lives in {@code <root>/<dir>/<prefix>v}.
   *
   * @param byDay whether values are days (YYYY-MM-DD), so ranges can be given
   */
  public record Partitioned(String table, String dir, String column, String prefix, boolean byDay) {
    /** The partition value a directory named {@code name} holds, if it is one. */
    public Optional<String> valueOf(String name) {
      if (!name.startsWith(prefix)) {
        return Optional.empty();
      }
      String v = name.substring(prefix.length());
      return (byDay ? DAY : NAME).matcher(v).matches() ? Optional.of(v) : Optional.empty();
    }

    /** The directory of partition {@code value}, relative to the root. */
    public String dirOf(String value) {
      return dir + "/" + prefix + value;
    }

    /** {@code col='value'}, as in a PARTITION clause. */
    public String spec(String value) {
      return quoteIdentifier(column) + "='" + value.replace("'", "\\'") + "'";
    }
  }

  /** Every partitioned table, in DDL order. */
  public static final List<Partitioned> ALL =
      List.of(
          new Partitioned("decisions", StorageLayout.DECISIONS, "dt", StorageLayout.DT, true),
          new Partitioned("quarantine", StorageLayout.QUARANTINE, "dt", StorageLayout.DT, true),
          new Partitioned("profiles", StorageLayout.PROFILES, "as_of", StorageLayout.AS_OF, true),
          new Partitioned("anomalies", StorageLayout.ANOMALIES, "dt", StorageLayout.DT, true),
          new Partitioned(
              "risk_context", StorageLayout.RISK_CONTEXT, "as_of", StorageLayout.AS_OF, true),
          new Partitioned("backtests", StorageLayout.BACKTESTS, "to", "to=", true),
          new Partitioned("run_manifests", StorageLayout.MANIFESTS, "job", "job=", false));

  /** The database of the tables over the files, beside the analysts' database {@code db}. */
  public static String filesDatabase(String db) {
    return db + "_files";
  }

  private HiveTables() {}

  /** The table named {@code name}, or empty. */
  public static Optional<Partitioned> byName(String name) {
    return ALL.stream().filter(t -> t.table().equalsIgnoreCase(name)).findFirst();
  }

  /** {@code `name`}: reserved words like {@code to} are columns here. */
  static String quoteIdentifier(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}
