package io.fraudbatch.oozie;

import io.fraudbatch.core.FraudBatchException;
import java.io.IOException;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * job.properties and the variables of Oozie applications: which names an application's {@code ${…}}
 * expressions use (EL functions like {@code wf:errorMessage(…)}, {@code coord:current(…)} and
 * constants like {@code MINUTES} set aside) and their values, with {@code ${x}} inside property
 * values resolved as Oozie resolves them.
 */
public final class AppProperties {
  private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^}]*)}");
  private static final Pattern IDENTIFIER =
      // a quoted string, or a name and what follows it at once: "(" (a function) or ":" (its
      // prefix,
      // wf: coord:), not " :" of a ternary
      Pattern.compile("'[^']*'|\"[^\"]*\"|([A-Za-z_][\\w.]*)([(:])?");

  /** EL operators and the constants Oozie defines (coordinator datasets, SLA durations, sizes). */
  static final Set<String> BUILT_IN =
      Set.of(
          "true", "false", "null", "and", "or", "not", "eq", "ne", "lt", "gt", "le", "ge", "div",
          "mod", "empty", "KB", "MB", "GB", "TB", "PB", "MINUTES", "HOURS", "DAYS", "YEAR", "MONTH",
          "DAY", "HOUR", "MINUTE");

  private AppProperties() {}

  /** The variable names {@code text}'s expressions use. */
  public static Set<String> variables(String text) {
    Set<String> out = new TreeSet<>();
    Matcher e = EXPRESSION.matcher(text);
    while (e.find()) {
      Matcher id = IDENTIFIER.matcher(e.group(1));
      while (id.find()) {
        String name = id.group(1);
        if (name == null || id.group(2) != null) {
          continue; // a quoted string, a function (wf:…, coord:…(…)) or its prefix
        }
        int before = id.start() - 1;
        if (before >= 0 && e.group(1).charAt(before) == ':') {
          continue; // the function name after a prefix
        }
        if (!BUILT_IN.contains(name)) {
          out.add(name);
        }
      }
    }
    return out;
  }

  /** Parses job.properties text, then resolves {@code ${name}} references between its values. */
  public static Map<String, String> parse(String source, String text) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(text));
    } catch (IOException e) {
      throw new FraudBatchException(source + ": " + e.getMessage());
    }
    Map<String, String> raw = new LinkedHashMap<>();
    p.stringPropertyNames().stream().sorted().forEach(k -> raw.put(k, p.getProperty(k)));
    Map<String, String> out = new LinkedHashMap<>();
    for (String k : raw.keySet()) {
      out.put(k, resolve(source, k, raw, new TreeSet<>()));
    }
    return out;
  }

  private static String resolve(
      String source, String key, Map<String, String> raw, Set<String> seen) {
    FraudBatchException.check(
        seen.add(key), "%s: %s refers to itself through %s", source, key, seen);
    String v = raw.get(key);
    Matcher m = EXPRESSION.matcher(v);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1).strip();
      String value =
          raw.containsKey(name) ? resolve(source, name, raw, new TreeSet<>(seen)) : m.group();
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * {@code ${name}} → value for every known name in {@code text}; EL functions are left as they
   * are.
   */
  public static String substitute(String text, Map<String, String> values) {
    Matcher m = EXPRESSION.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1).strip();
      String value = values.get(name);
      m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
