package org.jwtgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ratio /nc ÷ /open is taken within a round: the two runs back to back in every round, which first alternating.
 * The rotation before gave /open, /nc, /direct; /nc, /direct, /open; /direct, /open, /nc: /direct between the pair
 * in round 2, and /nc after /open in two rounds of three.
 */
class HttpBenchmarkRoundOrderTest {

    private static final List<String> PATHS = List.of("/open", "/nc", "/direct");

    @Test
    void whenRoundsFollowThenThePairIsAdjacentAndAlternates() {
        assertEquals(List.of("/open", "/nc", "/direct"), HttpBenchmark.roundOrder(PATHS, 1));
        assertEquals(List.of("/nc", "/open", "/direct"), HttpBenchmark.roundOrder(PATHS, 2));
        assertEquals(List.of("/open", "/nc", "/direct"), HttpBenchmark.roundOrder(PATHS, 3));
        for (int round = 1; round <= 7; round++) {
            List<String> order = HttpBenchmark.roundOrder(PATHS, round);
            assertEquals(1, Math.abs(order.indexOf("/open") - order.indexOf("/nc")), "round " + round + ": " + order);
        }
    }
}
