package org.jwtgate.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jwtgate.testkit.process.ServerProcesses;

/**
 * REDIS_SERVER / redis-server.binary may name a wrapper script (RedisServerBinary already copes with "a wrapper's
 * child, started without exec" for --version). A node started through one that runs redis-server as its child is
 * still killed by close(), Node.kill() and the reaper: they signal the process's descendants too. Before, only the
 * shell was signalled, and redis-server ran on (answering PING after Node.kill()).
 */
class WrapperScriptBinaryIT {

    @Test
    void whenTheBinaryIsAWrapperWithoutExecThenCloseStillKillsTheRedisServer(@TempDir Path tmp) throws Exception {
        Path wrapper = wrapper(tmp);

        RedisCluster cluster = RedisCluster.builder().masters(1).replicasPerMaster(0)
                .binary(RedisServerBinary.of(wrapper)).start();
        List<ProcessHandle> servers;
        try {
            ProcessHandle shell = ProcessHandle.of(cluster.nodes().get(0).pid()).orElseThrow();
            servers = shell.descendants().collect(Collectors.toList());
            assertFalse(servers.isEmpty(), "the wrapper runs redis-server as its child");
        } finally {
            cluster.close();
        }
        try {
            Thread.sleep(500);
            for (ProcessHandle server : servers) {
                assertTrue(ServerProcesses.hasEnded(server), "redis-server pid " + server.pid() + " ("
                        + server.info().command().orElse("?") + ") still runs after close(); its directory "
                        + cluster.baseDir() + " exists: " + Files.exists(cluster.baseDir()));
            }
        } finally {
            servers.forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void whenTheBinaryIsAWrapperWithoutExecThenTheReaperKillsTheRedisServerOfADeadJvm(@TempDir Path tmp) throws Exception {
        Path wrapper = wrapper(tmp);

        RedisCluster cluster = RedisCluster.builder().masters(1).replicasPerMaster(0)
                .binary(RedisServerBinary.of(wrapper)).start();
        List<ProcessHandle> servers = ProcessHandle.of(cluster.nodes().get(0).pid()).orElseThrow().descendants().toList();
        try {
            assertFalse(servers.isEmpty(), "the wrapper runs redis-server as its child");
            // As if this cluster's JVM had been SIGKILLed: its owner file names a process that has exited.
            Process gone = new ProcessBuilder("true").start();
            gone.waitFor();
            Files.writeString(cluster.baseDir().resolve("owner.pid"), Long.toString(gone.pid()));

            ProcessJanitor.reapOrphans();

            for (ProcessHandle server : servers) {
                assertTrue(ServerProcesses.hasEnded(server), "redis-server pid " + server.pid() + " still runs after the reaping");
            }
            assertFalse(Files.exists(cluster.baseDir()), cluster.baseDir() + " still exists");
        } finally {
            cluster.close();
            servers.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** A wrapper that runs the real redis-server as its child (no exec). */
    private static Path wrapper(Path tmp) throws Exception {
        Path real = RedisServerBinary.locate().path();
        Path wrapper = tmp.resolve("redis-server");
        Files.writeString(wrapper, "#!/bin/sh\n" + real + " \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        return wrapper;
    }

    @Test
    void whenTheBinaryIsAWrapperWithoutExecThenNodeKillLeavesNoServerAnsweringOnItsPort(@TempDir Path tmp) throws Exception {
        Path wrapper = wrapper(tmp);

        try (RedisCluster cluster = RedisCluster.builder().masters(1).replicasPerMaster(0)
                .binary(RedisServerBinary.of(wrapper)).start()) {
            RedisCluster.Node node = cluster.nodes().get(0);
            List<ProcessHandle> servers = ProcessHandle.of(node.pid()).orElseThrow().descendants().toList();
            try {
                node.kill(); // "SIGKILL: simulates a crash; returns once the process is gone"
                String answer;
                try (redis.clients.jedis.Jedis jedis = node.connect()) {
                    answer = jedis.ping();
                } catch (RuntimeException e) {
                    answer = null; // what a crashed node gives
                }
                assertTrue(answer == null, "after Node.kill() the node still answers PING (" + answer + ") on port "
                        + node.port() + "; isAlive()=" + node.isAlive());
            } finally {
                servers.forEach(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void whenTheBinaryIsAWrapperWithoutExecThenStopAndPauseReachTheRedisServer(@TempDir Path tmp) throws Exception {
        Path wrapper = wrapper(tmp);

        try (RedisCluster cluster = RedisCluster.builder().masters(1).replicasPerMaster(0)
                .binary(RedisServerBinary.of(wrapper)).start()) {
            RedisCluster.Node node = cluster.nodes().get(0);
            List<ProcessHandle> servers = ProcessHandle.of(node.pid()).orElseThrow().descendants().toList();
            try {
                node.pause(); // SIGSTOP: the server must not answer
                assertThrows(RuntimeException.class, () -> {
                    try (redis.clients.jedis.Jedis jedis = node.connect()) { // a 3 s read timeout
                        jedis.ping();
                    }
                }, "a paused node answered");
                node.resume();
                try (redis.clients.jedis.Jedis jedis = node.connect()) {
                    assertTrue("PONG".equals(jedis.ping()), "a resumed node answers");
                }

                node.stop(); // SIGTERM: returns once the server has shut down
                for (ProcessHandle server : servers) {
                    assertTrue(ServerProcesses.hasEnded(server), "redis-server pid " + server.pid() + " still runs after stop()");
                }
            } finally {
                servers.forEach(ProcessHandle::destroyForcibly);
            }
        }
    }
}
