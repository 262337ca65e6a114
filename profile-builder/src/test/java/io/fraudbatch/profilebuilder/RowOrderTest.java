package io.fraudbatch.profilebuilder;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.hadoop.hbase.util.Bytes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RowOrderTest {
  /**
   * Keys of every shape the load sees: random bytes (high bits set: unsigned order), ids sharing a
   * long prefix (ties on the first 16 bytes, in runs short and long), keys that are prefixes of
   * others, a zero byte where padding would be: the order is the byte order of the whole keys.
   */
  @ParameterizedTest
  @CsvSource({"0, 2000", "1, 2000", "2, 2000", "3, 2000", "4, 1", "0, 0"})
  void ordersRowsAsTheirWholeKeys(int shape, int n) {
    SplittableRandom rnd = new SplittableRandom(42 + shape);
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] k =
          switch (shape) {
            case 0 -> {
              byte[] b = new byte[1 + rnd.nextInt(24)];
              for (int j = 0; j < b.length; j++) {
                b[j] = (byte) rnd.nextInt(256);
              }
              yield b;
            }
            // Two hash bytes of a few values, then zero-padded numbers: long runs of ties.
            case 1 ->
                Bytes.add(
                    new byte[] {(byte) rnd.nextInt(3), (byte) 0xF0},
                    String.format("user-%025d", rnd.nextInt(1_000_000))
                        .getBytes(StandardCharsets.UTF_8));
            // Prefixes of one another, and trailing zero bytes (equal once zero-padded).
            case 2 -> {
              byte[] b = new byte[rnd.nextInt(20)];
              for (int j = 0; j < b.length; j++) {
                b[j] = (byte) (rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(2) + 'a');
              }
              yield b;
            }
            // Short runs of ties.
            case 3 ->
                Bytes.add(
                    new byte[] {(byte) rnd.nextInt(256), (byte) rnd.nextInt(256)},
                    String.format("C%015X", rnd.nextInt(5_000)).getBytes(StandardCharsets.UTF_8));
            default -> new byte[] {1, 2, 3};
          };
      keys.add(k);
    }
    long[] hi = new long[n];
    long[] lo = new long[n];
    for (int i = 0; i < n; i++) {
      hi[i] = RowOrder.word(keys.get(i), 0);
      lo[i] = RowOrder.word(keys.get(i), 8);
    }
    int[] order = RowOrder.sort(hi, lo, n, (a, b) -> Bytes.compareTo(keys.get(a), keys.get(b)));

    assertThat(order).hasSize(n);
    assertThat(Arrays.stream(order).sorted().toArray())
        .as("each row once")
        .isEqualTo(java.util.stream.IntStream.range(0, n).toArray());
    for (int i = 1; i < n; i++) {
      assertThat(Bytes.compareTo(keys.get(order[i - 1]), keys.get(order[i])))
          .as("rows %d and %d", order[i - 1], order[i])
          .isLessThanOrEqualTo(0);
    }
  }
}
