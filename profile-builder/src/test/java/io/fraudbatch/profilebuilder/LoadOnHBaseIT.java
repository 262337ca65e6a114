package io.fraudbatch.profilebuilder;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudbatch.avro.ActorProfile;
import io.fraudbatch.avro.RiskContext;
import io.fraudbatch.core.avro.AvroModel;
import io.fraudbatch.core.hbase.HBaseSchema;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.HBaseTestingUtility;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.ResultScanner;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.util.Bytes;
import org.apache.hadoop.util.ToolRunner;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * profile-builder against a real HBase (mini cluster: master, region server, HDFS, ZooKeeper):
 * HFiles generated in the load's process and by MapReduce (local runner), BulkLoadHFiles, read back
 * through ProfileStore.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoadOnHBaseIT {
  static final int ACTORS = 3_000;
  static final LocalDate DAY1 = LocalDate.parse("2026-10-20");
  static final LocalDate DAY2 = LocalDate.parse("2026-10-21");

  static HBaseTestingUtility util;
  static Connection connection;
  @TempDir static Path root;

  @BeforeAll
  static void start() throws Exception {
    util = new HBaseTestingUtility();
    util.startMiniCluster();
    connection = ConnectionFactory.createConnection(util.getConfiguration());
  }

  @AfterAll
  static void stop() throws Exception {
    if (connection != null) {
      connection.close();
    }
    if (util != null) {
      util.shutdownMiniCluster();
    }
  }

  static void riskContext(LocalDate asOf, String level) throws Exception {
    Path dir = root.resolve("warehouse/risk_context/as_of=" + asOf);
    Files.createDirectories(dir);
    long end = asOf.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    try (ParquetWriter<RiskContext> w =
        AvroParquetWriter.<RiskContext>builder(
                HadoopOutputFile.fromPath(
                    new org.apache.hadoop.fs.Path(dir.resolve("part-00000.parquet").toUri()),
                    new Configuration()))
            .withSchema(RiskContext.getClassSchema())
            .withDataModel(AvroModel.SPECIFIC)
            .build()) {
      w.write(
          RiskContext.newBuilder()
              .setKeyType("merchant")
              .setKey("M89B916E5BE")
              .setLevel(level)
              .setAmountMultiplier(0.5)
              .setNewLocationMultiplier(0.5)
              .setAnomalies(2)
              .setTopMetric("microShare")
              .setTopScore(12)
              .setLastAnomalyEnd(Instant.ofEpochMilli(end - 3_600_000))
              .setValidUntil(Instant.ofEpochMilli(end + 86_400_000))
              .setAsOf(Instant.ofEpochMilli(end))
              .setRunId("r")
              .build());
    }
  }

  record Run(int code, String out, String err, ProfileBuilder tool) {}

  /** {@code load --root <root> --as-of DAY1} and {@code more}. */
  static Run loadDay1(String... more) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of("load", "--root", root.toUri().toString(), "--as-of", DAY1.toString()));
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  static Run run(String... args) throws Exception {
    ProfileBuilder tool = new ProfileBuilder();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    tool.out = new PrintStream(out, true, StandardCharsets.UTF_8);
    tool.err = new PrintStream(err, true, StandardCharsets.UTF_8);
    Configuration conf = new Configuration(util.getConfiguration());
    conf.set("mapreduce.framework.name", "local");
    // A load killed in-process leaves a lock naming this live JVM: only its age frees it.
    conf.setLong(io.fraudbatch.warehouse.WarehouseConf.LEASE_MS, 300);
    int code;
    try {
      code = ToolRunner.run(conf, tool, args);
    } catch (io.fraudbatch.warehouse.CrashPoints.SimulatedCrash e) {
      code = 137;
    }
    System.out.print(out.toString(StandardCharsets.UTF_8));
    System.err.print(err.toString(StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), tool);
  }

  /** Every cell of a table: row/family/qualifier/timestamp → value. */
  static Map<String, String> dump(TableName name) throws Exception {
    Map<String, String> m = new TreeMap<>();
    try (Table t = connection.getTable(name);
        ResultScanner s = t.getScanner(new Scan().readAllVersions())) {
      for (Result r : s) {
        for (var c : r.rawCells()) {
          m.put(
              Bytes.toStringBinary(c.getRowArray(), c.getRowOffset(), c.getRowLength())
                  + "/"
                  + Bytes.toString(c.getFamilyArray(), c.getFamilyOffset(), c.getFamilyLength())
                  + ":"
                  + Bytes.toString(
                      c.getQualifierArray(), c.getQualifierOffset(), c.getQualifierLength())
                  + "/"
                  + c.getTimestamp(),
              Bytes.toHex(c.getValueArray(), c.getValueOffset(), c.getValueLength()));
        }
      }
    }
    return m;
  }

  static Map<String, ActorProfile> day1;

  @Test
  @Order(1)
  void loadsEveryProfileAndReadsEachBackEqual() throws Exception {
    day1 = Snapshots.write(root, DAY1, ACTORS, 12);
    riskContext(DAY1, "HIGH");
    Run r = loadDay1("--regions", "4");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("reconciled").contains("created fraud:profiles (4 regions");
    try (Admin admin = connection.getAdmin()) {
      assertThat(admin.getRegions(Tables.profiles("fraud"))).hasSize(4);
      var family = admin.getDescriptor(Tables.profiles("fraud")).getColumnFamily(HBaseSchema.BATCH);
      assertThat(family.getBloomFilterType().name()).isEqualTo("ROW");
      assertThat(family.getDataBlockEncoding().name()).isEqualTo("ROW_INDEX_V1");
    }
    ProfileStore store = new ProfileStore(connection, "fraud");
    long watermark = DAY1.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    for (Map.Entry<String, ActorProfile> e : day1.entrySet()) {
      ProfileStore.BatchView v = store.view(e.getKey()).orElseThrow();
      assertThat(v.profile()).as(e.getKey()).isEqualTo(e.getValue());
      assertThat(v.watermark()).isEqualTo(watermark);
    }
    assertThat(store.get("C-NOBODY")).isEmpty();
    RiskContext rc = store.riskContext("merchant", "M89B916E5BE").orElseThrow();
    assertThat(rc.getLevel()).isEqualTo("HIGH");
    assertThat(store.riskContext("merchant", "M-NONE")).isEmpty();
    ProfileStore.LiveRun live = store.live().orElseThrow();
    assertThat(live.asOf()).isEqualTo(DAY1.toString());
    assertThat(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(live.record())
                .path("profiles")
                .path("rows")
                .asLong())
        .isEqualTo(day1.size());
    // Every cell carries the watermark.
    assertThat(dump(Tables.profiles("fraud")).keySet())
        .allSatisfy(k -> assertThat(k).endsWith("/" + watermark));
    // The command the operators use.
    Run get = run("get", Snapshots.actor(7));
    assertThat(get.out()).contains("complete up to " + Instant.ofEpochMilli(watermark));
    assertThat(run("get", "C-NOBODY").out()).contains("no profile for actor C-NOBODY");
  }

  @Test
  @Order(2)
  void mapReduceGeneratesTheSameCellsAsTheDefault() throws Exception {
    Run r = loadDay1("--namespace", "viamr", "--regions", "3", "--generate", "mapreduce");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("generated (mapreduce)");
    String meta = Bytes.toStringBinary(HBaseSchema.META_ROW) + "/";
    Map<String, String> local = dump(Tables.profiles("fraud"));
    Map<String, String> mr = dump(Tables.profiles("viamr"));
    local.keySet().removeIf(k -> k.startsWith(meta));
    mr.keySet().removeIf(k -> k.startsWith(meta));
    assertThat(local).hasSize(2 * day1.size());
    assertThat(mr).isEqualTo(local);
    assertThat(dump(Tables.riskContext("viamr"))).isEqualTo(dump(Tables.riskContext("fraud")));
    assertThat(run("load", "--root", root.toUri().toString(), "--generate", "spark").code())
        .isEqualTo(2);
  }

  @Test
  @Order(2)
  void reloadingTheSameSnapshotChangesNothing() throws Exception {
    Map<String, String> before = dump(Tables.profiles("fraud"));
    before.keySet().removeIf(k -> k.startsWith("\\x00\\x00/")); // the meta row names the run
    Run r = loadDay1();
    assertThat(r.code()).as(r.err()).isZero();
    Map<String, String> after = dump(Tables.profiles("fraud"));
    after.keySet().removeIf(k -> k.startsWith("\\x00\\x00/"));
    assertThat(after).isEqualTo(before);
    assertThat(after).hasSize(2 * day1.size());
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "killed at {0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"before-commit", "committed"})
  @Order(2)
  void aLoadKilledAroundItsCommitPointIsFinishedByAPlainRerun(String step) throws Exception {
    Map<String, String> before = dump(Tables.profiles("fraud"));
    before.keySet().removeIf(k -> k.startsWith("\\x00\\x00/"));
    java.nio.file.Path manifests = root.resolve("warehouse/_manifests/job=load");
    long runsBefore;
    try (var l = java.nio.file.Files.list(manifests)) {
      runsBefore = l.filter(p -> p.toString().endsWith(".json")).count();
    }
    io.fraudbatch.warehouse.CrashPoints.crashAt(step, 1);
    try {
      assertThat(loadDay1().code()).isNotZero();
    } finally {
      assertThat(io.fraudbatch.warehouse.CrashPoints.crashed()).isTrue();
      io.fraudbatch.warehouse.CrashPoints.reset();
    }
    Thread.sleep(400); // the killed run's lease expires
    Run r = loadDay1();
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("took over the lock");
    Map<String, String> after = dump(Tables.profiles("fraud"));
    after.keySet().removeIf(k -> k.startsWith("\\x00\\x00/"));
    assertThat(after).isEqualTo(before);
    try (var l = java.nio.file.Files.list(manifests)) {
      // the rerun's record, and the killed run's when it had passed its commit point
      assertThat(l.filter(p -> p.toString().endsWith(".json")).count())
          .isEqualTo(runsBefore + (step.equals("committed") ? 2 : 1));
    }
    try (var l = java.nio.file.Files.list(root.resolve("staging/load"))) {
      assertThat(l.filter(p -> !p.getFileName().toString().startsWith("_")).toList()).isEmpty();
    }
  }

  @Test
  @Order(3)
  void aNewerSnapshotWinsAcrossARegionSplitAnOlderOneNeverShadowsItAndOnlineWritesSurvive()
      throws Exception {
    // The online tier writes its own family meanwhile.
    String actor = Snapshots.actor(7);
    try (Table t = connection.getTable(Tables.profiles("fraud"))) {
      t.put(
          new Put(HBaseSchema.profileRow(actor))
              .addColumn(HBaseSchema.REALTIME, Bytes.toBytes("d"), Bytes.toBytes("delta-1")));
    }
    // HFiles generated for the table's 4 regions, then a region splits before the bulk load:
    // BulkLoadHFiles splits the files that span the new boundary.
    Map<String, ActorProfile> day2 = Snapshots.write(root, DAY2, ACTORS, 12);
    LoadCommand load = new LoadCommand();
    load.parent = new ProfileBuilder();
    load.parent.namespace = "fraud";
    Configuration conf = new Configuration(util.getConfiguration());
    conf.set("mapreduce.framework.name", "local");
    load.parent.setConf(conf);
    long watermark2 = DAY2.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    Map<String, Object> generated =
        load.generate(
            load.parent.hbaseConf(),
            connection,
            org.apache.hadoop.fs.FileSystem.getLocal(conf),
            Tables.profiles("fraud"),
            new org.apache.hadoop.fs.Path(root.resolve("warehouse/profiles/as_of=" + DAY2).toUri()),
            new org.apache.hadoop.fs.Path(root.resolve("hfiles-day2").toUri()),
            RowCells.PROFILES,
            watermark2,
            System.out);
    assertThat(generated.get("hfiles")).isEqualTo(4);
    try (Admin admin = connection.getAdmin()) {
      admin.split(Tables.profiles("fraud"), new byte[] {(byte) 0x20, 0});
      util.waitFor(60_000, () -> admin.getRegions(Tables.profiles("fraud")).size() == 5);
    }
    LoadCommand.bulkLoad(
        load.parent.hbaseConf(), connection, Tables.profiles("fraud"), generated, System.out);
    ProfileStore store = new ProfileStore(connection, "fraud");
    for (Map.Entry<String, ActorProfile> e : day2.entrySet()) {
      assertThat(store.get(e.getKey()).orElseThrow()).isEqualTo(e.getValue());
    }
    // Re-loading the older snapshot afterwards: the newer values stay.
    Run old = loadDay1();
    assertThat(old.code()).as(old.err()).isZero();
    for (Map.Entry<String, ActorProfile> e : day2.entrySet()) {
      assertThat(store.get(e.getKey()).orElseThrow().getAsOf()).isEqualTo(DAY2);
    }
    try (Table t = connection.getTable(Tables.profiles("fraud"))) {
      Result got = t.get(new Get(HBaseSchema.profileRow(actor)));
      assertThat(Bytes.toString(got.getValue(HBaseSchema.REALTIME, Bytes.toBytes("d"))))
          .isEqualTo("delta-1");
    }
  }

  @Test
  @Order(4)
  void anIncompatibleTableIsRefusedWithTheReason() throws Exception {
    try (Admin admin = connection.getAdmin()) {
      admin.createNamespace(org.apache.hadoop.hbase.NamespaceDescriptor.create("other").build());
      admin.createTable(
          org.apache.hadoop.hbase.client.TableDescriptorBuilder.newBuilder(Tables.profiles("other"))
              .setColumnFamily(org.apache.hadoop.hbase.client.ColumnFamilyDescriptorBuilder.of("x"))
              .build());
    }
    Run r = run("load", "--root", root.toUri().toString(), "--namespace", "other");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("other:profiles")
        .contains("no column family 'b'")
        .contains("--namespace");
    Run none = run("load", "--root", root.resolve("nothing").toUri().toString());
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("no profile snapshot");
    // No HBase where the user points: said at once, not after minutes of client retries.
    Run down = run("get", "C1", "--zookeeper", "127.0.0.1:1");
    assertThat(down.code()).isEqualTo(2);
    assertThat(down.err())
        .contains("Cannot reach HBase's ZooKeeper at 127.0.0.1:1")
        .contains("bin/fraud-batch hbase");
  }
}
