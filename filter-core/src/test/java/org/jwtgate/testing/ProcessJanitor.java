package org.jwtgate.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Owns the clusters' temp directories. Shutdown hooks do not run when a JVM is SIGKILLed (e.g. a forked
 * test VM killed on timeout), so each cluster directory records its owner JVM's pid; the first cluster
 * started by a later JVM kills the redis-server processes left by dead owners and deletes their directories.
 */
final class ProcessJanitor {

    static final String DIR_PREFIX = "jwtgate-redis-cluster-";
    private static final String OWNER_FILE = "owner.pid";
    private static final AtomicBoolean REAPED = new AtomicBoolean();

    private ProcessJanitor() {
    }

    /** A new, empty directory for one cluster, after reaping the leftovers of crashed runs (once per JVM). */
    static Path newClusterDir() {
        if (REAPED.compareAndSet(false, true)) {
            reapOrphans();
        }
        try {
            Path dir = Files.createTempDirectory(DIR_PREFIX);
            Files.writeString(dir.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
            return dir;
        } catch (IOException e) {
            throw new RedisClusterException("Cannot create a temp directory for the cluster: " + e.getMessage(), e);
        }
    }

    static void reapOrphans() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, DIR_PREFIX + "*")) {
            for (Path clusterDir : dirs) {
                if (isOrphan(clusterDir)) {
                    killNodes(clusterDir);
                    deleteTree(clusterDir);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Best effort: a leftover from someone else must never fail this run.
        }
    }

    private static boolean isOrphan(Path clusterDir) {
        long owner = readPid(clusterDir.resolve(OWNER_FILE));
        return owner > 0 && ProcessHandle.of(owner).map(h -> !h.isAlive()).orElse(true);
    }

    private static void killNodes(Path clusterDir) throws IOException {
        try (DirectoryStream<Path> nodeDirs = Files.newDirectoryStream(clusterDir, Files::isDirectory)) {
            for (Path nodeDir : nodeDirs) {
                long pid = readPid(nodeDir.resolve(RedisServerProcess.PID_FILE));
                String config = nodeDir.resolve(RedisServerProcess.CONFIG_FILE).toString();
                // Only a process still running with this node's config: never a pid reused by something else.
                ProcessHandle.of(pid)
                        .filter(h -> h.info().commandLine().map(cmd -> cmd.contains(config)).orElse(false))
                        .ifPresent(h -> {
                            h.destroyForcibly();
                            Processes.awaitExit(h, Duration.ofSeconds(5));
                        });
            }
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
