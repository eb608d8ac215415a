package org.jwtgate.config;

import java.util.List;

/**
 * How to reach Redis. {@link #toString()} never shows the password.
 *
 * <pre>{@code
 * RedisSettings redis = config.redis();   // null unless revocation.store is redis-cluster or redis
 * redis.nodes();                          // [10.0.0.1:7000, 10.0.0.2:7000]
 * }</pre>
 *
 * @param nodes       {@code redis.nodes}: the seed nodes (one for the {@code redis} store)
 * @param keyPrefix   {@code redis.key-prefix}: prefix of every key
 * @param timeoutMs   {@code redis.timeout-ms}: connect and read timeout and pool wait, in milliseconds
 * @param maxAttempts {@code redis.max-attempts}: attempts of a cluster command (redirects, retries)
 * @param poolSize    {@code redis.pool-size}: connections per node
 * @param user        {@code redis.user}: the ACL user, or {@code null} for the default user
 * @param password    {@code redis.password}, or {@code null}; never logged
 * @param ssl         {@code redis.ssl}: TLS to Redis
 * @since 1.0.0
 */
public record RedisSettings(List<RedisNode> nodes, String keyPrefix, int timeoutMs, int maxAttempts,
                            int poolSize, String user, String password, boolean ssl) {

    /**
     * Copies the node list.
     *
     * @param nodes       the seed nodes
     * @param keyPrefix   prefix of every key
     * @param timeoutMs   connect and read timeout and pool wait, in milliseconds
     * @param maxAttempts attempts of a cluster command
     * @param poolSize    connections per node
     * @param user        the ACL user, or {@code null}
     * @param password    the password, or {@code null}
     * @param ssl         TLS to Redis
     * @throws NullPointerException when {@code nodes} is null
     */
    public RedisSettings {
        nodes = List.copyOf(nodes);
    }

    @Override
    public String toString() {
        return "RedisSettings[nodes=" + nodes + ", keyPrefix=" + keyPrefix + ", timeoutMs=" + timeoutMs
                + ", maxAttempts=" + maxAttempts + ", poolSize=" + poolSize + ", user=" + user
                + ", password=" + (password == null ? "none" : "****") + ", ssl=" + ssl + "]";
    }
}
