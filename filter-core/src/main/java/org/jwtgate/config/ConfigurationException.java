package org.jwtgate.config;

import org.jwtgate.JwtGateException;

/**
 * A setting is unknown, missing, malformed or contradicts another one. The message names the
 * key and, unless the key holds a secret, the bad value in brackets.
 */
public class ConfigurationException extends JwtGateException {

    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
