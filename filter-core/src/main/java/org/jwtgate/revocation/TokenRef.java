package org.jwtgate.revocation;

import java.time.Instant;
import java.util.Objects;
import org.jwtgate.principal.JwtPrincipal;

/**
 * What revocation needs to know of a token: never the token string (ECDSA signatures are
 * malleable, so a second valid string of the same token exists), only its identity.
 *
 * <pre>{@code
 * // Revoke a token known only by its identity (e.g. from an audit log): iss, sub and jti exactly as the token
 * // has them (the entry is kept under the sub, so another sub leaves the token valid), and its exp:
 * revocation.revokeToken(new TokenRef("https://login.example.com", "alice", "6f1c…", null, expiresAt));
 * }</pre>
 *
 * @param issuer    the token's {@code iss}, exactly
 * @param subject   the token's {@code sub}, exactly: a user's entries are kept under it
 * @param tokenId   the token's {@code jti}
 * @param issuedAt  the token's {@code iat}, or {@code null} (a user's revocation compares it; a revocation of this
 *                  token does not need it)
 * @param expiresAt the token's {@code exp}, or {@code null}; revoking or registering the token needs it, since the
 *                  entry lives until then plus twice {@code jwt.clock-skew-seconds}
 * @since 1.0.0
 */
public record TokenRef(String issuer, String subject, String tokenId, Instant issuedAt, Instant expiresAt) {

    /**
     * Checks that the token is named.
     *
     * @param issuer    the token's {@code iss}
     * @param subject   the token's {@code sub}
     * @param tokenId   the token's {@code jti}
     * @param issuedAt  the token's {@code iat}, or {@code null}
     * @param expiresAt the token's {@code exp}, or {@code null}
     * @throws NullPointerException when {@code issuer}, {@code subject} or {@code tokenId} is null; {@code issuedAt}
     *                              and {@code expiresAt} may be, but revoking or registering a token needs its
     *                              {@code expiresAt}
     */
    public TokenRef {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(tokenId, "tokenId");
    }

    /**
     * The identity of the token this principal came from.
     *
     * @param principal a principal JwtGate verified
     * @return its token's {@code iss}, {@code sub}, {@code jti}, {@code iat} and {@code exp}
     * @throws NullPointerException when the token has no {@code iss}, {@code sub} or {@code jti}
     */
    public static TokenRef of(JwtPrincipal principal) {
        return new TokenRef(principal.issuer(), principal.subject(), principal.tokenId(),
                principal.issuedAt(), principal.expiresAt());
    }
}
