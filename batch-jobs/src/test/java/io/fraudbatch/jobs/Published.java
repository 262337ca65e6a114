package io.fraudbatch.jobs;

import io.fraudbatch.warehouse.PartitionLister;
import io.fraudbatch.warehouse.Table;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/** Test helper: where a partition is published now under a local root, as the lister says. */
public final class Published {
  private Published() {}

  /** The directory of partition {@code value} of {@code table}; fails the test when unpublished. */
  public static Path partition(Path root, Table table, Object value) {
    try {
      return Path.of(
          PartitionLister.location(
                  FileSystem.getLocal(new Configuration()),
                  new org.apache.hadoop.fs.Path(root.toAbsolutePath().toUri()),
                  table,
                  value.toString())
              .orElseThrow(() -> new AssertionError(table + " " + value + " is not published"))
              .toUri());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
