package io.fraudbatch.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopCodecs;
import org.junit.jupiter.api.Test;

class PageCodecsTest {
  /** Half random, half runs: a page that compresses, and not to nothing. */
  private static byte[] page(int n) {
    SplittableRandom rnd = new SplittableRandom(n);
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i % 512 < 256 ? rnd.nextInt(256) : i / 512);
    }
    return b;
  }

  /** The page as parquet-mr's own compressor writes it (ZSTD: its stream, one frame). */
  private static BytesInput compressed(byte[] page, CompressionCodecName codec) throws IOException {
    CompressionCodecFactory mr = HadoopCodecs.newFactory(new Configuration(), 0);
    try {
      return BytesInput.copy(mr.getCompressor(codec).compress(BytesInput.from(page)));
    } finally {
      mr.release();
    }
  }

  @Test
  void givesParquetMrsBytesInOneArrayOfThePagesSize() throws IOException {
    PageCodecs codecs = new PageCodecs(new Configuration());
    CompressionCodecFactory mr = HadoopCodecs.newFactory(new Configuration(), 0);
    try {
      for (int n : new int[] {0, 1, 700, 1 << 20, (1 << 20) + 13}) {
        byte[] page = page(n);
        BytesInput z = compressed(page, CompressionCodecName.ZSTD);
        BytesInput ours = codecs.getDecompressor(CompressionCodecName.ZSTD).decompress(z, n);
        BytesInput theirs = mr.getDecompressor(CompressionCodecName.ZSTD).decompress(z, n);
        assertThat(ours.toByteArray()).isEqualTo(page).isEqualTo(theirs.toByteArray());
        // PageColumn takes the array as it is: no copy.
        ByteBuffer b = ours.toByteBuffer();
        assertThat(PageColumn.array(ours)).isSameAs(b.array()).hasSize(n);

        // The ByteBuffer form (parquet-mr's direct path) fills the output from its position.
        ByteBuffer out = ByteBuffer.allocate(n + 3);
        out.position(3);
        ByteBuffer in = ByteBuffer.wrap(z.toByteArray());
        codecs.getDecompressor(CompressionCodecName.ZSTD).decompress(in, in.remaining(), out, n);
        assertThat(out.position()).isEqualTo(n + 3);
        assertThat(java.util.Arrays.copyOfRange(out.array(), 3, n + 3)).isEqualTo(page);
      }
    } finally {
      codecs.release();
      mr.release();
    }
  }

  @Test
  void refusesAPageOfAnotherSizeThanItsHeaderOrCut() throws IOException {
    PageCodecs codecs = new PageCodecs(new Configuration());
    try {
      byte[] page = page(5000);
      BytesInput z = compressed(page, CompressionCodecName.ZSTD);
      CompressionCodecFactory.BytesInputDecompressor d =
          codecs.getDecompressor(CompressionCodecName.ZSTD);
      assertThatThrownBy(() -> d.decompress(z, 4999))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("ZSTD");
      assertThatThrownBy(() -> d.decompress(z, 5001))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("not the 5001 its header says");
      // A cut frame. (Changed bytes inside a frame may decode to other bytes without a word, as
      // they would through parquet-mr's codec: the page CRC the readers check is the guard.)
      byte[] cut = java.util.Arrays.copyOf(z.toByteArray(), (int) z.size() / 2);
      assertThatThrownBy(() -> d.decompress(BytesInput.from(cut), 5000))
          .isInstanceOf(IOException.class);
      // The context outlives a refused page.
      assertThat(d.decompress(z, 5000).toByteArray()).isEqualTo(page);
    } finally {
      codecs.release();
    }
  }

  @Test
  void leavesOtherCodecsToParquetMr() throws IOException {
    PageCodecs codecs = new PageCodecs(new Configuration());
    try {
      byte[] page = page(3000);
      BytesInput snappy = compressed(page, CompressionCodecName.SNAPPY);
      assertThat(
              codecs
                  .getDecompressor(CompressionCodecName.SNAPPY)
                  .decompress(snappy, page.length)
                  .toByteArray())
          .isEqualTo(page);
    } finally {
      codecs.release();
    }
  }
}
