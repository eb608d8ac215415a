package org.jwtgate.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisClusterBuilderTest {

    @Test
    void whenStartTimeoutIsNullThenTheBuilderRefusesItAtOnceNamingIt() {
        RedisCluster.Builder builder = RedisCluster.builder();

        NullPointerException refused = assertThrows(NullPointerException.class, () -> builder.startTimeout(null));

        assertEquals("startTimeout", refused.getMessage());
    }

    @Test
    void whenStartTimeoutIsZeroOrNegativeThenTheBuilderRefusesItNamingTheValue() {
        RedisCluster.Builder builder = RedisCluster.builder();

        // Before, both were taken, and start() then timed out at once with a diagnosis of a cluster that had no time.
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> builder.startTimeout(Duration.ZERO));
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> builder.startTimeout(Duration.ofSeconds(-1)));

        assertEquals("startTimeout must be more than zero: PT0S", zero.getMessage());
        assertEquals("startTimeout must be more than zero: PT-1S", negative.getMessage());
    }
}
