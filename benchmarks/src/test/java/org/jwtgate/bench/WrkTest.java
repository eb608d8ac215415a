package org.jwtgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WrkTest {

    @Test
    void whenFewerConnectionsThanThreadsAreAskedThenTheErrorNamesBothOptionsAndValues() {
        Map<String, String> defaults = new LinkedHashMap<>(Map.of("wrk", "wrk", "threads", "2", "connections", "32"));
        Options options = Options.parse(new String[] {"--threads", "4", "--connections", "2"}, defaults);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Wrk.of(options));
        assertEquals("Option [--connections] must be at least [--threads] (wrk opens one connection per thread or more): "
                + "[2] < [4]", e.getMessage());
    }
}
