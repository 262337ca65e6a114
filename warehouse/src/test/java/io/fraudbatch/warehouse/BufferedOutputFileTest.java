package io.fraudbatch.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The buffering stream writes exactly the bytes it is given, in order; its position counts what it
 * holds; the stream under it sees only writes of a full buffer or more (and the rest at flush or
 * close), and is closed once.
 */
class BufferedOutputFileTest {
  /** An in-memory file that records the size of every write it gets. */
  static final class Recording implements OutputFile {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final List<Integer> writes = new ArrayList<>();
    int closes;

    @Override
    public PositionOutputStream create(long blockSizeHint) {
      return new PositionOutputStream() {
        @Override
        public long getPos() {
          return bytes.size();
        }

        @Override
        public void write(int b) {
          writes.add(1);
          bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          writes.add(len);
          bytes.write(b, off, len);
        }

        @Override
        public void close() {
          closes++;
        }
      };
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
      return create(blockSizeHint);
    }

    @Override
    public boolean supportsBlockSize() {
      return false;
    }

    @Override
    public long defaultBlockSize() {
      return 0;
    }
  }

  @Test
  void sameBytesFewerLargerWrites() throws IOException {
    Random r = new Random(7);
    Recording file = new Recording();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    int buffer = 1000;
    try (PositionOutputStream out = new BufferedOutputFile(file, buffer).create(0)) {
      for (int i = 0; i < 5000; i++) {
        int kind = r.nextInt(10);
        if (kind == 0) {
          int b = r.nextInt(256);
          out.write(b);
          expected.write(b);
        } else {
          // Mostly small, sometimes exactly a buffer, sometimes several.
          int len = kind == 1 ? buffer * (1 + r.nextInt(3)) : r.nextInt(300);
          byte[] chunk = new byte[len + 10];
          r.nextBytes(chunk);
          out.write(chunk, 5, len);
          expected.write(chunk, 5, len);
        }
        assertThat(out.getPos()).isEqualTo(expected.size());
      }
      out.close(); // twice: the file's stream is closed once
    }
    assertThat(file.bytes.toByteArray()).isEqualTo(expected.toByteArray());
    assertThat(file.closes).isEqualTo(1);
    List<Integer> w = file.writes;
    assertThat(w.subList(0, w.size() - 1)).allMatch(n -> n >= buffer);
    assertThat(w.size()).isLessThanOrEqualTo(expected.size() / buffer + 1);
  }

  @Test
  void flushHandsOverWhatItHolds() throws IOException {
    Recording file = new Recording();
    PositionOutputStream out = new BufferedOutputFile(file, 64).create(0);
    out.write(new byte[] {1, 2, 3}, 0, 3);
    assertThat(file.bytes.size()).isZero();
    out.flush();
    assertThat(file.bytes.toByteArray()).containsExactly(1, 2, 3);
    out.close();
    assertThat(file.closes).isEqualTo(1);
  }
}
