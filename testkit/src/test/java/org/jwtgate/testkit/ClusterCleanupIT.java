package org.jwtgate.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
