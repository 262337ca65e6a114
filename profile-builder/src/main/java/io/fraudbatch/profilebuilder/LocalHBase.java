package io.fraudbatch.profilebuilder;

import io.fraudbatch.core.FraudBatchException;
import io.fraudbatch.core.cli.Cli;
import java.io.File;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.HBaseConfiguration;
import org.apache.hadoop.hbase.LocalHBaseCluster;
import org.apache.hadoop.hbase.zookeeper.MiniZooKeeperCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * An HBase for one machine (the embedded default): HBase's own standalone mode — ZooKeeper, a
 * master and a region server in this JVM, data on the local filesystem — until stopped (Ctrl-C,
 * SIGTERM). Not for production.
 */
@Command(
    name = "hbase",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
      "Runs a local HBase (standalone mode: ZooKeeper, master and region server in one JVM, data",
      "under --dir) until stopped. Prints the --zookeeper address to give the other commands."
    },
    footer = {"", "Example:", "  bin/fraud-batch hbase --dir ./fraud-data/hbase --port 2181 &"})
public final class LocalHBase implements Callable<Integer> {
  @Option(names = "--dir", description = "Data directory (default: ./fraud-data/hbase).")
  String dir = "./fraud-data/hbase";

  @Option(
      names = "--port",
      description =
          "ZooKeeper client port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).",
      defaultValue = "2181")
  int port;

  @Option(
      names = "--ready-file",
      description = "Write HOST:PORT of ZooKeeper to this file once HBase is ready.")
  String readyFile;

  PrintStream out = System.out;

  public static void main(String[] args) {
    System.exit(Cli.execute(new LocalHBase(), "hbase", System.err, args));
  }

  /** The configuration of a standalone HBase under {@code dir} with ZooKeeper on {@code port}. */
  static Configuration conf(Path dir, int port) {
    Configuration conf = HBaseConfiguration.create();
    conf.set("hbase.cluster.distributed", "false");
    conf.set("hbase.rootdir", dir.resolve("root").toUri().toString());
    conf.set("hbase.tmp.dir", dir.resolve("tmp").toString());
    conf.set("hbase.fs.tmp.dir", dir.resolve("staging").toUri().toString());
    conf.set("hbase.zookeeper.quorum", "127.0.0.1");
    conf.setInt("hbase.zookeeper.property.clientPort", port);
    conf.set("hbase.zookeeper.property.dataDir", dir.resolve("zk").toString());
    // The local filesystem has no hflush/hsync guarantees; standalone mode accepts that.
    conf.setBoolean("hbase.unsafe.stream.capability.enforce", false);
    conf.set("hbase.wal.provider", "filesystem");
    conf.setInt("hbase.master.info.port", -1);
    conf.setInt("hbase.regionserver.info.port", -1);
    conf.setInt("hbase.master.port", 0);
    conf.setInt("hbase.regionserver.port", 0);
    return conf;
  }

  @Override
  public Integer call() throws Exception {
    Path d = Path.of(dir).toAbsolutePath();
    try {
      Files.createDirectories(d);
    } catch (java.io.IOException e) {
      throw new FraudBatchException(
          "Cannot start HBase: cannot create " + d + ": " + e.getMessage());
    }
    FraudBatchException.check(Files.isWritable(d), "Cannot start HBase: %s is not writable", d);
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", port));
      port = s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new FraudBatchException(
          "Cannot start HBase: port "
              + port
              + " on 127.0.0.1 is in use (another HBase or ZooKeeper?). Stop it or pass --port.");
    }
    long t0 = System.currentTimeMillis();
    Configuration conf = conf(d, port);
    MiniZooKeeperCluster zk = new MiniZooKeeperCluster(conf);
    zk.setDefaultClientPort(port);
    zk.startup(new File(d.resolve("zk").toString()));
    LocalHBaseCluster cluster = new LocalHBaseCluster(conf, 1, 1);
    cluster.startup();
    while (cluster.getActiveMaster() == null || !cluster.getActiveMaster().isInitialized()) {
      Thread.sleep(200);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    cluster.shutdown();
                    cluster.join();
                    zk.shutdown();
                  } catch (Exception e) {
                    System.err.println("hbase: stopping: " + e);
                  } finally {
                    stopped.countDown();
                  }
                }));
    if (readyFile != null) {
      Path tmp = Path.of(readyFile + ".tmp");
      Files.writeString(tmp, "127.0.0.1:" + port + "\n");
      Files.move(tmp, Path.of(readyFile), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
    out.printf(
        "hbase: ready in %.1f s: --zookeeper 127.0.0.1:%d (data under %s; Ctrl-C stops it)%n",
        (System.currentTimeMillis() - t0) / 1000.0, port, d);
    out.flush();
    stopped.await();
    return 0;
  }
}
