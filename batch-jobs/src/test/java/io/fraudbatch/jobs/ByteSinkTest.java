package io.fraudbatch.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteSinkTest {
  @Test
  void writesWhatTheJdksStreamWrites() throws Exception {
    Random random = new Random(5);
    ByteSink sink = new ByteSink(1); // grows from one byte
    DataOutputStream ours = new DataOutputStream(sink);
    for (int round = 0; round < 50; round++) {
      ByteArrayOutputStream jdk = new ByteArrayOutputStream();
      DataOutputStream theirs = new DataOutputStream(jdk);
      sink.reset();
      for (int i = random.nextInt(40); i > 0; i--) {
        long v = random.nextLong();
        byte[] b = new byte[random.nextInt(300)];
        random.nextBytes(b);
        int off = b.length == 0 ? 0 : random.nextInt(b.length);
        for (DataOutputStream out : new DataOutputStream[] {ours, theirs}) {
          out.writeShort((int) v);
          out.writeLong(v);
          out.writeInt(b.length - off);
          out.write(b, off, b.length - off);
          out.writeDouble(v / 3.0);
        }
      }
      assertThat(sink.size()).isEqualTo(jdk.size());
      assertThat(sink.copy()).isEqualTo(jdk.toByteArray());
      assertThat(Arrays.copyOf(sink.array(), sink.size())).isEqualTo(jdk.toByteArray());
    }
    assertThatThrownBy(() -> sink.write(new byte[2], 1, 2))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }
}
