package io.fraudbatch.core;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The text files of a directory tree — on disk, or carried in a jar (the DDL, the Oozie
 * applications) — as relative path ({@code /}-separated) → content, in path order.
 */
public final class TextTree {
  private TextTree() {}

  /** The files under {@code dir} whose relative path {@code keep} accepts. */
  public static Map<String, String> read(Path dir, Predicate<String> keep) {
    FraudBatchException.check(Files.isDirectory(dir), "%s is not a directory", dir);
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String rel = dir.relativize(p).toString().replace('\\', '/');
        if (keep.test(rel)) {
          out.put(rel, Files.readString(p, StandardCharsets.UTF_8));
        }
      }
    } catch (IOException e) {
      throw new FraudBatchException("Cannot read " + dir + ": " + e.getMessage());
    }
    return out;
  }

  /**
   * The files the classpath carries under {@code resource} (a directory) that {@code keep} accepts.
   */
  public static Map<String, String> bundled(String resource, Predicate<String> keep) {
    URL url = TextTree.class.getClassLoader().getResource(resource);
    FraudBatchException.check(url != null, "the classpath carries no %s", resource);
    try {
      if ("jar".equals(url.getProtocol())) {
        try (FileSystem jar = FileSystems.newFileSystem(url.toURI(), Collections.emptyMap())) {
          return read(jar.getPath(resource), keep);
        }
      }
      return read(Path.of(url.toURI()), keep);
    } catch (IOException | URISyntaxException e) {
      throw new FraudBatchException("Cannot read " + url + ": " + e.getMessage());
    }
  }
}
