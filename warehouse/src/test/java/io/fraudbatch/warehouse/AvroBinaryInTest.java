package io.fraudbatch.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The Avro specification's examples and the encodings a damaged record could hold. */
class AvroBinaryInTest {
  private static AvroBinaryIn in(int... bytes) {
    AvroBinaryIn in = new AvroBinaryIn();
    in.buf = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      in.buf[i] = (byte) bytes[i];
    }
    return in;
  }

  @Test
  void zigzagVarintsAsTheSpecificationGivesThem() {
    AvroBinaryIn in = in(0x00, 0x01, 0x02, 0x03, 0x04, 0x7f, 0x80, 0x01);
    for (long expected : new long[] {0, -1, 1, -2, 2, -64, 64}) {
      assertThat(in.readLong()).isEqualTo(expected);
    }
    assertThat(in.pos).isEqualTo(8);
    // Long.MIN_VALUE: ten bytes
    AvroBinaryIn min = in(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01);
    assertThat(min.readLong()).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void fixedWidthBytesBlocksAndTheirDamage() {
    AvroBinaryIn in = in(0x06, 'a', 'b', 'c', 0x03, 0x14, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f);
    assertThat(in.readConstantBinary().toStringUsingUTF8()).isEqualTo("abc");
    assertThat(in.readBlockCount()).isEqualTo(2); // -2 items, then their size in bytes
    assertThat(in.readDouble()).isEqualTo(1.0);
    assertThat(in.pos).isEqualTo(in.buf.length);

    assertThatThrownBy(() -> in(0x08, 'a').readBinary())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4 bytes announced");
    assertThatThrownBy(() -> in(0x80, 0x80, 0x80, 0x80, 0x10).readInt())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("out of range");
    assertThatThrownBy(
            () -> in(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01).readLong())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("longer than ten bytes");
    assertThatThrownBy(() -> in(0x80).readLong())
        .isInstanceOf(ArrayIndexOutOfBoundsException.class);
  }
}
