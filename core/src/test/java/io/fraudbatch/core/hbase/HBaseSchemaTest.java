package io.fraudbatch.core.hbase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudbatch.core.FraudBatchException;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class HBaseSchemaTest {
  @Test
  void rowKeysArePrefixedWithTheMd5OfTheActorAndDecodeBack() {
    byte[] row = HBaseSchema.profileRow("C9E3F5185079BC9A");
    assertThat(HexFormat.of().formatHex(row, 0, 2))
        .isEqualTo(
            HexFormat.of()
                .formatHex(
                    md5("C9E3F5185079BC9A".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                    0,
                    2));
    assertThat(new String(row, 2, row.length - 2, java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("C9E3F5185079BC9A");
    assertThat(HBaseSchema.actorOf(row)).isEqualTo("C9E3F5185079BC9A");
    assertThat(HBaseSchema.actorOf(HBaseSchema.profileRow("acteur-é"))).isEqualTo("acteur-é");
    byte[] forged = row.clone();
    forged[0] ^= 1;
    assertThatThrownBy(() -> HBaseSchema.actorOf(forged)).isInstanceOf(FraudBatchException.class);
    assertThatThrownBy(() -> HBaseSchema.actorOf(HBaseSchema.META_ROW))
        .isInstanceOf(FraudBatchException.class);
    assertThatThrownBy(() -> HBaseSchema.profileRow("")).isInstanceOf(FraudBatchException.class);
  }

  @Test
  void prefixesSpreadActorsEvenlyOverPreSplitRegions() {
    byte[][] splits = HBaseSchema.splits(16);
    assertThat(splits).hasNumberOfRows(15);
    assertThat(splits[0]).containsExactly(0x10, 0x00);
    assertThat(splits[14]).containsExactly((byte) 0xF0, 0x00);
    assertThat(HBaseSchema.splits(1)).isEmpty();
    int[] perRegion = new int[16];
    for (int i = 0; i < 32_000; i++) {
      byte[] row = HBaseSchema.profileRow(String.format("C%015X", i)); // sequential ids
      int region = 0;
      while (region < splits.length && Arrays.compareUnsigned(row, splits[region]) >= 0) {
        region++;
      }
      perRegion[region]++;
    }
    // 2,000 expected per region; sequential ids must not pile up in one.
    assertThat(Arrays.stream(perRegion).min().getAsInt()).isGreaterThan(1_800);
    assertThat(Arrays.stream(perRegion).max().getAsInt()).isLessThan(2_200);
    // The meta row sorts before every actor row and equals none.
    assertThat(Arrays.compareUnsigned(HBaseSchema.META_ROW, HBaseSchema.profileRow("a")))
        .isNegative();
  }

  static byte[] md5(byte[] b) {
    try {
      return java.security.MessageDigest.getInstance("MD5").digest(b);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
