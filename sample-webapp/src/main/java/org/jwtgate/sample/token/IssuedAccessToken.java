package org.jwtgate.sample.token;

import java.time.Duration;
import java.time.Instant;

/** A freshly signed access token and the claims revocation needs later. {@link #toString()} hides the token. */
public record IssuedAccessToken(String token, String tokenId, Instant issuedAt, Instant expiresAt) {

    public Duration lifetime() {
        return Duration.between(issuedAt, expiresAt);
    }

    @Override
    public String toString() {
        return "IssuedAccessToken[jti=" + tokenId + ", exp=" + expiresAt + "]";
    }
}
