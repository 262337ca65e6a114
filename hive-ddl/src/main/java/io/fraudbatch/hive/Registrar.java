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

  /**
   * The partitions published for {@code table} and the directory holding each one's data now (the
   * warehouse's partition lister: only committed versions, foreign entries skipped).
   */
  java.util.SortedMap<String, String> published(HiveTables.Partitioned table) {
    java.util.SortedMap<String, String> values = new java.util.TreeMap<>();
    org.apache.hadoop.fs.Path dir = storage.path(table.dir());
    try {
      java.util.Optional<io.fraudbatch.warehouse.Table> owned = warehouseTable(table);
      if (owned.isPresent()) {
        for (io.fraudbatch.warehouse.PartitionLister.Partition p :
            io.fraudbatch.warehouse.PartitionLister.list(
                    storage.fs(), new org.apache.hadoop.fs.Path(storage.uri()), owned.get())
                .partitions()
                .values()) {
          values.put(p.value(), p.location().toString());
        }
        return values;
      }
      if (!storage.fs().exists(dir)) {
        return values;
      }
      for (FileStatus s : storage.fs().listStatus(dir)) {
        if (s.isDirectory()) {
          table
              .valueOf(s.getPath().getName())
              .ifPresent(v -> values.put(v, storage.path(table.dirOf(v)).toString()));
        }
      }
    } catch (IOException e) {
      throw new FraudBatchException("Cannot list " + dir + ": " + e.getMessage());
    }
    return values;
  }

  static java.util.Optional<io.fraudbatch.warehouse.Table> warehouseTable(
      HiveTables.Partitioned table) {
    for (io.fraudbatch.warehouse.Table t : io.fraudbatch.warehouse.Table.values()) {
      if (t.dir().equals(table.dir())) {
        return java.util.Optional.of(t);
      }
    }
    return java.util.Optional.empty();
  }

  /**
   * Where this registrar last pointed each partition: {@code warehouse/_hive/<db>.<table>.json}.
   */
  private org.apache.hadoop.fs.Path registrationsFile(HiveTables.Partitioned table) {
    return storage.path("warehouse/_hive/" + database + "." + table.table() + ".json");
  }

  private java.util.Map<String, String> registeredLocations(HiveTables.Partitioned table) {
    org.apache.hadoop.fs.Path f = registrationsFile(table);
    try {
      if (!storage.fs().exists(f)) {
        return java.util.Map.of();
      }
      try (java.io.InputStream in = storage.fs().open(f)) {
        return new com.fasterxml.jackson.databind.ObjectMapper()
            .readValue(
                in,
                new com.fasterxml.jackson.core.type.TypeReference<
                    java.util.TreeMap<String, String>>() {});
      }
    } catch (IOException e) {
      return java.util.Map.of(); // unreadable: every location is set again
    }
  }

  private void saveLocations(HiveTables.Partitioned table, java.util.Map<String, String> m) {
    org.apache.hadoop.fs.Path f = registrationsFile(table);
    org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(f.getParent(), "." + f.getName());
    try {
      storage.fs().mkdirs(f.getParent());
      try (java.io.OutputStream o = storage.fs().create(tmp, true)) {
        o.write(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(m));
      }
      storage.fs().delete(f, false);
      storage.fs().rename(tmp, f);
    } catch (IOException e) {
      throw new FraudBatchException("Cannot write " + f + ": " + e.getMessage());
    }
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
    java.util.SortedMap<String, String> locations = published(table);
    Set<String> published = locations.keySet();
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
    Set<String> missing = new TreeSet<>();
    for (String v : wanted) {
      if (!registered.contains(v)) {
        missing.add(v);
      }
    }
    List<String> toAdd = new ArrayList<>(missing);
    for (int i = 0; i < toAdd.size(); i += BATCH) {
      hive.execute(
          addPartitions(table, toAdd.subList(i, Math.min(toAdd.size(), i + BATCH)), locations));
    }
    // A partition republished since it was registered (a new version): point Hive at it. One
    // metastore update per partition, atomic for queries that start after it.
    java.util.Map<String, String> before = registeredLocations(table);
    java.util.Map<String, String> now = new java.util.TreeMap<>(before);
    int moved = 0;
    for (String v : wanted) {
      String loc = locations.get(v);
      if (!missing.contains(v) && !loc.equals(before.get(v))) {
        if (before.containsKey(v) || warehouseTable(table).isPresent()) {
          hive.execute(
              "ALTER TABLE "
                  + qualified(table)
                  + " PARTITION ("
                  + table.spec(v)
                  + ") SET LOCATION '"
                  + loc.replace("'", "\\'")
                  + "'");
          moved++;
        }
      }
      now.put(v, loc);
    }
    saveLocations(table, now);
    // Row counts and sizes for the planners (Hive's and Impala's): read from the Parquet footers,
    // no job, for the partitions that changed.
    if (table.byDay()) {
      for (String v : wanted) {
        if (missing.contains(v) || !locations.get(v).equals(before.get(v))) {
          hive.execute(
              "ANALYZE TABLE "
                  + qualified(table)
                  + " PARTITION ("
                  + table.spec(v)
                  + ") COMPUTE STATISTICS");
        }
      }
    }
    Set<String> stale = new TreeSet<>(registered);
    stale.removeAll(published);
    Outcome o =
        new Outcome(
            table.table(), published.size(), wanted.size() - missing.size(), missing.size(), stale);
    out.printf(
        "hive: %-13s %4d published, %4d already registered, %4d added, %4d re-pointed%s%n",
        table.table(),
        o.published(),
        o.alreadyRegistered(),
        o.added(),
        moved,
        stale.isEmpty()
            ? ""
            : ", " + stale.size() + " registered without a directory (left as they are): " + stale);
    return o;
  }

  /** {@code ALTER TABLE db.t ADD IF NOT EXISTS PARTITION (…) LOCATION '…' …}. */
  String addPartitions(
      HiveTables.Partitioned table, List<String> values, java.util.Map<String, String> locations) {
    StringBuilder sql =
        new StringBuilder("ALTER TABLE ").append(qualified(table)).append(" ADD IF NOT EXISTS");
    for (String v : values) {
      sql.append("\n  PARTITION (")
          .append(table.spec(v))
          .append(") LOCATION '")
          .append(locations.get(v).replace("'", "\\'"))
          .append('\'');
    }
    return sql.toString();
  }

  private String qualified(HiveTables.Partitioned table) {
    return HiveTables.filesDatabase(database) + "." + table.table();
  }

  /** SHOW PARTITIONS escapes special characters as %XX; our values have none but decode anyway. */
  static String unescape(String v) {
    return java.net.URLDecoder.decode(
        v.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
  }
}
