package io.fraudbatch.hive;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HiveTablesTest {
  @Test
  void partitionValuesComeOnlyFromWellFormedDirectories() {
    HiveTables.Partitioned decisions = HiveTables.byName("decisions").orElseThrow();
    assertThat(decisions.valueOf("dt=2026-10-28")).contains("2026-10-28");
    assertThat(decisions.valueOf("dt=2026-10-28.old")).isEmpty();
    assertThat(decisions.valueOf("_dt=2026-10-28")).isEmpty();
    assertThat(decisions.valueOf(".dt=2026-10-28.tmp")).isEmpty();
    assertThat(decisions.valueOf("as_of=2026-10-28")).isEmpty();
    HiveTables.Partitioned manifests = HiveTables.byName("RUN_MANIFESTS").orElseThrow();
    assertThat(manifests.valueOf("job=ingest")).contains("ingest");
    assertThat(manifests.valueOf("ingest")).isEmpty(); // a legacy folder: not a partition
    assertThat(manifests.valueOf(".tmp")).isEmpty();
    assertThat(manifests.dirOf("load")).isEqualTo("warehouse/_manifests/job=load");
  }

  @Test
  void partitionSpecsQuoteTheColumn() {
    HiveTables.Partitioned backtests = HiveTables.byName("backtests").orElseThrow();
    assertThat(backtests.spec("2026-10-28")).isEqualTo("`to`='2026-10-28'");
    assertThat(backtests.dirOf("2026-10-28")).isEqualTo("warehouse/backtests/to=2026-10-28");
  }

  @Test
  void transientFailuresAreTheConnectionsNotTheStatements() {
    java.sql.SQLException refused =
        new java.sql.SQLException(
            "Could not open client transport with JDBC Uri: jdbc:hive2://127.0.0.1:1/default",
            "08S01",
            new java.net.ConnectException("Connection refused"));
    java.sql.SQLException failedQuery =
        new java.sql.SQLException(
            "Error while compiling statement: FAILED: Execution Error, return code 1", "08S01");
    java.sql.SQLException parse =
        new java.sql.SQLException(
            "Error while compiling statement: FAILED: ParseException", "42000");
    assertThat(HiveSession.isTransient(refused)).isTrue();
    assertThat(HiveSession.isTransient(failedQuery)).isFalse();
    assertThat(HiveSession.isTransient(parse)).isFalse();
  }
}
