package io.fraudbatch.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HdfsClientTest {
  @TempDir Path dir;

  @Test
  void closesAreRetriedSoonerWithAtLeastTheDefaultPatience() {
    Configuration conf = HdfsClient.quickClose(new Configuration());
    int delay = conf.getInt(HdfsClient.INITIAL_DELAY_KEY, -1);
    int retries = conf.getInt(HdfsClient.RETRIES_KEY, -1);
    assertThat(delay).isLessThan(HdfsClient.DEFAULT_DELAY_MS);
    assertThat(HdfsClient.patienceMs(delay, retries))
        .isGreaterThanOrEqualTo(
            HdfsClient.patienceMs(HdfsClient.DEFAULT_DELAY_MS, HdfsClient.DEFAULT_RETRIES));
    assertThat(HdfsClient.patienceMs(400, 5)).isEqualTo(400 + 800 + 1600 + 3200 + 6400);
  }

  @Test
  void whatTheUserSetIsKept() {
    Configuration delaySet = new Configuration();
    delaySet.setInt(HdfsClient.INITIAL_DELAY_KEY, 1000);
    HdfsClient.quickClose(delaySet);
    assertThat(delaySet.getInt(HdfsClient.INITIAL_DELAY_KEY, -1)).isEqualTo(1000);
    assertThat(delaySet.get(HdfsClient.RETRIES_KEY)).isNull();

    // From a site file, as on a cluster.
    Configuration site = new Configuration(false);
    site.addResource(
        new ByteArrayInputStream(
            ("<configuration><property><name>"
                    + HdfsClient.RETRIES_KEY
                    + "</name><value>7</value></property></configuration>")
                .getBytes(StandardCharsets.UTF_8)),
        "hdfs-site.xml");
    HdfsClient.quickClose(site);
    assertThat(site.getInt(HdfsClient.RETRIES_KEY, -1)).isEqualTo(7);
    assertThat(site.get(HdfsClient.INITIAL_DELAY_KEY)).isNull();

    // A copy that set every key to its default (as HBase's configuration merge does) is not the
    // user's choice.
    Configuration copied = new Configuration(false);
    copied.setInt(HdfsClient.INITIAL_DELAY_KEY, HdfsClient.DEFAULT_DELAY_MS);
    copied.setInt(HdfsClient.RETRIES_KEY, HdfsClient.DEFAULT_RETRIES);
    HdfsClient.quickClose(copied);
    assertThat(copied.getInt(HdfsClient.INITIAL_DELAY_KEY, -1))
        .isEqualTo(HdfsClient.QUICK_DELAY_MS);
    assertThat(copied.getInt(HdfsClient.RETRIES_KEY, -1)).isEqualTo(HdfsClient.QUICK_RETRIES);

    // Nor is the client's own defaults file.
    Configuration defaults = new Configuration(false);
    defaults.addResource(
        new ByteArrayInputStream(
            ("<configuration><property><name>"
                    + HdfsClient.INITIAL_DELAY_KEY
                    + "</name><value>400</value></property></configuration>")
                .getBytes(StandardCharsets.UTF_8)),
        "hdfs-default.xml");
    HdfsClient.quickClose(defaults);
    assertThat(defaults.getInt(HdfsClient.INITIAL_DELAY_KEY, -1))
        .isEqualTo(HdfsClient.QUICK_DELAY_MS);
  }

  @Test
  void opensAFilesystemOfItsOwn() throws Exception {
    Configuration conf = new Configuration();
    try (FileSystem fs = HdfsClient.open(dir.toUri(), conf)) {
      assertThat(fs).isNotSameAs(FileSystem.get(dir.toUri(), conf));
      assertThat(fs.exists(new org.apache.hadoop.fs.Path(dir.toUri()))).isTrue();
    }
    // The cached instance others use is still open.
    assertThat(FileSystem.get(dir.toUri(), conf).exists(new org.apache.hadoop.fs.Path(dir.toUri())))
        .isTrue();
  }
}
