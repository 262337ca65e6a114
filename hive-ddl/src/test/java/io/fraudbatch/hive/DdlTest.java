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
              "PARTITIONED BY (" + (t.column().equals("to") ? "`to`" : t.column()) + " STRING)");
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
            s -> s.sql().matches("(?s)CREATE EXTERNAL TABLE IF NOT EXISTS fraud\\." + name + " .*"))
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
