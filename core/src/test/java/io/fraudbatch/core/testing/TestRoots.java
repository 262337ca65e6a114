package io.fraudbatch.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Project roots for tests. A root prepared once (generated, ingested, published) is copied for each
 * test that changes it: manifests and journals hold paths relative to the root, so a copy is the
 * same warehouse (docs/warehouse-protocol.md), as {@code cp -a} would make it.
 */
public final class TestRoots {
  private TestRoots() {}

  /**
   * Copies the tree at {@code from} to {@code to} (which must not exist yet); returns {@code to}.
   */
  public static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    return to;
  }
}
