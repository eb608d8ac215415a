package org.jwtgate.internal.revocation.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.config.RedisNode;
import org.jwtgate.config.RedisSettings;
import org.jwtgate.internal.revocation.RevocationKeys;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;

/**
 * The near-cache's full load on a real cluster, where it meets a master that has just restarted: for its
 * first two seconds (Redis's {@code CLUSTER_WRITABLE_DELAY}) such a master answers {@code SCAN} and
 * {@code CLUSTER NODES} as usual but every key read with {@code CLUSTERDOWN}. A load in that window must
 * fail (and be retried), not pass the stored revocations off as absent. Own cluster: a master restarts here;
 * its node timeout is long enough that no replica takes over meanwhile.
 */
class KeyspaceScannerIT {

    private static final String PREFIX = "jwtgate:";
    private static final RevocationKeys KEYS = new RevocationKeys(PREFIX);
    private static final String CHANNEL = PREFIX + "events";

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension(
            RedisCluster.builder().nodeTimeout(Duration.ofSeconds(5)));

    @Test
    void whenAMasterJustRestartedAndRefusesKeyReadsThenTheScanFailsInsteadOfMissingItsRevocations() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        String key = KEYS.userKey("restart-" + UUID.randomUUID());
        try (RedisClusterClient client = cluster.newClient()) {
            client.set(key, "1700000000000", SetParams.setParams().px(600_000));
            // Another application's key under the prefix, not a string: skipped, not a reason to fail.
            client.hset(KEYS.userKey("not-ours-" + UUID.randomUUID()), "field", "value");
        }
        assertEquals(List.of(key), scan(cluster));
        RedisCluster.Node master = cluster.masterForKey(key);

        // The window is about two seconds from the restart; a stalled test machine may miss it: try again.
        for (int attempt = 1; ; attempt++) {
            master.restart();
            boolean inWindow = stillRefusesKeyReads(master, key);
            RuntimeException refused = null;
            List<String> seen = new ArrayList<>();
            if (inWindow) {
                try (ClusterMasterConnections connections = connections(cluster)) {
                    new KeyspaceScanner(connections, PREFIX, CHANNEL, true).scan((k, v, ttl) -> seen.add(k));
                } catch (RuntimeException e) {
                    refused = e; // CLUSTERDOWN expected; any failure keeps the load from passing the key off as absent
                }
                inWindow = stillRefusesKeyReads(master, key);
            }
            if (inWindow) {
                // The whole scan ran while the master refused key reads.
                assertTrue(refused != null, "the scan returned " + seen + " while " + master + " refused key reads");
                assertTrue(refused instanceof JedisDataException && refused.getMessage().startsWith("CLUSTERDOWN"),
                        "refused by the master's CLUSTERDOWN: " + refused);
                break;
            }
            if (attempt == 3) {
                fail("3 restarts of " + master + ": the scan never ran inside its two-second window");
            }
            cluster.awaitClusterOk(Duration.ofSeconds(30));
        }

        cluster.awaitClusterOk(Duration.ofSeconds(30));
        assertEquals(List.of(key), scan(cluster), "once the master serves its keys, the scan finds the revocation");
    }

    private static boolean stillRefusesKeyReads(RedisCluster.Node node, String key) {
        try (Jedis jedis = node.connect()) {
            assertTrue(jedis.info("replication").contains("role:master"), node + " is still a master");
            jedis.get(key);
            return false;
        } catch (JedisDataException e) {
            return e.getMessage().startsWith("CLUSTERDOWN");
        }
    }

    private static List<String> scan(RedisCluster cluster) {
        try (ClusterMasterConnections connections = connections(cluster)) {
            List<String> seen = new ArrayList<>();
            new KeyspaceScanner(connections, PREFIX, CHANNEL, true).scan((k, value, ttl) -> {
                assertEquals("1700000000000", value);
                assertTrue(ttl > 0 && ttl <= 600_000, "ttl " + ttl);
                seen.add(k);
            });
            return seen;
        }
    }

    private static ClusterMasterConnections connections(RedisCluster cluster) {
        List<RedisNode> nodes = cluster.hostsAndPorts().stream()
                .map(node -> new RedisNode(node.getHost(), node.getPort())).toList();
        return new ClusterMasterConnections(new JedisClientSettings(
                new RedisSettings(nodes, PREFIX, 500, 3, 4, null, null, false)));
    }
}
