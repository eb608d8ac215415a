package org.jwtgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    @Test
    void whenAnArgumentIsBadThenOneLineNamesItAndTheStatusIs2(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("empty.jfr");
        try (Recording recording = new Recording()) {
            recording.start();
            recording.stop();
            recording.dump(file);
        }
        String recording = file.toString();
        assertBad("rows must be a whole number >= 1: [x]", recording, ".*", "x");
        assertBad("rows must be a whole number >= 1: [0]", recording, ".*", "0");
        assertBad("not a regular expression: [http-nio(]", recording, "http-nio(");
        assertBad("not a regular expression: [[a]", recording, ".*", "5", "[a");
        assertBad("no recording at [" + dir.resolve("missing.jfr") + "]", dir.resolve("missing.jfr").toString());
        assertBad("usage: JfrSummary", recording, ".*", "5", ".*", "extra");
    }

    /** As every other harness of docs/performance.md answers it: the usage on standard output, status 0. */
    @Test
    void whenHelpIsAskedThenTheUsageIsPrintedAndTheStatusIs0() throws Exception {
        for (String help : List.of("--help", "-h")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = JfrSummary.run(new String[] {help}, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(0, status, help + ": " + err.toString(StandardCharsets.UTF_8));
            assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: JfrSummary <recording.jfr>"),
                    help + ": " + out.toString(StandardCharsets.UTF_8));
        }
    }

    /** A file that is no recording (the summary saved earlier, a recording cut short) is a bad argument too. */
    @Test
    void whenTheFileIsNoRecordingThenOneLineNamesItAndTheStatusIs2(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("summary.txt"), "Samples by thread group\n");
        assertBad("not a JFR recording: [" + text + "]", text.toString());
    }

    private static void assertBad(String expected, String... args) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream stream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = JfrSummary.run(args, System.out, stream);
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, status, text);
        assertTrue(text.contains(expected), text);
        assertTrue(text.lines().noneMatch(line -> line.startsWith("\tat ")), "no stack trace: " + text);
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
