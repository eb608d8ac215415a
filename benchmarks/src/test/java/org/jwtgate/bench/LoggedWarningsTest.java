package org.jwtgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * In a JVM set up as the benchmarks jar is (slf4j-simple, and slf4j-jdk-platform-logging taking JwtGate's
 * {@code System.Logger}), what {@link VirtualThreadRun} counts as "logged at WARNING or above".
 */
class LoggedWarningsTest {

    @Test
    void whenJwtGateAndALibraryLogProblemsThenBothAreSeenAndNothingElse() {
        List<String> seen;
        try (LoggedWarnings warnings = LoggedWarnings.start()) {
            System.Logger jwtgate = System.getLogger("org.jwtgate.bench.probe"); // as JwtGate logs
            jwtgate.log(System.Logger.Level.WARNING, "probe warning");
            jwtgate.log(System.Logger.Level.INFO, "probe information");
            LoggerFactory.getLogger("org.eclipse.jetty.probe").error("probe error"); // as Jetty or Jedis logs
            seen = warnings.lines();
        }

        assertEquals(2, seen.size(), seen.toString());
        assertTrue(seen.get(0).endsWith("probe warning"), seen.toString());
        assertTrue(seen.get(1).endsWith("probe error"), seen.toString());
    }
}
