package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jwtgate.testing.ClusterApps;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.logs.CapturedLog;
import org.jwtgate.testkit.tokens.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * {@code revocation.store=redis} naming a node of a Redis Cluster that does not serve the start-up check's slot: the
 * node answers MOVED. The start-up WARN says it is a cluster node and which setting to change, not that it is not
 * reachable nor that it will serve the checks once it can.
 */
class StartupClusterNodeAsSingleServerIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension(RedisCluster.builder().replicasPerMaster(0));

    @Test
    void whenTheSingleServerIsAClusterNodeThatRedirectsThenTheWarnSaysUseRedisCluster() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        RedisCluster.Node node = cluster.masters().stream().filter(m -> m.port() != slotZeroMaster(cluster).port())
                .findFirst().orElseThrow();
        CapturedLog log = CapturedLog.during(() -> {
            try (JettyApp app = JettyApp.startNamed("startup-cluster-node", ClusterApps.settings(
                    node.hostAndPort().toString(), "revocation.store", "redis", "revocation.min-replicas", "0",
                    "revocation.near-cache", "false"))) {
                assertEquals(503, app.getWithToken("/api", TestTokens.hs256(subjectNotOn(cluster, node))).statusCode());
            }
        });
        String text = log.text();
        String line = log.warnings().stream().filter(l -> l.contains("start-up")
                && l.contains(node.hostAndPort().toString())).findFirst().orElse("no WARN names " + node + ":\n" + text);
        assertTrue(line.contains("(MOVED 0 ") && line.contains("names a node of a Redis Cluster; use "
                + "revocation.store=redis-cluster") && !line.contains("not reachable") && !line.contains("until it"),
                line);
    }

    /** The master serving slot 0, where the single-server start-up check reads. */
    private static RedisCluster.Node slotZeroMaster(RedisCluster cluster) {
        for (int n = 0; ; n++) {
            if (JedisClusterCRC16.getSlot("{" + n + "}") == 0) {
                return cluster.masterForKey("{" + n + "}");
            }
        }
    }

    /** A subject whose keys another master than {@code node} holds. */
    private static String subjectNotOn(RedisCluster cluster, RedisCluster.Node node) {
        for (int n = 0; ; n++) {
            if (cluster.masterForKey(ClusterApps.KEYS.userKey("s" + n)).port() != node.port()) {
                return "s" + n;
            }
        }
    }
}
