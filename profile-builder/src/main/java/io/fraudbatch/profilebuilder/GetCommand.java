package io.fraudbatch.profilebuilder;

import io.fraudbatch.avro.ActorProfile;
import io.fraudbatch.avro.RiskContext;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.hadoop.hbase.client.Connection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code profile get ACTOR}: prints what the online tier reads for an actor (or a key). */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
      "Prints an actor's batch profile as the online tier reads it from HBase (JSON), or, with",
      "--context TYPE, the risk context of a region, merchant, mcc or ip24 key; with --live, the",
      "live batch view's run. Unknown actor or key: prints nothing found, exit 0."
    },
    footer = {
      "",
      "Examples:",
      "  bin/fraud-batch profile get C9E3F5185079BC9A --zookeeper 127.0.0.1:2181",
      "  bin/fraud-batch profile get --context merchant M89B916E5BE --zookeeper 127.0.0.1:2181",
      "  bin/fraud-batch profile get --live --zookeeper 127.0.0.1:2181"
    })
final class GetCommand implements Callable<Integer> {
  @ParentCommand ProfileBuilder parent;

  @Parameters(arity = "0..1", paramLabel = "KEY", description = "The actorId (or the key).")
  String key;

  @Option(
      names = "--context",
      paramLabel = "TYPE",
      description = "Read the risk context of KEY of this type (region, merchant, mcc, ip24).")
  String context;

  @Option(names = "--live", description = "Print the live batch view's run.")
  boolean live;

  @Override
  public Integer call() throws Exception {
    try (Connection c = parent.connect()) {
      ProfileStore store = new ProfileStore(c, parent.namespace);
      if (live) {
        Optional<ProfileStore.LiveRun> r = store.live();
        parent.out.println(
            r.map(
                    x ->
                        "live batch view: run "
                            + x.runId()
                            + ", profiles as of "
                            + x.asOf()
                            + ", complete up to "
                            + Instant.ofEpochMilli(x.watermark())
                            + "\n"
                            + x.record())
                .orElse("no batch view loaded yet"));
        return 0;
      }
      if (key == null) {
        throw new io.fraudbatch.core.FraudBatchException(
            "Cannot get: name an actorId (or --context TYPE KEY, or --live)");
      }
      if (context != null) {
        Optional<RiskContext> r = store.riskContext(context, key);
        parent.out.println(
            r.map(Object::toString).orElse("no risk context for " + context + " " + key));
        return 0;
      }
      Optional<ProfileStore.BatchView> v = store.view(key);
      if (v.isEmpty()) {
        parent.out.println("no profile for actor " + key);
        return 0;
      }
      ActorProfile p = v.get().profile();
      parent.out.println("batch view complete up to " + Instant.ofEpochMilli(v.get().watermark()));
      parent.out.println(p);
      return 0;
    }
  }
}
