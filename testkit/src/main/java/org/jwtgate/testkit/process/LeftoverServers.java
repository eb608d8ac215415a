package org.jwtgate.testkit.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
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
 * <p>A record names the server and its owner by pid and start time: a pid reused by another process is left alone.
 * (Not by command: a server started by a script, {@code catalina.sh}, becomes the JVM the script runs.) The records
 * are in a directory of this user's in {@code java.io.tmpdir}, named by the user id and readable by no one else; where
 * that directory is another user's or others may write to it, nothing is recorded or stopped.
 *
 * @since 1.1.0
 */
public final class LeftoverServers {

    /** Named by the user id: a user without a name (a container's {@code -u 1000}) gets one of its own too. */
    private static final Path DIRECTORY = Path.of(System.getProperty("java.io.tmpdir"), "jwtgate-test-servers-" + OwnFiles.UID);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final AtomicBoolean STOPPED_ORPHANS = new AtomicBoolean();
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);
    /** A record that cannot be read for this long is no record being written: it is deleted. */
    private static final Duration UNREADABLE_KEPT = Duration.ofHours(1);

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
            stopOrphans(DIRECTORY);
        }
        record(server, DIRECTORY);
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

    static void record(Process server, Path directory) {
        ProcessHandle owner = ProcessHandle.current();
        try {
            if (!Files.exists(directory)) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            }
            if (!isOwnDirectory(directory)) {
                return;
            }
            // Written aside, then moved: another JVM's stopOrphans never reads half a record.
            Path written = Files.createTempFile(directory, ".record-", ".tmp");
            Files.writeString(written, owner.pid() + " " + startMillis(owner) + " " + startMillis(server.toHandle()) + "\n");
            Files.move(written, directory.resolve(Long.toString(server.pid())), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            // Best effort: a read-only temporary directory, a file system without POSIX permissions.
        }
    }

    /** Stops each recorded server whose owner is gone, with its children, and deletes its record; returns how many. */
    static int stopOrphans(Path directory) {
        if (!isOwnDirectory(directory)) {
            return 0;
        }
        int stopped = 0;
        try (DirectoryStream<Path> records = Files.newDirectoryStream(directory, path -> isPid(path.getFileName().toString()))) {
            for (Path record : records) {
                try {
                    stopped += stopIfOrphan(record) ? 1 : 0;
                } catch (IOException | RuntimeException e) {
                    // One record unreadable (being deleted, say): the others are still looked at.
                }
            }
        } catch (IOException | RuntimeException e) {
            // No directory yet: nothing to do.
        }
        return stopped;
    }

    private static boolean stopIfOrphan(Path record) throws IOException {
        String[] fields = Files.readString(record).strip().split(" ");
        if (fields.length != 3 || !isPid(fields[0])) {
            if (Files.getLastModifiedTime(record).toInstant().isBefore(Instant.now().minus(UNREADABLE_KEPT))) {
                Files.deleteIfExists(record);
            }
            return false;
        }
        if (isRunning(Long.parseLong(fields[0]), Long.parseLong(fields[1]))) {
            return false; // its owner stops it
        }
        long serverStart = Long.parseLong(fields[2]);
        ProcessHandle server = ProcessHandle.of(Long.parseLong(record.getFileName().toString()))
                .filter(h -> !ServerProcesses.hasEnded(h) && serverStart >= 0 && startMillis(h) == serverStart)
                .orElse(null);
        Files.deleteIfExists(record);
        if (server == null) {
            return false; // ended, or its pid now another process's
        }
        server.descendants().forEach(ProcessHandle::destroyForcibly);
        server.destroyForcibly();
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        while (!ServerProcesses.hasEnded(server) && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return true;
    }

    /** Where this JVM's records go: in {@code java.io.tmpdir}, named by the user id. */
    static Path directory() {
        return DIRECTORY;
    }

    /** This user's, and no one else may write in it: records there are this user's. */
    private static boolean isOwnDirectory(Path directory) {
        return Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS) && OwnFiles.isOwn(directory);
    }

    private static boolean isPid(String text) {
        return !text.isEmpty() && text.length() <= 18 && text.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** Whether the process {@code pid} that started at {@code startMillis} runs still (not another one on its pid). */
    private static boolean isRunning(long pid, long startMillis) {
        return ProcessHandle.of(pid).filter(h -> !ServerProcesses.hasEnded(h) && startMillis(h) == startMillis).isPresent();
    }

    private static long startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
    }
}
