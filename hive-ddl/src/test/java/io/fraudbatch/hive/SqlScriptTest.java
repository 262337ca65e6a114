package io.fraudbatch.hive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudbatch.core.FraudBatchException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlScriptTest {
  @Test
  void splitsOnSemicolonsOutsideQuotesAndDropsComments() {
    String text =
        "-- header; not a statement\n"
            + "CREATE TABLE a (x STRING COMMENT 'a; b') -- trailing; comment\n"
            + "LOCATION '${hivevar:root}/a';\n"
            + "\n"
            + "SELECT `weird;name`, \"q;q\", 'it''s' FROM ${db}.t;\n"
            + "   ;\n"
            + "SELECT 1";
    List<SqlScript.Statement> s =
        SqlScript.parse("f.sql", text, Map.of("root", "file:/r", "db", "fraud"));
    assertThat(s).hasSize(3);
    assertThat(s.get(0).sql())
        .isEqualTo("CREATE TABLE a (x STRING COMMENT 'a; b') \nLOCATION 'file:/r/a'");
    assertThat(s.get(0).line()).isEqualTo(2);
    assertThat(s.get(1).sql()).isEqualTo("SELECT `weird;name`, \"q;q\", 'it''s' FROM fraud.t");
    assertThat(s.get(1).where()).isEqualTo("f.sql:5");
    assertThat(s.get(2).sql()).isEqualTo("SELECT 1");
    assertThat(s.get(2).line()).isEqualTo(7);
  }

  @Test
  void doubleDashInsideAStringIsNotAComment() {
    List<SqlScript.Statement> s =
        SqlScript.parse("f.sql", "SELECT '--not a comment' AS x; SELECT 2", Map.of());
    assertThat(s)
        .extracting(SqlScript.Statement::sql)
        .containsExactly("SELECT '--not a comment' AS x", "SELECT 2");
  }

  @Test
  void escapedQuoteInsideAString() {
    List<SqlScript.Statement> s = SqlScript.parse("f.sql", "SELECT 'a\\';b'; SELECT 3", Map.of());
    assertThat(s)
        .extracting(SqlScript.Statement::sql)
        .containsExactly("SELECT 'a\\';b'", "SELECT 3");
  }

  @Test
  void namesAVariableWithoutAValueAndWhereItIsUsed() {
    assertThatThrownBy(
            () ->
                SqlScript.parse(
                    "t.sql",
                    "\n\nCREATE DATABASE ${hivevar:db}\n LOCATION '${hivevar:rot}'",
                    Map.of("db", "x", "root", "r")))
        .isInstanceOf(FraudBatchException.class)
        .hasMessageContaining("t.sql:3")
        .hasMessageContaining("[rot]")
        .hasMessageContaining("known: [db, root]");
  }

  @Test
  void anUnclosedQuoteIsReported() {
    assertThatThrownBy(() -> SqlScript.parse("u.sql", "SELECT 'oops", Map.of()))
        .isInstanceOf(FraudBatchException.class)
        .hasMessageContaining("u.sql")
        .hasMessageContaining("not closed");
  }

  @Test
  void replacementValuesAreLiteral() {
    List<SqlScript.Statement> s =
        SqlScript.parse("f.sql", "SELECT '${root}'", Map.of("root", "C:\\data\\$1"));
    assertThat(s.get(0).sql()).isEqualTo("SELECT 'C:\\data\\$1'");
  }
}
