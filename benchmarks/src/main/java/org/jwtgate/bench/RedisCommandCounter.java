package org.jwtgate.bench;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jwtgate.testkit.RedisCluster;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;

/**
 * Counts the commands a Redis Cluster executed, summed over every node (masters and replicas), from
 * {@code INFO commandstats}. Every command a client sends unpipelined is one round trip, so the
 * difference between two snapshots divided by the requests served is the round trips per request
 * (an upper bound when a client pipelines). Left out: our own {@code INFO} calls, and {@code REPLCONF},
 * which replicas send their master every second as part of replication, not on behalf of any client. The
 * counter sends nothing else: it reads through connections without a client name (the test kit's own send
 * {@code CLIENT SETNAME}) and tells masters by their own {@code INFO replication} (not {@code CLUSTER NODES}).
 */
final class RedisCommandCounter {

    private static final Pattern LINE = Pattern.compile("(?m)^cmdstat_([^:]+):calls=(\\d+)");
    private static final Set<String> NOT_CLIENT_ROUND_TRIPS = Set.of("info", "replconf");

    /**
     * Only INFO on the wire: no CLIENT SETNAME, no HELLO, no CLIENT SETINFO (Jedis sends two on connect by default;
     * Redis 7.2+ counts them as client|setinfo), which would be counted as the run's commands.
     */
    private static final JedisClientConfig SILENT = DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(1000)
            .socketTimeoutMillis(3000)
            .autoNegotiateProtocol(false)
            .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
            .build();

    private final RedisCluster cluster;

    RedisCommandCounter(RedisCluster cluster) {
        this.cluster = cluster;
    }

    /** Command name (e.g. {@code get}, {@code cluster|slots}) to calls, summed over the responsive nodes. */
    Map<String, Long> snapshot() {
        return snapshot(false);
    }

    /**
     * The same, over the masters only: what clients sent, plus what scripts ran there — without the
     * replicas' copies of the writes (a replica executes every replicated write again).
     */
    Map<String, Long> snapshotMasters() {
        return snapshot(true);
    }

    private Map<String, Long> snapshot(boolean mastersOnly) {
        Map<String, Long> total = new TreeMap<>();
        for (RedisCluster.Node node : cluster.nodes()) {
            if (!node.isResponsive()) {
                continue;
            }
            try (Jedis jedis = connect(node.hostAndPort())) {
                if (mastersOnly && !jedis.info("replication").contains("role:master")) {
                    continue;
                }
                parse(jedis.info("commandstats")).forEach((command, calls) -> total.merge(command, calls, Long::sum));
            }
        }
        return total;
    }

    /** A connection that sends nothing on its own: what is sent through it is all Redis counts of it. */
    static Jedis connect(HostAndPort node) {
        return new Jedis(node, SILENT);
    }

    /** The {@code cmdstat_<name>:calls=<n>,...} lines of INFO commandstats, without {@code info} and {@code replconf}. */
    static Map<String, Long> parse(String commandstats) {
        Map<String, Long> calls = new TreeMap<>();
        Matcher m = LINE.matcher(commandstats);
        while (m.find()) {
            if (!NOT_CLIENT_ROUND_TRIPS.contains(m.group(1))) {
                calls.put(m.group(1), Long.parseLong(m.group(2)));
            }
        }
        return calls;
    }

    /** Calls made between two snapshots, per command; commands with none are left out. */
    static Map<String, Long> difference(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> delta = new TreeMap<>();
        after.forEach((command, calls) -> {
            long made = calls - before.getOrDefault(command, 0L);
            if (made > 0) {
                delta.put(command, made);
            }
        });
        return delta;
    }

    static long total(Map<String, Long> calls) {
        return calls.values().stream().mapToLong(Long::longValue).sum();
    }

    /** {@code get=12, exists=3}, largest first. */
    static String describe(Map<String, Long> calls) {
        if (calls.isEmpty()) {
            return "none";
        }
        return calls.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
