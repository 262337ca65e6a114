package io.fraudbatch.warehouse;

import io.fraudbatch.core.RunIds;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The one way to see what is published: the partitions of a table with the directory that holds
 * each one's current data. Entries it does not own (foreign directories such as {@code
 * dt=2026-10-28.old}, stray files, versions of runs that never committed) are listed as skipped,
 * never thrown on.
 */
public final class PartitionLister {
  /** A version directory: {@code v-<runId>} inside a partition directory. */
  public static final String VERSION_PREFIX = "v-";

  /**
   * A published partition.
   *
   * @param location the directory holding its data files
   * @param runId the committed run that published this version; null for a partition written before
   *     versioned partitions (data files directly in the partition directory)
   */
  public record Partition(String value, Path location, String runId) {}

  /** What a table holds now. */
  public record Listing(
      Table table, SortedMap<String, Partition> partitions, List<String> skipped) {
    public Optional<Partition> get(String value) {
      return Optional.ofNullable(partitions.get(value));
    }
  }

  private PartitionLister() {}

  /** Lists {@code table} as its owner's committed runs define it. */
  public static Listing list(FileSystem fs, Path root, Table table) throws IOException {
    Set<String> committed =
        table.kind() == Table.Kind.VERSIONED
            ? new RunManifests(fs, root, table.job()).committed()
            : Set.of();
    return list(fs, root, table, committed);
  }

  /** Where partition {@code value} of {@code table} is published now, if it is. */
  public static Optional<Path> location(FileSystem fs, Path root, Table table, String value)
      throws IOException {
    return list(fs, root, table).get(value).map(Partition::location);
  }

  static Listing list(FileSystem fs, Path root, Table table, Set<String> committed)
      throws IOException {
    SortedMap<String, Partition> out = new TreeMap<>();
    List<String> skipped = new ArrayList<>();
    Path dir = new Path(root, table.dir());
    if (!fs.exists(dir)) {
      return new Listing(table, out, skipped);
    }
    for (FileStatus s : fs.listStatus(dir)) {
      String name = s.getPath().getName();
      if (hidden(name)) {
        continue;
      }
      Optional<String> value = s.isDirectory() ? table.partitionValue(name) : Optional.empty();
      if (value.isEmpty()) {
        skipped.add(name);
        continue;
      }
      if (table.kind() == Table.Kind.APPEND) {
        out.put(value.get(), new Partition(value.get(), s.getPath(), null));
        continue;
      }
      Versions v = versions(fs, s.getPath(), committed);
      if (v.current() != null) {
        out.put(
            value.get(),
            new Partition(
                value.get(), new Path(s.getPath(), VERSION_PREFIX + v.current()), v.current()));
      } else if (v.legacyFiles()) {
        out.put(value.get(), new Partition(value.get(), s.getPath(), null));
      } else {
        skipped.add(name + " (no committed version)");
      }
    }
    return new Listing(table, Collections.unmodifiableSortedMap(out), skipped);
  }

  /** The versions inside one partition directory. */
  record Versions(
      String current, List<String> committed, List<String> uncommitted, boolean legacyFiles) {}

  static Versions versions(FileSystem fs, Path partition, Set<String> committedRuns)
      throws IOException {
    List<String> committed = new ArrayList<>();
    List<String> uncommitted = new ArrayList<>();
    boolean legacy = false;
    for (FileStatus c : fs.listStatus(partition)) {
      String n = c.getPath().getName();
      if (c.isDirectory() && n.startsWith(VERSION_PREFIX)) {
        String id = n.substring(VERSION_PREFIX.length());
        if (RunIds.PATTERN.matcher(id).matches()) {
          (committedRuns.contains(id) ? committed : uncommitted).add(id);
        }
      } else if (c.isFile() && !hidden(n)) {
        legacy = true;
      }
    }
    Collections.sort(committed);
    Collections.sort(uncommitted);
    String current = committed.isEmpty() ? null : committed.get(committed.size() - 1);
    return new Versions(current, committed, uncommitted, legacy);
  }

  /** {@code dt=2026-10-28} for a partition's location, versioned or not. */
  public static String partitionNameOf(Path location) {
    return location.getName().startsWith(VERSION_PREFIX)
        ? location.getParent().getName()
        : location.getName();
  }

  static boolean hidden(String name) {
    return name.startsWith(".") || name.startsWith("_");
  }
}
