package org.jwtgate.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JfrSummaryTest {

    @Test
    void whenARecordingOfBusyThreadsIsSummarizedThenEverySectionIsPrintedWithTheirSamples(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("busy.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(1));
            recording.enable("jdk.ObjectAllocationSample");
            recording.enable("jdk.ThreadPark").withThreshold(java.time.Duration.ZERO).withStackTrace();
            recording.start();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Thread thread = new Thread(JfrSummaryTest::spin, "busy-worker-" + i);
                threads.add(thread);
                thread.start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            recording.stop();
            recording.dump(file);
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            JfrSummary.summarize(file, Pattern.compile("busy-worker-.*"), 10, Pattern.compile("JfrSummaryTest"), out);
        }
        String text = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(Files.size(file) > 0);
        for (String section : List.of("-- execution samples by thread group", "-- self (top of stack)", "-- total (anywhere",
                "-- allocation by class", "-- thread parks")) {
            assertTrue(text.contains(section), section + "\n" + text);
        }
        assertTrue(text.contains("busy-worker-*"), text);
        assertTrue(text.contains("org.jwtgate.bench.JfrSummaryTest.spin"), text);
    }

    private static void spin() {
        long end = System.nanoTime() + 300_000_000L;
        List<String> garbage = new ArrayList<>();
        while (System.nanoTime() < end) {
            garbage.add(Long.toString(System.nanoTime()));
            if (garbage.size() > 1000) {
                garbage.clear();
            }
        }
    }
}
