package org.jwtgate.revocation;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Where revocations live (SPI). JwtGate builds its own stores from {@code revocation.store}; an
 * application implements this only to plug in another backend through
 * {@code JwtAuthFilter.builder().revocationStore(...)}, with {@code revocation.store} set to any value but
 * {@code none} (with {@code none} the start fails). {@code revocation.store} still decides where DPoP proofs are
 * recorded once, which this SPI does not carry: {@code memory} records them on each server alone (a proof captured
 * on one is accepted once more by every other), {@code redis-cluster} or {@code redis} (with {@code redis.nodes})
 * in Redis, shared. Implementations are thread-safe, bound
 * every call by a timeout, and throw only {@link RevocationUnavailableException} (never a client
 * library's exception). Writes are idempotent, so a caller may retry a non-durable one. A store
 * shared by several servers must make each write visible to all of them before it returns.
 *
 * <pre>{@code
 * JwtAuthFilter filter = JwtAuthFilter.builder()
 *         .settings(settings)                  // with revocation.store: where DPoP proofs are recorded
 *         .revocationStore(new MyDatabaseRevocationStore(dataSource))   // revocations live here instead
 *         .build();
 * }</pre>
 *
 * @since 1.0.0
 */
public interface RevocationStore extends AutoCloseable {

    /**
     * Whether a token is refused: revoked by its {@code iss}+{@code jti}, or issued at or before
     * its subject's revocation instant, or (allowlist mode) not registered. Called on every request that
     * carries a valid token, so it must be fast.
     *
     * @param token the token's identity ({@code iss}, {@code sub}, {@code jti}, {@code iat})
     * @return {@code true} when the token must be refused
     * @throws RevocationUnavailableException when the store cannot answer in time
     */
    boolean isRevoked(TokenRef token);

    /**
     * Refuses one token until {@code ttl} has passed (its remaining lifetime plus twice the clock skew).
     *
     * @param token the token's identity; its {@code iss}, {@code sub} and {@code jti} are not blank
     * @param ttl   how long the entry must live, at least one second
     * @return how durable the write is
     * @throws RevocationUnavailableException when the write is not known to be in force everywhere
     */
    RevocationResult revokeToken(TokenRef token, Duration ttl);

    /**
     * Refuses every token of {@code subject} issued at or before {@code instant}, for {@code ttl}.
     *
     * @param subject the {@code sub} claim; not blank
     * @param instant the revocation instant: tokens whose {@code iat} is at or before it are refused
     * @param ttl     how long the entry must live: {@code jwt.max-age-seconds} plus twice the clock skew, as long as a
     *                token issued by then may still be accepted somewhere
     * @return how durable the write is
     * @throws RevocationUnavailableException when the write is not known to be in force everywhere
     */
    RevocationResult revokeUser(String subject, Instant instant, Duration ttl);

    /**
     * Allowlist mode: accepts a token from now on, for {@code ttl}.
     *
     * @param token the token's identity; its {@code iss}, {@code sub} and {@code jti} are not blank
     * @param ttl   how long the registration must live: the token's remaining lifetime plus twice the clock skew
     * @return how durable the write is
     * @throws RevocationUnavailableException when the store did not confirm the registration
     */
    RevocationResult register(TokenRef token, Duration ttl);

    /**
     * A short description for the start-up log line.
     *
     * @return e.g. {@code redis-cluster(6 nodes)}; never a password
     */
    String describe();

    /**
     * Whether the store answers right now (for health endpoints); never throws.
     *
     * @return {@code true} unless the store knows it cannot answer; the default is always {@code true}
     */
    default boolean isHealthy() {
        return true;
    }

    /**
     * What the store's near-cache did so far, if it has one.
     *
     * @return the figures, or empty (the default) for a store without a near-cache
     */
    default Optional<NearCacheStats> nearCacheStats() {
        return Optional.empty();
    }

    @Override
    void close();
}
