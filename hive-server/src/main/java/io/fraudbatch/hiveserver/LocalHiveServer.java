package io.fraudbatch.hiveserver;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.hadoop.hive.conf.HiveConf;
import org.apache.hive.service.server.HiveServer2;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A HiveServer2 for one machine (the embedded default): HiveServer2 4.0.1 with an embedded Derby
 * metastore under {@code --dir}, local MapReduce, no authentication, bound to 127.0.0.1, until
 * stopped (Ctrl-C, SIGTERM). What a cluster's HiveServer2 does for the analysts, without a cluster;
 * not for production.
 */
@Command(
    name = "hive server",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
      "Runs a local HiveServer2 (embedded Derby metastore under --dir, local MapReduce, bound to",
      "127.0.0.1, no authentication) until stopped. Prints the JDBC URL for beeline and 'hive apply'."
    },
    footer = {
      "",
      "Example:",
      "  bin/fraud-batch hive server --dir ./fraud-data/hive --port 10000 &",
      "  bin/fraud-batch hive apply --url jdbc:hive2://127.0.0.1:10000/default --root ./fraud-data"
    })
public final class LocalHiveServer implements Callable<Integer> {
  @Option(
      names = "--dir",
      description = "Metastore and scratch directory (default: ${DEFAULT-VALUE}).")
  String dir = "./fraud-data/hive";

  @Option(
      names = "--port",
      description =
          "Thrift (JDBC) port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port = 10000;

  @Option(
      names = "--ready-file",
      description = "Write the JDBC URL to this file once HiveServer2 accepts connections.")
  String readyFile;

  @Option(
      names = "--start-timeout",
      description =
          "Seconds to wait for HiveServer2 to accept connections (default: ${DEFAULT-VALUE}).")
  int startTimeoutSeconds = 300;

  PrintStream out = System.out;

  public static void main(String[] args) {
    CommandLine cl = new CommandLine(new LocalHiveServer());
    cl.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          System.err.println("hive server: " + e.getMessage());
          return 1;
        });
    int rc = cl.execute(args);
    System.exit(rc);
  }

  /**
   * The hive-site.xml settings of a HiveServer2 on {@code port} with its state under {@code dir}.
   */
  static Map<String, String> settings(Path dir, int port) {
    Map<String, String> s = new LinkedHashMap<>();
    // Real paths, not ${…}: the metastore reads them unexpanded (docs/STACK.md).
    s.put(
        "javax.jdo.option.ConnectionURL",
        "jdbc:derby:;databaseName=" + dir.resolve("metastore_db") + ";create=true");
    s.put("javax.jdo.option.ConnectionDriverName", "org.apache.derby.jdbc.EmbeddedDriver");
    s.put("datanucleus.schema.autoCreateAll", "true");
    s.put("hive.metastore.schema.verification", "false");
    s.put("metastore.schema.verification", "false");
    s.put("hive.metastore.uris", "");
    s.put("metastore.thrift.uris", "");
    s.put("hive.metastore.warehouse.dir", dir.resolve("warehouse").toUri().toString());
    s.put("metastore.warehouse.dir", dir.resolve("warehouse").toUri().toString());
    s.put("hive.metastore.warehouse.external.dir", dir.resolve("external").toUri().toString());
    s.put("hive.metastore.try.direct.sql", "false");
    s.put("metastore.try.direct.sql", "false");
    s.put("hive.server2.enable.doAs", "false");
    s.put("hive.server2.authentication", "NONE");
    s.put("hive.server2.thrift.bind.host", "127.0.0.1");
    s.put("hive.server2.thrift.port", Integer.toString(port));
    s.put("hive.server2.transport.mode", "binary");
    s.put("hive.server2.webui.port", "-1");
    s.put("hive.server2.active.passive.ha.enable", "false");
    s.put("hive.execution.engine", "mr");
    s.put("mapreduce.framework.name", "local");
    s.put("fs.defaultFS", "file:///");
    s.put("hive.exec.scratchdir", dir.resolve("scratch").toString());
    s.put("hive.exec.local.scratchdir", dir.resolve("local-scratch").toString());
    s.put("hive.downloaded.resources.dir", dir.resolve("resources").toString());
    s.put("hive.querylog.location", dir.resolve("querylog").toString());
    s.put("hive.server2.logging.operation.log.location", dir.resolve("operation-logs").toString());
    s.put("mapreduce.cluster.local.dir", dir.resolve("mr-local").toString());
    s.put("hadoop.tmp.dir", dir.resolve("hadoop-tmp").toString());
    s.put("hive.support.concurrency", "false");
    s.put("hive.stats.autogather", "false");
    s.put("hive.stats.column.autogather", "false");
    // Column statistics are never computed here (ANALYZE … COMPUTE STATISTICS: basic stats only),
    // and asking the metastore for them without direct SQL logs "Jdo path is not implemented for
    // stats aggr" at ERROR on every planned query.
    s.put("hive.stats.fetch.column.stats", "false");
    s.put("hive.exec.mode.local.auto", "false");
    // Map joins build their hash table in a local task; in a child JVM it would need bin/hadoop.
    s.put("hive.exec.submit.local.task.via.child", "false");
    s.put("hive.exec.submitviachild", "false");
    // Timestamps are UTC instants (ARCHITECTURE.md): show them in UTC whatever the host's zone.
    s.put("hive.local.time.zone", "UTC");
    // Small data on 2 cores: one reducer per query is enough and starts fastest.
    s.put("mapreduce.job.reduces", "1");
    s.put("hive.exec.reducers.max", "1");
    return s;
  }

  static String siteXml(Map<String, String> settings) {
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<configuration>\n");
    settings.forEach(
        (k, v) ->
            xml.append("  <property><name>")
                .append(k)
                .append("</name><value>")
                .append(v.replace("&", "&amp;").replace("<", "&lt;"))
                .append("</value></property>\n"));
    return xml.append("</configuration>\n").toString();
  }

  @Override
  public Integer call() throws Exception {
    Path d = Path.of(dir).toAbsolutePath().normalize();
    try {
      Files.createDirectories(d.resolve("conf"));
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot create " + d + ": " + e.getMessage() + "; pass a writable --dir");
    }
    if (!Files.isWritable(d)) {
      throw new IllegalStateException(d + " is not writable; pass a writable --dir");
    }
    // One server per directory: Derby's embedded metastore admits one JVM, and says so unclearly.
    FileChannel lockFile =
        FileChannel.open(
            d.resolve("server.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock = lockFile.tryLock();
    if (lock == null) {
      throw new IllegalStateException(
          "another hive server is running on "
              + d
              + " (its metastore admits one process); stop it or pass another --dir");
    }
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", port));
      port = s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(
          "port "
              + port
              + " on 127.0.0.1 is in use (another HiveServer2?). Stop it or pass --port (0 = any free).");
    }
    long t0 = System.currentTimeMillis();
    Path site = d.resolve("conf/hive-site.xml");
    Files.writeString(site, siteXml(settings(d, port)));
    // HiveServer2 builds fresh HiveConfs everywhere: the site file must be named before the first.
    HiveConf.setHiveSiteLocation(site.toUri().toURL());
    System.setProperty("derby.system.home", d.toString());
    System.setProperty("derby.stream.error.file", d.resolve("derby.log").toString());
    HiveServer2 server = new HiveServer2();
    server.init(new HiveConf());
    server.start();
    waitForPort(port, startTimeoutSeconds);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, stopped)));
    String url = "jdbc:hive2://127.0.0.1:" + port + "/default";
    if (readyFile != null) {
      Path tmp = Path.of(readyFile + ".tmp");
      Files.writeString(tmp, url + "\n");
      Files.move(tmp, Path.of(readyFile), StandardCopyOption.ATOMIC_MOVE);
    }
    out.printf(
        "hive server: ready in %.1f s: --url %s (metastore under %s; Ctrl-C stops it)%n",
        (System.currentTimeMillis() - t0) / 1000.0, url, d);
    out.flush();
    stopped.await();
    return 0;
  }

  private static void waitForPort(int port, int timeoutSeconds) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutSeconds * 1000L;
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        return;
      } catch (IOException e) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException(
              "HiveServer2 does not accept connections on port "
                  + port
                  + " after "
                  + timeoutSeconds
                  + " s; see its log above");
        }
        Thread.sleep(250);
      }
    }
  }

  /** HiveServer2.stop() can hang on its thread pools: give it ten seconds, then let the JVM go. */
  private static void stop(HiveServer2 server, CountDownLatch stopped) {
    Thread t = new Thread(server::stop, "hs2-stop");
    t.setDaemon(true);
    t.start();
    try {
      t.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      stopped.countDown();
    }
  }
}
