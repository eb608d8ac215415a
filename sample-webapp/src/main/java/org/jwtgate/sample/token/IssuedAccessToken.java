package org.jwtgate.sample.token;

import java.time.Duration;
import java.time.Instant;

/**
 * A freshly signed access token and the claims revocation needs later; {@code dpopThumbprint} is the
 * {@code cnf.jkt} of a DPoP-bound token (RFC 9449), null for a bearer token. {@link #toString()} hides the token.
 */
public record IssuedAccessToken(String token, String tokenId, Instant issuedAt, Instant expiresAt, String dpopThumbprint) {

    public Duration lifetime() {
        return Duration.between(issuedAt, expiresAt);
    }

    /** Whether the token is bound to a DPoP key: {@code token_type} {@code DPoP}, sent only with a proof. */
    public boolean isDpopBound() {
        return dpopThumbprint != null;
    }

    @Override
    public String toString() {
        return "IssuedAccessToken[jti=" + tokenId + ", exp=" + expiresAt + (dpopThumbprint != null ? ", jkt=" + dpopThumbprint : "") + "]";
    }
}
