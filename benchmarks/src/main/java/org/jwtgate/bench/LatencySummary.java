package org.jwtgate.bench;

import java.util.Arrays;
import java.util.Locale;

/** Nearest-rank percentiles of a set of durations in nanoseconds. */
record LatencySummary(int count, long p50Nanos, long p90Nanos, long p99Nanos, long maxNanos) {

    static LatencySummary of(long[] nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new LatencySummary(sorted.length, rank(sorted, 50), rank(sorted, 90), rank(sorted, 99), sorted[sorted.length - 1]);
    }

    /** The smallest sample that at least {@code percent} % of the samples do not exceed. */
    static long rank(long[] sorted, double percent) {
        int index = (int) Math.ceil(percent / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** {@code p50 0.812 ms  p90 …  p99 …  max …} */
    String describeMillis() {
        return String.format(Locale.ROOT, "p50 %8.3f ms   p90 %8.3f ms   p99 %8.3f ms   max %8.3f ms",
                p50Nanos / 1e6, p90Nanos / 1e6, p99Nanos / 1e6, maxNanos / 1e6);
    }
}
