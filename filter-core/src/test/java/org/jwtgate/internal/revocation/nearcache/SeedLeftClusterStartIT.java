package org.jwtgate.internal.revocation.nearcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.jwtgate.testing.ClusterApps;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.logs.CapturedLog;
import org.jwtgate.testkit.tokens.TestTokens;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClusterResetType;

/**
 * {@code redis.nodes} names one node, which has since left the cluster ({@code redis-cli --cluster del-node} resets
 * it: it serves no slot and knows no other node). The instance restarts: it serves no check, and its start-up WARN
 * says that node belongs to no cluster and that {@code redis.nodes} should name nodes of the cluster. It does not
 * advise {@code CLUSTER ADDSLOTS} or {@code redis-cli --cluster fix}: followed on that node, that would make a new,
 * empty cluster of it, and the instance would then accept every token revoked in the real one.
 */
class SeedLeftClusterStartIT {

    @Test
    void whenTheOnlySeedHasLeftTheClusterThenTheStartDoesNotAdviseGivingItSlots() throws Exception {
        try (RedisCluster cluster = RedisCluster.builder().masters(1).replicasPerMaster(1).start()) {
            RedisCluster.Node left = cluster.replicas().get(0);
            try (Jedis j = left.connect()) {
                j.clusterReset(ClusterResetType.SOFT); // what del-node leaves behind (after CLUSTER FORGET elsewhere)
            }
            String log;
            int status;
            try (CapturedLog captured = CapturedLog.standardError();
                 JettyApp app = JettyApp.start(ClusterApps.settings(RedisCluster.HOST + ":" + left.port(),
                         "revocation.near-cache", "false"))) {
                status = app.getWithToken("/api", TestTokens.hs256("seed-left-" + UUID.randomUUID())).statusCode();
                log = String.join("\n", captured.warnings());
            }
            System.out.println("[seed left, restart] status " + status + "; warnings:\n" + log);
            assertEquals(503, status, "no check is served (failure-mode closed)");
            assertTrue(log.contains("belongs to no cluster") && log.contains("redis.nodes"), log);
            assertFalse(log.contains("CLUSTER ADDSLOTS") || log.contains("--cluster fix"),
                    "the start-up advice for a seed that serves no slot and knows no other node (it left its cluster)"
                            + " must not be to give it slots: " + log);
        }
    }
}
