package io.fraudbatch.sample;

/**
 * One Flume event as delivered to a sink: the body bytes and the {@code timestamp} header Flume
 * buckets by (the time the agent received it, epoch ms UTC).
 */
record LandingRecord(long timestamp, long seq, byte[] body) {
  static int byTimestamp(LandingRecord a, LandingRecord b) {
    int c = Long.compare(a.timestamp, b.timestamp);
    return c != 0 ? c : Long.compare(a.seq, b.seq);
  }
}
