package org.jwtgate.testkit;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.jwtgate.testkit.process.OwnFiles;
import org.jwtgate.testkit.process.ServerProcesses;

/**
 * Owns the rig's temp directories (one per cluster, one for the extracted embedded binary). Shutdown hooks
 * and delete-on-exit do not run when a JVM is SIGKILLed (e.g. a forked test VM killed on timeout), so each
 * directory records its owner JVM's pid; the first directory created by a later JVM kills the redis-server
 * processes left by dead owners and deletes their directories. It trusts only directories of this user's that no
 * one else may write to: {@code java.io.tmpdir} is every local user's.
 */
final class ProcessJanitor {

    static final String CLUSTER_PREFIX = "jwtgate-redis-cluster-";
    static final String BINARY_PREFIX = "jwtgate-redis-bin-";
    private static final String ANY_PREFIX = "jwtgate-redis-";
    private static final String OWNER_FILE = "owner.pid";
    private static final AtomicBoolean REAPED = new AtomicBoolean();
    private static final Duration LAUNCH_TO_PID_FILE = Duration.ofSeconds(5);

    private ProcessJanitor() {
    }

    /** A new temp directory owned by this JVM, after reaping the leftovers of crashed runs (once per JVM). */
    static Path newOwnedDir(String prefix) {
        if (REAPED.compareAndSet(false, true)) {
            reapOrphans();
        }
        try {
            Path dir = Files.createTempDirectory(prefix);
            Files.writeString(dir.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
            return dir;
        } catch (IOException e) {
            throw new RedisClusterException("Cannot create a temp directory: " + e.getMessage(), e);
        }
    }

    /** Registers {@code dir}, its owner file and {@code files} in it for deletion at a normal JVM exit. */
    static void deleteOnExit(Path dir, Path... files) {
        dir.toFile().deleteOnExit(); // deleted last: deleteOnExit runs in reverse order of registration
        dir.resolve(OWNER_FILE).toFile().deleteOnExit();
        for (Path file : files) {
            file.toFile().deleteOnExit();
        }
    }

    static void reapOrphans() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, ANY_PREFIX + "*")) {
            for (Path ownedDir : dirs) {
                // Kept while a node may still run: deleted, its pid file would be lost and the node with it.
                // Only this user's, that no one else may write to: another user's could name any process of ours.
                if (Files.isDirectory(ownedDir, LinkOption.NOFOLLOW_LINKS) && OwnFiles.isOwn(ownedDir)
                        && isOrphan(ownedDir) && killNodes(ownedDir)) {
                    deleteTree(ownedDir);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Best effort: a leftover from someone else must never fail this run.
        }
    }

    private static boolean isOrphan(Path ownedDir) {
        long owner = readPid(ownedDir.resolve(OWNER_FILE));
        return owner > 0 && ProcessHandle.of(owner).map(ServerProcesses::hasEnded).orElse(true);
    }

    /**
     * Kills the nodes a dead owner left, all at once, then waits for them together.
     *
     * @return whether none may still run: false while a process started when a node's pid file was written runs on
     *         without being known as redis (a binary not named so, {@code valkey-server}): not killed, and its
     *         directory kept for a look
     */
    private static boolean killNodes(Path clusterDir) throws IOException {
        List<ProcessHandle> killed = new ArrayList<>();
        boolean unknownRunning = false;
        try (DirectoryStream<Path> nodeDirs = Files.newDirectoryStream(clusterDir, Files::isDirectory)) {
            for (Path nodeDir : nodeDirs) {
                Path pidFile = nodeDir.resolve(RedisServerProcess.PID_FILE);
                ProcessHandle node = ProcessHandle.of(readPid(pidFile)).filter(h -> !ServerProcesses.hasEnded(h)).orElse(null);
                if (node == null || !startedWhenWritten(node, pidFile)) {
                    continue; // gone, or its pid reused by a later process
                }
                // A wrapper script that does not exec runs redis-server as its child: the whole tree goes.
                List<ProcessHandle> tree = Stream.concat(Stream.of(node), node.descendants()).toList();
                if (tree.stream().anyMatch(h -> h.info().command().orElse("").contains("redis"))
                        && tree.stream().allMatch(h -> h.destroyForcibly() || ServerProcesses.hasEnded(h))) {
                    killed.addAll(tree);
                } else { // not known as redis, or not ours to kill (another user's)
                    unknownRunning = true;
                }
            }
        }
        return Processes.awaitEnded(killed, Duration.ofSeconds(5)) && !unknownRunning;
    }

    /**
     * Whether {@code process} started when {@code pidFile} was written, as the launch it records did; a process that
     * reused the pid started later. (The command line cannot tell: redis-server rewrites its title, and the JDK then
     * reports no arguments.)
     */
    private static boolean startedWhenWritten(ProcessHandle process, Path pidFile) {
        try {
            Instant written = Files.getLastModifiedTime(pidFile).toInstant();
            return process.info().startInstant()
                    .map(started -> Duration.between(started, written).abs().compareTo(LAUNCH_TO_PID_FILE) < 0)
                    .orElse(false);
        } catch (IOException e) {
            return false;
        }
    }

    private static long readPid(Path file) {
        try {
            return Long.parseLong(Files.readString(file).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // Best effort: a file still being written by a dying process; the next run's reaper retries.
        }
    }
}
