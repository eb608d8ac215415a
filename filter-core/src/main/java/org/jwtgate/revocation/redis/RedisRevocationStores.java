package org.jwtgate.revocation.redis;

import org.jwtgate.config.ConfigurationException;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.revocation.RevocationStore;

/** Builds the Redis-backed stores. */
public final class RedisRevocationStores {

    private RedisRevocationStores() {
    }

    public static RevocationStore create(JwtGateConfig config) {
        throw new ConfigurationException("Setting [" + ConfigKeys.REVOCATION_STORE + "]: Redis stores are not built yet");
    }
}
