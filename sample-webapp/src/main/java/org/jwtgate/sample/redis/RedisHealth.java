package org.jwtgate.sample.redis;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jwtgate.config.RedisNode;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;

/**
 * What the sample's Redis looks like right now, for {@code GET /health}: each node of the
 * cluster (as {@code CLUSTER NODES} lists them) is pinged with a short timeout.
 * <ul>
 *   <li>{@code DOWN}: no node answers, the cluster is not {@code ok}, or a master serving slots is
 *       unreachable (its slots cannot be written until a failover);</li>
 *   <li>{@code DEGRADED}: every slot is served, but some node is unreachable or failing (e.g. a
 *       replica, or an old master after a failover): working, with less redundancy;</li>
 *   <li>{@code UP}: everything answers.</li>
 * </ul>
 */
@Singleton
public class RedisHealth {

    public enum Status { UP, DEGRADED, DOWN }

    private static final int PROBE_TIMEOUT_MS = 300;

    private final SampleRedis redis;
    private final JedisClientConfig probeConfig;

    @Inject
    public RedisHealth(SampleRedis redis) {
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

    /** The status and the facts behind it (counts only: no addresses on a public endpoint). */
    public record Report(Status status, Map<String, Object> details) {
    }

    public Report check() {
        return redis.isCluster() ? checkCluster() : checkSingle();
    }

    private Report checkSingle() {
        RedisNode node = redis.seeds().get(0);
        boolean up = ping(node.host(), node.port());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mode", "single");
        details.put("reachable", up);
        return new Report(up ? Status.UP : Status.DOWN, details);
    }

    private Report checkCluster() {
        String nodesText = null;
        String state = "unknown";
        for (RedisNode seed : redis.seeds()) {
            try (Jedis jedis = new Jedis(new HostAndPort(seed.host(), seed.port()), probeConfig)) {
                String info = jedis.clusterInfo();
                state = info.contains("cluster_state:ok") ? "ok" : "fail";
                nodesText = jedis.clusterNodes();
                break;
            } catch (RuntimeException e) {
                // this seed is down: ask the next
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mode", "cluster");
        details.put("cluster_state", state);
        if (nodesText == null) {
            details.put("reachable", 0);
            return new Report(Status.DOWN, details);
        }
        List<String[]> nodes = new ArrayList<>();
        for (String line : nodesText.split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length >= 8) { // id, address, flags, master, ping, pong, epoch, link [, slots…]
                nodes.add(fields);
            }
        }
        int reachable = 0;
        int failing = 0;
        int servingMasters = 0;
        boolean servingMasterDown = false;
        for (String[] node : nodes) {
            boolean up = ping(node[1]);
            boolean flaggedFailing = node[2].contains("fail");
            boolean servesSlots = node[2].contains("master") && node.length > 8;
            reachable += up ? 1 : 0;
            failing += flaggedFailing ? 1 : 0;
            if (servesSlots) {
                servingMasters++;
                servingMasterDown |= !up;
            }
        }
        details.put("nodes", nodes.size());
        details.put("reachable", reachable);
        details.put("failing", failing);
        details.put("masters", servingMasters);
        Status status;
        if (!state.equals("ok") || servingMasterDown) {
            status = Status.DOWN;
        } else if (reachable < nodes.size() || failing > 0) {
            status = Status.DEGRADED;
        } else {
            status = Status.UP;
        }
        return new Report(status, details);
    }

    /** {@code host:port@cport[,hostname]} as CLUSTER NODES writes it. */
    private boolean ping(String clusterAddress) {
        String address = clusterAddress.split("@")[0];
        int colon = address.lastIndexOf(':');
        try {
            return colon > 0 && ping(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private boolean ping(String host, int port) {
        try (Jedis jedis = new Jedis(new HostAndPort(host, port), probeConfig)) {
            return "PONG".equals(jedis.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }
}
