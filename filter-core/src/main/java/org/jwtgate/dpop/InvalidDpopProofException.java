package org.jwtgate.dpop;

import java.util.Optional;
import org.jwtgate.JwtGateException;

/**
 * A DPoP proof was refused. The message is the fixed {@link DpopRejection#detail()}: never proof
 * content. When the rejection {@linkplain DpopRejection#needsNonce() needs a nonce}, {@link #freshNonce()}
 * holds the one to send in the {@code DPoP-Nonce} header of the answer.
 *
 * <pre>{@code
 * try {
 *     DpopProof proof = gate.verifyDpopProof(proofHeader, "POST", requestUri);
 * } catch (InvalidDpopProofException e) {
 *     e.freshNonce().ifPresent(nonce -> response.setHeader("DPoP-Nonce", nonce));
 *     answer(400, e.rejection().errorCode(), e.rejection().publicDescription());
 * }
 * }</pre>
 *
 * @since 1.0.0
 */
public class InvalidDpopProofException extends JwtGateException {

    private static final long serialVersionUID = 1L;

    /** Why the proof was refused; never null. */
    private final DpopRejection rejection;
    /** The nonce for {@code DPoP-Nonce}, or null. */
    private final String freshNonce;

    /**
     * A refusal without a nonce to hand out; its message is the rejection's {@link DpopRejection#detail()}.
     *
     * @param rejection why the proof was refused
     * @throws NullPointerException when {@code rejection} is null
     */
    public InvalidDpopProofException(DpopRejection rejection) {
        this(rejection, null);
    }

    /**
     * A refusal, with the nonce the answer hands out when the rejection {@linkplain DpopRejection#needsNonce() needs
     * one}; its message is the rejection's {@link DpopRejection#detail()}. No stack trace is recorded.
     *
     * @param rejection  why the proof was refused
     * @param freshNonce the nonce the client must use next, or {@code null}
     * @throws NullPointerException when {@code rejection} is null
     */
    public InvalidDpopProofException(DpopRejection rejection, String freshNonce) {
        super(rejection.detail());
        this.rejection = rejection;
        this.freshNonce = freshNonce;
    }

    /**
     * Why the proof was refused, to branch on; the message is its fixed {@link DpopRejection#detail()}.
     *
     * @return the reason; never null
     */
    public DpopRejection rejection() {
        return rejection;
    }

    /**
     * The nonce to send in {@code DPoP-Nonce} (with {@code use_dpop_nonce}).
     *
     * @return the fresh nonce, or empty when the answer carries none
     */
    public Optional<String> freshNonce() {
        return Optional.ofNullable(freshNonce);
    }

    /** No stack trace: an expected outcome on a hot path, thrown for every bad proof. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
