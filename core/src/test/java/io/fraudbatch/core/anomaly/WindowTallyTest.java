package io.fraudbatch.core.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WindowTallyTest {
  record E(String actor, String device, boolean declined, Long usd, boolean newLoc, int labelled) {}

  /** The SQL definitions, computed the obvious way with sets. */
  static long[] bySets(List<E> es) {
    Set<List<String>> actors = new HashSet<>();
    Set<List<String>> newLoc = new HashSet<>();
    Map<String, Set<String>> devices = new HashMap<>();
    long declines = 0;
    long micro = 0;
    long labelled = 0;
    for (E e : es) {
      actors.add(Arrays.asList(e.actor()));
      if (e.newLoc()) {
        newLoc.add(Arrays.asList(e.actor()));
      }
      if (e.device() != null && e.actor() != null) {
        devices.computeIfAbsent(e.device(), k -> new HashSet<>()).add(e.actor());
      }
      declines += e.declined() ? 1 : 0;
      micro += e.usd() != null && e.usd() < AnomalyMetric.MICRO_CENTS ? 1 : 0;
      labelled += e.labelled();
    }
    long maxCards = devices.values().stream().mapToLong(Set::size).max().orElse(0);
    return new long[] {
      es.size(), actors.size(), declines, micro, newLoc.size(), maxCards, labelled
    };
  }

  @Test
  void aPassInAnyOrderCountsWhatTheSqlDefinitionsCount() {
    Random r = new Random(7);
    String[] alphabet = {"a", "b", "\uFF21", "\uD83D\uDE00", "\u00E9"};
    WindowTally t = new WindowTally();
    for (int window = 0; window < 300; window++) {
      List<E> es = new ArrayList<>();
      int n = 1 + r.nextInt(60);
      for (int i = 0; i < n; i++) {
        String actor =
            r.nextInt(20) == 0
                ? null
                : alphabet[r.nextInt(alphabet.length)] + alphabet[r.nextInt(alphabet.length)];
        String device = r.nextInt(3) == 0 ? null : "d" + r.nextInt(4);
        Long usd = r.nextInt(10) == 0 ? null : (long) r.nextInt(1000);
        es.add(new E(actor, device, r.nextBoolean(), usd, r.nextInt(5) == 0, r.nextInt(2)));
      }
      java.util.Collections.shuffle(es, r);
      for (E e : es) {
        t.add(e.actor(), e.device(), e.declined(), e.usd(), e.newLoc(), e.labelled());
      }
      assertThat(t.isEmpty()).isFalse();
      assertThat(t.finish()).as("window %d", window).containsExactly(bySets(es));
      assertThat(t.isEmpty()).isTrue();
    }
  }
}
