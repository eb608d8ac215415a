package org.jwtgate.internal.revocation.redis;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.RedisNode;
import org.jwtgate.config.RedisSettings;
import org.jwtgate.testkit.logs.CapturedLog;
import org.jwtgate.testkit.process.ServerProcesses;

/** The start-up check's WARN with nothing listening (connection refused: no server needed). */
class ClusterMasterConnectionsTest {

    /**
     * With Jedis's {@code jedis.cluster.initNoError} the client is built even when no seed answers, its slot map
     * empty: the start-up check finds slot 0 served by no master. No node answered, so the WARN must not say that the
     * cluster answered and that its slot map leaves the slot to no master (an operator then fixes slots, not the
     * network).
     */
    @Test
    void whenJedisTakesNoMapBecauseNoSeedAnswersThenTheStartupWarnDoesNotSayTheClusterAnswered() {
        int port = ServerProcesses.freeLoopbackPort();
        JedisClientSettings settings = new JedisClientSettings(new RedisSettings(List.of(new RedisNode("127.0.0.1", port)),
                "jwtgate:", 200, 3, 4, null, null, false));
        System.setProperty("jedis.cluster.initNoError", "true");
        CapturedLog log = CapturedLog.standardError();
        try (log; ClusterMasterConnections connections = new ClusterMasterConnections(settings)) {
            assertNotNull(connections.probeEveryMaster(slot -> {
                throw new AssertionError("no master to ask");
            }));
        } finally {
            System.clearProperty("jedis.cluster.initNoError");
        }
        String warning = log.warnings().stream().filter(line -> line.contains("Redis Cluster [")).findFirst()
                .orElse("no WARN names the cluster: " + log.text());
        assertTrue(warning.contains("did not answer the start-up check") && !warning.contains("answered the start-up"),
                warning);
    }
}
