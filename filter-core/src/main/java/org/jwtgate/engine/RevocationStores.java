package org.jwtgate.engine;

import java.time.Clock;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.config.RevocationSettings;
import org.jwtgate.internal.revocation.MemoryRevocationStore;
import org.jwtgate.internal.revocation.NoRevocationStore;
import org.jwtgate.internal.revocation.redis.RedisRevocationStores;
import org.jwtgate.revocation.RevocationStore;

/** Builds the store named by {@code revocation.store}. */
final class RevocationStores {

    private RevocationStores() {
    }

    static RevocationStore create(JwtGateConfig config, Clock clock) {
        RevocationSettings settings = config.revocation();
        return switch (settings.store()) {
            case NONE -> new NoRevocationStore();
            case MEMORY -> new MemoryRevocationStore(settings.mode(), clock);
            case REDIS, REDIS_CLUSTER -> RedisRevocationStores.create(config, clock);
        };
    }
}
