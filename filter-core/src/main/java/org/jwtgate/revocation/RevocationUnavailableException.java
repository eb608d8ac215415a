package org.jwtgate.revocation;

import org.jwtgate.JwtGateException;

/**
 * The revocation store could not answer in time (Redis down, hung, CLUSTERDOWN, pool exhausted).
 * The filter turns this into 503 + Retry-After when failing closed. The message never holds a token.
 *
 * <pre>{@code
 * try {
 *     revocation.revokeUser("alice");
 * } catch (RevocationUnavailableException e) {
 *     // not stored (but a RevocationUnconfirmedException is stored and in force): tell the caller to retry
 * }
 * }</pre>
 *
 * @since 1.0.0
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
