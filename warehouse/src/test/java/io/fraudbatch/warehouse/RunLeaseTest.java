package io.fraudbatch.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RunLeaseTest {
  static final long LEASE = 60_000;

  static RunLease.Holder holder(long pid, Instant pidStarted, long heartbeatMs) {
    return new RunLease.Holder(
        "r1", RunLease.host(), pid, pidStarted.toString(), "?", LEASE, heartbeatMs);
  }

  @Test
  void aLiveHolderIsLiveThoughItsStartTimeReadsSecondsApart() {
    ProcessHandle me = ProcessHandle.current();
    Instant started = me.info().startInstant().orElseThrow();
    long now = System.currentTimeMillis();
    // Each JVM derives a process's start from the boot time it read from a moving clock.
    for (long skewMs : new long[] {0, 1_000, -2_000, 5_000, -60_000}) {
      assertThat(holder(me.pid(), started.plusMillis(skewMs), now).gone(now))
          .as("start read %d ms apart", skewMs)
          .isNull();
    }
  }

  @Test
  void aReusedPidADeadProcessAndAnExpiredLeaseFreeTheLock() throws Exception {
    ProcessHandle me = ProcessHandle.current();
    Instant started = me.info().startInstant().orElseThrow();
    long now = System.currentTimeMillis();
    assertThat(holder(me.pid(), started.minusSeconds(3_600), now).gone(now))
        .isEqualTo("that pid now belongs to another process");

    Process p = new ProcessBuilder("true").start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(holder(p.pid(), started, now).gone(now)).isEqualTo("that process is dead");

    assertThat(holder(me.pid(), started, now - LEASE - 1).gone(now)).startsWith("lease expired");
  }
}
