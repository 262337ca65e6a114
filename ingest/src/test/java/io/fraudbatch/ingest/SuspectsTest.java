package io.fraudbatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuspectsTest {
  @TempDir java.nio.file.Path tmp;

  @Test
  void hashesSeenTwiceAnywhereAreSuspectsAndNoOthers() throws Exception {
    Random rnd = new Random(3);
    long[][] lists = new long[3][];
    int[] sizes = new int[3];
    java.util.Map<Long, Integer> seen = new java.util.HashMap<>();
    for (int l = 0; l < 3; l++) {
      sizes[l] = 5_000 + l * 1_000;
      lists[l] = new long[sizes[l] + 7]; // longer than used: the tail is not read
      for (int i = 0; i < sizes[l]; i++) {
        long v = rnd.nextInt(40_000) - 20_000L; // negatives too: signed order
        lists[l][i] = v;
        seen.merge(v, 1, Integer::sum);
      }
      lists[l][sizes[l]] = 123_456_789L;
    }
    Suspects s = Suspects.find(lists, sizes);
    long copies = 0;
    int twice = 0;
    for (var e : seen.entrySet()) {
      assertThat(s.contains(e.getKey())).as("%d", e.getKey()).isEqualTo(e.getValue() > 1);
      if (e.getValue() > 1) {
        copies += e.getValue();
        twice++;
      }
    }
    assertThat(twice).isPositive();
    assertThat(s.size()).isEqualTo(twice);
    assertThat(s.copies()).isEqualTo(copies);
    assertThat(s.contains(123_456_789L)).isFalse();

    Configuration conf = new Configuration();
    Path file = new Path(tmp.resolve("suspects").toUri());
    s.write(FileSystem.getLocal(conf), file);
    conf.set(Suspects.FILE, file.toString());
    Suspects back = Suspects.of(conf);
    assertThat(back.size()).isEqualTo(s.size());
    assertThat(back.copies()).isEqualTo(copies);
    for (long v : seen.keySet()) {
      assertThat(back.contains(v)).isEqualTo(s.contains(v));
    }
    assertThat(Suspects.of(new Configuration())).isNull();
  }

  @Test
  void theHashReadsOnlyTheGivenBytesAndSpreadsNearIds() {
    byte[] a = "xxC000000001yy".getBytes(StandardCharsets.UTF_8);
    byte[] b = "C000000001".getBytes(StandardCharsets.UTF_8);
    assertThat(Suspects.hash(a, 2, 10)).isEqualTo(Suspects.hash(b, 0, b.length));
    Set<Long> hashes = new HashSet<>();
    Set<Long> top = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      byte[] id = String.format("C%09d", i).getBytes(StandardCharsets.UTF_8);
      long h = Suspects.hash(id, 0, id.length);
      hashes.add(h);
      top.add(h >>> 48);
    }
    assertThat(hashes).hasSize(100_000);
    assertThat(top.size()).isGreaterThan(50_000); // of 65,536: the high bits vary too
  }
}
