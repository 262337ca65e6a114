package io.fraudbatch.warehouse;

import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * The HDFS client a job writes its files with: the client's own configuration, except how soon it
 * asks the NameNode again to close a file.
 *
 * <p>Closing an HDFS file asks the NameNode to complete it; the NameNode says no until a DataNode
 * has reported the file's last block, which it does just after acknowledging the data to the
 * client, so the first ask often comes too early. The client then sleeps {@value
 * #INITIAL_DELAY_KEY} (400 ms by default) and doubles it for each of {@value #RETRIES_KEY} (5)
 * retries. A job that writes a few files in a row (HFiles, then its lease, intent and manifest)
 * waited 400 ms for most of them: seven such sleeps in a 10 s bulk load of 1M profiles on an HBase
 * mini cluster (five of its eight HFiles, on its two writing threads, and two of its commit files).
 * Here the first retry comes after {@value #QUICK_DELAY_MS} ms and there are more retries, so that
 * the client waits as long as the default in total ({@link #patienceMs}) before it gives up on a
 * file.
 *
 * <p>Values the user set ({@code -D}, a site file) are kept, unless they are hdfs-client's own
 * defaults.
 */
public final class HdfsClient {
  /** hdfs-client's {@code HdfsClientConfigKeys.BlockWrite} keys (not a dependency here). */
  static final String INITIAL_DELAY_KEY =
      "dfs.client.block.write.locateFollowingBlock.initial.delay.ms";

  static final String RETRIES_KEY = "dfs.client.block.write.locateFollowingBlock.retries";

  /** hdfs-client's defaults of those keys. */
  static final int DEFAULT_DELAY_MS = 400;

  static final int DEFAULT_RETRIES = 5;

  /** The first wait before asking again; doubled on each retry. */
  static final int QUICK_DELAY_MS = 25;

  /** Retries from {@link #QUICK_DELAY_MS} that wait at least as long as the default's. */
  static final int QUICK_RETRIES = 9;

  private HdfsClient() {}

  /**
   * {@code conf} with the quick retries of a file close, unless either key holds another value than
   * hdfs-client's default; changes and returns {@code conf}.
   */
  public static Configuration quickClose(Configuration conf) {
    if (!setByUser(conf, INITIAL_DELAY_KEY, DEFAULT_DELAY_MS)
        && !setByUser(conf, RETRIES_KEY, DEFAULT_RETRIES)) {
      conf.setInt(INITIAL_DELAY_KEY, QUICK_DELAY_MS);
      conf.setInt(RETRIES_KEY, QUICK_RETRIES);
    }
    return conf;
  }

  /**
   * A filesystem of its own for {@code uri} with {@link #quickClose} settings: a cached instance
   * may have been created with other settings (by HBase, in the same JVM), and the client reads
   * them once. The caller closes it.
   */
  public static FileSystem open(URI uri, Configuration conf) throws IOException {
    return FileSystem.newInstance(uri, quickClose(conf));
  }

  /** Milliseconds the client sleeps in all before giving up on closing a file. */
  static long patienceMs(int delayMs, int retries) {
    long total = 0;
    long d = delayMs;
    for (int i = 0; i < retries; i++) {
      total += d;
      d *= 2;
    }
    return total;
  }

  /**
   * Whether {@code key} holds another value than hdfs-client's default. (Where a value came from
   * does not tell: HBase's and MapReduce's configuration copies set every key, defaults included.)
   */
  private static boolean setByUser(Configuration conf, String key, int clientDefault) {
    String v = conf.getTrimmed(key);
    return v != null && !v.equals(Integer.toString(clientDefault));
  }
}
