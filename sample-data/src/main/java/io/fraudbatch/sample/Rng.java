package io.fraudbatch.sample;

import java.util.SplittableRandom;

/**
 * Seeded randomness. Every stream is derived from the run seed and a stable key (actor, day,
 * incident...), so output does not depend on thread scheduling.
 */
final class Rng {
  private Rng() {}

  /** SplitMix64's finaliser: a strong 64-bit mix. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  static long key(long seed, long... parts) {
    long h = mix(seed ^ 0x9E3779B97F4A7C15L);
    for (long p : parts) {
      h = mix(h ^ (p + 0x9E3779B97F4A7C15L));
    }
    return h;
  }

  static SplittableRandom stream(long seed, long... parts) {
    return new SplittableRandom(key(seed, parts));
  }

  static double normal(SplittableRandom r) {
    // Box-Muller; one value per call keeps streams simple and deterministic.
    double u1 = 1.0 - r.nextDouble();
    double u2 = r.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  static double logNormal(SplittableRandom r, double median, double sigma) {
    return median * Math.exp(sigma * normal(r));
  }

  /** Poisson by inversion for small means, normal approximation above 60. */
  static int poisson(SplittableRandom r, double mean) {
    if (mean <= 0) {
      return 0;
    }
    if (mean > 60) {
      return Math.max(0, (int) Math.round(mean + Math.sqrt(mean) * normal(r)));
    }
    double l = Math.exp(-mean);
    int k = 0;
    double p = r.nextDouble();
    double cdf = l;
    double pk = l;
    while (p > cdf && k < 1000) {
      k++;
      pk *= mean / k;
      cdf += pk;
    }
    return k;
  }

  /** Gamma(shape, scale) by Marsaglia-Tsang (shape >= 1). */
  static double gamma(SplittableRandom r, double shape, double scale) {
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = normal(r);
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = r.nextDouble();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
        return d * v * scale;
      }
    }
  }

  /** Index drawn from cumulative weights (last element = total). */
  static int pick(SplittableRandom r, double[] cumulative) {
    double x = r.nextDouble() * cumulative[cumulative.length - 1];
    int lo = 0;
    int hi = cumulative.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] > x) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  static double[] cumulative(double[] weights) {
    double[] c = new double[weights.length];
    double s = 0;
    for (int i = 0; i < weights.length; i++) {
      s += weights[i];
      c[i] = s;
    }
    return c;
  }

  /** A random version-4 UUID from the stream: event ids look like the online tier's. */
  static String uuid(SplittableRandom r) {
    long hi = (r.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
    long lo = (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new java.util.UUID(hi, lo).toString();
  }

  /** A 16-byte file sync marker (SequenceFile, Avro) drawn from {@code key}. */
  static byte[] sync(long key) {
    byte[] sync = new byte[16];
    long k2 = mix(key);
    for (int b = 0; b < 8; b++) {
      sync[b] = (byte) (key >>> (8 * b));
      sync[8 + b] = (byte) (k2 >>> (8 * b));
    }
    return sync;
  }

  static String hex(long v, int digits) {
    String s = Long.toHexString(v);
    if (s.length() >= digits) {
      return s.substring(s.length() - digits);
    }
    return "0".repeat(digits - s.length()) + s;
  }
}
