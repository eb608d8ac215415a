package org.jwtgate;

/**
 * The one unchecked exception family at JwtGate's edge. Library code never lets a jose4j or
 * Jedis exception escape: it is wrapped in (a subclass of) this one.
 *
 * <pre>{@code
 * try {
 *     filter.init(filterConfig);
 * } catch (ServletException e) {
 *     // e.getCause() is a JwtGateException: its message names the setting at fault
 * }
 * }</pre>
 *
 * @since 1.0.0
 */
public class JwtGateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message for operators.
     *
     * @param message what went wrong; JwtGate's own never hold a token or a secret
     */
    public JwtGateException(String message) {
        super(message);
    }

    /**
     * An exception wrapping the failure that caused it (a jose4j or Jedis exception, an I/O error).
     *
     * @param message what went wrong; JwtGate's own never hold a token or a secret
     * @param cause   the underlying failure
     */
    public JwtGateException(String message, Throwable cause) {
        super(message, cause);
    }
}
