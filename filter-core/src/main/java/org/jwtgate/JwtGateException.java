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

    public JwtGateException(String message) {
        super(message);
    }

    public JwtGateException(String message, Throwable cause) {
        super(message, cause);
    }
}
