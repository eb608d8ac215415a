package org.jwtgate.internal.revocation.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import redis.clients.jedis.HostAndPort;

/**
 * The near-cache's load on a real cluster that announces host names ({@code cluster-announce-hostname} with
 * {@code cluster-preferred-endpoint-type hostname}, how Redis runs TLS with certificates for names): the client
 * names its nodes by those names, and the load must reach the masters by them too. By the addresses of
 * {@code CLUSTER NODES}, TLS refuses each connection (the certificate names no address) and no load ever
 * succeeds. Own cluster: its nodes' configuration changes here.
 */
class ClusterLayoutIT {

    private static final String HOSTNAME = "localhost";
    private static final String CHANNEL = "jwtgate:events";

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    @Test
    void whenTheClusterAnnouncesHostNamesThenTheLoadReachesTheMastersByTheNamesTheClientUses() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        cluster.announceHostname(HOSTNAME, Duration.ofSeconds(20));
        List<RedisNode> seeds = cluster.hostsAndPorts().stream().map(node -> new RedisNode(HOSTNAME, node.getPort())).toList();
        try (ClusterMasterConnections connections = new ClusterMasterConnections(new JedisClientSettings(
                new RedisSettings(seeds, "jwtgate:", 500, 3, 4, null, null, false)))) {
            HostAndPort anchor = connections.masterFor(CHANNEL);
            assertEquals(HOSTNAME, anchor.getHost(), "the client names its nodes by the announced names");

            List<HostAndPort> masters = ClusterLayout.read(connections, anchor).masters();

            Set<HostAndPort> expected = cluster.masters().stream()
                    .map(master -> new HostAndPort(HOSTNAME, master.port())).collect(Collectors.toSet());
            assertEquals(expected, Set.copyOf(masters));
            new KeyspaceScanner(connections, "jwtgate:", CHANNEL, true).scan((key, value, ttl) -> { });
        }
    }
}
