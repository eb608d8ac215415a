package org.jwtgate.config;

import java.util.Set;
import org.jwtgate.internal.log.MaskedUrl;

/**
 * The settings whose value is a URL, which messages and descriptions show masked (a key server's API key), and
 * {@code redis.nodes}, whose items may be pasted URLs holding a password.
 */
final class UrlSettings {

    private static final Set<String> KEYS = Set.of(ConfigKeys.JWT_JWKS_URI, ConfigKeys.DPOP_PUBLIC_BASE_URL);

    private UrlSettings() {
    }

    /** A setting's value as a message shows it: masked for a URL setting and redis.nodes, else as it is. */
    static String shown(String key, String value) {
        if (ConfigKeys.REDIS_NODES.equals(key)) {
            return RedisNode.withoutCredentialsEach(value);
        }
        return KEYS.contains(key) ? MaskedUrl.of(value) : value;
    }
}
