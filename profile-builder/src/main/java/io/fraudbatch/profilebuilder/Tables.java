package io.fraudbatch.profilebuilder;

import io.fraudbatch.core.FraudBatchException;
import io.fraudbatch.core.hbase.HBaseSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.hbase.NamespaceDescriptor;
import org.apache.hadoop.hbase.NamespaceNotFoundException;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.ColumnFamilyDescriptor;
import org.apache.hadoop.hbase.client.ColumnFamilyDescriptorBuilder;
import org.apache.hadoop.hbase.client.TableDescriptor;
import org.apache.hadoop.hbase.client.TableDescriptorBuilder;
import org.apache.hadoop.hbase.io.compress.Compression;
import org.apache.hadoop.hbase.io.encoding.DataBlockEncoding;
import org.apache.hadoop.hbase.regionserver.BloomType;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * Creates the profiles and risk-context tables when absent and refuses, with the reason, a table
 * whose layout is not ours.
 *
 * <p>Family {@code b} (the batch view, point gets by row key): a ROW bloom filter (a get for an
 * unknown actor skips the file), ROW_INDEX_V1 block encoding (binary search inside a block instead
 * of a scan from its start), 16 KB blocks (a get reads less), the chosen compression, 2 versions
 * (the previous batch view stays readable for a rollback), no TTL (every load rewrites every
 * actor). Family {@code r} (the online tier's deltas since the batch watermark): 1 version, a 7-day
 * TTL.
 */
public final class Tables {
  private Tables() {}

  static final int BLOCK_SIZE = 16 * 1024;
  static final int REALTIME_TTL_SECONDS = 7 * 24 * 3600;

  public static TableName profiles(String namespace) {
    return TableName.valueOf(namespace, HBaseSchema.PROFILES_TABLE);
  }

  public static TableName riskContext(String namespace) {
    return TableName.valueOf(namespace, HBaseSchema.RISK_CONTEXT_TABLE);
  }

  static ColumnFamilyDescriptor batchFamily(Compression.Algorithm compression) {
    return ColumnFamilyDescriptorBuilder.newBuilder(HBaseSchema.BATCH)
        .setBloomFilterType(BloomType.ROW)
        .setDataBlockEncoding(DataBlockEncoding.ROW_INDEX_V1)
        .setBlocksize(BLOCK_SIZE)
        .setCompressionType(compression)
        .setMaxVersions(2)
        .build();
  }

  static ColumnFamilyDescriptor realtimeFamily(Compression.Algorithm compression) {
    return ColumnFamilyDescriptorBuilder.newBuilder(HBaseSchema.REALTIME)
        .setBloomFilterType(BloomType.ROW)
        .setCompressionType(compression)
        .setMaxVersions(1)
        .setTimeToLive(REALTIME_TTL_SECONDS)
        .build();
  }

  /** Creates the profiles table pre-split into {@code regions}, or checks the existing one. */
  public static boolean ensureProfiles(
      Admin admin, String namespace, int regions, Compression.Algorithm compression)
      throws IOException {
    TableDescriptor want =
        TableDescriptorBuilder.newBuilder(profiles(namespace))
            .setColumnFamily(batchFamily(compression))
            .setColumnFamily(realtimeFamily(compression))
            .setValue(HBaseSchema.LAYOUT_ATTRIBUTE, HBaseSchema.PROFILES_LAYOUT)
            .build();
    return ensure(admin, want, HBaseSchema.splits(regions), HBaseSchema.PROFILES_LAYOUT);
  }

  /** Creates the risk-context table (one region: a few thousand keys), or checks it. */
  public static boolean ensureRiskContext(
      Admin admin, String namespace, Compression.Algorithm compression) throws IOException {
    TableDescriptor want =
        TableDescriptorBuilder.newBuilder(riskContext(namespace))
            .setColumnFamily(batchFamily(compression))
            .setValue(HBaseSchema.LAYOUT_ATTRIBUTE, HBaseSchema.RISK_CONTEXT_LAYOUT)
            .build();
    return ensure(admin, want, new byte[0][], HBaseSchema.RISK_CONTEXT_LAYOUT);
  }

  /**
   * @return true when the table was created
   */
  private static boolean ensure(Admin admin, TableDescriptor want, byte[][] splits, String layout)
      throws IOException {
    TableName name = want.getTableName();
    try {
      admin.getNamespaceDescriptor(name.getNamespaceAsString());
    } catch (NamespaceNotFoundException e) {
      admin.createNamespace(NamespaceDescriptor.create(name.getNamespaceAsString()).build());
    }
    if (!admin.tableExists(name)) {
      if (splits.length == 0) {
        admin.createTable(want);
      } else {
        admin.createTable(want, splits);
      }
      return true;
    }
    TableDescriptor have = admin.getDescriptor(name);
    List<String> problems = new ArrayList<>();
    String haveLayout = have.getValue(HBaseSchema.LAYOUT_ATTRIBUTE);
    if (!layout.equals(haveLayout)) {
      problems.add(
          "its "
              + HBaseSchema.LAYOUT_ATTRIBUTE
              + " is "
              + (haveLayout == null ? "not set" : "'" + haveLayout + "'")
              + ", expected '"
              + layout
              + "'");
    }
    for (ColumnFamilyDescriptor f : want.getColumnFamilies()) {
      if (!have.hasColumnFamily(f.getName())) {
        problems.add("it has no column family '" + f.getNameAsString() + "'");
      }
    }
    if (!problems.isEmpty()) {
      throw new FraudBatchException(
          "Cannot load into "
              + name
              + ": the table exists but is not laid out for profile-builder ("
              + String.join("; ", problems)
              + "). Load into another namespace (--namespace) or move the table away.");
    }
    return false;
  }

  /** The compression named on the command line (NONE, GZ, LZ4, SNAPPY, ZSTD...). */
  static Compression.Algorithm compression(String name) {
    try {
      return Compression.getCompressionAlgorithmByName(name.toLowerCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new FraudBatchException(
          "Cannot load: unknown --compression "
              + name
              + " (HBase knows: "
              + String.join(", ", Compression.getSupportedAlgorithms())
              + ")");
    }
  }

  static String describe(byte[] b) {
    return Bytes.toStringBinary(b);
  }
}
