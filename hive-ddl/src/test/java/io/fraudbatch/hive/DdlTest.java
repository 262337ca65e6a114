package io.fraudbatch.hive;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudbatch.avro.ActorProfile;
import io.fraudbatch.avro.Anomaly;
import io.fraudbatch.avro.DecisionEvent;
import io.fraudbatch.avro.QuarantineRecord;
import io.fraudbatch.avro.RiskContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * The DDL the jar carries, checked without a server: every file parses, every object is created
 * only if absent, nothing is dropped, and each table's columns are the Avro schema's fields in the
 * schema's order with the Hive types its Parquet files hold (one schema, in core).
 */
class DdlTest {
  static final Map<String, String> VARS = Map.of("db", "fraud", "root", "hdfs://ns1/data/fraud");

  static List<SqlScript.Statement> ddl() {
    return Scripts.statements(Scripts.bundled(Scripts.DDL), VARS);
  }

  @Test
  void everyStatementIsRerunnableAndDropsNothing() {
    List<SqlScript.Statement> statements = ddl();
    assertThat(statements).hasSize(Scripts.bundled(Scripts.DDL).size());
    for (SqlScript.Statement s : statements) {
      String sql = s.sql().toUpperCase(Locale.ROOT);
      assertThat(sql)
          .as(s.where())
          .containsPattern("^CREATE (DATABASE|EXTERNAL TABLE|VIEW) IF NOT EXISTS ");
      assertThat(sql).as(s.where()).doesNotContain("DROP ");
      assertThat(s.sql()).as(s.where()).doesNotContain("${");
    }
  }

  @Test
  void tableLocationsFollowTheStorageLayout() {
    for (HiveTables.Partitioned t : HiveTables.ALL) {
      SqlScript.Statement s = table(t.table());
      assertThat(s.sql())
          .as(s.where())
          .contains("LOCATION 'hdfs://ns1/data/fraud/" + t.dir() + "'");
      assertThat(s.sql())
          .as(s.where())
          .containsIgnoringCase(
              "PARTITIONED BY (" + (t.column().equals("to") ? "`to`" : t.column()) + " STRING");
    }
  }

  @Test
  void columnsAreTheAvroSchemasFieldsInOrder() {
    Map<String, Schema> schemas =
        Map.of(
            "decisions", DecisionEvent.getClassSchema(),
            "quarantine", QuarantineRecord.getClassSchema(),
            "profiles", ActorProfile.getClassSchema(),
            "anomalies", Anomaly.getClassSchema(),
            "risk_context", RiskContext.getClassSchema());
    schemas.forEach(
        (table, schema) -> {
          List<String> expected =
              schema.getFields().stream()
                  .map(f -> f.name().toLowerCase(Locale.ROOT) + " " + hive(f.schema()))
                  .toList();
          assertThat(columns(table(table).sql())).as(table).containsExactlyElementsOf(expected);
        });
  }

  @Test
  void analystsSeeOnlySnakeCaseColumns() {
    int views = 0;
    for (SqlScript.Statement s : ddl()) {
      if (s.sql().startsWith("CREATE VIEW IF NOT EXISTS fraud.")) {
        views++;
        for (String entry : columnList(s.sql())) {
          assertThat(entry.replace("`", ""))
              .as(s.where())
              .matches("(?s)[a-z][a-z0-9_]* +COMMENT .*");
        }
      }
    }
    assertThat(views).isGreaterThanOrEqualTo(16);
  }

  @Test
  void everyTableViewAndColumnHasAComment() {
    for (SqlScript.Statement s : ddl()) {
      String sql = s.sql();
      if (sql.startsWith("CREATE DATABASE")) {
        continue;
      }
      assertThat(sql).as(s.where()).containsPattern("\\)\\s*COMMENT '");
      for (String entry : columnList(sql)) {
        assertThat(entry).as("%s: %s", s.where(), entry).containsPattern("\\sCOMMENT\\s+'[^']{3,}");
      }
      Matcher partition = Pattern.compile("PARTITIONED BY \\(([^)]*)\\)").matcher(sql);
      if (partition.find()) {
        assertThat(partition.group(1)).as(s.where()).contains("COMMENT '");
      }
    }
  }

  @Test
  void everyViewNamesItsColumnsAndSumsMoneyOnlyWithinACurrencyOrInUsd() {
    Pattern sum =
        Pattern.compile("(?i)\\bsum\\(([^()]*(?:\\([^()]*(?:\\([^()]*\\))*[^()]*\\))*[^()]*)\\)");
    int views = 0;
    for (SqlScript.Statement s : ddl()) {
      if (!s.sql().startsWith("CREATE VIEW")) {
        continue;
      }
      views++;
      assertThat(columnList(s.sql())).as(s.where()).isNotEmpty();
      String body = s.sql().substring(s.sql().indexOf("AS SELECT"));
      Matcher m = sum.matcher(body);
      while (m.find()) {
        String arg = m.group(1);
        if (arg.matches("(?is).*\\bamount\\b.*") && !arg.contains("units_per_usd")) {
          assertThat(body)
              .as("%s sums %s: GROUP BY must hold the currency", s.where(), arg)
              .containsPattern("(?is)GROUP BY[^;]*\\bcurrency\\b");
        }
      }
    }
    assertThat(views).isGreaterThanOrEqualTo(10);
  }

  @Test
  void viewsUseNothingImpalaLacks() {
    for (SqlScript.Statement s : ddl()) {
      if (s.sql().startsWith("CREATE VIEW")) {
        assertThat(s.sql().toLowerCase(Locale.ROOT))
            .as(s.where())
            .doesNotContain("collect_set", "collect_list", "input__file__name", "lateral view")
            .doesNotContainPattern("\\b(size|explode|posexplode|stack)\\(");
      }
    }
  }

  @Test
  void theReferenceRatesViewHoldsCoresRates() {
    SqlScript.Statement view =
        ddl().stream()
            .filter(s -> s.sql().contains(".reference_rates ("))
            .findFirst()
            .orElseThrow();
    Map<String, java.math.BigDecimal> rates = new java.util.TreeMap<>();
    Matcher m =
        Pattern.compile("SELECT '([A-Z]{3})'(?: AS currency)?, CAST\\(([0-9.]+) AS")
            .matcher(view.sql());
    while (m.find()) {
      rates.put(m.group(1), new java.math.BigDecimal(m.group(2)));
    }
    io.fraudbatch.core.money.ReferenceRates core =
        io.fraudbatch.core.money.ReferenceRates.defaults();
    assertThat(rates.keySet()).isEqualTo(core.currencies());
    rates.forEach((c, r) -> assertThat(r).as(c).isEqualByComparingTo(core.unitsPerUsd(c)));
  }

  /** The entries of the column list after the object's name: {@code name TYPE COMMENT '…'}. */
  static List<String> columnList(String sql) {
    Matcher head =
        Pattern.compile("^CREATE (?:EXTERNAL TABLE|VIEW) IF NOT EXISTS \\S+ \\(").matcher(sql);
    if (!head.find()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    int depth = 1;
    boolean quoted = false;
    StringBuilder cur = new StringBuilder();
    for (int i = head.end(); i < sql.length() && depth > 0; i++) {
      char c = sql.charAt(i);
      if (c == '\'') {
        quoted = !quoted;
      } else if (!quoted && (c == '(' || c == '<')) {
        depth++;
      } else if (!quoted && (c == ')' || c == '>')) {
        depth--;
      }
      if (depth == 0 || (depth == 1 && !quoted && c == ',')) {
        out.add(cur.toString().strip());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    return out;
  }

  /** The Hive type Parquet written from this Avro type is read as. */
  static String hive(Schema s) {
    if (s.getType() == Schema.Type.UNION) {
      List<Schema> types =
          s.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).toList();
      assertThat(types).hasSize(1);
      return hive(types.get(0));
    }
    if (s.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
      return "TIMESTAMP";
    }
    if (s.getLogicalType() instanceof LogicalTypes.Date) {
      return "DATE";
    }
    if (s.getLogicalType() instanceof LogicalTypes.Decimal d) {
      return "DECIMAL(" + d.getPrecision() + "," + d.getScale() + ")";
    }
    return switch (s.getType()) {
      case STRING, ENUM -> "STRING";
      case LONG -> "BIGINT";
      case INT -> "INT";
      case DOUBLE -> "DOUBLE";
      case FLOAT -> "FLOAT";
      case BOOLEAN -> "BOOLEAN";
      case ARRAY -> "ARRAY<" + hive(s.getElementType()) + ">";
      case MAP -> "MAP<STRING," + hive(s.getValueType()) + ">";
      case RECORD ->
          s.getFields().stream()
              .map(f -> f.name().toLowerCase(Locale.ROOT) + ":" + hive(f.schema()))
              .collect(Collectors.joining(",", "STRUCT<", ">"));
      default -> throw new AssertionError("no Hive type for " + s);
    };
  }

  private static SqlScript.Statement table(String name) {
    return ddl().stream()
        .filter(
            s ->
                s.sql()
                    .matches(
                        "(?s)CREATE EXTERNAL TABLE IF NOT EXISTS fraud_files\\." + name + " .*"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no CREATE TABLE for " + name));
  }

  private static final Pattern COMMENT = Pattern.compile("\\s+COMMENT\\s+'(?:[^'\\\\]|\\\\.|'')*'");

  /** "name TYPE" of each column, lower-case names, no spaces or backticks in types. */
  static List<String> columns(String createTable) {
    int open = createTable.indexOf('(');
    int depth = 0;
    int close = -1;
    for (int i = open; i < createTable.length(); i++) {
      char c = createTable.charAt(i);
      if (c == '(' || c == '<') {
        depth++;
      } else if (c == ')' || c == '>') {
        depth--;
        if (depth == 0) {
          close = i;
          break;
        }
      }
    }
    String body = COMMENT.matcher(createTable.substring(open + 1, close)).replaceAll("");
    List<String> out = new ArrayList<>();
    depth = 0;
    StringBuilder cur = new StringBuilder();
    for (char c : (body + ",").toCharArray()) {
      if (c == '<' || c == '(') {
        depth++;
      } else if (c == '>' || c == ')') {
        depth--;
      }
      if (c == ',' && depth == 0) {
        String col = cur.toString().strip().replace("`", "");
        Matcher m = Pattern.compile("(?s)(\\S+)\\s+(.*)").matcher(col);
        assertThat(m.matches()).as(col).isTrue();
        String type = m.group(2).replaceAll("\\s+", "");
        type =
            Pattern.compile("([<,])(\\w+):")
                .matcher(type)
                .replaceAll(r -> r.group(1) + r.group(2).toLowerCase(Locale.ROOT) + ":");
        out.add(
            m.group(1).toLowerCase(Locale.ROOT)
                + " "
                + type.toUpperCase(Locale.ROOT).replaceAll("([<,])(\\w+):", "$1$2:"));
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    return out.stream().map(DdlTest::lowerFieldNames).toList();
  }

  /** Struct field names compare in lower case, types in upper case. */
  private static String lowerFieldNames(String column) {
    Matcher m = Pattern.compile("([<,])(\\w+):").matcher(column);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, m.group(1) + m.group(2).toLowerCase(Locale.ROOT) + ":");
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
