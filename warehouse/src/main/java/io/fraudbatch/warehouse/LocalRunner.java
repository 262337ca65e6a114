package io.fraudbatch.warehouse;

import java.util.Locale;
import org.apache.hadoop.conf.Configuration;

/**
 * Settings for MapReduce's local runner, where every task runs in the one JVM of the job: task
 * slots follow the cores, and the heap is divided among the tasks that share it.
 *
 * <p>Hadoop sizes each task's memory as if it had a JVM of its own: a reducer's shuffle takes 70%
 * of the heap ({@code mapreduce.reduce.shuffle.input.buffer.percent}), so two reducers side by side
 * asked for 140% of it and the profile job died in the shuffle ({@code OutOfMemoryError}) at 20M
 * events under a 1.5 GB heap. Here all reducers together take at most a quarter of it (half still
 * ran out at 20M events).
 */
public final class LocalRunner {
  static final String MAPS = "mapreduce.local.map.tasks.maximum";
  static final String REDUCES = "mapreduce.local.reduce.tasks.maximum";
  static final String SHUFFLE_BUFFER = "mapreduce.reduce.shuffle.input.buffer.percent";

  /** The share of the heap all concurrent reducers' shuffle buffers may take together. */
  static final double SHUFFLE_SHARE = 0.25;

  private LocalRunner() {}

  public static boolean isLocal(Configuration conf) {
    return "local".equals(conf.get("mapreduce.framework.name", "local"));
  }

  /**
   * On the local runner: one map and one reduce slot per core, shuffle buffers that fit together.
   */
  public static void configure(Configuration conf) {
    if (!isLocal(conf)) {
      return;
    }
    int cores = Runtime.getRuntime().availableProcessors();
    conf.setIfUnset(MAPS, Integer.toString(cores));
    conf.setIfUnset(REDUCES, Integer.toString(cores));
    // mapred-default.xml sets 0.70, so "unset" means: given by no one but Hadoop's defaults.
    if (onlyDefault(conf, SHUFFLE_BUFFER)) {
      conf.set(
          SHUFFLE_BUFFER,
          String.format(Locale.ROOT, "%.3f", SHUFFLE_SHARE / Math.max(1, conf.getInt(REDUCES, 1))));
    }
  }

  /** Whether {@code key} is absent or comes only from a Hadoop {@code *-default.xml}. */
  static boolean onlyDefault(Configuration conf, String key) {
    String[] sources = conf.getPropertySources(key);
    if (conf.get(key) == null || sources == null) {
      return true;
    }
    for (String s : sources) {
      if (!s.endsWith("-default.xml")) {
        return false;
      }
    }
    return true;
  }
}
