package org.jwtgate.sample.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.config.RedisNode;
import org.jwtgate.config.RedisSettings;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import redis.clients.jedis.RedisClusterClient;

/**
 * The probes behind {@code /health} and {@code /admin/status} on a real cluster that announces host names
 * ({@code cluster-announce-hostname} with {@code cluster-preferred-endpoint-type hostname}, how Redis runs TLS with
 * certificates for names): the sample's client names its nodes by those names, and the probes must reach the nodes
 * by them too. By the addresses of {@code CLUSTER NODES}, TLS refuses each probe (the certificate names no address):
 * every node "down", {@code /health} 503 DOWN while logins work. Own cluster: its nodes' configuration changes here.
 */
class RedisTopologyIT {

    private static final String HOSTNAME = "localhost";

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    @Test
    void whenTheClusterAnnouncesHostNamesThenTheProbesReachTheNodesByTheNamesTheClientUses() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        cluster.announceHostname(HOSTNAME, Duration.ofSeconds(20));
        List<RedisNode> seeds = cluster.hostsAndPorts().stream().map(node -> new RedisNode(HOSTNAME, node.getPort())).toList();
        try (SampleRedis redis = SampleRedis.connect(seeds, new RedisSettings(seeds, "jwtgate:", 500, 3, 4, null, null, false),
                true)) {
            Set<String> clientNodes = redis.call("reading the slot map", r -> ((RedisClusterClient) r).getClusterNodes().keySet());
            Set<String> byName = cluster.nodes().stream().map(node -> HOSTNAME + ":" + node.port()).collect(Collectors.toSet());
            assertTrue(!clientNodes.isEmpty() && byName.containsAll(clientNodes),
                    "the client names its nodes by the announced names: " + clientNodes);

            RedisTopology.Snapshot snapshot = new RedisTopology(redis).look();

            assertEquals(byName, snapshot.nodes().stream().map(state -> state.node().address()).collect(Collectors.toSet()),
                    "the nodes the probes reach");
            assertTrue(snapshot.nodes().stream().allMatch(RedisTopology.NodeState::up), "every node answers: " + snapshot);
        }
    }
}
