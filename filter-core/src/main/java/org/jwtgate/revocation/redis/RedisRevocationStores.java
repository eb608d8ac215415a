package org.jwtgate.revocation.redis;

import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.config.RevocationSettings;
import org.jwtgate.revocation.RevocationStore;

/** Builds the Redis-backed store {@code revocation.store} names. */
public final class RedisRevocationStores {

    private RedisRevocationStores() {
    }

    /** {@code redis-cluster} → {@link RedisClusterRevocationStore}; {@code redis} → {@link RedisRevocationStore}. */
    public static RevocationStore create(JwtGateConfig config) {
        RevocationSettings revocation = config.revocation();
        return switch (revocation.store()) {
            case REDIS_CLUSTER -> new RedisClusterRevocationStore(config.redis(), revocation);
            case REDIS -> new RedisRevocationStore(config.redis(), revocation);
            default -> throw new IllegalArgumentException("Not a Redis store: " + revocation.store().configName());
        };
    }
}
