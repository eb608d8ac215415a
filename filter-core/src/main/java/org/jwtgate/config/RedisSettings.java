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
 * @since 1.0.0
 */
public record RedisSettings(List<RedisNode> nodes, String keyPrefix, int timeoutMs, int maxAttempts,
                            int poolSize, String user, String password, boolean ssl) {

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
