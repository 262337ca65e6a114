package io.fraudbatch.core.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The table against a TreeMap of long arrays doing the same operations. */
class IntTableTest {
  @Test
  void behavesAsASortedMapOfRows() {
    Random random = new Random(7);
    for (int round = 0; round < 200; round++) {
      IntTable t = new IntTable(3, 1 + random.nextInt(4));
      TreeMap<Integer, long[]> model = new TreeMap<>();
      int range = 1 + random.nextInt(300);
      int ops = random.nextInt(400);
      for (int op = 0; op < ops; op++) {
        // Mostly ascending keys, as a profile's events and lists give them, some out of order.
        int key =
            random.nextInt(4) == 0
                ? random.nextInt(range) - range / 2
                : op * range / Math.max(1, ops) - range / 2;
        int column = random.nextInt(3);
        long v = random.nextInt(1000) - 100;
        switch (random.nextInt(10)) {
          case 0 -> {
            t.dropBelow(key);
            model.headMap(key).clear();
          }
          case 1 -> {
            t.set(t.row(key), column, v);
            model.computeIfAbsent(key, k -> new long[3])[column] = v;
          }
          case 2 -> {
            t.or(t.row(key), column, v);
            model.computeIfAbsent(key, k -> new long[3])[column] |= v;
          }
          default -> {
            t.add(t.row(key), column, v);
            model.computeIfAbsent(key, k -> new long[3])[column] += v;
          }
        }
        assertThat(rows(t, t.from(key))).isEqualTo(rows(model.tailMap(key)));
      }
      assertThat(rows(t, 0)).isEqualTo(rows(model));
      assertThat(t.size()).isEqualTo(model.size());
    }
  }

  private static List<String> rows(IntTable t, int from) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < t.size(); i++) {
      out.add(t.key(i) + "=" + t.get(i, 0) + "," + t.get(i, 1) + "," + t.get(i, 2));
    }
    return out;
  }

  private static List<String> rows(Map<Integer, long[]> m) {
    List<String> out = new ArrayList<>();
    m.forEach((k, v) -> out.add(k + "=" + v[0] + "," + v[1] + "," + v[2]));
    return out;
  }
}
