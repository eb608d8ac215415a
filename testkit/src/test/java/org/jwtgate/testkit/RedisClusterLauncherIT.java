package org.jwtgate.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * The launcher as docs/operations.md shows it: {@code java -cp … org.jwtgate.testkit.RedisClusterLauncher 1 0} prints
 * the nodes (the value for {@code redis.nodes}) as its only stdout line, the cluster answers there, and SIGTERM (what
 * Ctrl-C does too: the JVM's shutdown hooks) kills the nodes and deletes the directory.
 */
class RedisClusterLauncherIT {

    private static final Pattern DIRECTORY = Pattern.compile(" in (\\S+jwtgate-redis-cluster-\\d+);");

    @TempDir
    Path tmp;

    @Test
    void whenLaunchedThenItPrintsTheNodesAndSigtermKillsTheNodesAndDeletesTheDirectory() throws Exception {
        Path err = tmp.resolve("err.txt");
        Process launcher = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RedisClusterLauncher.class.getName(), "1", "0")
                .redirectError(err.toFile())
                .start();
        try {
            String nodes = new BufferedReader(new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertTrue(nodes != null && nodes.matches("127\\.0\\.0\\.1:\\d+"), "stdout: " + nodes + "\n" + Files.readString(err));
            HostAndPort node = HostAndPort.from(nodes);
            long nodePid;
            try (Jedis jedis = new Jedis(node)) {
                assertTrue(jedis.clusterInfo().contains("cluster_state:ok"));
                nodePid = Long.parseLong(jedis.info("server").lines().filter(l -> l.startsWith("process_id:"))
                        .findFirst().orElseThrow().substring("process_id:".length()).trim());
            }
            // Printed after the nodes line: it may come a moment later.
            Matcher dir = DIRECTORY.matcher(Files.readString(err));
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); !dir.find() && System.nanoTime() - deadline < 0; ) {
                Thread.sleep(20);
                dir = DIRECTORY.matcher(Files.readString(err));
            }
            assertTrue(dir.find(0), Files.readString(err));

            launcher.destroy(); // SIGTERM

            assertTrue(launcher.waitFor(60, TimeUnit.SECONDS), "the launcher still runs 60 s after SIGTERM");
            assertEquals(List.of(), ProcessHandle.of(nodePid).filter(ProcessHandle::isAlive).stream().toList(),
                    "the node still runs after the launcher ended");
            assertFalse(Files.exists(Path.of(dir.group(1))), dir.group(1) + " is left behind");
        } finally {
            launcher.destroyForcibly();
        }
    }
}
