package io.fraudbatch.sample;

import io.fraudbatch.core.FraudBatchException;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * A delimited text file of a public dataset (plain or gzip, told by its magic bytes), read row by
 * row with its header; every error names the file and line.
 */
final class SourceFile implements AutoCloseable {
  final Path path;
  private final BufferedReader reader;
  private final String delimiter;
  private final Map<String, Integer> columns = new HashMap<>();
  private int line;

  private SourceFile(Path path, BufferedReader reader, String delimiter) {
    this.path = path;
    this.reader = reader;
    this.delimiter = delimiter;
  }

  /**
   * Opens {@code input}, or when it is a directory the one file in it whose name matches {@code
   * nameInDirectory}, and checks the header holds {@code required}.
   */
  static SourceFile open(
      Path input, String nameInDirectory, char delimiter, List<String> required, String what) {
    Path file = input;
    if (Files.isDirectory(input)) {
      Pattern p = Pattern.compile(nameInDirectory);
      try (Stream<Path> s = Files.list(input)) {
        List<Path> found =
            s.filter(f -> p.matcher(f.getFileName().toString()).matches()).sorted().toList();
        if (found.size() != 1) {
          throw new FraudBatchException(
              "Cannot import "
                  + what
                  + ": --input "
                  + input
                  + " is a directory with "
                  + (found.isEmpty() ? "no file" : found.size() + " files")
                  + " matching "
                  + nameInDirectory
                  + "; give the file itself");
        }
        file = found.get(0);
      } catch (IOException e) {
        throw new FraudBatchException("Cannot list --input " + input + ": " + e.getMessage(), e);
      }
    } else if (!Files.isRegularFile(input)) {
      throw new FraudBatchException(
          "Cannot import " + what + ": --input " + input + " does not exist");
    }
    try {
      InputStream in = new BufferedInputStream(Files.newInputStream(file));
      in.mark(2);
      int b1 = in.read();
      int b2 = in.read();
      in.reset();
      if (b1 == 0x1f && b2 == 0x8b) {
        in = new GZIPInputStream(in, 1 << 16);
      }
      SourceFile f =
          new SourceFile(
              file,
              new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16),
              Pattern.quote(String.valueOf(delimiter)));
      f.readHeader(required, what);
      return f;
    } catch (IOException e) {
      throw new FraudBatchException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private void readHeader(List<String> required, String what) throws IOException {
    String header = reader.readLine();
    line = 1;
    if (header == null) {
      throw new FraudBatchException(path + " is empty: expected a header line of " + what);
    }
    String[] names = header.strip().split(delimiter, -1);
    for (int i = 0; i < names.length; i++) {
      columns.put(names[i].strip(), i);
    }
    List<String> missing = new ArrayList<>();
    for (String r : required) {
      if (!columns.containsKey(r)) {
        missing.add(r);
      }
    }
    if (!missing.isEmpty()) {
      throw new FraudBatchException(
          path
              + ":1: not "
              + what
              + ": the header lacks "
              + String.join(", ", missing)
              + " (it has "
              + String.join(", ", names)
              + ")");
    }
  }

  /** The next row's fields, or null at the end; blank lines are skipped. */
  String[] next() {
    try {
      String l;
      do {
        l = reader.readLine();
        line++;
      } while (l != null && l.isBlank());
      if (l == null) {
        return null;
      }
      String[] f = l.split(delimiter, -1);
      if (f.length < columns.size()) {
        throw error("has " + f.length + " fields, the header " + columns.size());
      }
      return f;
    } catch (IOException e) {
      throw new FraudBatchException("Cannot read " + path + " at line " + line + ": " + e, e);
    }
  }

  int column(String name) {
    return columns.get(name);
  }

  /** An error about the current line. */
  FraudBatchException error(String what) {
    return new FraudBatchException(path + ":" + line + ": " + what);
  }

  double number(String[] row, int column, String name) {
    try {
      return Double.parseDouble(row[column].strip());
    } catch (NumberFormatException e) {
      throw error(name + " is not a number: '" + row[column] + "'");
    }
  }

  java.math.BigDecimal decimal(String[] row, int column, String name) {
    try {
      return new java.math.BigDecimal(row[column].strip());
    } catch (NumberFormatException e) {
      throw error(name + " is not a decimal: '" + row[column] + "'");
    }
  }

  /** A 0/1 column (a fraud flag). */
  boolean flag(String[] row, int column, String name) {
    String v = row[column].strip();
    if (!"0".equals(v) && !"1".equals(v)) {
      throw error(name + " must be 0 or 1, not '" + row[column] + "'");
    }
    return "1".equals(v);
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
