package org.jwtgate.internal.revocation.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisClusterException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisMovedDataException;

/**
 * An announcement counts only if the node that ran it is where fresh subscribers listen: the master of the
 * channel's slot, in a healthy cluster. Redis itself lets two other nodes run {@code SPUBLISH} without a
 * redirection — a replica of that master (which forwards it to the master over the cluster bus, later and
 * not ordered with the subscribers' heartbeats, or not at all if that link is down) and a master whose
 * cluster is down — so a writer with a stale slot map (after a failover, or talking to a master cut off from
 * the others) would have its announcement acknowledged without the proof that fresh subscribers got it. Real nodes (Redis 7: sharded pub/sub). Own cluster: a
 * master restarts here, with a node timeout long enough that no replica takes over.
 */
class AnnouncementChannelIT {

    private static final AnnouncementChannel CHANNEL = new AnnouncementChannel("jwtgate:", true);

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension(
            RedisCluster.builder().nodeTimeout(Duration.ofSeconds(5)));

    @Test
    void whenAnnouncedOnTheChannelsMasterThenAccepted() {
        RedisCluster.Node master = REDIS.cluster().masterForKey(CHANNEL.events());
        try (Connection connection = new Connection(master.hostAndPort())) {
            assertEquals(0L, CHANNEL.announce(connection, "1|1|0|jwtgate:{a}:user"), "no subscriber here");
        }
    }

    @Test
    void whenAnnouncedOnAReplicaOfTheChannelsMasterThenRedirectedNotAcknowledged() {
        RedisCluster cluster = REDIS.cluster();
        RedisCluster.Node replica = cluster.replicaOf(cluster.masterForKey(CHANNEL.events()));
        try (Connection connection = new Connection(replica.hostAndPort())) {
            JedisMovedDataException moved = assertThrows(JedisMovedDataException.class,
                    () -> CHANNEL.announce(connection, "1|1|0|jwtgate:{a}:user"));
            assertEquals(cluster.masterForKey(CHANNEL.events()).port(), moved.getTargetNode().getPort());
        }
    }

    @Test
    void whenAnnouncedOnAMasterWhoseClusterIsDownThenRefused() {
        RedisCluster cluster = REDIS.cluster();
        RedisCluster.Node master = cluster.masterForKey(CHANNEL.events());
        // A master is in a down cluster, as it sees it, for about two seconds after it starts; a stalled
        // machine may miss that window: try again.
        for (int attempt = 1; ; attempt++) {
            master.restart();
            JedisDataException refused = null;
            boolean inWindow = clusterDown(master);
            if (inWindow) {
                try (Connection connection = new Connection(master.hostAndPort())) {
                    CHANNEL.announce(connection, "1|1|0|jwtgate:{a}:user");
                } catch (JedisDataException e) {
                    refused = e;
                }
                inWindow = clusterDown(master);
            }
            if (inWindow) {
                assertTrue(refused instanceof JedisClusterException, "refused with CLUSTERDOWN: " + refused);
                assertTrue(refused.getMessage().startsWith("CLUSTERDOWN"), refused.getMessage());
                break;
            }
            if (attempt == 3) {
                fail("3 restarts of " + master + ": the announcement never ran inside its two-second window");
            }
            cluster.awaitClusterOk(Duration.ofSeconds(30));
        }
        cluster.awaitClusterOk(Duration.ofSeconds(30));
    }

    private static boolean clusterDown(RedisCluster.Node node) {
        try (Jedis jedis = node.connect()) {
            assertTrue(jedis.info("replication").contains("role:master"), node + " is still a master");
            return jedis.clusterInfo().contains("cluster_state:fail");
        }
    }
}
