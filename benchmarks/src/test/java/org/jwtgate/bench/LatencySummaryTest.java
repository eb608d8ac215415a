package org.jwtgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LatencySummaryTest {

    @Test
    void whenSamplesAreOneToHundredThenPercentilesAreTheNearestRanks() {
        long[] shuffled = LongStream.rangeClosed(1, 100).map(i -> (i * 37) % 100 + 1).toArray();
        LatencySummary summary = LatencySummary.of(shuffled);
        assertEquals(100, summary.count());
        assertEquals(50, summary.p50Nanos());
        assertEquals(90, summary.p90Nanos());
        assertEquals(99, summary.p99Nanos());
        assertEquals(100, summary.maxNanos());
    }

    @Test
    void whenThereIsOneSampleThenEveryPercentileIsIt() {
        LatencySummary summary = LatencySummary.of(new long[] {7});
        assertEquals(7, summary.p50Nanos());
        assertEquals(7, summary.p99Nanos());
    }
}
