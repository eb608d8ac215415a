package org.jwtgate.internal.revocation.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.config.RedisNode;
import org.jwtgate.config.RedisSettings;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * The cluster in use is re-created at the same address (its data and nodes.conf lost: a Helm reinstall or
 * docker-compose without a volume, {@code redis-cli --cluster create} after a total loss). Its node has a new ID: a
 * running instance follows it at its next rediscovery (a check of node IDs refused it for good, until a restart, in a
 * version that never shipped). Own cluster: its node is reset here.
 */
class ClusterRecreatedIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension(RedisCluster.builder().masters(1).replicasPerMaster(0));

    @Test
    void whenTheClusterIsRecreatedAtTheSameAddressThenTheRunningInstanceFollowsItAfterARediscovery() throws Exception {
        RedisCluster.Node node = REDIS.cluster().masters().get(0);
        JedisClientSettings settings = new JedisClientSettings(new RedisSettings(
                List.of(new RedisNode(RedisCluster.HOST, node.port())), "jwtgate:", 500, 3, 4, null, null, false));
        try (ClusterMasterConnections connections = new ClusterMasterConnections(settings)) {
            connections.slotsMoved().get(10, TimeUnit.SECONDS); // the first refresh: learns the cluster's node IDs
            assertEquals(node.port(), connections.masterFor("k").getPort());

            String oldId;
            String newId;
            try (Jedis jedis = new Jedis(new HostAndPort(RedisCluster.HOST, node.port()))) {
                oldId = jedis.clusterMyId();
                jedis.flushAll();
                jedis.clusterReset(redis.clients.jedis.args.ClusterResetType.HARD); // a new node ID, no slot
                jedis.sendCommand(Protocol.Command.CLUSTER, "ADDSLOTSRANGE", "0", "16383");
                newId = jedis.clusterMyId();
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (!jedis.clusterInfo().contains("cluster_state:ok") && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
            }
            System.out.printf("cluster re-created at %s: node ID %s -> %s%n", node.port(), oldId, newId);

            RuntimeException last = null;
            for (int rediscovery = 1; rediscovery <= 10; rediscovery++) {
                connections.slotsMoved().get(10, TimeUnit.SECONDS);
                try {
                    connections.masterFor("k");
                    System.out.printf("followed after %d rediscoveries%n", rediscovery);
                    return;
                } catch (RuntimeException e) {
                    last = e;
                }
            }
            fail("after 10 rediscoveries the re-created cluster (the only node of redis.nodes, same address) is still "
                    + "refused: " + last + "; health: " + connections.probe(slot -> {
                        throw new AssertionError("not reached");
                    }));
        }
    }
}
