package org.jwtgate.revocation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jwtgate.config.RevocationSettings;
import org.jwtgate.config.VerificationSettings;
import org.jwtgate.principal.JwtPrincipal;

/**
 * The public revocation API: revoke one token, revoke a user ("log out everywhere"), register a
 * token (allowlist mode), ask whether a token is refused. Computes the lifetimes so entries
 * live exactly as long as they matter. Available to applications as the ServletContext
 * attribute {@link #CONTEXT_ATTRIBUTE} and, with CDI, by injection.
 */
public final class RevocationService {

    /** ServletContext attribute holding the first filter's service in a web application. */
    public static final String CONTEXT_ATTRIBUTE = RevocationService.class.getName();

    private final RevocationStore store;
    private final RevocationSettings.Mode mode;
    private final Duration clockSkew;
    private final Duration maxAge;
    private final Clock clock;

    public RevocationService(RevocationStore store, RevocationSettings revocation, VerificationSettings verification,
                             Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.mode = revocation.mode();
        this.clockSkew = Duration.ofSeconds(verification.clockSkewSeconds());
        this.maxAge = Duration.ofSeconds(verification.maxAgeSeconds());
        this.clock = clock;
    }

    /** Revokes the token this principal came from. */
    public RevocationResult revoke(JwtPrincipal token) {
        return revokeToken(TokenRef.of(requireIdentified(token)));
    }

    /**
     * Revokes one token by {@code iss}+{@code jti}. The entry lives until the token would have
     * expired plus the clock skew, then the store drops it.
     */
    public RevocationResult revokeToken(TokenRef token) {
        return store.revokeToken(token, remaining(token.expiresAt()));
    }

    /** Revokes every token of {@code subject} issued up to now; later tokens are accepted. */
    public RevocationResult revokeUser(String subject) {
        Objects.requireNonNull(subject, "subject");
        // A token issued at or before now lives at most max-age + skew (iat to exp) and is accepted
        // until exp + skew: the entry must outlive both margins.
        return store.revokeUser(subject, clock.instant(), maxAge.plus(clockSkew).plus(clockSkew));
    }

    /** Allowlist mode: makes a freshly issued token acceptable until it expires. */
    public RevocationResult register(TokenRef token) {
        if (mode != RevocationSettings.Mode.ALLOWLIST) {
            throw new IllegalStateException("register() is for revocation.mode=allowlist");
        }
        return store.register(token, remaining(token.expiresAt()));
    }

    public RevocationResult register(JwtPrincipal token) {
        return register(TokenRef.of(requireIdentified(token)));
    }

    /** @throws RevocationUnavailableException when the store cannot answer in time */
    public boolean isRevoked(JwtPrincipal token) {
        return store.isRevoked(TokenRef.of(requireIdentified(token)));
    }

    public RevocationSettings.Mode mode() {
        return mode;
    }

    public RevocationStore store() {
        return store;
    }

    private Duration remaining(Instant expiresAt) {
        Duration left = Duration.between(clock.instant(), expiresAt).plus(clockSkew);
        // An already-expired token still gets a short entry: harmless, and it keeps writes uniform.
        return left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left;
    }

    private static JwtPrincipal requireIdentified(JwtPrincipal token) {
        if (token.tokenId() == null || token.subject() == null || token.issuer() == null) {
            throw new IllegalArgumentException("revocation needs the token's iss, sub and jti");
        }
        return token;
    }
}
