package io.fraudbatch.profilebuilder;

import io.fraudbatch.avro.ActorProfile;
import io.fraudbatch.avro.RiskContext;
import io.fraudbatch.core.hbase.HBaseSchema;
import java.io.IOException;
import java.util.Optional;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * What the online tier reads: an actor's batch profile, the risk context of a region, merchant or
 * IP prefix, and which batch view is live. One point get each; unknown keys give empty, not an
 * error. Thread-safe (HBase {@code Table}s are light and made per call).
 */
public final class ProfileStore {
  private final Connection connection;
  private final String namespace;

  /** A profile with the watermark its batch view is complete up to (epoch ms). */
  public record BatchView(ActorProfile profile, long watermark) {}

  /** The live batch view: the load run that wrote it, the snapshot day and its watermark. */
  public record LiveRun(String runId, String asOf, long watermark, String record) {}

  public ProfileStore(Connection connection, String namespace) {
    this.connection = connection;
    this.namespace = namespace;
  }

  /** The actor's batch profile, or empty for an actor the batch layer has not seen. */
  public Optional<ActorProfile> get(String actorId) throws IOException {
    return view(actorId).map(BatchView::profile);
  }

  /** The actor's batch profile and its watermark, or empty. */
  public Optional<BatchView> view(String actorId) throws IOException {
    Get g = new Get(HBaseSchema.profileRow(actorId)).addFamily(HBaseSchema.BATCH);
    try (Table t = connection.getTable(Tables.profiles(namespace))) {
      Result r = t.get(g);
      byte[] p = r.getValue(HBaseSchema.BATCH, HBaseSchema.PROFILE);
      if (p == null) {
        return Optional.empty();
      }
      byte[] w = r.getValue(HBaseSchema.BATCH, HBaseSchema.WATERMARK);
      return Optional.of(
          new BatchView(ActorProfile.fromByteBuffer(java.nio.ByteBuffer.wrap(p)), Bytes.toLong(w)));
    }
  }

  /**
   * The current risk context of a key ({@code region}, {@code merchant}, {@code mcc}, {@code
   * ip24}).
   */
  public Optional<RiskContext> riskContext(String keyType, String key) throws IOException {
    Get g =
        new Get(HBaseSchema.contextRow(keyType, key))
            .addColumn(HBaseSchema.BATCH, HBaseSchema.CONTEXT);
    try (Table t = connection.getTable(Tables.riskContext(namespace))) {
      byte[] c = t.get(g).getValue(HBaseSchema.BATCH, HBaseSchema.CONTEXT);
      return c == null
          ? Optional.empty()
          : Optional.of(RiskContext.fromByteBuffer(java.nio.ByteBuffer.wrap(c)));
    }
  }

  /** The live batch view, or empty before the first load. */
  public Optional<LiveRun> live() throws IOException {
    try (Table t = connection.getTable(Tables.profiles(namespace))) {
      Result r = t.get(new Get(HBaseSchema.META_ROW).addFamily(HBaseSchema.BATCH));
      if (r.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(
          new LiveRun(
              Bytes.toString(r.getValue(HBaseSchema.BATCH, HBaseSchema.RUN_ID)),
              Bytes.toString(r.getValue(HBaseSchema.BATCH, HBaseSchema.RUN_AS_OF)),
              Bytes.toLong(r.getValue(HBaseSchema.BATCH, HBaseSchema.WATERMARK)),
              Bytes.toString(r.getValue(HBaseSchema.BATCH, HBaseSchema.RUN_RECORD))));
    }
  }
}
