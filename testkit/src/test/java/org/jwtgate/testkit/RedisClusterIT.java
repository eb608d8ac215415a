package org.jwtgate.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.testkit.junit.RedisClusterExtension;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;

/**
 * Proves the Redis Cluster rig: formation, routing, failover, pause, whole-cluster restart, and the embedded
 * 6.2 binary. Every test leaves the shared cluster healthy (3 masters, 3 replicas), whatever its order.
 */
class RedisClusterIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    @Test
    void formsThreeMastersWithOneReplicaEach(RedisCluster cluster) {
        assertSame(REDIS.cluster(), cluster, "the parameter is the extension's cluster");
        assertEquals(6, cluster.nodes().size());
        assertEquals(6, cluster.hostsAndPorts().size());
        assertEquals(6, cluster.nodesSpec().split(",").length);
        assertTrue(cluster.nodesSpec().matches("(127\\.0\\.0\\.1:\\d+,){5}127\\.0\\.0\\.1:\\d+"), cluster.nodesSpec());

        List<RedisCluster.Node> masters = cluster.masters();
        assertEquals(3, masters.size());
        assertEquals(3, cluster.replicas().size());
        for (RedisCluster.Node master : masters) {
            assertEquals(RedisCluster.Role.MASTER, master.role());
            RedisCluster.Node replica = cluster.replicaOf(master);
            assertEquals(RedisCluster.Role.REPLICA, replica.role());
        }
        for (RedisCluster.Node node : cluster.nodes()) {
            assertTrue(node.isAlive() && node.pid() > 0);
            try (Jedis jedis = node.connect()) {
                assertTrue(jedis.clusterInfo().contains("cluster_state:ok"), node + " is not ok");
                assertTrue(jedis.clusterInfo().contains("cluster_known_nodes:6"), node + " does not know all nodes");
            }
        }
    }

    @Test
    void clientWritesAndReadsKeysOnEveryMaster(RedisCluster cluster) {
        List<String> keys = IntStream.range(0, 100).mapToObj(i -> "spread-" + i).toList();
        Set<RedisCluster.Node> owners = new HashSet<>();
        keys.forEach(k -> owners.add(cluster.masterForKey(k)));
        assertEquals(3, owners.size(), "100 keys should land on every master");

        try (RedisClusterClient client = cluster.newClient()) {
            keys.forEach(k -> client.set(k, "v-" + k));
            keys.forEach(k -> assertEquals("v-" + k, client.get(k)));
        }
        String key = keys.get(0);
        try (Jedis master = cluster.masterForKey(key).connect()) {
            assertEquals("v-" + key, master.get(key), "masterForKey names the node that holds the key");
        }
    }

    @Test
    void killedMasterIsReplacedByItsReplicaAndTheKeySurvives(RedisCluster cluster) {
        String key = "failover-key";
        RedisCluster.Node master = cluster.masterForKey(key);
        RedisCluster.Node replica = cluster.replicaOf(master);
        writeAndAwaitReplica(master, key, "survives");

        try (RedisClusterClient client = cluster.newClient()) {
            assertEquals("survives", client.get(key)); // caches the slot map before the failure
            long pid = master.pid();
            master.kill();
            assertFalse(master.isAlive());
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the process is gone");

            RedisCluster.Node promoted = cluster.awaitFailover(master, TIMEOUT);

            assertSame(replica, promoted);
            assertEquals(RedisCluster.Role.MASTER, promoted.role());
            assertSame(promoted, cluster.masterForKey(key));
            assertEquals("survives", client.get(key), "the client follows the failover");
        }

        master.restart();
        cluster.awaitClusterOk(TIMEOUT);
        assertEquals(RedisCluster.Role.REPLICA, master.role(), "the old master rejoins as a replica");
        assertSame(master, cluster.replicaOf(replica));
    }

    @Test
    void pausedMasterFailsOverAndRejoinsAfterResume(RedisCluster cluster) {
        String key = "pause-key";
        RedisCluster.Node master = cluster.masterForKey(key);
        RedisCluster.Node replica = cluster.replicaOf(master);
        writeAndAwaitReplica(master, key, "still-here");

        master.pause();
        assertTrue(master.isPaused() && master.isAlive());
        RedisCluster.Node promoted = cluster.awaitFailover(master, TIMEOUT);
        assertSame(replica, promoted);

        master.resume();
        assertFalse(master.isPaused());
        cluster.awaitClusterOk(TIMEOUT);
        assertEquals(RedisCluster.Role.REPLICA, master.role());
        try (RedisClusterClient client = cluster.newClient()) {
            assertEquals("still-here", client.get(key));
        }
    }

    @Test
    void wholeClusterRestartKeepsTopologyAndData(RedisCluster cluster) {
        List<String> keys = IntStream.range(0, 50).mapToObj(i -> "restart-" + i).toList();
        try (RedisClusterClient client = cluster.newClient()) {
            keys.forEach(k -> client.set(k, k.toUpperCase()));
        }
        // Asked of the live nodes: Node.id() is the rig's record from the cluster's formation, equal whatever happens.
        List<String> ids = liveIds(cluster);
        String topology = liveTopology(cluster);
        List<Integer> ports = cluster.nodes().stream().map(RedisCluster.Node::port).toList();

        cluster.stopAll();
        cluster.nodes().forEach(n -> assertFalse(n.isAlive(), n + " still runs"));
        cluster.startAll();

        assertEquals(ids, liveIds(cluster), "same node ids");
        assertEquals(topology, liveTopology(cluster), "the same masters, replicas and slots");
        assertEquals(ports, cluster.nodes().stream().map(RedisCluster.Node::port).toList(), "same ports");
        assertEquals(3, cluster.masters().size());
        assertEquals(3, cluster.replicas().size());
        try (RedisClusterClient client = cluster.newClient()) {
            keys.forEach(k -> assertEquals(k.toUpperCase(), client.get(k), "AOF kept " + k));
        }
    }

    @Test
    void flushAllEmptiesMastersAndReplicas(RedisCluster cluster) {
        try (RedisClusterClient client = cluster.newClient()) {
            IntStream.range(0, 30).forEach(i -> client.set("flush-" + i, "x"));
            cluster.flushAll();
            IntStream.range(0, 30).forEach(i -> assertNull(client.get("flush-" + i)));
        }
        for (RedisCluster.Node node : cluster.nodes()) {
            try (Jedis jedis = node.connect()) {
                assertEquals(0, jedis.dbSize(), node + " still has keys");
            }
        }
    }

    /**
     * flushAll waits until the replicas applied the flush (WAIT on the FLUSHALL's own connection): one that never
     * does is an error. flushAllEmptiesMastersAndReplicas cannot tell: on loopback a replica applies the flush
     * before anyone looks, whether flushAll waited or not.
     */
    @Test
    void flushAllFailsWhenAReplicaDoesNotApplyTheFlush(RedisCluster cluster) {
        List<RedisCluster.Node> nodes = cluster.nodes();
        // A master whose replica comes after it in creation order, flushAll's order: the master is flushed first.
        RedisCluster.Node master = cluster.masters().stream()
                .filter(m -> nodes.indexOf(cluster.replicaOf(m)) > nodes.indexOf(m))
                .findFirst().orElseThrow();
        RedisCluster.Node stuck = cluster.replicaOf(master);
        // Stopped behind the rig's back: to the rig it still answers, so flushAll must wait for it.
        Processes.signal(stuck.pid(), "STOP");
        try {
            RedisClusterException e = assertThrows(RedisClusterException.class, cluster::flushAll);
            assertTrue(e.getMessage().contains("reached 0 of 1 replicas"), e.getMessage());
        } finally {
            Processes.signal(stuck.pid(), "CONT");
        }
        cluster.awaitClusterOk(TIMEOUT);
    }

    @Test
    void formsWithTheEmbeddedRedis62Binary() {
        RedisServerBinary embedded = RedisServerBinary.embedded();
        assertTrue(embedded.version().startsWith("6.2."), embedded.toString());

        try (RedisCluster cluster = RedisCluster.builder().binary(embedded).start();
                RedisClusterClient client = cluster.newClient()) {
            assertEquals(3, cluster.masters().size());
            client.set("embedded-key", "6.2");
            assertEquals("6.2", client.get("embedded-key"));
            try (Jedis jedis = cluster.nodes().get(0).connect()) {
                assertTrue(jedis.info("server").contains("redis_version:6.2."), "runs the embedded binary");
            }
        }
    }

    @Test
    void binaryLookupHonoursTheSystemPropertyAndReportsBadPaths() {
        String previous = System.getProperty(RedisServerBinary.PROPERTY);
        try {
            System.setProperty(RedisServerBinary.PROPERTY, RedisServerBinary.EMBEDDED);
            assertEquals(RedisServerBinary.embedded().path(), RedisServerBinary.locate().path());

            Path missing = Path.of("/nonexistent/redis-server");
            System.setProperty(RedisServerBinary.PROPERTY, missing.toString());
            RedisClusterException e = assertThrows(RedisClusterException.class, RedisServerBinary::locate);
            assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        } finally {
            if (previous == null) {
                System.clearProperty(RedisServerBinary.PROPERTY);
            } else {
                System.setProperty(RedisServerBinary.PROPERTY, previous);
            }
        }
        assertNotEquals("", RedisServerBinary.locate().version());
    }

    private static List<String> liveIds(RedisCluster cluster) {
        return cluster.nodes().stream().map(n -> {
            try (Jedis jedis = n.connect()) {
                return jedis.clusterMyId();
            }
        }).toList();
    }

    /** Who replicates whom and which master serves which slots, as the first node sees it. */
    private static String liveTopology(RedisCluster cluster) {
        try (Jedis jedis = cluster.nodes().get(0).connect()) {
            return ClusterTopology.parse(jedis.clusterNodes()).roleAndSlotMap();
        }
    }

    /** SET and WAIT on one connection to the master: the write is on the replica before the test breaks things. */
    private static void writeAndAwaitReplica(RedisCluster.Node master, String key, String value) {
        try (Jedis jedis = master.connect()) {
            jedis.set(key, value);
            assertEquals(1, jedis.waitReplicas(1, 2000), "the replica acknowledged the write");
        }
    }
}
