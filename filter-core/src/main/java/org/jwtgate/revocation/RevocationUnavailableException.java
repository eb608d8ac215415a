package org.jwtgate.revocation;

import org.jwtgate.JwtGateException;

/**
 * The revocation store could not answer in time (Redis down, hung, CLUSTERDOWN, pool exhausted), or was
 * closed ({@code JwtGate.close()}, the filter or module stopped: its message says so).
 * The filter turns this into 503 + Retry-After when failing closed. The message never holds a token.
 *
 * <pre>{@code
 * try {
 *     revocation.revokeUser("alice");
 * } catch (RevocationUnavailableException e) {
 *     // maybe not in force: not sent, stored but Redis answered too late, or stored but not announced to the
 *     // near-caches (a RevocationUnconfirmedException is stored and in force): retry, and until a call returns
 *     // treat the revocation as not done
 * }
 * }</pre>
 *
 * @since 1.0.0
 */
public class RevocationUnavailableException extends JwtGateException {

    private static final long serialVersionUID = 1L;

    /**
     * The store could not answer.
     *
     * @param message what failed, for operators; never a token or a secret
     */
    public RevocationUnavailableException(String message) {
        super(message);
    }

    /**
     * The store could not answer, with the failure behind it.
     *
     * @param message what failed, for operators; never a token or a secret
     * @param cause   the underlying failure
     */
    public RevocationUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
