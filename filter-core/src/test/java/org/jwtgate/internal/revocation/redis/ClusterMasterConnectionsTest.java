package org.jwtgate.internal.revocation.redis;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.RedisNode;
import org.jwtgate.config.RedisSettings;
import org.jwtgate.testing.HungNode;
import org.jwtgate.testkit.logs.CapturedLog;
import org.jwtgate.testkit.process.ServerProcesses;

/** The start-up check's WARN with nothing listening (connection refused: no server needed), and hung seeds. */
class ClusterMasterConnectionsTest {

    /**
     * Closed (undeploy, reload) while a discovery asks seeds that accept connections and never answer (hung nodes):
     * each costs its read timeout, which no interrupt shortens, so the discovery runs about 3 s here; close() waited
     * 2 s, then returned with jwtgate-redis-cluster-discovery still running, which Tomcat reports as a thread the
     * application failed to stop.
     */
    @Test
    void whenClosedWhileADiscoveryAsksHungSeedsThenItsThreadEndsBeforeCloseReturns() throws Exception {
        List<Thread> before = discoveryThreads();
        List<HungNode> hung = new ArrayList<>();
        try {
            List<RedisNode> seeds = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                HungNode node = new HungNode();
                hung.add(node);
                seeds.add(new RedisNode("127.0.0.1", node.port()));
            }
            JedisClientSettings settings = new JedisClientSettings(new RedisSettings(seeds, "jwtgate:", 1_000, 3, 4, null,
                    null, false));
            CapturedLog log = CapturedLog.standardError();
            try (log) {
                ClusterMasterConnections connections = new ClusterMasterConnections(settings); // asks each, in vain
                int atStart = accepted(hung);
                connections.slotsMoved(); // a discovery on its thread, asking each seed again
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (accepted(hung) == atStart) {
                    assertTrue(System.nanoTime() - deadline < 0, "the discovery connected to no seed");
                    Thread.sleep(10);
                }
                connections.close();
            }
            List<Thread> left = new ArrayList<>(discoveryThreads());
            left.removeAll(before);
            assertTrue(left.isEmpty(), "alive after close(): " + left);
        } finally {
            for (HungNode node : hung) {
                node.close();
            }
        }
    }

    private static int accepted(List<HungNode> nodes) {
        return nodes.stream().mapToInt(node -> node.accepted().size()).sum();
    }

    private static List<Thread> discoveryThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("jwtgate-redis-cluster-discovery") && thread.isAlive())
                .toList();
    }

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
