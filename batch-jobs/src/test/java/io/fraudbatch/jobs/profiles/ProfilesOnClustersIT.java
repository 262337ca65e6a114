package io.fraudbatch.jobs.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.time.LocalDate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.mapreduce.v2.MiniMRYarnCluster;
import org.apache.hadoop.util.ToolRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MapReduce profile job on a MiniMRYarnCluster over a MiniDFSCluster, then the next day on the
 * local engine over the same HDFS: nothing may assume the local filesystem or the local runner.
 * Their snapshots must equal, record for record, the local filesystem's runs.
 */
class ProfilesOnClustersIT {
  static MiniDFSCluster dfs;
  static MiniMRYarnCluster yarn;
  @TempDir static Path tmp;

  @BeforeAll
  static void start() throws Exception {
    Configuration conf = new Configuration();
    File base = new File("target/minicluster-" + System.nanoTime());
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getAbsolutePath());
    dfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    dfs.waitActive();
    yarn = new MiniMRYarnCluster("profiles-it", 1);
    yarn.init(new Configuration(dfs.getConfiguration(0)));
    yarn.start();
  }

  @AfterAll
  static void stop() {
    if (yarn != null) {
      yarn.stop();
    }
    if (dfs != null) {
      dfs.shutdown();
    }
  }

  @Test
  void mapReduceOnYarnAndHdfsWritesTheSameSnapshotAsLocally() throws Exception {
    Path local = tmp.resolve("local");
    ProfilesJobTest.generate(local);
    ProfilesJobTest.ingest(local);
    LocalDate last = ProfilesJobTest.START.plusDays(ProfilesJobTest.DAYS - 1);
    LocalDate asOf = last.minusDays(1);
    ProfilesJobTest.profiles(
        local, 3, "--engine", "mapreduce", "--mode", "full", "--as-of", asOf.toString());
    ProfilesJobTest.profiles(
        local, 3, "--engine", "mapreduce", "--mode", "full", "--as-of", last.toString());

    FileSystem fs = dfs.getFileSystem();
    fs.copyFromLocalFile(
        new org.apache.hadoop.fs.Path(local.resolve("warehouse/decisions").toUri()),
        new org.apache.hadoop.fs.Path("/fraud/warehouse/decisions"));
    fs.copyFromLocalFile(
        new org.apache.hadoop.fs.Path(local.resolve("warehouse/_manifests/job=ingest").toUri()),
        new org.apache.hadoop.fs.Path("/fraud/warehouse/_manifests/job=ingest"));

    Configuration conf = new Configuration(yarn.getConfig());
    conf.set("mapreduce.framework.name", "yarn");
    io.fraudbatch.core.testing.JobProcesses.yarnTaskJvmOpts("-Xmx512m").forEach(conf::set);
    ProfilesJob job = new ProfilesJob();
    String root = fs.getUri() + "/fraud";
    int code =
        ToolRunner.run(
            conf,
            job,
            new String[] {
              "--root",
              root,
              "--engine",
              "mapreduce",
              "--mode",
              "full",
              "--as-of",
              asOf.toString(),
              "--buckets",
              "3"
            });
    assertThat(code).isZero();
    assertThat(job.lastRun().get("eventsWritten")).isEqualTo(job.lastRun().get("eventsRead"));

    assertSameSnapshot(fs, local, asOf);

    // The next day on the local engine, reading and writing HDFS from this JVM: the snapshot the
    // local filesystem's full recompute wrote.
    ProfilesJob next = new ProfilesJob();
    code =
        ToolRunner.run(
            new Configuration(dfs.getConfiguration(0)),
            next,
            new String[] {"--root", root, "--engine", "local", "--as-of", last.toString()});
    assertThat(code).isZero();
    assertThat(next.lastRun().get("engine")).isEqualTo("local");
    assertThat(next.lastRun().get("mode")).isEqualTo("incremental");
    assertSameSnapshot(fs, local, last);
  }

  /**
   * The snapshot as of {@code day} under hdfs:/fraud holds the records of the one under {@code
   * local}, file by file in order (across JVMs Parquet's footers differ in one detail: see
   * ProfilesJobTest.content), and its run record.
   */
  static void assertSameSnapshot(FileSystem fs, Path local, LocalDate day) throws Exception {
    org.apache.hadoop.fs.Path dir =
        io.fraudbatch.warehouse.PartitionLister.location(
                fs,
                fs.makeQualified(new org.apache.hadoop.fs.Path("/fraud")),
                io.fraudbatch.warehouse.Table.PROFILES,
                day.toString())
            .orElseThrow();
    assertThat(ProfilesJobTest.content(fs.getConf(), dir))
        .hasSize(3)
        .isEqualTo(
            ProfilesJobTest.content(
                ProfilesJobTest.localConf(),
                new org.apache.hadoop.fs.Path(ProfilesJobTest.snapshot(local, day).toUri())));
    assertThat(fs.exists(new org.apache.hadoop.fs.Path(dir, "_run.json"))).isTrue();
  }
}
