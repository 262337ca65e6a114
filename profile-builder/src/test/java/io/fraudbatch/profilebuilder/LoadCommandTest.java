package io.fraudbatch.profilebuilder;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class LoadCommandTest {
  @Test
  void theBulkLoadTakesAThreadPerHFileUnlessTheUserSaidOtherwise() {
    int cores = Runtime.getRuntime().availableProcessors();
    Configuration conf = new Configuration(false);
    assertThat(LoadCommand.bulkLoadConf(conf, 8).getInt(LoadCommand.BULK_LOAD_THREADS, -1))
        .isEqualTo(Math.max(cores, 8));
    assertThat(LoadCommand.bulkLoadConf(conf, 500).getInt(LoadCommand.BULK_LOAD_THREADS, -1))
        .isEqualTo(Math.max(cores, 16));
    assertThat(LoadCommand.bulkLoadConf(conf, 1).getInt(LoadCommand.BULK_LOAD_THREADS, -1))
        .isEqualTo(cores);
    assertThat(conf.get(LoadCommand.BULK_LOAD_THREADS)).isNull(); // the caller's is left alone

    conf.setInt(LoadCommand.BULK_LOAD_THREADS, 3);
    assertThat(LoadCommand.bulkLoadConf(conf, 8).getInt(LoadCommand.BULK_LOAD_THREADS, -1))
        .isEqualTo(3);
  }
}
