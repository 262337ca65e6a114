package io.fraudbatch.hive;

import io.fraudbatch.core.FraudBatchException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileStatus;

/**
 * Registers the partitions jobs have published: every {@code <prefix>value} directory of a table
 * that the metastore does not list yet is added with {@code ALTER TABLE … ADD IF NOT EXISTS
 * PARTITION … LOCATION …} (explicit locations: the manifests' directories are not named col=value,
 * and a table's location may move). Partitions are only ever added; one the metastore lists whose
 * directory is gone is reported, not dropped.
 */
final class Registrar {
  /** What registration found and did for one table. */
  record Outcome(
      String table, int published, int alreadyRegistered, int added, Set<String> stale) {}

  /** Partition specs per ALTER TABLE statement: one round trip for a whole backfill. */
  static final int BATCH = 100;

  private final HiveSession hive;
  private final HiveDdl.Storage storage;
  private final String database;
  private final PrintStream out;

  Registrar(HiveSession hive, HiveDdl.Storage storage, String database, PrintStream out) {
    this.hive = hive;
    this.storage = storage;
    this.database = database;
    this.out = out;
  }

  /** The partition values published for {@code table}: its directories that hold a value. */
  Set<String> published(HiveTables.Partitioned table) {
    Set<String> values = new TreeSet<>();
    org.apache.hadoop.fs.Path dir = storage.path(table.dir());
    try {
      if (!storage.fs().exists(dir)) {
        return values;
      }
      for (FileStatus s : storage.fs().listStatus(dir)) {
        if (s.isDirectory()) {
          table.valueOf(s.getPath().getName()).ifPresent(values::add);
        }
      }
    } catch (IOException e) {
      throw new FraudBatchException("Cannot list " + dir + ": " + e.getMessage());
    }
    return values;
  }

  /** The partition values the metastore lists for {@code table}. */
  Set<String> registered(HiveTables.Partitioned table) {
    Set<String> values = new TreeSet<>();
    String prefix = table.column() + "=";
    for (List<String> row : hive.query("SHOW PARTITIONS " + qualified(table)).rows()) {
      String p = row.get(0);
      if (p.startsWith(prefix)) {
        values.add(unescape(p.substring(prefix.length())));
      }
    }
    return values;
  }

  /**
   * Registers {@code values} of {@code table} (all published ones when {@code values} is null); a
   * value given explicitly must have been published.
   */
  Outcome register(HiveTables.Partitioned table, Collection<String> values) {
    Set<String> published = published(table);
    Set<String> wanted = new TreeSet<>(values == null ? published : values);
    Set<String> notPublished = new TreeSet<>(wanted);
    notPublished.removeAll(published);
    FraudBatchException.check(
        notPublished.isEmpty(),
        "%s: no published partition %s under %s (has the job run and published it?)",
        table.table(),
        notPublished,
        storage.path(table.dir()));
    Set<String> registered = registered(table);
    List<String> missing = new ArrayList<>();
    for (String v : wanted) {
      if (!registered.contains(v)) {
        missing.add(v);
      }
    }
    for (int i = 0; i < missing.size(); i += BATCH) {
      hive.execute(addPartitions(table, missing.subList(i, Math.min(missing.size(), i + BATCH))));
    }
    Set<String> stale = new TreeSet<>(registered);
    stale.removeAll(published);
    Outcome o =
        new Outcome(
            table.table(), published.size(), wanted.size() - missing.size(), missing.size(), stale);
    out.printf(
        "hive: %-13s %4d published, %4d already registered, %4d added%s%n",
        table.table(),
        o.published(),
        o.alreadyRegistered(),
        o.added(),
        stale.isEmpty()
            ? ""
            : ", " + stale.size() + " registered without a directory (left as they are): " + stale);
    return o;
  }

  /** {@code ALTER TABLE db.t ADD IF NOT EXISTS PARTITION (…) LOCATION '…' …}. */
  String addPartitions(HiveTables.Partitioned table, List<String> values) {
    StringBuilder sql =
        new StringBuilder("ALTER TABLE ").append(qualified(table)).append(" ADD IF NOT EXISTS");
    for (String v : values) {
      sql.append("\n  PARTITION (")
          .append(table.spec(v))
          .append(") LOCATION '")
          .append(storage.path(table.dirOf(v)).toString().replace("'", "\\'"))
          .append('\'');
    }
    return sql.toString();
  }

  private String qualified(HiveTables.Partitioned table) {
    return database + "." + table.table();
  }

  /** SHOW PARTITIONS escapes special characters as %XX; our values have none but decode anyway. */
  static String unescape(String v) {
    return java.net.URLDecoder.decode(
        v.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
  }
}
