package io.fraudbatch.hive;

import io.fraudbatch.core.FraudBatchException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A HiveQL script as beeline runs it: statements separated by {@code ;} outside quotes and
 * backticks, {@code --} comments dropped, {@code ${hivevar:NAME}} replaced. Each statement keeps
 * the file and line it starts on, for error messages.
 */
public final class SqlScript {
  /** One statement of a script and where it starts. */
  public record Statement(String sql, String source, int line) {
    /** {@code file:line}, for messages. */
    public String where() {
      return source + ":" + line;
    }

    /** The first line of the statement, for progress messages. */
    public String summary() {
      String first = sql.strip().lines().findFirst().orElse("");
      return first.length() > 100 ? first.substring(0, 100) + "…" : first;
    }
  }

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{(?:hivevar:)?([A-Za-z_][\\w.]*)}");

  private SqlScript() {}

  /**
   * The statements of {@code text} (named {@code source} in messages) with every variable replaced
   * from {@code variables}.
   *
   * @throws FraudBatchException naming the variables with no value and where they are used
   */
  public static List<Statement> parse(String source, String text, Map<String, String> variables) {
    List<Statement> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int line = 1;
    int startLine = -1;
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote == 0 && c == '-' && i + 1 < text.length() && text.charAt(i + 1) == '-') {
        while (i < text.length() && text.charAt(i) != '\n') {
          i++;
        }
        if (i < text.length()) {
          current.append('\n');
          line++;
        }
        continue;
      }
      if (quote == 0 && c == ';') {
        add(out, source, current, startLine, variables);
        current.setLength(0);
        startLine = -1;
        continue;
      }
      if (quote != 0) {
        if (c == '\\' && quote != '`' && i + 1 < text.length()) {
          current.append(c).append(text.charAt(++i));
          continue;
        }
        if (c == quote) {
          // '' inside a '…' string is an escaped quote, as in Hive
          if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
            current.append(c).append(text.charAt(++i));
            continue;
          }
          quote = 0;
        }
      } else if (c == '\'' || c == '"' || c == '`') {
        quote = c;
      }
      if (startLine < 0 && !Character.isWhitespace(c)) {
        startLine = line;
      }
      if (c == '\n') {
        line++;
      }
      current.append(c);
    }
    FraudBatchException.check(
        quote == 0,
        "%s: a quoted string (%s) is not closed before the end of the file",
        source,
        quote);
    add(out, source, current, startLine, variables);
    return out;
  }

  private static void add(
      List<Statement> out,
      String source,
      StringBuilder text,
      int line,
      Map<String, String> variables) {
    String sql = text.toString().strip();
    if (sql.isEmpty()) {
      return;
    }
    Matcher m = VARIABLE.matcher(sql);
    StringBuilder resolved = new StringBuilder();
    TreeSet<String> missing = new TreeSet<>();
    while (m.find()) {
      String value = variables.get(m.group(1));
      if (value == null) {
        missing.add(m.group(1));
        value = m.group();
      }
      m.appendReplacement(resolved, Matcher.quoteReplacement(value));
    }
    m.appendTail(resolved);
    FraudBatchException.check(
        missing.isEmpty(),
        "%s:%d: no value for %s (known: %s)",
        source,
        line,
        missing,
        new TreeSet<>(variables.keySet()));
    out.add(new Statement(resolved.toString(), source, line));
  }
}
