package io.fraudbatch.warehouse;

import org.apache.hadoop.fs.Path;

/**
 * Paths recorded in manifests and journals are relative to the storage root, so a root copied or
 * moved elsewhere ({@code cp -a}, {@code distcp}) keeps its history.
 */
public final class RootPaths {
  private RootPaths() {}

  /** {@code path} relative to {@code root}; a path outside the root is returned whole. */
  public static String relative(Path root, Path path) {
    String r = root.toUri().getPath();
    String p = path.toUri().getPath();
    if (!r.endsWith("/")) {
      r = r + "/";
    }
    return p.startsWith(r) ? p.substring(r.length()) : path.toString();
  }

  /**
   * A recorded path as a path relative to the root: relative ones as they are; absolute ones (older
   * manifests recorded URIs) cut at the first of {@code anchors} they contain.
   */
  public static String normalize(String recorded, String... anchors) {
    if (!recorded.startsWith("/") && !recorded.contains(":")) {
      return recorded;
    }
    String p = new Path(recorded).toUri().getPath();
    for (String a : anchors) {
      int i = p.indexOf("/" + a + "/");
      if (i >= 0) {
        return p.substring(i + 1);
      }
    }
    return recorded;
  }

  /** A recorded relative path resolved against {@code root}. */
  public static Path resolve(Path root, String relative) {
    return new Path(root, relative);
  }
}
