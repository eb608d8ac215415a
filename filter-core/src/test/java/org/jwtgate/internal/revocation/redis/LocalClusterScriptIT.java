package org.jwtgate.internal.revocation.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.jwtgate.revocation.RevocationResult;
import org.jwtgate.testing.ClusterApps;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.RedisServerBinary;
import org.jwtgate.testkit.process.PortClaims;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * Exercises the documented {@code conf/redis-cluster/cluster.sh start|status|stop} once, and points
 * the filter at the cluster it starts, as docs/revocation.md tells operators to. The script forms the cluster
 * with {@code redis-cli --cluster create}; runs on free ports (CLUSTER_FIRST_PORT) and a temporary
 * data directory so it never meets a developer's own 7001-7006 cluster.
 */
class LocalClusterScriptIT {

    private static final Pattern NODES = Pattern.compile("redis\\.nodes=(\\S+)");

    @Test
    void whenScriptStartsTheLocalClusterThenTheFilterUsesItAndStopEndsEveryNode() throws Exception {
        Optional<String> cli = executable("REDIS_CLI", "redis-cli");
        // A failure, not a skip: a skipped test would count as a pass. verify.sh installs redis-server (with redis-cli).
        assertTrue(cli.isPresent(), "conf/redis-cluster/cluster.sh forms the cluster with `redis-cli --cluster create`,"
                + " and this machine has no redis-cli on PATH (nor REDIS_CLI): install Debian's redis-tools/redis-server");
        Path script = script();
        Path data = Files.createTempDirectory("jwtgate-cluster-sh");
        int firstPort = freePortRange(6);
        Map<String, String> env = Map.of(
                "REDIS_CLI", cli.get(),
                "REDIS_SERVER", executable("REDIS_SERVER", "redis-server")
                        .orElse(RedisServerBinary.locate().path().toString()),
                "CLUSTER_DATA_DIR", data.toString(),
                "CLUSTER_FIRST_PORT", Integer.toString(firstPort),
                "CLUSTER_TIMEOUT", "60");
        boolean started = true; // before the call: a start that fails half-way leaves nodes to stop
        try {
            // Started through a symbolic link, as from ~/bin: it looked for the node configurations beside the link.
            Path link = Files.createDirectories(data.resolve("bin")).resolve("jwtgate-redis-cluster");
            Files.createSymbolicLink(link, script.toAbsolutePath());
            Result start = run(link, env, "start");
            assertEquals(0, start.exitCode(), start.output());
            Matcher nodes = NODES.matcher(start.output());
            assertTrue(nodes.find(), start.output());
            assertEquals(6, nodes.group(1).split(",").length, nodes.group(1));
            assertTrue(nodes.group(1).startsWith("127.0.0.1:" + firstPort + ","), nodes.group(1));

            Result status = run(script, env, "status");
            assertEquals(0, status.exitCode(), status.output());
            assertEquals(6, count(status.output(), "cluster_state:ok"), status.output());
            assertEquals(3, count(status.output(), " master "), status.output());

            try (JettyApp app = JettyApp.start(ClusterApps.settings(nodes.group(1)))) {
                String token = TestTokens.hs256("script-user");
                assertEquals(200, app.getWithToken("/api", token).statusCode());
                RevocationResult result = app.filter().revocationService().revoke(ClusterApps.principal(app, token));
                assertEquals(new RevocationResult(true, 1, 1), result);
                assertEquals(401, app.getWithToken("/api", token).statusCode());
            }

            List<Long> pids = pids(data);
            assertEquals(6, pids.size(), "one pid file per node");
            Result stop = run(script, env, "stop");
            assertEquals(0, stop.exitCode(), stop.output());
            started = false;
            assertEquals(6, count(stop.output(), "stopped"), stop.output());
            for (long pid : pids) {
                assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " still runs");
            }
            Result after = run(script, env, "status");
            assertNotEquals(0, after.exitCode(), "status reports a stopped cluster as unhealthy");
            assertEquals(6, count(after.output(), ": stopped"), after.output());
        } finally {
            if (started) {
                run(script, env, "stop");
            }
            deleteTree(data);
        }
    }

    @Test
    void whenANodesPortIsTakenThenStartSaysWhichAndStartsNothing() throws Exception {
        // Before: the daemonized node failed after its fork, was reported "started", the wait for it timed out, and the
        // five other nodes were left running.
        Path script = script();
        Path data = Files.createTempDirectory("jwtgate-cluster-sh-taken");
        int firstPort = freePortRange(6);
        Map<String, String> env = Map.of(
                "REDIS_SERVER", executable("REDIS_SERVER", "redis-server")
                        .orElse(RedisServerBinary.locate().path().toString()),
                "CLUSTER_DATA_DIR", data.toString(),
                "CLUSTER_FIRST_PORT", Integer.toString(firstPort),
                "CLUSTER_TIMEOUT", "10");
        try {
            for (int taken : new int[] {firstPort + 2, firstPort + 10_004}) {
                try (ServerSocket other = new ServerSocket()) {
                    other.bind(new InetSocketAddress("127.0.0.1", taken), 1);
                    Result start = run(script, env, "start");
                    assertEquals(1, start.exitCode(), start.output());
                    assertTrue(start.output().contains("port " + taken + (taken > firstPort + 5
                            ? ", node " + (taken - 10_000) + "'s cluster bus port, is taken" : " is taken")), start.output());
                    assertFalse(start.output().contains(" started (data in"), start.output());
                    assertEquals(List.of(), pids(data), "no node was started");
                }
            }
        } finally {
            run(script, env, "stop");
            deleteTree(data);
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(Path script, Map<String, String> env, String command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Path log = Files.createTempFile("cluster-sh", ".log");
        // Output to a file, so the deadline holds even when the script hangs with its output open.
        Process process = builder.redirectOutput(log.toFile()).start();
        process.getOutputStream().close();
        boolean ended = process.waitFor(90, TimeUnit.SECONDS);
        if (!ended) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        String text = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        assertTrue(ended, "cluster.sh " + command + " hung: " + text);
        System.out.print("[cluster.sh " + command + "] " + text);
        return new Result(process.exitValue(), text);
    }

    private static Path script() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("conf/redis-cluster/cluster.sh");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new AssertionError("conf/redis-cluster/cluster.sh not found above " + Path.of("").toAbsolutePath());
    }

    private static Optional<String> executable(String env, String name) {
        String configured = System.getenv(env);
        if (configured != null && !configured.isBlank()) {
            return Optional.of(configured);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }

    /**
     * A first port p with p..p+n-1 and their bus ports (+10000) free, below the ephemeral range, and claimed against
     * the test kit's clusters in other JVMs (filter-core's tests run in two): these node ports are among its bus ports.
     */
    private static int freePortRange(int n) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int first = ThreadLocalRandom.current().nextInt(22_100, 22_700);
            boolean free = true;
            for (int port = first; port < first + n && free; port++) {
                free = isFree(port) && isFree(port + 10_000) && PortClaims.claim(port) && PortClaims.claim(port + 10_000);
            }
            if (free) {
                return first;
            }
        }
        throw new AssertionError("no free range of " + n + " ports");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static List<Long> pids(Path data) throws IOException {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> files = Files.walk(data)) {
            for (Path file : files.filter(p -> p.getFileName().toString().equals("redis.pid")).toList()) {
                pids.add(Long.parseLong(Files.readString(file).trim()));
            }
        }
        return pids;
    }

    private static int count(String text, String needle) {
        int count = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            count++;
        }
        return count;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
