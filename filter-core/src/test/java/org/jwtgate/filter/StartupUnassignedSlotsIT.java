package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.jwtgate.testing.ClusterApps;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.logs.CapturedLog;
import org.jwtgate.testkit.tokens.TestTokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A cluster whose slot map leaves slots 100-199 to no master (deleted with {@code CLUSTER DELSLOTS} on every node, as
 * slots never assigned): every node answers, so the start-up WARN says the slot map leaves slots to no master, not
 * that the cluster is not reachable or did not answer.
 */
class StartupUnassignedSlotsIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension(RedisCluster.builder().replicasPerMaster(0));

    @BeforeAll
    static void deleteSlots() {
        int[] slots = IntStream.rangeClosed(100, 199).toArray(); // CLUSTER DELSLOTS: DELSLOTSRANGE needs Redis 7
        for (RedisCluster.Node node : REDIS.cluster().nodes()) {
            try (Jedis jedis = node.connect()) {
                jedis.clusterDelSlots(slots);
            }
        }
    }

    /** Jedis takes no slot map with holes: the client is not built, and the WARN says why, not "not reachable". */
    @Test
    void whenSlotsAreServedByNoMasterAtStartThenTheWarnSaysSoNotThatTheClusterIsNotReachable() throws Exception {
        String line = startupWarning();
        assertTrue(line.contains("answered at start-up, but its slot map leaves slots to no master")
                && line.contains("Cluster slots have holes") && !line.contains("not reachable"), line);
    }

    /**
     * With Jedis's {@code jedis.cluster.initNoError} the client takes the map, and the start-up check finds slot 100
     * served by no master: the WARN names the slot, not "did not answer the start-up check".
     */
    @Test
    void whenJedisTakesAMapWithHolesThenTheStartupCheckNamesTheSlotNoMasterServes() throws Exception {
        System.setProperty("jedis.cluster.initNoError", "true");
        try {
            String line = startupWarning();
            assertTrue(line.contains("answered the start-up check, but its slot map leaves slot 100 to no master")
                    && !line.contains("did not answer"), line);
        } finally {
            System.clearProperty("jedis.cluster.initNoError");
        }
    }

    /** Starts an instance, checks a user of a deleted slot is answered 503, returns the WARN naming the cluster. */
    private static String startupWarning() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        CapturedLog log = CapturedLog.during(() -> {
            try (JettyApp app = JettyApp.startNamed("startup-unassigned", ClusterApps.settings(cluster.nodesSpec(),
                    "revocation.near-cache", "false"))) {
                assertEquals(503, app.getWithToken("/api", TestTokens.hs256(subjectInSlots(100, 199))).statusCode());
            }
        });
        String text = log.text();
        return log.warnings().stream().filter(l -> l.contains("Redis Cluster ["))
                .findFirst().orElse("no WARN names the cluster:\n" + text);
    }

    /** A subject whose keys fall in a slot from {@code first} to {@code last}. */
    private static String subjectInSlots(int first, int last) {
        for (int n = 0; ; n++) {
            int slot = JedisClusterCRC16.getSlot(ClusterApps.KEYS.userKey("u" + n));
            if (slot >= first && slot <= last) {
                return "u" + n;
            }
        }
    }
}
