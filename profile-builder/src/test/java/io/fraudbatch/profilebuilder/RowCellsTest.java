package io.fraudbatch.profilebuilder;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudbatch.core.hbase.HBaseSchema;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.apache.hadoop.hbase.KeyValue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RowCellsTest {

  /**
   * The bytes the load writes into its buffer, and the cells the MapReduce generator takes, are
   * HBase's KeyValues of the layout, one after another, at any offset, for values of any length (a
   * part of a longer array: the reader's buffer).
   */
  @ParameterizedTest
  @EnumSource(RowCells.class)
  void writtenCellsAreTheBuiltCellsBytes(RowCells layout) {
    SplittableRandom rnd = new SplittableRandom(11);
    for (int i = 0; i < 500; i++) {
      byte[] row =
          layout == RowCells.PROFILES
              ? HBaseSchema.profileRow("actor-" + rnd.nextInt() + "-é")
              : HBaseSchema.contextRow("ip", "10.0." + rnd.nextInt(256) + ".1");
      int vlen = rnd.nextInt(i < 5 ? 3 : 2000);
      byte[] buffer = new byte[vlen + rnd.nextInt(64)];
      for (int b = 0; b < buffer.length; b++) {
        buffer[b] = (byte) rnd.nextInt();
      }
      long ts = rnd.nextLong(0, Long.MAX_VALUE);

      // The cells of HBaseSchema's layouts, built by HBase's own KeyValue constructor.
      byte[] value = java.util.Arrays.copyOf(buffer, vlen);
      KeyValue[] built =
          layout == RowCells.PROFILES
              ? new KeyValue[] {
                new KeyValue(row, HBaseSchema.BATCH, HBaseSchema.PROFILE, ts, value),
                new KeyValue(
                    row,
                    HBaseSchema.BATCH,
                    HBaseSchema.WATERMARK,
                    ts,
                    org.apache.hadoop.hbase.util.Bytes.toBytes(ts))
              }
              : new KeyValue[] {
                new KeyValue(row, HBaseSchema.BATCH, HBaseSchema.CONTEXT, ts, value)
              };
      ByteArrayOutputStream want = new ByteArrayOutputStream();
      for (KeyValue kv : built) {
        want.write(kv.getBuffer(), kv.getOffset(), kv.getLength());
      }
      assertThat(layout.cells(row, value, ts)).containsExactly(built);
      int off = rnd.nextInt(100);
      byte[] dst = new byte[off + layout.cellsLength(row.length, vlen) + 7];
      int end = layout.writeCells(dst, off, row, buffer, vlen, ts);

      assertThat(end - off).isEqualTo(want.size()).isEqualTo(layout.cellsLength(row.length, vlen));
      assertThat(java.util.Arrays.copyOfRange(dst, off, end)).isEqualTo(want.toByteArray());
      assertThat(dst[end]).isZero(); // nothing written past the end
    }
  }

  /**
   * A row key keeps the actorId's bytes after the digest prefix, row after row, thread by thread.
   */
  @ParameterizedTest
  @EnumSource(value = RowCells.class, names = "PROFILES")
  void profileRowKeysAreStableAcrossCallsAndThreads(RowCells layout) throws Exception {
    byte[][] keys = {"C0000012345".getBytes(StandardCharsets.UTF_8)};
    byte[] first = layout.row(keys);
    byte[][] other = new byte[1][];
    Thread t = new Thread(() -> other[0] = layout.row(keys));
    t.start();
    t.join();
    assertThat(layout.row(keys)).isEqualTo(first).isEqualTo(other[0]);
    assertThat(HBaseSchema.actorOf(first)).isEqualTo("C0000012345");
    assertThat(layout.row(new byte[][] {"C0000012346".getBytes(StandardCharsets.UTF_8)}))
        .isNotEqualTo(first);
  }
}
