package org.jwtgate.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * What the rig promises about its processes: {@link RedisCluster#close()} leaves no redis-server running (a
 * paused one included) and no directory behind, and the cluster of a JVM that died without its shutdown hooks is
 * reaped by the next one ({@link ProcessJanitor}). Each test starts a small cluster of its own.
 */
class ClusterCleanupIT {

    @Test
    void whenClosedThenEveryProcessIsGoneEvenAPausedOneAndTheDirectoryIsDeleted() {
        RedisCluster cluster = RedisCluster.builder().masters(1).replicasPerMaster(1).start();
        List<Long> pids = cluster.nodes().stream().map(RedisCluster.Node::pid).toList();
        Path dir = cluster.baseDir();
        assertEquals(2, pids.size());
        pids.forEach(pid -> assertTrue(alive(pid), "pid " + pid + " runs before close()"));
        cluster.nodes().get(1).pause();

        cluster.close();

        for (long pid : pids) {
            assertFalse(alive(pid), "redis-server pid " + pid + " still runs after close()");
        }
        assertFalse(Files.exists(dir), dir + " still exists after close()");
        cluster.close(); // idempotent
    }

    @Test
    void whenTheOwnerJvmIsDeadThenTheReaperKillsItsNodesAndDeletesItsDirectory() throws Exception {
        RedisCluster cluster = RedisCluster.builder().masters(1).replicasPerMaster(0).start();
        try {
            long pid = cluster.nodes().get(0).pid();
            Path dir = cluster.baseDir();
            // As if this cluster's JVM had been SIGKILLed: its owner file names a process that has exited.
            Process gone = new ProcessBuilder("true").start();
            gone.waitFor();
            Files.writeString(dir.resolve("owner.pid"), Long.toString(gone.pid()));

            ProcessJanitor.reapOrphans();

            assertFalse(alive(pid), "the orphaned redis-server pid " + pid + " still runs");
            assertFalse(Files.exists(dir), dir + " still exists");
        } finally {
            cluster.close();
        }
    }

    @Test
    void whenTheStartFailsThenNoProcessAndNoDirectoryOfItIsLeft() throws IOException {
        Set<Path> before = clusterDirsOfThisJvm();

        // Fails making the TLS certificates, before any process starts: keytool refuses the name.
        RedisClusterException badName = assertThrows(RedisClusterException.class,
                () -> RedisCluster.builder().masters(1).replicasPerMaster(0).tls(List.of("nonsense")).start());
        assertEquals(before, clusterDirsOfThisJvm(), "a failed start (" + badName.getMessage() + ") left its directory");

        // Fails waiting for the started processes: nothing can answer within a nanosecond.
        List<Long> redisServersBefore = redisServersOfThisJvm();
        assertThrows(RedisClusterException.class,
                () -> RedisCluster.builder().masters(1).replicasPerMaster(0).startTimeout(Duration.ofNanos(1)).start());
        assertEquals(before, clusterDirsOfThisJvm(), "a start that timed out left its directory");
        assertEquals(redisServersBefore, redisServersOfThisJvm(), "a start that timed out left its redis-server running");
    }

    /** The cluster directories whose owner file names this JVM. */
    private static Set<Path> clusterDirsOfThisJvm() throws IOException {
        String me = Long.toString(ProcessHandle.current().pid());
        try (Stream<Path> dirs = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return dirs.filter(dir -> dir.getFileName().toString().startsWith(ProcessJanitor.CLUSTER_PREFIX))
                    .filter(dir -> {
                        try {
                            return me.equals(Files.readString(dir.resolve("owner.pid")).trim());
                        } catch (IOException e) {
                            return false; // another JVM's directory being created or deleted
                        }
                    })
                    .collect(Collectors.toSet());
        }
    }

    private static List<Long> redisServersOfThisJvm() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).sorted().toList();
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
