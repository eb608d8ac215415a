package org.jwtgate.testkit.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CapturedLogTest {

    private final PrintStream testRunners = System.err;
    private final ByteArrayOutputStream realStream = new ByteArrayOutputStream();

    @BeforeEach
    void replaceTheRealStream() {
        System.setErr(new PrintStream(realStream, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreTheRunnersStream() {
        System.setErr(testRunners);
    }

    @Test
    void whenLinesAreLoggedThenTheyAreRecordedAndStillReachTheRealStream() {
        PrintStream real = System.err;
        try (CapturedLog log = CapturedLog.standardError()) {
            System.err.println("[main] INFO a - started");
            System.err.println("[main] WARN a - Redis not reachable: é");
            assertEquals(List.of("[main] INFO a - started", "[main] WARN a - Redis not reachable: é"), log.lines());
            assertEquals(List.of("[main] WARN a - Redis not reachable: é"), log.warnings());
        }
        assertSame(real, System.err);
        assertEquals("[main] INFO a - started\n[main] WARN a - Redis not reachable: é\n",
                realStream.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    }

    @Test
    void whenTheActionThrowsThenTheStreamIsPutBack() {
        PrintStream real = System.err;
        assertThrows(IllegalStateException.class, () -> CapturedLog.during(() -> {
            throw new IllegalStateException("test failed");
        }));
        assertSame(real, System.err);
    }

    @Test
    void whenAPositionIsMarkedThenSinceReturnsOnlyWhatCameAfter() {
        CapturedLog log = CapturedLog.during(() -> System.err.print("before "));
        try (CapturedLog later = CapturedLog.standardError()) {
            System.err.print("é before ");
            int mark = later.position();
            System.err.print("after");
            assertEquals("after", later.since(mark));
            assertEquals("é before after", later.text());
        }
        assertEquals("before ", log.text());
    }
}
