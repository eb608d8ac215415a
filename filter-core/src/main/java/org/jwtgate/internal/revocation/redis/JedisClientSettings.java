package org.jwtgate.internal.revocation.redis;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jwtgate.config.RedisNode;
import org.jwtgate.config.RedisSettings;
import org.jwtgate.internal.metrics.GateMetrics;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.SslVerifyMode;

/**
 * Turns {@code redis.*} settings into Jedis client and pool configuration, the same for the cluster
 * and the single-node store. Every wait is bounded: connect and read by {@code redis.timeout-ms},
 * the pool's borrow wait by {@code redis.timeout-ms} too (an unbounded wait would park request
 * threads behind a dead node), and a whole call with its retries by {@link #retryBudget()}.
 */
final class JedisClientSettings {

    /** Client name shown by {@code CLIENT LIST}, so operators can tell JwtGate's connections apart. */
    static final String CLIENT_NAME = "jwtgate";
    /** Upper bound of one call's retries, whatever {@code timeout × attempts} gives. */
    static final Duration MAX_RETRY_BUDGET = Duration.ofSeconds(5);

    private final RedisSettings redis;
    private final GateMetrics metrics;

    JedisClientSettings(RedisSettings redis) {
        this(redis, new GateMetrics());
    }

    JedisClientSettings(RedisSettings redis, GateMetrics metrics) {
        this.redis = redis;
        this.metrics = metrics;
    }

    /** Where the Redis parts count their calls, failures, announcements and shortfalls. */
    GateMetrics metrics() {
        return metrics;
    }

    JedisClientConfig clientConfig() {
        return builder()
                .socketTimeoutMillis(redis.timeoutMs())
                // RESP2 without a HELLO round trip: the commands used here answer the same in both.
                .autoNegotiateProtocol(false)
                .build();
    }

    /**
     * For the near-cache's subscription: RESP3, so commands (heartbeats) can be sent while subscribed
     * and their answers arrive in order with the pushes; a read timeout of its own, longer than the
     * near-cache's watchdog, which ends a silent subscription sooner.
     */
    JedisClientConfig subscriptionConfig(Duration readTimeout) {
        return builder()
                .socketTimeoutMillis((int) Math.min(Integer.MAX_VALUE, readTimeout.toMillis()))
                .protocol(RedisProtocol.RESP3)
                .build();
    }

    private DefaultJedisClientConfig.Builder builder() {
        DefaultJedisClientConfig.Builder builder = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(redis.timeoutMs())
                .clientName(CLIENT_NAME);
        if (redis.ssl()) {
            // TLS with the JVM's trust store, and the server's name checked against its certificate.
            builder.sslOptions(SslOptions.builder().sslVerifyMode(SslVerifyMode.FULL).build());
        }
        if (redis.user() != null) {
            builder.user(redis.user());
        }
        if (redis.password() != null) {
            builder.password(redis.password());
        }
        return builder;
    }

    /** Per node: at most {@code redis.pool-size} connections, borrowed within {@code redis.timeout-ms}. */
    ConnectionPoolConfig poolConfig() {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(redis.poolSize());
        pool.setMaxIdle(redis.poolSize());
        pool.setMinIdle(0);
        pool.setBlockWhenExhausted(true);
        pool.setMaxWait(Duration.ofMillis(redis.timeoutMs()));
        // A PING per borrow would double the round trips; broken connections are dropped on first use instead.
        pool.setTestOnBorrow(false);
        pool.setTestWhileIdle(true);
        pool.setTimeBetweenEvictionRuns(Duration.ofSeconds(30));
        // commons-pool registers an MBean per pool by default: one per node, named pool1, pool2…, of no application.
        pool.setJmxEnabled(false);
        return pool;
    }

    /** Attempts per call: redirections and retries after a connection failure or CLUSTERDOWN. */
    int maxAttempts() {
        return redis.maxAttempts();
    }

    /** Time one call may spend on all its attempts: {@code timeout × attempts}, at most {@link #MAX_RETRY_BUDGET}. */
    Duration retryBudget() {
        Duration budget = Duration.ofMillis((long) redis.timeoutMs() * redis.maxAttempts());
        return budget.compareTo(MAX_RETRY_BUDGET) > 0 ? MAX_RETRY_BUDGET : budget;
    }

    int timeoutMs() {
        return redis.timeoutMs();
    }

    /** {@code redis.ssl} (Jedis's own {@code isSsl()} stays false: TLS is turned on by its SSL options). */
    boolean ssl() {
        return redis.ssl();
    }

    /** {@code redis.pool-size}: connections per node. */
    int poolSize() {
        return redis.poolSize();
    }

    Set<HostAndPort> nodes() {
        Set<HostAndPort> nodes = new LinkedHashSet<>();
        for (RedisNode node : redis.nodes()) {
            nodes.add(new HostAndPort(node.host(), node.port()));
        }
        return nodes;
    }

    String keyPrefix() {
        return redis.keyPrefix();
    }
}
