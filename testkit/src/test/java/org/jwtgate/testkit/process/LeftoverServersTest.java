package org.jwtgate.testkit.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test JVM killed outright (SIGKILL: a forked JVM killed on its timeout) ran no shutdown hook, and the Tomcat or
 * Jetty it started ran on for good, holding its port (the review of the rig, which killed JettyIT's JVM). The next JVM
 * stops it; a running owner's servers, a pid now another process's and records in a directory others may write to
 * are left alone (the diff review planted one as another user, and a half-written record was taken for a bad one).
 */
class LeftoverServersTest {

    @TempDir
    Path scratch;

    private Path records() throws Exception {
        return Files.createDirectory(scratch.resolve("records"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
    }

    @Test
    void whenTheOwnerJvmIsKilledThenTheNextJvmStopsItsServer() throws Exception {
        Path records = records();
        ProcessHandle server = orphan(records, "643");
        try {
            assertFalse(ServerProcesses.hasEnded(server), "orphaned, the server runs on");
            assertTrue(Files.exists(records.resolve(Long.toString(server.pid()))));

            assertEquals(1, LeftoverServers.stopOrphans(records));

            assertTrue(ended(server, Duration.ofSeconds(10)), "stopped by the next JVM");
            assertFalse(Files.exists(records.resolve(Long.toString(server.pid()))), "its record deleted");
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void whenOthersMayWriteTheDirectoryThenNothingIsStoppedOrRecordedThere() throws Exception {
        Path records = records();
        ProcessHandle server = orphan(records, "644");
        try {
            Files.setPosixFilePermissions(records, PosixFilePermissions.fromString("rwxrwxrwx"));

            assertEquals(0, LeftoverServers.stopOrphans(records));
            assertFalse(ServerProcesses.hasEnded(server), "a record anyone could have written names no server of ours");
            Process another = new ProcessBuilder("sleep", "645").start();
            try {
                LeftoverServers.record(another, records);
                assertFalse(Files.exists(records.resolve(Long.toString(another.pid()))), "not recorded there");
            } finally {
                another.destroyForcibly();
            }
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void whenTheOwnerRunsThenItsServerIsLeftAloneAndStoppingItForgetsTheRecord() throws Exception {
        Process server = new ProcessBuilder("sleep", "646").start();
        Path record = LeftoverServers.directory().resolve(Long.toString(server.pid()));
        try {
            LeftoverServers.record(server);
            assertTrue(Files.exists(record));
            assertEquals(0, LeftoverServers.stopOrphans(record.getParent()));
            assertTrue(server.isAlive(), "this JVM runs: its server is its own to stop");
        } finally {
            ServerProcesses.stop(server, Duration.ofSeconds(5));
        }
        assertFalse(Files.exists(record), "forgotten once stopped");
    }

    @Test
    void whenARecordsPidNowBelongsToAnotherProcessThenThatProcessIsLeftAlone() throws Exception {
        Path records = records();
        Process gone = new ProcessBuilder("true").start();
        assertEquals(0, gone.waitFor());
        Process other = new ProcessBuilder("sleep", "647").start();
        try {
            long started = other.info().startInstant().orElseThrow().toEpochMilli();
            // The owner gone; the server recorded started a minute before this process did: its pid was reused.
            Files.writeString(records.resolve(Long.toString(other.pid())), gone.pid() + " 0 " + (started - 60_000) + "\n");
            assertEquals(0, LeftoverServers.stopOrphans(records));
            assertTrue(other.isAlive(), "another process on a recorded pid");
            assertFalse(Files.exists(records.resolve(Long.toString(other.pid()))), "the stale record deleted");
        } finally {
            other.destroyForcibly();
        }
    }

    /** Maven's -T 2: another JVM's first record() looks at the records while this one writes its own. */
    @Test
    void whenARecordIsWrittenWhileAnotherJvmLooksThenItIsNeverLost() throws Exception {
        Path records = records();
        Process server = new ProcessBuilder("sleep", "648").start();
        Path record = records.resolve(Long.toString(server.pid()));
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger missing = new AtomicInteger();
        try {
            LeftoverServers.record(server, records);
            Thread writer = new Thread(() -> {
                for (int i = 0; i < 3_000; i++) {
                    LeftoverServers.record(server, records); // rewritten: each write a window for the reader
                }
                done.set(true);
            });
            writer.start();
            while (!done.get()) {
                LeftoverServers.stopOrphans(records);
                if (!Files.exists(record)) {
                    missing.incrementAndGet();
                }
            }
            writer.join();
            assertEquals(0, missing.get(), "times the record of a running owner's server was gone");
            assertTrue(server.isAlive());
        } finally {
            server.destroyForcibly();
        }
    }

    /** A server recorded in {@code records} by a JVM then killed outright. */
    private static ProcessHandle orphan(Path records, String seconds) throws Exception {
        Process owner = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RecordingServerMain.class.getName(), seconds, records.toString())
                .redirectErrorStream(true).start();
        try {
            String line = new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8)).readLine();
            return ProcessHandle.of(Long.parseLong(line.strip())).orElseThrow();
        } finally {
            owner.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static boolean ended(ProcessHandle process, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!ServerProcesses.hasEnded(process)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
