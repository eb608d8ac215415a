package org.jwtgate.testkit.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Servers a test started that must not outlive the JVM that started them. A shutdown hook stops them at a normal exit,
 * but a JVM killed outright (SIGKILL, a forked test JVM killed on its timeout) runs none, and the server runs on for
 * good, holding its port and its files. So each server is recorded in a file naming it and its owner JVM, and the first
 * record made by a later JVM stops the servers whose owner is gone.
 *
 * <pre>{@code
 * Process tomcat = new ProcessBuilder("bin/catalina.sh", "run").start();
 * LeftoverServers.record(tomcat);
 * ...
 * ServerProcesses.stop(tomcat, Duration.ofSeconds(20)); // forgets the record too
 * }</pre>
 *
 * <p>A record names the processes by pid and start time, so a pid reused by another process is left alone. The
 * records are one directory per user in {@code java.io.tmpdir}; where it cannot be written, nothing is recorded.
 *
 * @since 1.1.0
 */
public final class LeftoverServers {

    private static final Path DIRECTORY = Path.of(System.getProperty("java.io.tmpdir"),
            "jwtgate-test-servers-" + System.getProperty("user.name", "unknown").replaceAll("[^A-Za-z0-9_.-]", "_"));
    private static final AtomicBoolean STOPPED_ORPHANS = new AtomicBoolean();
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private LeftoverServers() {
    }

    /**
     * Records {@code server} as this JVM's, after stopping (once per JVM) the recorded servers of JVMs that are gone.
     * Thread-safe.
     *
     * @param server a server process this JVM started and stops, e.g. with {@link ServerProcesses#stop}
     */
    public static void record(Process server) {
        if (STOPPED_ORPHANS.compareAndSet(false, true)) {
            stopOrphans();
        }
        ProcessHandle owner = ProcessHandle.current();
        try {
            Files.createDirectories(DIRECTORY);
            Files.writeString(DIRECTORY.resolve(Long.toString(server.pid())),
                    owner.pid() + " " + startMillis(owner) + " " + startMillis(server.toHandle()) + "\n");
        } catch (IOException | RuntimeException e) {
            // Best effort: a directory another user owns, a read-only temporary directory.
        }
    }

    /**
     * Forgets {@code server}'s record: it was stopped. Harmless for a server never recorded.
     *
     * @param server a server process
     */
    public static void forget(Process server) {
        try {
            Files.deleteIfExists(DIRECTORY.resolve(Long.toString(server.pid())));
        } catch (IOException | RuntimeException e) {
            // Best effort, as the record.
        }
    }

    /** Stops each recorded server whose owner is gone, with its children, and deletes its record; returns how many. */
    static int stopOrphans() {
        int stopped = 0;
        try (DirectoryStream<Path> records = Files.newDirectoryStream(DIRECTORY)) {
            for (Path record : records) {
                try {
                    stopped += stopIfOrphan(record) ? 1 : 0;
                } catch (IOException | RuntimeException e) {
                    // One record unreadable (being written, not ours): the others are still looked at.
                }
            }
        } catch (IOException | RuntimeException e) {
            // No directory yet, or not ours: nothing to do.
        }
        return stopped;
    }

    private static boolean stopIfOrphan(Path record) throws IOException {
        String[] fields = Files.readString(record).trim().split(" ");
        if (fields.length != 3) {
            Files.deleteIfExists(record);
            return false;
        }
        long serverPid = Long.parseLong(record.getFileName().toString());
        if (isRunning(Long.parseLong(fields[0]), Long.parseLong(fields[1]))) {
            return false; // its owner stops it
        }
        ProcessHandle server = ProcessHandle.of(serverPid)
                .filter(h -> !hasEnded(h) && Long.parseLong(fields[2]) >= 0 && startMillis(h) == Long.parseLong(fields[2]))
                .orElse(null);
        Files.deleteIfExists(record);
        if (server == null) {
            return false; // ended, or its pid now another process's
        }
        server.descendants().forEach(ProcessHandle::destroyForcibly);
        server.destroyForcibly();
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        while (!hasEnded(server) && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return true;
    }

    /** Whether the process {@code pid} that started at {@code startMillis} runs still (not another one on its pid). */
    private static boolean isRunning(long pid, long startMillis) {
        return ProcessHandle.of(pid).filter(h -> !hasEnded(h) && startMillis(h) == startMillis).isPresent();
    }

    private static long startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
    }

    /**
     * Exited, or a zombie, which {@link ProcessHandle#isAlive()} calls alive: an orphan killed here stays one until
     * PID 1 collects it — at once, later, or never where PID 1 does not.
     */
    static boolean hasEnded(ProcessHandle process) {
        if (!process.isAlive()) {
            return true;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            int name = stat.lastIndexOf(')'); // "pid (name) state …": the name may hold spaces and parentheses
            return name > 0 && name + 2 < stat.length() && stat.charAt(name + 2) == 'Z';
        } catch (IOException | RuntimeException e) {
            return !process.isAlive(); // no /proc, or it just exited
        }
    }
}
