package io.fraudbatch.profilebuilder;

import io.fraudbatch.core.FraudBatchException;
import io.fraudbatch.core.cli.Cli;
import io.fraudbatch.core.hbase.HBaseSchema;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.conf.Configured;
import org.apache.hadoop.hbase.HBaseConfiguration;
import org.apache.hadoop.util.Tool;
import org.apache.hadoop.util.ToolRunner;
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
    System.exit(ToolRunner.run(new Configuration(), new ProfileBuilder(), args));
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

  /** The HBase client configuration: the Tool's (with -D, -conf) plus --zookeeper. */
  Configuration hbaseConf() {
    Configuration conf =
        HBaseConfiguration.create(getConf() == null ? new Configuration() : getConf());
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
