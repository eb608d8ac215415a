package org.jwtgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** MetricsBenchmark's and DpopHttpBenchmark's rounds: each pair of runs as far apart in every round, first in turn. */
class RoundOrderTest {

    private static final List<String> PATHS = List.of("/open", "/off", "/simple", "/prometheus");

    @Test
    void whenRoundsFollowThenTheListRunsForwardThenBackward() {
        assertEquals(PATHS, RoundOrder.of(PATHS, 1));
        assertEquals(List.of("/prometheus", "/simple", "/off", "/open"), RoundOrder.of(PATHS, 2));
        assertEquals(PATHS, RoundOrder.of(PATHS, 3));
    }

    @Test
    void whenAnyTwoRunsAreComparedThenTheirDistanceStaysAndEachGoesFirstAsOften() {
        for (String a : PATHS) {
            for (String b : PATHS) {
                if (a.equals(b)) {
                    continue;
                }
                int aFirst = 0;
                for (int round = 1; round <= 8; round++) {
                    List<String> order = RoundOrder.of(PATHS, round);
                    assertEquals(Math.abs(PATHS.indexOf(a) - PATHS.indexOf(b)),
                            Math.abs(order.indexOf(a) - order.indexOf(b)), a + " and " + b + " in round " + round);
                    aFirst += order.indexOf(a) < order.indexOf(b) ? 1 : 0;
                }
                assertEquals(4, aFirst, a + " before " + b + " in 8 rounds");
            }
        }
    }
}
