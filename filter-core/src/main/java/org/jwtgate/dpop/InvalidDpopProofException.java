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

    private final DpopRejection rejection;
    private final String freshNonce;

    public InvalidDpopProofException(DpopRejection rejection) {
        this(rejection, null);
    }

    /** @param freshNonce the nonce the client must use next, or {@code null} */
    public InvalidDpopProofException(DpopRejection rejection, String freshNonce) {
        super(rejection.detail());
        this.rejection = rejection;
        this.freshNonce = freshNonce;
    }

    /** Why the proof was refused, to branch on; the message is its fixed {@link DpopRejection#detail()}. */
    public DpopRejection rejection() {
        return rejection;
    }

    /** The nonce to send in {@code DPoP-Nonce} (with {@code use_dpop_nonce}); empty otherwise. */
    public Optional<String> freshNonce() {
        return Optional.ofNullable(freshNonce);
    }

    /** No stack trace: an expected outcome on a hot path, thrown for every bad proof. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
