package io.fraudbatch.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class LocalRunnerTest {
  @Test
  void reducersSideBySideShareAQuarterOfTheHeap() {
    Configuration conf = new Configuration(false);
    conf.setInt(LocalRunner.MAPS, 2);
    conf.setInt(LocalRunner.REDUCES, 2);
    LocalRunner.configure(conf);
    assertThat(conf.getDouble(LocalRunner.SHUFFLE_BUFFER, 0.7)).isEqualTo(0.125);
    // as a job sees it: Hadoop's mapred-default.xml already says 0.70
    Configuration withDefaults = new Configuration(false);
    withDefaults.set(LocalRunner.SHUFFLE_BUFFER, "0.70", "mapred-default.xml");
    LocalRunner.configure(withDefaults);
    assertThat(withDefaults.getDouble(LocalRunner.SHUFFLE_BUFFER, 0.7)).isLessThan(0.2);
  }

  @Test
  void aClusterAndExplicitSettingsAreLeftAlone() {
    Configuration yarn = new Configuration(false);
    yarn.set("mapreduce.framework.name", "yarn");
    LocalRunner.configure(yarn);
    assertThat(yarn.get(LocalRunner.SHUFFLE_BUFFER)).isNull();
    Configuration given = new Configuration(false);
    given.set(LocalRunner.SHUFFLE_BUFFER, "0.6");
    LocalRunner.configure(given);
    assertThat(given.get(LocalRunner.SHUFFLE_BUFFER)).isEqualTo("0.6");
  }
}
