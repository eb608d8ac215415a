package org.jwtgate.internal.revocation.nearcache;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jwtgate.testing.Causes;
import org.jwtgate.testing.ClusterApps;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.RedisServerBinary;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.logs.CapturedLog;
import org.jwtgate.testkit.process.ServerProcesses;
import org.jwtgate.testkit.tokens.TestTokens;
import redis.clients.jedis.Jedis;

/**
 * redis.nodes naming what is not one Redis Cluster (a connection probe's finds): seeds of two clusters, whose
 * instances used whichever cluster Jedis asked first (a token revoked through one instance got 200 from others), and
 * a server without cluster mode, reported as "not reachable".
 */
class RedisNodesMistakesIT {

    @RegisterExtension
    static final RedisClusterExtension A = new RedisClusterExtension(RedisCluster.builder().replicasPerMaster(1));
    @RegisterExtension
    static final RedisClusterExtension B = new RedisClusterExtension(RedisCluster.builder().replicasPerMaster(0));

    @TempDir
    Path servers;

    @Test
    void whenSeedsBelongToTwoClustersThenTheStartIsRefusedNamingRedisNodes() {
        String a = A.cluster().masters().get(0).hostAndPort().toString();
        String b = B.cluster().masters().get(0).hostAndPort().toString();
        for (String nodes : new String[] {a + "," + b, b + "," + a}) {
            Exception refused = assertThrows(Exception.class, () -> JettyApp.start(ClusterApps.settings(nodes,
                    "revocation.min-replicas", "0")).close(), nodes);
            String message = Causes.messages(refused);
            assertTrue(message.contains("[redis.nodes]") && message.contains("two Redis Clusters") && message.contains(a)
                    && message.contains(b), message);
        }
    }

    @Test
    void whenSeedsAreNodesOfOneClusterThenItStarts() throws Exception {
        String nodes = A.cluster().masters().get(0).hostAndPort() + "," + A.cluster().replicas().get(1).hostAndPort()
                + "," + A.cluster().masters().get(2).hostAndPort();
        try (JettyApp app = JettyApp.start(ClusterApps.settings(nodes, "revocation.min-replicas", "0"))) {
            assertTrue(app.getWithToken("/api", TestTokens.hs256("one-cluster")).statusCode() == 200);
        }
    }

    @Test
    void whenRedisClusterStoreNamesAPlainServerThenTheWarnSaysUseRevocationStoreRedis() throws Exception {
        int port = ServerProcesses.freeLoopbackPort();
        Process server = startServer(port);
        try {
            // Alone, and beside a seed that is down, whichever Jedis happens to ask first.
            String down = RedisCluster.HOST + ":" + ServerProcesses.freeLoopbackPort();
            for (String nodes : new String[] {RedisCluster.HOST + ":" + port, down + "," + RedisCluster.HOST + ":" + port}) {
                for (int i = 0; i < (nodes.contains(",") ? 4 : 1); i++) {
                    CapturedLog log = CapturedLog.during(() -> {
                        try (JettyApp app = JettyApp.start(ClusterApps.settings(nodes, "revocation.min-replicas", "0"))) {
                            app.getWithToken("/api", TestTokens.hs256("plain")).statusCode();
                        }
                    });
                    String line = log.warnings().stream().filter(l -> l.contains("start-up")).findFirst()
                            .orElse("no start-up WARN:\n" + log.text());
                    assertTrue(line.contains("without cluster mode") && line.contains("use revocation.store=redis")
                            && !line.contains("not reachable"), nodes + ": " + line);
                }
            }
        } finally {
            ServerProcesses.stop(server, Duration.ofSeconds(10));
        }
    }

    private Process startServer(int port) throws Exception {
        Path dir = Files.createTempDirectory(servers, "redis");
        Process server = new ProcessBuilder(RedisServerBinary.locate().path().toString(), "--port",
                String.valueOf(port), "--bind", RedisCluster.HOST, "--protected-mode", "no", "--save", "",
                "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
        NearCacheApps.await("the server to answer PING", Duration.ofSeconds(20), () -> {
            try (Jedis jedis = new Jedis(RedisCluster.HOST, port)) {
                return "PONG".equals(jedis.ping());
            } catch (RuntimeException e) {
                return false;
            }
        });
        return server;
    }
}
