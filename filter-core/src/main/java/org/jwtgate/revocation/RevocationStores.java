package org.jwtgate.revocation;

import java.time.Clock;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.config.RevocationSettings;

/** Builds the store named by {@code revocation.store}. */
public final class RevocationStores {

    private RevocationStores() {
    }

    public static RevocationStore create(JwtGateConfig config, Clock clock) {
        RevocationSettings settings = config.revocation();
        return switch (settings.store()) {
            case NONE -> new NoRevocationStore();
            case MEMORY -> new MemoryRevocationStore(settings.mode(), clock);
            case REDIS, REDIS_CLUSTER -> org.jwtgate.revocation.redis.RedisRevocationStores.create(config, clock);
        };
    }
}
