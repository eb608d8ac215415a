package org.jwtgate.sample.redis;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import org.jwtgate.config.RedisNode;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;

/**
 * The sample's Redis as it is right now: the cluster's own list of nodes ({@code CLUSTER NODES},
 * from the first seed that answers) and a {@code PING} to each, by the names the cluster client reaches them by
 * (see {@link ClusterNode#parseAll(String, String)}), every wait bounded by a short
 * timeout. One-off connections, not the pool: a probe must not queue behind requests, nor a
 * request behind a probe of a dead node.
 */
@Singleton
public class RedisTopology {

    private static final int PROBE_TIMEOUT_MS = 300;

    private final SampleRedis redis;
    private final JedisClientConfig probeConfig;

    @Inject
    public RedisTopology(SampleRedis redis) {
        this.redis = redis;
        JedisClientConfig config = redis.clientConfig();
        DefaultJedisClientConfig.Builder probe = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(PROBE_TIMEOUT_MS)
                .socketTimeoutMillis(PROBE_TIMEOUT_MS)
                .user(config.getUser())
                .password(config.getPassword())
                .clientName("jwtgate-sample-health")
                .autoNegotiateProtocol(false);
        if (config.getSslOptions() != null) {
            probe.sslOptions(config.getSslOptions());
        }
        this.probeConfig = probe.build();
    }

    /** A node and whether it answered the probe's PING. */
    public record NodeState(ClusterNode node, boolean up) {
    }

    /**
     * What the probe saw.
     *
     * @param cluster      a Redis Cluster (else one node: {@code revocation.store=redis})
     * @param clusterState {@code ok} or {@code fail} as {@code CLUSTER INFO} says, {@code unknown} when no seed
     *                     answered; {@code null} for a single node
     * @param nodes        every node the cluster lists, empty when no seed answered
     */
    public record Snapshot(boolean cluster, String clusterState, List<NodeState> nodes) {

        public Snapshot {
            nodes = List.copyOf(nodes);
        }
    }

    public Snapshot look() {
        return redis.isCluster() ? lookAtCluster() : lookAtSingle();
    }

    private Snapshot lookAtSingle() {
        RedisNode seed = redis.seeds().get(0);
        ClusterNode node = new ClusterNode("-", seed.host(), seed.port(), ClusterNode.Role.MASTER, null, false, true);
        return new Snapshot(false, null, List.of(new NodeState(node, ping(seed.host(), seed.port()))));
    }

    private Snapshot lookAtCluster() {
        for (RedisNode seed : redis.seeds()) {
            try (Jedis jedis = new Jedis(new HostAndPort(seed.host(), seed.port()), probeConfig)) {
                String state = jedis.clusterInfo().contains("cluster_state:ok") ? "ok" : "fail";
                List<NodeState> nodes = new ArrayList<>();
                for (ClusterNode node : ClusterNode.parseAll(jedis.clusterNodes(), seed.host())) {
                    nodes.add(new NodeState(node, ping(node.host(), node.port())));
                }
                return new Snapshot(true, state, nodes);
            } catch (RuntimeException e) {
                // this seed is down: ask the next
            }
        }
        return new Snapshot(true, "unknown", List.of());
    }

    private boolean ping(String host, int port) {
        if (host.isEmpty() || port <= 0) {
            return false;
        }
        try (Jedis jedis = new Jedis(new HostAndPort(host, port), probeConfig)) {
            return "PONG".equals(jedis.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }
}
