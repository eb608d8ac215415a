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
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.jwtgate.testkit.process.ServerProcesses;

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

    /**
     * A launch after close() (or after the shutdown hook's, which runs beside the thread still starting or restarting
     * nodes) would start a redis-server nothing kills: the directory holding its owner file is gone, so no later JVM
     * reaps it either.
     */
    @Test
    void whenClosedThenNoNodeStartsAgain() {
        RedisCluster cluster = RedisCluster.builder().masters(1).replicasPerMaster(0).start();
        RedisCluster.Node node = cluster.nodes().get(0);
        cluster.close();
        try {
            assertThrows(RedisClusterException.class, node::restart);
            assertThrows(RedisClusterException.class, cluster::startAll);

            assertFalse(node.isAlive(), "a node of a closed cluster runs again");
            assertFalse(Files.exists(cluster.baseDir()), cluster.baseDir() + " was made again");
        } finally {
            node.kill(); // what a launch left running, were there one
            ProcessJanitor.deleteTree(cluster.baseDir());
        }
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

            // Killed, a node of this JVM stays a zombie until the JDK collects it, a moment later.
            assertTrue(ProcessHandle.of(pid).map(ServerProcesses::hasEnded).orElse(true), "the orphaned redis-server pid " + pid + " still runs");
            assertFalse(Files.exists(dir), dir + " still exists");
        } finally {
            cluster.close();
        }
    }

    /**
     * The owner JVM killed, but not yet collected by its parent: a zombie, which ProcessHandle calls alive. The reaper
     * skipped its directory, and reaps once per JVM: the nodes stayed until a later JVM's start.
     */
    @Test
    @EnabledOnOs(OS.LINUX) // a zombie is seen through /proc
    void whenTheOwnerJvmIsAZombieThenTheReaperTakesItForDeadAndReapsItsNodes() throws Exception {
        // The background sleep exits at once; its parent, exec'd into "sleep 30", never collects it.
        Process parent = new ProcessBuilder("sh", "-c", "sleep 0 & echo $!; exec sleep 30").start();
        RedisCluster cluster = RedisCluster.builder().masters(1).replicasPerMaster(0).start();
        try {
            long zombie = Long.parseLong(new java.io.BufferedReader(new java.io.InputStreamReader(parent.getInputStream()))
                    .readLine().trim());
            ProcessHandle handle = ProcessHandle.of(zombie).orElseThrow();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!ServerProcesses.hasEnded(handle) && System.nanoTime() - deadline < 0) {
                Thread.sleep(10);
            }
            assertTrue(handle.isAlive() && ServerProcesses.hasEnded(handle), "a zombie: alive to the JDK, gone to the reaper");
            long pid = cluster.nodes().get(0).pid();
            Path dir = cluster.baseDir();
            Files.writeString(dir.resolve("owner.pid"), Long.toString(zombie));

            ProcessJanitor.reapOrphans();

            // Killed, a node of this JVM stays a zombie until the JDK collects it, a moment later.
            assertTrue(ProcessHandle.of(pid).map(ServerProcesses::hasEnded).orElse(true), "the orphaned redis-server pid " + pid + " still runs");
            assertFalse(Files.exists(dir), dir + " still exists");
        } finally {
            cluster.close();
            parent.destroyForcibly();
        }
    }

    /**
     * A node the reaper cannot tell for a redis-server (a binary not named so, valkey-server): not killed, and its
     * directory kept. Deleted, its pid file went with it, and the node ran on with nothing left to find it by.
     */
    @Test
    void whenALeftNodeCannotBeToldForRedisThenItsDirectoryIsKept() throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), ProcessJanitor.CLUSTER_PREFIX);
        Process node = new ProcessBuilder("sleep", "30").start();
        try {
            Process gone = new ProcessBuilder("true").start();
            gone.waitFor();
            Files.writeString(dir.resolve("owner.pid"), Long.toString(gone.pid()));
            Path nodeDir = Files.createDirectories(dir.resolve("node-7000"));
            Files.writeString(nodeDir.resolve(RedisServerProcess.PID_FILE), Long.toString(node.pid()));

            ProcessJanitor.reapOrphans();

            assertTrue(node.isAlive(), "not known as redis: not killed");
            assertTrue(Files.exists(nodeDir.resolve(RedisServerProcess.PID_FILE)), "its pid file is kept");
            node.destroyForcibly().waitFor();
            ProcessJanitor.reapOrphans();
            assertFalse(Files.exists(dir), "reaped once the process is gone");
        } finally {
            node.destroyForcibly();
            ProcessJanitor.deleteTree(dir);
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

    /**
     * Failures of the cluster's constructor after its directory exists: the TLS client's trust manager, and the
     * cluster's shutdown hook refused because the JVM is already shutting down (a start begun as Ctrl-C arrives).
     */
    @Test
    void whenTheStartFailsAfterItsDirectoryExistsThenTheDirectoryIsDeleted(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out.txt");
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), FailingClusterStartsMain.class.getName())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            assertTrue(jvm.waitFor(60, TimeUnit.SECONDS), "the JVM still runs after 60 s");
        } finally {
            jvm.destroyForcibly();
        }
        String report = Files.readString(out);

        assertTrue(report.contains("trust manager: org.jwtgate.testkit.RedisClusterException: Cannot read the trust store"),
                report);
        assertTrue(report.lines().anyMatch(line -> line.startsWith("trust manager: ") && line.endsWith(" left []")), report);
        assertTrue(report.lines().anyMatch(line -> line.startsWith("during shutdown: java.lang.IllegalStateException")
                && line.endsWith(" left []")), report);
    }

    /**
     * The sample's case: a cluster built {@code withoutShutdownHook()}, its JVM ended by SIGTERM (Ctrl-C) while the
     * cluster still starts. The node's binary sleeps before it runs redis-server, so the start is still waiting for it.
     * Killing the node's shell leaves its {@code sleep} to run out on its own: the test kills that one itself.
     */
    @Test
    void whenAJvmEndsWhileItsClusterWithoutShutdownHookStartsThenItsNodesAreKilled(@TempDir Path tmp) throws Exception {
        Path slowBinary = tmp.resolve("slow-redis-server");
        String real = RedisServerBinary.locate().path().toString();
        Files.writeString(slowBinary, "#!/bin/sh\n"
                + "if [ \"$1\" = \"--version\" ]; then exec '" + real + "' \"$@\"; fi\n"
                + "sleep 30\nexec '" + real + "' \"$@\"\n");
        assertTrue(slowBinary.toFile().setExecutable(true));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StartingClusterMain.class.getName())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("out.txt").toFile());
        builder.environment().put("REDIS_SERVER", slowBinary.toString());
        Process jvm = builder.start();
        List<Long> nodes = List.of();
        List<ProcessHandle> sleeps = List.of();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while ((nodes.isEmpty() || sleeps.isEmpty()) && jvm.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
                nodes = jvm.children() // the node's process, not the binary's --version check
                        .filter(child -> child.info().commandLine().orElse("").contains(ProcessJanitor.CLUSTER_PREFIX))
                        .map(ProcessHandle::pid).toList();
                // Found while the node's shell runs: once it is killed, its sleep is nobody's child.
                sleeps = nodes.stream().flatMap(pid -> ProcessHandle.of(pid).stream()).flatMap(ProcessHandle::children)
                        .toList();
            }
            assertFalse(nodes.isEmpty(), "no node started: " + Files.readString(tmp.resolve("out.txt")));

            jvm.toHandle().destroy(); // SIGTERM, as Ctrl-C ends it too

            assertTrue(jvm.waitFor(30, TimeUnit.SECONDS), "the JVM still runs 30 s after SIGTERM");
            long killedBy = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (nodes.stream().anyMatch(ClusterCleanupIT::alive) && System.nanoTime() < killedBy) {
                Thread.sleep(50);
            }
            assertEquals(List.of(), nodes.stream().filter(ClusterCleanupIT::alive).toList(),
                    "nodes left running by a JVM ended during the start");
        } finally {
            jvm.destroyForcibly();
            nodes.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            sleeps.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** The cluster directories whose owner file names this JVM. */
    static Set<Path> clusterDirsOfThisJvm() throws IOException {
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
