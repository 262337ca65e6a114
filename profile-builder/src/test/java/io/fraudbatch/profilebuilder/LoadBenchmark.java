package io.fraudbatch.profilebuilder;

import io.fraudbatch.avro.ActorProfile;
import io.fraudbatch.core.avro.AvroModel;
import io.fraudbatch.core.hbase.HBaseSchema;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.HBaseTestingUtility;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.BufferedMutator;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.util.Bytes;
import org.apache.hadoop.util.ToolRunner;

/**
 * bench/load.sh's measurement (a main, not a test): on an HBase mini cluster in this JVM, loads N
 * synthetic profiles with profile-builder's load (MapReduce HFiles + bulk load) and, into a second
 * table of the same layout, the same rows with BufferedMutator puts; then times point gets through
 * ProfileStore. Args: WORK_DIR ACTORS GETS.
 */
public final class LoadBenchmark {
  /** Both tables' compression (-Dcompression=GZ...; default: the load command's). */
  static final String COMPRESSION = System.getProperty("compression", LoadCommand.COMPRESSION);

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    int actors = Integer.parseInt(args[1]);
    int gets = Integer.parseInt(args[2]);
    LocalDate day = LocalDate.parse("2026-10-20");
    long t0 = System.nanoTime();
    int n = Snapshots.write(work, day, actors, 12, (a, p) -> {});
    java.util.List<Path> parts;
    try (var l = Files.list(work.resolve("warehouse/profiles/as_of=" + day))) {
      parts = l.filter(f -> f.getFileName().toString().endsWith(".parquet")).sorted().toList();
    }
    long snapshotBytes = 0;
    for (Path f : parts) {
      snapshotBytes += Files.size(f);
    }
    System.out.printf(
        Locale.ROOT,
        "snapshot: %,d profiles, %.1f MB Parquet in %d file(s), written in %.1f s%n",
        n,
        snapshotBytes / 1e6,
        parts.size(),
        (System.nanoTime() - t0) / 1e9);

    HBaseTestingUtility util = new HBaseTestingUtility();
    long s0 = System.nanoTime();
    util.startMiniCluster();
    System.out.printf(
        Locale.ROOT, "mini cluster started in %.1f s%n", (System.nanoTime() - s0) / 1e9);
    // The warehouse on the cluster's HDFS, next to HBase's root, as deployed: the bulk load then
    // moves the HFiles in (a rename), where files on another filesystem would be copied.
    org.apache.hadoop.fs.FileSystem dfs = util.getDFSCluster().getFileSystem();
    org.apache.hadoop.fs.Path root = dfs.makeQualified(new org.apache.hadoop.fs.Path("/fraud"));
    org.apache.hadoop.fs.Path snapshotDir =
        new org.apache.hadoop.fs.Path(root, "warehouse/profiles/as_of=" + day);
    dfs.copyFromLocalFile(
        false,
        true,
        new org.apache.hadoop.fs.Path(work.resolve("warehouse/profiles/as_of=" + day).toUri()),
        snapshotDir);
    try (Connection c = ConnectionFactory.createConnection(util.getConfiguration())) {
      // 1. profile-builder load: HFiles + bulk load, into a table created beforehand (as the
      // puts' table is: the timings compare writing rows, not creating tables).
      try (Admin admin = c.getAdmin()) {
        Tables.ensureProfiles(admin, "fraud", 8, Tables.compression(COMPRESSION));
      }
      ProfileBuilder tool = new ProfileBuilder();
      Configuration conf = new Configuration(util.getConfiguration());
      conf.set("mapreduce.framework.name", "local");
      long l0 = System.nanoTime();
      int code =
          ToolRunner.run(
              conf,
              tool,
              new String[] {
                "load",
                "--root",
                root.toString(),
                "--as-of",
                day.toString(),
                "--regions",
                "8",
                "--compression",
                COMPRESSION,
                "--summary-json",
                work.resolve("load.json").toString()
              });
      double loadSecs = (System.nanoTime() - l0) / 1e9;
      if (code != 0) {
        throw new IllegalStateException("load failed: " + code);
      }
      String json = Files.readString(work.resolve("load.json"));
      long hfileBytes = Long.parseLong(json.replaceAll("(?s).*\"bytes\"\\s*:\\s*(\\d+).*", "$1"));
      System.out.printf(
          Locale.ROOT,
          "bulk load (HFiles + BulkLoadHFiles): %,d rows in %.1f s: %.0f rows/s, %.1f MB/s of HFiles (%.1f MB)%n",
          n,
          loadSecs,
          n / loadSecs,
          hfileBytes / 1e6 / loadSecs,
          hfileBytes / 1e6);

      // 2. The same rows with BufferedMutator puts, into a table of the same layout.
      try (Admin admin = c.getAdmin()) {
        Tables.ensureProfiles(admin, "puts", 8, Tables.compression(COMPRESSION));
      }
      BinaryMessageEncoder<ActorProfile> enc =
          new BinaryMessageEncoder<>(AvroModel.SPECIFIC, ActorProfile.getClassSchema());
      long ts = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      byte[] watermark = Bytes.toBytes(ts);
      long p0 = System.nanoTime();
      long[] putBytes = {0};
      try (BufferedMutator m = c.getBufferedMutator(Tables.profiles("puts"))) {
        for (Path part : parts) {
          try (org.apache.parquet.hadoop.ParquetReader<ActorProfile> r =
              org.apache.parquet.avro.AvroParquetReader.<ActorProfile>builder(
                      org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
                          new org.apache.hadoop.fs.Path(snapshotDir, part.getFileName().toString()),
                          util.getConfiguration()))
                  .withDataModel(AvroModel.SPECIFIC)
                  .build()) {
            ActorProfile p;
            while ((p = r.read()) != null) {
              ByteBuffer b = enc.encode(p);
              byte[] v = Bytes.getBytes(b);
              putBytes[0] += v.length;
              m.mutate(
                  new Put(HBaseSchema.profileRow(p.getActorId()), ts)
                      .addColumn(HBaseSchema.BATCH, HBaseSchema.PROFILE, ts, v)
                      .addColumn(HBaseSchema.BATCH, HBaseSchema.WATERMARK, ts, watermark));
            }
          }
        }
      }
      double putOnlySecs = (System.nanoTime() - p0) / 1e9;
      // Like the bulk load's, the rows end in HFiles: flush the memstores (synchronous).
      try (Admin admin = c.getAdmin()) {
        admin.flush(Tables.profiles("puts"));
      }
      double putSecs = (System.nanoTime() - p0) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "BufferedMutator puts: %,d rows in %.1f s (%.1f s of puts, then the memstore flush to"
              + " HFiles): %.0f rows/s, %.1f MB/s of values%n",
          n,
          putSecs,
          putOnlySecs,
          n / putSecs,
          putBytes[0] / 1e6 / putSecs);
      System.out.printf(
          Locale.ROOT,
          "ratio bulk load / puts (rows/s): %.2f  (target >= 5)%n",
          putSecs / loadSecs);

      // 3. Point gets through ProfileStore, random actors (a tenth of them unknown).
      ProfileStore store = new ProfileStore(c, "fraud");
      SplittableRandom rnd = new SplittableRandom(7);
      for (int i = 0; i < 2_000; i++) { // warm-up: connections, block cache
        store.get(Snapshots.actor(rnd.nextInt(n)));
      }
      long[] nanos = new long[gets];
      int found = 0;
      for (int i = 0; i < gets; i++) {
        String actor = rnd.nextInt(10) == 0 ? "C-UNKNOWN-" + i : Snapshots.actor(rnd.nextInt(n));
        long g0 = System.nanoTime();
        if (store.get(actor).isPresent()) {
          found++;
        }
        nanos[i] = System.nanoTime() - g0;
      }
      Arrays.sort(nanos);
      System.out.printf(
          Locale.ROOT,
          "ProfileStore.get: %,d random gets (%,d found): p50 %.2f ms, p99 %.2f ms, max %.2f ms (target p99 < 5 ms)%n",
          gets,
          found,
          nanos[gets / 2] / 1e6,
          nanos[(int) Math.ceil(gets * 0.99) - 1] / 1e6,
          nanos[gets - 1] / 1e6);
    } finally {
      util.shutdownMiniCluster();
    }
  }
}
