package org.jwtgate.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jwtgate.testkit.logs.CapturedLog;

/**
 * JwtGate's lines through java.util.logging, where exec:java leaves the JDK's System.Logger: routed to the sample's
 * slf4j-simple, whose configuration alone decides which are written. The README command's own run is
 * {@link ReadmeSampleCommandIT}'s.
 */
class SystemLoggerToSlf4jTest {

    private static final String VERBOSE_LEVEL = "org.slf4j.simpleLogger.log.org.jwtgate.probe.verbose";

    @AfterEach
    void restoreJavaUtilLogging() throws IOException {
        System.clearProperty(VERBOSE_LEVEL);
        LogManager.getLogManager().readConfiguration();
    }

    @Test
    void whenSlf4jProvidesTheSystemLoggerThenJavaUtilLoggingIsLeftAlone() {
        // This JVM has slf4j-jdk-platform-logging on its class path, as `java -cp … SampleApp` has.
        Logger root = Logger.getLogger("");
        Object[] handlers = root.getHandlers();

        assertFalse(SystemLoggerToSlf4j.routeIfSentToJul());
        assertArrayEquals(handlers, root.getHandlers());
    }

    @Test
    void whenRoutedThenJwtGateRecordsAreWrittenAsSlf4jConfigurationSaysAtEveryLevel() {
        System.setProperty(VERBOSE_LEVEL, "debug"); // simplelogger.properties keeps org.jwtgate at info
        SystemLoggerToSlf4j.routeJulToSlf4j();

        List<String> lines = CapturedLog.during(() -> {
            Logger.getLogger("org.jwtgate.probe.verbose").fine("verbose debug line"); // System.Logger's DEBUG
            Logger.getLogger("org.jwtgate.probe.quiet").fine("quiet debug line");
            Logger.getLogger("org.jwtgate.probe.quiet").info("quiet info line");
        }).lines();

        assertTrue(lines.stream().anyMatch(line -> line.endsWith(" DEBUG verbose - verbose debug line")), lines.toString());
        assertTrue(lines.stream().anyMatch(line -> line.endsWith(" INFO quiet - quiet info line")), lines.toString());
        assertTrue(lines.stream().noneMatch(line -> line.contains("quiet debug line")), lines.toString());
        assertTrue(lines.stream().noneMatch(line -> line.startsWith("INFO: ")), "written once, by SLF4J: " + lines);
    }
}
