package org.jwtgate.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RedisClusterBuilderTest {

    @Test
    void whenStartTimeoutIsNullThenTheBuilderRefusesItAtOnceNamingIt() {
        RedisCluster.Builder builder = RedisCluster.builder();

        NullPointerException refused = assertThrows(NullPointerException.class, () -> builder.startTimeout(null));

        assertEquals("startTimeout", refused.getMessage());
    }
}
