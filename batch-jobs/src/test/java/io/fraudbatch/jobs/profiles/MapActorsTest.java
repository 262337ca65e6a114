package io.fraudbatch.jobs.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class MapActorsTest {
  private static final long MB = 1L << 20;

  @Test
  void theInMapperLimitFollowsTheTasksHeap() {
    Configuration conf = new Configuration(false);
    assertThat(MapReduceProfiles.mapActors(conf, 1536 * MB)).isEqualTo(24_576);
    assertThat(MapReduceProfiles.mapActors(conf, 6144 * MB)).isEqualTo(98_304);
    // a small task keeps a working minimum; a huge one stays bounded
    assertThat(MapReduceProfiles.mapActors(conf, 16 * MB)).isEqualTo(1_000);
    assertThat(MapReduceProfiles.mapActors(conf, 64L * 1024 * MB)).isEqualTo(200_000);
  }

  @Test
  void aLimitGivenInTheConfigurationWins() {
    Configuration conf = new Configuration(false);
    conf.setInt(MapReduceProfiles.MAP_ACTORS, 500);
    assertThat(MapReduceProfiles.mapActors(conf, 6144 * MB)).isEqualTo(500);
  }
}
