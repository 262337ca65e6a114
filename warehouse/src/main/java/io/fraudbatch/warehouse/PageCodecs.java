package io.fraudbatch.warehouse;

import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopCodecs;

/**
 * The codecs of one Parquet reader ({@code ParquetReadOptions.Builder.withCodecFactory}) for the
 * readers that decode pages with {@link PageColumn}: a ZSTD page is decompressed in one call of
 * zstd-jni into an array of the page's size, with one decompression context for the reader's life;
 * every other codec is parquet-mr's own.
 *
 * <p>Why: parquet-mr decompresses a ZSTD page through Hadoop's stream interface, into a buffer it
 * then copies whole ({@code BytesInput.copy}), and sets up a new zstd stream for every page. In a
 * 1M-profile load that was a fifth of reading the snapshot (async-profiler: the stream's set-up,
 * two page-sized allocations zeroed and one copy per page), and the pages of a snapshot are 1 MB
 * arrays, humongous objects to G1. The frames are the same, so the bytes are the same: a page that
 * decompresses to another size than its header says is refused, as parquet-mr refuses it.
 *
 * <p>Not thread-safe, as a Parquet reader is not: one instance per reader.
 */
public final class PageCodecs implements CompressionCodecFactory {
  private final CompressionCodecFactory others;
  private Zstd zstd;

  public PageCodecs(Configuration conf) {
    this.others = HadoopCodecs.newFactory(conf, 0);
  }

  @Override
  public BytesInputCompressor getCompressor(CompressionCodecName codec) {
    return others.getCompressor(codec);
  }

  @Override
  public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
    if (codec != CompressionCodecName.ZSTD) {
      return others.getDecompressor(codec);
    }
    if (zstd == null) {
      zstd = new Zstd();
    }
    return zstd;
  }

  @Override
  public void release() {
    try {
      others.release();
    } finally {
      if (zstd != null) {
        zstd.release();
        zstd = null;
      }
    }
  }

  /** ZSTD pages in one call each, through one context. */
  private static final class Zstd implements BytesInputDecompressor {
    private final ZstdDecompressCtx ctx = new ZstdDecompressCtx();

    @Override
    public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
      ByteBuffer in = bytes.toByteBuffer();
      byte[] src;
      int off;
      int len = in.remaining();
      if (in.hasArray()) {
        src = in.array();
        off = in.arrayOffset() + in.position();
      } else {
        src = new byte[len];
        in.duplicate().get(src);
        off = 0;
      }
      byte[] out = new byte[uncompressedSize];
      int n;
      try {
        n = ctx.decompressByteArray(out, 0, uncompressedSize, src, off, len);
      } catch (ZstdException e) {
        throw new IOException("a ZSTD page that does not decompress: " + e.getMessage(), e);
      }
      if (n != uncompressedSize) {
        throw new IOException(
            String.format(
                Locale.ROOT,
                "a ZSTD page of %d bytes decompressed to %d, not the %d its header says",
                len,
                n,
                uncompressedSize));
      }
      return BytesInput.from(out);
    }

    @Override
    public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int size)
        throws IOException {
      ByteBuffer in = input.duplicate();
      in.limit(in.position() + compressedSize);
      BytesInput page = decompress(BytesInput.from(in), size);
      output.put(page.toByteBuffer());
    }

    @Override
    public void release() {
      ctx.close();
    }
  }
}
