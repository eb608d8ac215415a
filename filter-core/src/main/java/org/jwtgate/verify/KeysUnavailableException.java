package org.jwtgate.verify;

import org.jwtgate.JwtGateException;

/** No verification key could be loaded yet (the JWKS endpoint is unreachable): a 503, not a 401. */
public class KeysUnavailableException extends JwtGateException {

    private static final long serialVersionUID = 1L;

    public KeysUnavailableException(String message) {
        super(message);
    }
}
