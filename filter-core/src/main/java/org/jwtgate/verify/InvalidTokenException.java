package org.jwtgate.verify;

import org.jwtgate.JwtGateException;

/**
 * A token was refused. The message is the fixed {@link Rejection#detail()}: never token content.
 *
 * <pre>{@code
 * try {
 *     gate.verify(token);
 * } catch (InvalidTokenException e) {
 *     if (e.rejection() == Rejection.EXPIRED) { ... refresh ... }
 * }
 * }</pre>
 *
 * @since 1.0.0
 */
public class InvalidTokenException extends JwtGateException {

    private static final long serialVersionUID = 1L;

    /** Why the token was refused; never null. */
    private final Rejection rejection;

    /**
     * A refusal; its message is the rejection's {@link Rejection#detail()}. No stack trace is recorded.
     *
     * @param rejection why the token was refused
     * @throws NullPointerException when {@code rejection} is null
     */
    public InvalidTokenException(Rejection rejection) {
        super(rejection.detail());
        this.rejection = rejection;
    }

    /**
     * Why the token was refused, to branch on; the message is its fixed {@link Rejection#detail()}, never a claim.
     *
     * @return the reason; never null
     */
    public Rejection rejection() {
        return rejection;
    }

    /** No stack trace: this is an expected outcome on a hot path, thrown for every bad token. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
