package org.jwtgate.internal.revocation.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.config.RedisNode;
import org.jwtgate.config.RedisSettings;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * The cluster's node is replaced the documented way (a new node added, every slot moved to it, the old node forgotten
 * and shut down), while this instance makes no check (idle: no MOVED, no rediscovery in between). redis.nodes names
 * both (the old node and the new). The next rediscovery takes the new node's map (a check of node IDs refused it for
 * good in a version that never shipped).
 */
class NodeReplacedWhileIdleIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension(RedisCluster.builder().masters(1).replicasPerMaster(0));

    @Test
    void whenTheClustersNodeIsReplacedWhileTheInstanceIsIdleThenItFollowsTheClusterAtItsNextRediscovery() throws Exception {
        RedisCluster.Node old = REDIS.cluster().masters().get(0);
        try (RedisCluster spare = RedisCluster.builder().masters(1).replicasPerMaster(0).start()) {
            RedisCluster.Node fresh = spare.masters().get(0);
            String freshId;
            try (Jedis j = fresh.connect()) {
                j.flushAll();
                j.clusterReset(redis.clients.jedis.args.ClusterResetType.HARD); // an empty node of no cluster
                freshId = j.clusterMyId();
            }
            JedisClientSettings settings = new JedisClientSettings(new RedisSettings(List.of(
                    new RedisNode(RedisCluster.HOST, old.port()), new RedisNode(RedisCluster.HOST, fresh.port())),
                    "jwtgate:", 500, 3, 4, null, null, false));
            try (ClusterMasterConnections connections = new ClusterMasterConnections(settings)) {
                connections.slotsMoved().get(10, TimeUnit.SECONDS); // learns the cluster's node IDs
                assertEquals(old.port(), connections.masterFor("k").getPort());

                // Idle from here: the new node joins, takes every slot; the old one is forgotten and shut down.
                String oldId;
                try (Jedis a = old.connect()) {
                    oldId = a.clusterMyId();
                    a.clusterMeet(RedisCluster.HOST, fresh.port());
                }
                await("both nodes to know each other", () -> knows(old, freshId) && knows(fresh, oldId));
                await("the new node to see the old one's slots", () -> servesAll(fresh, oldId));
                try (Jedis a = old.connect(); Jedis d = fresh.connect()) {
                    a.sendCommand(Protocol.Command.CLUSTER, "DELSLOTSRANGE", "0", "16383");
                    d.sendCommand(Protocol.Command.CLUSTER, "DELSLOTSRANGE", "0", "16383");
                    d.sendCommand(Protocol.Command.CLUSTER, "ADDSLOTSRANGE", "0", "16383");
                    d.sendCommand(Protocol.Command.CLUSTER, "BUMPEPOCH");
                }
                await("the new node to serve every slot, in both views", () -> servesAll(old, freshId)
                        && servesAll(fresh, freshId));
                old.stop();
                try (Jedis d = fresh.connect()) {
                    d.clusterForget(oldId);
                }
                await("the new node's cluster to be ok", () -> {
                    try (Jedis d = fresh.connect()) {
                        return d.clusterInfo().contains("cluster_state:ok");
                    }
                });

                RuntimeException last = null;
                for (int rediscovery = 1; rediscovery <= 10; rediscovery++) {
                    connections.slotsMoved().get(10, TimeUnit.SECONDS);
                    try {
                        assertEquals(fresh.port(), connections.masterFor("k").getPort());
                        System.out.printf("followed the replaced node after %d rediscoveries%n", rediscovery);
                        return;
                    } catch (RuntimeException e) {
                        last = e;
                    }
                }
                fail("after 10 rediscoveries the cluster, now served by its new node " + fresh.port()
                        + " (named in redis.nodes), is still refused: " + last);
            } finally {
                if (!old.isAlive()) {
                    old.restart(); // for the extension's cluster's close; its slots now belong elsewhere
                }
            }
        }
    }

    private static boolean knows(RedisCluster.Node node, String id) {
        try (Jedis j = node.connect()) {
            return j.clusterNodes().lines().anyMatch(l -> l.startsWith(id + " ") && !l.contains("handshake"));
        }
    }

    private static boolean servesAll(RedisCluster.Node node, String id) {
        try (Jedis j = node.connect()) {
            return j.clusterNodes().lines().anyMatch(l -> l.startsWith(id + " ") && l.endsWith(" 0-16383"));
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        fail("timed out waiting for " + what);
    }
}
