package org.jwtgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisCommandCounterTest {

    /** INFO commandstats of Redis 7 (subcommands as cluster|slots); 6.2 has the same line form. */
    private static final String INFO = """
            # Commandstats\r
            cmdstat_get:calls=120,usec=300,usec_per_call=2.50,rejected_calls=0,failed_calls=0\r
            cmdstat_info:calls=9,usec=900,usec_per_call=100.00,rejected_calls=0,failed_calls=0\r
            cmdstat_cluster|slots:calls=3,usec=30,usec_per_call=10.00,rejected_calls=0,failed_calls=0\r
            cmdstat_replconf:calls=40,usec=40,usec_per_call=1.00,rejected_calls=0,failed_calls=0\r
            cmdstat_exists:calls=7,usec=7,usec_per_call=1.00,rejected_calls=0,failed_calls=0\r
            """;

    @Test
    void whenCommandstatsAreParsedThenEveryClientCommandButOurOwnInfoIsCounted() {
        assertEquals(Map.of("get", 120L, "cluster|slots", 3L, "exists", 7L), RedisCommandCounter.parse(INFO));
    }

    @Test
    void whenTwoSnapshotsDifferThenOnlyCommandsMadeBetweenThemAreCounted() {
        Map<String, Long> delta = RedisCommandCounter.difference(
                Map.of("get", 100L, "exists", 7L),
                Map.of("get", 150L, "exists", 7L, "publish", 2L));
        assertEquals(Map.of("get", 50L, "publish", 2L), delta);
        assertEquals(52L, RedisCommandCounter.total(delta));
        assertEquals("get=50, publish=2", RedisCommandCounter.describe(delta));
    }
}
