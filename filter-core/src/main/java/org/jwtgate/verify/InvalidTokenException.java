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

    private final Rejection rejection;

    public InvalidTokenException(Rejection rejection) {
        super(rejection.detail());
        this.rejection = rejection;
    }

    /** Why the token was refused, to branch on; the message is its fixed {@link Rejection#detail()}, never a claim. */
    public Rejection rejection() {
        return rejection;
    }

    /** No stack trace: this is an expected outcome on a hot path, thrown for every bad token. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
