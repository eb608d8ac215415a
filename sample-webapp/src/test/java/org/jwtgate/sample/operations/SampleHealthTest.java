package org.jwtgate.sample.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.jwtgate.engine.Health;
import org.jwtgate.sample.redis.RedisHealth;

class SampleHealthTest {

    private static final Map<String, String> GATE_DETAILS = Map.of("revocation-store", "redis-cluster up");

    private static SampleHealth.Report combine(Health.Status gate, Health.Status redis) {
        return SampleHealth.combine(new Health(gate, GATE_DETAILS),
                new RedisHealth.Report(redis, Map.of("mode", "cluster")));
    }

    @Test
    void whenEitherPartIsWorseThenTheVerdictIsTheWorse() {
        assertEquals(Health.Status.UP, combine(Health.Status.UP, Health.Status.UP).status());
        assertEquals(Health.Status.DEGRADED, combine(Health.Status.DEGRADED, Health.Status.UP).status());
        assertEquals(Health.Status.DEGRADED, combine(Health.Status.UP, Health.Status.DEGRADED).status());
        assertEquals(Health.Status.DOWN, combine(Health.Status.UP, Health.Status.DOWN).status(),
                "logins need Redis even when JwtGate could verify without it");
        assertEquals(Health.Status.DOWN, combine(Health.Status.DOWN, Health.Status.UP).status());
    }

    @Test
    void whenDownThen503ElseTrafficKeepsComing() {
        assertEquals(200, combine(Health.Status.UP, Health.Status.UP).httpStatus());
        assertEquals(200, combine(Health.Status.DEGRADED, Health.Status.DEGRADED).httpStatus());
        assertEquals(503, combine(Health.Status.DOWN, Health.Status.DEGRADED).httpStatus());
    }

    @Test
    void whenRenderedThenStatusJwtGateDetailsAndRedisCounts() {
        Map<String, Object> json = combine(Health.Status.DEGRADED, Health.Status.UP).toJson();

        assertEquals(List.of("status", "jwtgate", "redis"), List.copyOf(json.keySet()));
        assertEquals("DEGRADED", json.get("status"));
        assertEquals(Map.of("status", "DEGRADED", "details", GATE_DETAILS), json.get("jwtgate"));
        assertEquals(Map.of("mode", "cluster"), json.get("redis"));
    }
}
