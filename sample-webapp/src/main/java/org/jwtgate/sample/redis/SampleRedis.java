package org.jwtgate.sample.redis;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigurationException;
import org.jwtgate.config.RedisNode;
import org.jwtgate.config.RedisSettings;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.SslVerifyMode;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The sample's Redis client (accounts, refresh tokens, login counters): a cluster client, or a
 * single-node one for {@code revocation.store=redis}. Connection settings come from JwtGate's
 * {@code redis.*} keys, so one set of variables configures both. Every wait is bounded.
 */
public final class SampleRedis implements AutoCloseable {

    /**
     * Jedis renews its slot map only after two connection failures in a row, first sleeping a random
     * backoff of up to (time left) / (attempts left)². With 3 attempts that is up to the whole budget:
     * the first command after a failover slept 0.75 s on average and could run out of time before
     * trying the new master (a 503). With 5 the sleep is at most a ninth of what is left.
     */
    static final int ATTEMPTS = 5;

    private final UnifiedJedis client;
    private final List<RedisNode> seeds;
    private final boolean cluster;
    private final JedisClientConfig clientConfig;

    private SampleRedis(UnifiedJedis client, List<RedisNode> seeds, boolean cluster, JedisClientConfig clientConfig) {
        this.client = client;
        this.seeds = List.copyOf(seeds);
        this.cluster = cluster;
        this.clientConfig = clientConfig;
    }

    /** @param settings JwtGate's redis settings, or null (revocation.store=memory) for plain defaults */
    public static SampleRedis connect(List<RedisNode> nodes, RedisSettings settings, boolean cluster) {
        int timeoutMs = settings == null ? 1000 : Math.max(settings.timeoutMs(), 500);
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeoutMs)
                .socketTimeoutMillis(timeoutMs)
                .clientName("jwtgate-sample")
                .autoNegotiateProtocol(false); // RESP2: the commands used answer the same in both
        if (settings != null) {
            config.user(settings.user()).password(settings.password());
            if (settings.ssl()) {
                config.sslOptions(SslOptions.builder().sslVerifyMode(SslVerifyMode.FULL).build());
            }
        }
        JedisClientConfig clientConfig = config.build();
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(settings == null ? 16 : settings.poolSize());
        pool.setMaxWait(Duration.ofMillis(timeoutMs)); // never park a request thread indefinitely
        Set<HostAndPort> seeds = new LinkedHashSet<>();
        nodes.forEach(n -> seeds.add(new HostAndPort(n.host(), n.port())));
        UnifiedJedis client;
        if (cluster) {
            try {
                client = RedisClusterClient.builder()
                        .nodes(seeds)
                        .clientConfig(clientConfig)
                        .poolConfig(pool)
                        .maxAttempts(ATTEMPTS)
                        .maxTotalRetriesDuration(Duration.ofMillis(3L * timeoutMs))
                        .build();
            } catch (JedisException e) {
                // Jedis says only "Could not initialize cluster slots cache."; the node's own failure is suppressed.
                Throwable reason = e.getSuppressed().length > 0 && e.getSuppressed()[0] != null ? e.getSuppressed()[0] : e;
                throw new ConfigurationException("No node of [" + ConfigKeys.REDIS_NODES + "] ("
                        + ConfigKeys.environmentName(ConfigKeys.REDIS_NODES) + ") " + seeds + " answered as a Redis Cluster ("
                        + reason.getMessage() + "): the sample keeps its accounts there and cannot start without it");
            }
        } else {
            client = RedisClient.builder()
                    .hostAndPort(seeds.iterator().next())
                    .clientConfig(clientConfig)
                    .poolConfig(pool)
                    .build();
        }
        return new SampleRedis(client, nodes, cluster, clientConfig);
    }

    /** Runs one Redis interaction; any Redis failure becomes {@link SampleUnavailableException}. */
    public <T> T call(String what, Function<UnifiedJedis, T> action) {
        try {
            return action.apply(client);
        } catch (JedisException e) {
            throw new SampleUnavailableException("Redis unavailable while " + what + ": " + e.getClass().getSimpleName(), e);
        }
    }

    public boolean isCluster() {
        return cluster;
    }

    /** The configured addresses (a cluster's seeds). */
    public List<RedisNode> seeds() {
        return seeds;
    }

    /** For one-off connections to single nodes (health checks), with the same credentials and TLS. */
    public JedisClientConfig clientConfig() {
        return clientConfig;
    }

    @Override
    public void close() {
        client.close();
    }
}
