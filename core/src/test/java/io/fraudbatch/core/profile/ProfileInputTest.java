package io.fraudbatch.core.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProfileInputTest {
  static String maybe(Random r, String s) {
    return r.nextInt(4) == 0 ? null : s;
  }

  @Test
  void theBinaryFormGivesBackAnEqualInput() throws IOException {
    Random r = new Random(3);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    ProfileInput[] written = new ProfileInput[500];
    for (int i = 0; i < written.length; i++) {
      written[i] =
          new ProfileInput(
              maybe(r, "e-" + i + "-\u00e9\u4e2d\uD83D\uDE00"),
              r.nextLong(),
              maybe(r, "APPROVED"),
              maybe(r, "card"),
              r.nextInt(4) == 0 ? null : r.nextLong(),
              maybe(r, "5411"),
              maybe(r, "US"),
              maybe(r, "US-CA"),
              maybe(r, ""),
              r.nextInt(4) == 0 ? null : r.nextDouble() * 180 - 90,
              r.nextInt(4) == 0 ? null : -0.0,
              maybe(r, "2001:db8::" + i),
              r.nextBoolean());
      written[i].write(out);
    }
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
    for (ProfileInput w : written) {
      assertThat(ProfileInput.read(in)).isEqualTo(w);
    }
    assertThat(in.available()).isZero();
  }
}
