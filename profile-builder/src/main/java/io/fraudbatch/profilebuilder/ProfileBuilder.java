package io.fraudbatch.profilebuilder;

import io.fraudbatch.core.FraudBatchException;
import io.fraudbatch.core.cli.Cli;
import io.fraudbatch.core.hbase.HBaseSchema;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.conf.Configured;
import org.apache.hadoop.util.Tool;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** profile-builder's command line: {@code load} and {@code get}. */
@Command(
    name = "profile",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    subcommands = {LoadCommand.class, GetCommand.class},
    description = {
      "Profile and risk-context snapshots into HBase for the online tier, and what it reads back.",
      "HBase is found through hbase-site.xml on the classpath, -conf FILE, -D keys or --zookeeper."
    })
public final class ProfileBuilder extends Configured implements Tool, Callable<Integer> {
  @Option(
      names = "--zookeeper",
      scope = CommandLine.ScopeType.INHERIT,
      paramLabel = "HOST:PORT[,HOST:PORT]",
      description = "ZooKeeper quorum of the HBase cluster (default: from hbase-site.xml).")
  String zookeeper;

  @Option(
      names = "--namespace",
      scope = CommandLine.ScopeType.INHERIT,
      description = "HBase namespace of the tables (default: ${DEFAULT-VALUE}).",
      defaultValue = HBaseSchema.DEFAULT_NAMESPACE)
  String namespace;

  PrintStream out = System.out;
  PrintStream err = System.err;

  public static void main(String[] args) throws Exception {
    System.exit(
        io.fraudbatch.warehouse.ToolMain.run(
            "profile-builder", new ProfileBuilder(), args, System.err));
  }

  @Override
  public int run(String[] args) {
    return Cli.execute(this, "profile", err, args);
  }

  @Override
  public Integer call() {
    new CommandLine(this).usage(out);
    return Cli.USAGE;
  }

  /**
   * A connection to HBase, after checking that one of the ZooKeeper servers answers at all (the
   * HBase client would otherwise retry for minutes before saying anything useful).
   */
  org.apache.hadoop.hbase.client.Connection connect() throws java.io.IOException {
    Configuration conf = hbaseConf();
    String quorum = conf.get("hbase.zookeeper.quorum", "localhost");
    int port = conf.getInt("hbase.zookeeper.property.clientPort", 2181);
    List<String> tried = new ArrayList<>();
    for (String h : quorum.split(",")) {
      String host = h.trim();
      int p = port;
      int colon = host.lastIndexOf(':');
      if (colon > 0) {
        p = Integer.parseInt(host.substring(colon + 1));
        host = host.substring(0, colon);
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(host, p), 3_000);
        return org.apache.hadoop.hbase.client.ConnectionFactory.createConnection(conf);
      } catch (java.io.IOException e) {
        tried.add(host + ":" + p + " (" + e.getMessage() + ")");
      }
    }
    throw new FraudBatchException(
        "Cannot reach HBase's ZooKeeper at "
            + String.join(", ", tried)
            + ". Is HBase running? Start a local one with 'bin/fraud-batch hbase', or point to"
            + " yours with --zookeeper HOST:PORT or an hbase-site.xml (-conf FILE).");
  }

  /** The HBase client configuration: the Tool's (with -D, -conf) plus --zookeeper. */
  Configuration hbaseConf() {
    Configuration conf = LoadCommand.hbase(getConf() == null ? new Configuration() : getConf());
    if (zookeeper != null) {
      StringBuilder hosts = new StringBuilder();
      String port = null;
      for (String hp : zookeeper.split(",")) {
        int colon = hp.lastIndexOf(':');
        FraudBatchException.check(
            colon > 0 && colon < hp.length() - 1,
            "--zookeeper takes HOST:PORT[,HOST:PORT...] (got %s)",
            zookeeper);
        String p = hp.substring(colon + 1);
        FraudBatchException.check(
            port == null || port.equals(p), "--zookeeper: all hosts must share one port");
        port = p;
        hosts.append(hosts.length() == 0 ? "" : ",").append(hp, 0, colon);
      }
      conf.set("hbase.zookeeper.quorum", hosts.toString());
      conf.set("hbase.zookeeper.property.clientPort", port);
    }
    return conf;
  }
}
