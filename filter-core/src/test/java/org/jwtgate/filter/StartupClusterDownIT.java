package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.jwtgate.testing.ClusterApps;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.logs.CapturedLog;
import org.jwtgate.testkit.tokens.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/**
 * A cluster whose nodes answer but do not serve every slot (a master down and no replica to promote): the start-up
 * WARN says the living masters answered CLUSTERDOWN, not that they did not answer, so an operator does not look for a
 * network fault.
 */
class StartupClusterDownIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension(RedisCluster.builder()
            .replicasPerMaster(0).nodeTimeout(Duration.ofMillis(500)));

    @Test
    void whenTheClusterAnswersClusterDownAtStartThenTheWarnSaysSoNotThatTheMasterDidNotAnswer() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        List<RedisCluster.Node> masters = cluster.masters();
        RedisCluster.Node alive = masters.get(0);
        RedisCluster.Node dead = masters.get(1);
        dead.kill();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!clusterInfo(alive).contains("cluster_state:fail") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(clusterInfo(alive).contains("cluster_state:fail"), "the cluster says it is down");

        CapturedLog log = CapturedLog.during(() -> {
            try (JettyApp app = JettyApp.startNamed("startup-clusterdown", ClusterApps.settings(
                    alive.hostAndPort() + "," + masters.get(2).hostAndPort(), "revocation.near-cache", "false"))) {
                assertEquals(503, app.getWithToken("/api", TestTokens.hs256("sid")).statusCode());
            }
        });
        String text = log.text();
        String aliveLine = log.warnings().stream().filter(l -> l.contains("start-up")
                && l.contains(alive.hostAndPort().toString())).findFirst().orElse("no WARN names " + alive + ":\n" + text);
        assertTrue(aliveLine.contains("answered the start-up check with CLUSTERDOWN")
                && aliveLine.contains("does not serve every slot") && !aliveLine.contains("did not answer"), aliveLine);
        assertTrue(log.warnings().stream().anyMatch(l -> l.contains("did not answer the start-up check")
                && l.contains(dead.hostAndPort().toString())), "the dead master still 'did not answer':\n" + text);
    }

    private static String clusterInfo(RedisCluster.Node node) {
        try (Jedis jedis = node.connect()) {
            return jedis.clusterInfo();
        }
    }
}
