package org.jwtgate.testkit.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A test JVM killed outright (SIGKILL: a forked JVM killed on its timeout) ran no shutdown hook, and the Tomcat or
 * Jetty it started ran on for good, holding its port (the review of the rig, which killed JettyIT's JVM). The next JVM
 * stops it; a running owner's servers and a pid now another process's are left alone.
 */
class LeftoverServersTest {

    private static final Path RECORDS = Path.of(System.getProperty("java.io.tmpdir"),
            "jwtgate-test-servers-" + System.getProperty("user.name", "unknown").replaceAll("[^A-Za-z0-9_.-]", "_"));

    @Test
    void whenTheOwnerJvmIsKilledThenTheNextJvmStopsItsServer() throws Exception {
        Process owner = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RecordingServerMain.class.getName(), "643")
                .redirectErrorStream(true).start();
        ProcessHandle server;
        try {
            String line = new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8)).readLine();
            server = ProcessHandle.of(Long.parseLong(line.strip())).orElseThrow();
        } finally {
            owner.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try {
            assertFalse(LeftoverServers.hasEnded(server), "orphaned, the server runs on");
            assertTrue(Files.exists(RECORDS.resolve(Long.toString(server.pid()))));

            assertTrue(LeftoverServers.stopOrphans() >= 1);

            assertTrue(ended(server, Duration.ofSeconds(10)), "stopped by the next JVM");
            assertFalse(Files.exists(RECORDS.resolve(Long.toString(server.pid()))), "its record deleted");
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void whenTheOwnerRunsThenItsServerIsLeftAloneAndStoppingItForgetsTheRecord() throws Exception {
        Process server = new ProcessBuilder("sleep", "644").start();
        try {
            LeftoverServers.record(server);
            LeftoverServers.stopOrphans();
            assertTrue(server.isAlive(), "this JVM runs: its server is its own to stop");
            assertTrue(Files.exists(RECORDS.resolve(Long.toString(server.pid()))));
        } finally {
            ServerProcesses.stop(server, Duration.ofSeconds(5));
        }
        assertFalse(Files.exists(RECORDS.resolve(Long.toString(server.pid()))), "forgotten once stopped");
    }

    @Test
    void whenARecordsPidNowBelongsToAnotherProcessThenThatProcessIsLeftAlone() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        assertEquals(0, gone.waitFor());
        Process other = new ProcessBuilder("sleep", "645").start();
        Path record = RECORDS.resolve(Long.toString(other.pid()));
        try {
            Files.createDirectories(RECORDS);
            long started = other.info().startInstant().orElseThrow().toEpochMilli();
            // The owner gone; the server recorded started a minute before this process did: its pid was reused.
            Files.writeString(record, gone.pid() + " 0 " + (started - 60_000) + "\n");

            LeftoverServers.stopOrphans();

            assertTrue(other.isAlive(), "another process on a recorded pid");
            assertFalse(Files.exists(record), "the stale record deleted");
        } finally {
            ServerProcesses.stop(other, Duration.ofSeconds(5));
            Files.deleteIfExists(record);
        }
    }

    private static boolean ended(ProcessHandle process, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!LeftoverServers.hasEnded(process)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
