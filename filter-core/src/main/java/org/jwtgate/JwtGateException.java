package org.jwtgate;

/**
 * The one unchecked exception family at JwtGate's edge. Library code never lets a jose4j or
 * Jedis exception escape: it is wrapped in (a subclass of) this one.
 */
public class JwtGateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public JwtGateException(String message) {
        super(message);
    }

    public JwtGateException(String message, Throwable cause) {
        super(message, cause);
    }
}
