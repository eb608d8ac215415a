package org.jwtgate.verify;

import org.jwtgate.JwtGateException;

/**
 * No verification key could be loaded yet (the JWKS endpoint is unreachable): a 503, not a 401.
 *
 * <pre>{@code
 * try {
 *     gate.verify(token);
 * } catch (KeysUnavailableException e) {
 *     response.setStatus(503);   // the token may be fine: the keys could not be fetched
 * }
 * }</pre>
 *
 * @since 1.0.0
 */
public class KeysUnavailableException extends JwtGateException {

    private static final long serialVersionUID = 1L;

    /**
     * No key to verify with.
     *
     * @param message why, for operators: JwtGate names the JWKS URL (query values masked) and what failed
     */
    public KeysUnavailableException(String message) {
        super(message);
    }
}
