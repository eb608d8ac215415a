package org.jwtgate.revocation;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Where revocations live (SPI). JwtGate builds its own stores from {@code revocation.store}; an
 * application implements this only to plug in another backend through
 * {@code JwtAuthFilter.builder().revocationStore(...)}, with {@code revocation.store} set to any value but
 * {@code none} (with {@code none} the start fails). Implementations are thread-safe, bound
 * every call by a timeout, and throw only {@link RevocationUnavailableException} (never a client
 * library's exception). Writes are idempotent, so a caller may retry a non-durable one. A store
 * shared by several servers must make each write visible to all of them before it returns.
 *
 * <pre>{@code
 * JwtAuthFilter filter = JwtAuthFilter.builder()
 *         .settings(settings)
 *         .revocationStore(new MyDatabaseRevocationStore(dataSource))   // instead of revocation.store
 *         .build();
 * }</pre>
 *
 * @since 1.0.0
 */
public interface RevocationStore extends AutoCloseable {

    /**
     * Whether a token is refused: revoked by its {@code iss}+{@code jti}, or issued at or before
     * its subject's revocation instant, or (allowlist mode) not registered.
     */
    boolean isRevoked(TokenRef token);

    /** Refuses one token until {@code ttl} has passed (its remaining lifetime plus twice the clock skew). */
    RevocationResult revokeToken(TokenRef token, Duration ttl);

    /** Refuses every token of {@code subject} issued at or before {@code instant}, for {@code ttl}. */
    RevocationResult revokeUser(String subject, Instant instant, Duration ttl);

    /** Allowlist mode: accepts a token from now on, for {@code ttl}. */
    RevocationResult register(TokenRef token, Duration ttl);

    /** A short description for the start-up log line, e.g. {@code redis-cluster(6 nodes)}. */
    String describe();

    /** Whether the store answers right now (for health endpoints); never throws. */
    default boolean isHealthy() {
        return true;
    }

    /** What the store's near-cache did so far, if it has one. */
    default Optional<NearCacheStats> nearCacheStats() {
        return Optional.empty();
    }

    @Override
    void close();
}
