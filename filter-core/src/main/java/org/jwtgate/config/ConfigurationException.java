package org.jwtgate.config;

import org.jwtgate.JwtGateException;

/**
 * A setting is unknown, missing, malformed or contradicts another one. The message names the
 * key and, unless the key holds a secret, the bad value in brackets.
 *
 * <pre>{@code
 * try {
 *     JwtGateConfig.of(Map.of(ConfigKeys.JWT_ISSUER, "https://issuer",
 *             ConfigKeys.JWT_JWKS_URI, "https://issuer/jwks.json", ConfigKeys.REVOCATION_STORE, "nosql"));
 * } catch (ConfigurationException e) {
 *     e.getMessage(); // Illegal value for setting [revocation.store]: [nosql]; expected one of redis-cluster, …
 * }
 * }</pre>
 *
 * @since 1.0.0
 */
public class ConfigurationException extends JwtGateException {

    private static final long serialVersionUID = 1L;

    /**
     * A refused configuration.
     *
     * @param message names the key and, unless it is a secret, the bad value; never a secret's value
     */
    public ConfigurationException(String message) {
        super(message);
    }

    /**
     * A refused configuration, with the failure that revealed it (an unreadable file, a malformed key).
     *
     * @param message names the key and, unless it is a secret, the bad value; never a secret's value
     * @param cause   the underlying failure
     */
    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
