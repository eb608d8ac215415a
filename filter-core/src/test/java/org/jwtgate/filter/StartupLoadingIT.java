package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jwtgate.testing.ClusterApps;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.RedisServerBinary;
import org.jwtgate.testkit.logs.CapturedLog;
import org.jwtgate.testkit.process.ServerProcesses;
import org.jwtgate.testkit.tokens.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * {@code revocation.store=redis} on a plain server still loading its dataset after a restart: it answers every read
 * with {@code LOADING}. The start-up WARN says the node answered with that error, not that it is not reachable, so an
 * operator does not look for a network fault; requests answer 503 until it has loaded, then are served.
 */
class StartupLoadingIT {

    @TempDir
    Path dir;

    @Test
    void whenTheServerIsLoadingItsDatasetAtStartThenTheWarnSaysItAnsweredNotThatItIsNotReachable() throws Exception {
        RedisServerBinary binary = RedisServerBinary.locate();
        // Redis 6.2 processes events only every 2 MB loaded (fixed): it would not answer, as a node not reachable.
        assertTrue(binary.majorVersion() >= 7, "loading-process-events-interval-bytes needs Redis 7+; this machine's redis-server is "
                + binary + " (./verify.sh installs Debian's redis-server 7)");
        int port = ServerProcesses.freeLoopbackPort();
        // A dataset of 4000 keys, saved, then loaded at 2 ms a key (key-load-delay, in microseconds): about 8 s of
        // LOADING, during which the server answers (events processed every 1 KiB loaded), and the filter has started
        // well within it on a loaded CI machine.
        Process server = start(binary, port);
        try (Jedis jedis = new Jedis(RedisCluster.HOST, port)) {
            Pipeline pipeline = jedis.pipelined();
            for (int i = 0; i < 4000; i++) {
                pipeline.set("filler:" + i, "value-" + i);
            }
            pipeline.sync();
            jedis.save();
        } finally {
            ServerProcesses.stop(server, Duration.ofSeconds(10));
        }
        server = start(binary, port, "--key-load-delay", "2000", "--loading-process-events-interval-bytes", "1024");
        String node = RedisCluster.HOST + ":" + port;
        CapturedLog log = CapturedLog.standardError();
        try (log; JettyApp app = JettyApp.startNamed("startup-loading", ClusterApps.settings(node,
                "revocation.store", "redis", "revocation.min-replicas", "0", "revocation.near-cache", "false"))) {
            assertTrue(info(port).contains("loading:1"), "still loading once the filter started");
            assertEquals(503, app.getWithToken("/api", TestTokens.hs256("sid")).statusCode());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            int status;
            while ((status = app.getWithToken("/api", TestTokens.hs256("sid")).statusCode()) != 200
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(200, status, "served once the dataset is loaded");
        } finally {
            ServerProcesses.stop(server, Duration.ofSeconds(10));
        }
        String text = log.text();
        String line = log.warnings().stream().filter(l -> l.contains("start-up") && l.contains(node))
                .findFirst().orElse("no WARN names " + node + ":\n" + text);
        assertTrue(line.contains("answered the start-up check with an error (LOADING")
                && !line.contains("not reachable"), line);
    }

    private Process start(RedisServerBinary binary, int port, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of(binary.path().toString(),
                "--port", String.valueOf(port), "--bind", RedisCluster.HOST, "--protected-mode", "no", "--save", "",
                "--appendonly", "no", "--dir", dir.toString()));
        command.addAll(List.of(extra));
        Process server = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile())).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try (Jedis jedis = new Jedis(RedisCluster.HOST, port)) {
                jedis.clientSetname("rig"); // answered while loading too: the server accepts connections
                return server;
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline || !server.isAlive()) {
                    ServerProcesses.stop(server, Duration.ofSeconds(10));
                    throw new AssertionError("redis-server on port " + port + " did not start", e);
                }
                Thread.sleep(50);
            }
        }
    }

    private static String info(int port) {
        try (Jedis jedis = new Jedis(RedisCluster.HOST, port)) {
            return jedis.info("persistence");
        }
    }
}
