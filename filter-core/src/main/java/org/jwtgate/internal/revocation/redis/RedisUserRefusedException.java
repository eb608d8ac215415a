package org.jwtgate.internal.revocation.redis;

import org.jwtgate.config.ConfigurationException;

/**
 * Redis answered, and refused {@code redis.user} / {@code redis.password} or the rights given to that user, when a
 * store was built: a configuration error, but one that may be fixed on Redis's side (a node restarted without a user
 * set at run time, an ACL applied late) with no change to the settings. The module registered for the container
 * tries its start again for it; every other {@link ConfigurationException} stays final.
 */
public final class RedisUserRefusedException extends ConfigurationException {

    private static final long serialVersionUID = 1L;

    RedisUserRefusedException(String message) {
        super(message);
    }
}
