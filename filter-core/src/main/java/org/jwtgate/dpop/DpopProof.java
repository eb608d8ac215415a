package org.jwtgate.dpop;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jwtgate.internal.log.AuditLog;

/**
 * A DPoP proof JwtGate accepted (RFC 9449 §4.3): signed by the key of its {@code jwk} header, for
 * this request's method and URI, recent, and used for the first time anywhere. Holds no proof string.
 *
 * <pre>{@code
 * DpopProof proof = gate.verifyDpopProof(proofHeader, "POST", URI.create("https://app.example/token"));
 * claims.put("cnf", Map.of("jkt", proof.thumbprint()));   // bind the token being issued to the key
 * proof.nextNonce().ifPresent(nonce -> response.setHeader("DPoP-Nonce", nonce));
 * }</pre>
 *
 * @since 1.0.0
 */
public final class DpopProof {

    private final String thumbprint;
    private final String proofId;
    private final Instant issuedAt;
    private final String nextNonce;

    /**
     * A verified proof's facts, as {@code JwtGate.verifyDpopProof} returns them.
     *
     * @param thumbprint RFC 7638 SHA-256 thumbprint of the proof's key, base64url: a bound token's {@code cnf.jkt}
     * @param proofId    the proof's {@code jti}
     * @param issuedAt   the proof's {@code iat}
     * @param nextNonce  a fresh nonce to hand to the client, or {@code null}
     */
    public DpopProof(String thumbprint, String proofId, Instant issuedAt, String nextNonce) {
        this.thumbprint = Objects.requireNonNull(thumbprint, "thumbprint");
        this.proofId = Objects.requireNonNull(proofId, "proofId");
        this.issuedAt = Objects.requireNonNull(issuedAt, "issuedAt");
        this.nextNonce = nextNonce;
    }

    /**
     * The key that signed the proof, as a bound token names it.
     *
     * @return the RFC 7638 SHA-256 thumbprint (base64url) of the proof's key: the {@code cnf.jkt} to bind a token to
     */
    public String thumbprint() {
        return thumbprint;
    }

    /**
     * The proof's identifier.
     *
     * @return the proof's {@code jti}, now recorded as used
     */
    public String proofId() {
        return proofId;
    }

    /**
     * When the client made the proof, by its clock.
     *
     * @return the proof's {@code iat}, in whole seconds; never null
     */
    public Instant issuedAt() {
        return issuedAt;
    }

    /**
     * With {@code dpop.nonce=required}: a fresh nonce for the answer's {@code DPoP-Nonce} header, when the
     * one the proof carried is half-way through its lifetime (RFC 9449 §8.2); empty otherwise.
     *
     * @return the nonce to send, or empty
     */
    public Optional<String> nextNonce() {
        return Optional.ofNullable(nextNonce);
    }

    /** The proof's {@code jti}, which its signer chose, is written as the audit trail writes a value: it forges no line. */
    @Override
    public String toString() {
        return "DpopProof[jkt=" + thumbprint + ", jti=" + AuditLog.shown(proofId) + ", iat=" + issuedAt + "]";
    }
}
