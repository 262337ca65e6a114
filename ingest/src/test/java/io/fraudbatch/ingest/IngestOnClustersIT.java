package io.fraudbatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.mapreduce.v2.MiniMRYarnCluster;
import org.apache.hadoop.util.ToolRunner;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Needs real HDFS and YARN: ingest must not assume the local filesystem or the local runner. One
 * MiniDFSCluster (and one MiniMRYarnCluster) for the class.
 */
class IngestOnClustersIT {
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

  /** Generates landing data locally (in-use files already rolled) and copies it into HDFS. */
  static JsonNode landOnHdfs(String name, long seed) throws Exception {
    Path local = tmp.resolve(name);
    // One day: every sink format, but few files (HDFS creates are slow on one datanode).
    JsonNode gen = IngestJobTest.generate(IngestJobTest.data(local, seed, 1, 1_500), local);
    IngestJobTest.closeInUseFiles(local);
    FileSystem fs = dfs.getFileSystem();
    fs.copyFromLocalFile(
        new org.apache.hadoop.fs.Path(local.resolve("landing").toUri()),
        new org.apache.hadoop.fs.Path("/" + name + "/landing"));
    return gen;
  }

  static List<GenericRecord> rows(FileSystem fs, String dir) throws Exception {
    List<GenericRecord> out = new ArrayList<>();
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(dir);
    if (!fs.exists(p)) {
      return out;
    }
    RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> it = fs.listFiles(p, true);
    while (it.hasNext()) {
      FileStatus f = it.next();
      if (!f.getPath().getName().endsWith(".parquet")) {
        continue;
      }
      try (ParquetReader<GenericRecord> r =
          AvroParquetReader.<GenericRecord>builder(
                  HadoopInputFile.fromPath(f.getPath(), fs.getConf()))
              .withDataModel(CandidateCodec.MODEL)
              .build()) {
        GenericRecord g;
        while ((g = r.read()) != null) {
          out.add(g);
        }
      }
    }
    return out;
  }

  private static int run(Configuration conf, String root) throws Exception {
    IngestJob job = new IngestJob();
    return ToolRunner.run(conf, job, new String[] {"--root", root, "--min-age-seconds", "0"});
  }

  @Test
  void ingestsFromAndIntoHdfs() throws Exception {
    JsonNode gen = landOnHdfs("onhdfs", 21);
    FileSystem fs = dfs.getFileSystem();
    Configuration conf = new Configuration(dfs.getConfiguration(0));
    conf.set("mapreduce.framework.name", "local");
    String root = fs.getUri() + "/onhdfs";
    assertThat(run(conf, root)).isZero();
    assertThat(rows(fs, "/onhdfs/warehouse/decisions")).hasSize(gen.at("/events/unique").asInt());
    assertThat(rows(fs, "/onhdfs/warehouse/quarantine"))
        .hasSize(gen.at("/records/malformed").asInt());
    assertThat(
            fs.listStatus(new org.apache.hadoop.fs.Path("/onhdfs/warehouse/_manifests/job=ingest")))
        .hasSize(1);
    // Again: a no-op.
    assertThat(run(conf, root)).isZero();
    assertThat(
            fs.listStatus(new org.apache.hadoop.fs.Path("/onhdfs/warehouse/_manifests/job=ingest")))
        .hasSize(1);
  }

  @Test
  void runsOnYarn() throws Exception {
    JsonNode gen = landOnHdfs("onyarn", 23);
    Configuration conf = new Configuration(dfs.getConfiguration(0));
    yarn = new MiniMRYarnCluster("ingest-it", 1);
    yarn.init(conf);
    yarn.start();
    Configuration jobConf = new Configuration(yarn.getConfig());
    jobConf.set("mapreduce.framework.name", "yarn");
    io.fraudbatch.core.testing.JobProcesses.yarnTaskJvmOpts("-Xmx512m").forEach(jobConf::set);
    FileSystem fs = dfs.getFileSystem();
    assertThat(run(jobConf, fs.getUri() + "/onyarn")).isZero();
    assertThat(rows(fs, "/onyarn/warehouse/decisions")).hasSize(gen.at("/events/unique").asInt());
  }
}
