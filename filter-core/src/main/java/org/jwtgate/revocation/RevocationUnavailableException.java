package org.jwtgate.revocation;

import org.jwtgate.JwtGateException;

/**
 * The revocation store could not answer in time (Redis down, hung, CLUSTERDOWN, pool exhausted).
 * The filter turns this into 503 + Retry-After when failing closed. The message never holds a token.
 */
public class RevocationUnavailableException extends JwtGateException {

    private static final long serialVersionUID = 1L;

    public RevocationUnavailableException(String message) {
        super(message);
    }

    public RevocationUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
