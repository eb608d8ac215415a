package org.jwtgate.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.jwtgate.revocation.NearCacheStats;
import org.jwtgate.revocation.RevocationResult;
import org.jwtgate.revocation.RevocationStore;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.revocation.TokenRef;

/**
 * An application's own store, held to the SPI's word: any other RuntimeException it throws, and a revocation it
 * answers with null, become {@link RevocationUnavailableException}. Before, they left the filter as a 500 (with
 * {@code revocation.failure-mode=open} too), Jetty's error page showing the store's own message, and a null result
 * was a NullPointerException after the revocation, not audited. Errors stay errors.
 */
final class OwnStore implements RevocationStore {

    private final RevocationStore store;

    OwnStore(RevocationStore store) {
        this.store = store;
    }

    @Override
    public boolean isRevoked(TokenRef token) {
        return guarded(() -> store.isRevoked(token)); // an application's own store only: not the default's request path
    }

    @Override
    public RevocationResult revokeToken(TokenRef token, Duration ttl) {
        return answered(() -> store.revokeToken(token, ttl));
    }

    @Override
    public RevocationResult revokeUser(String subject, Instant instant, Duration ttl) {
        return answered(() -> store.revokeUser(subject, instant, ttl));
    }

    @Override
    public RevocationResult register(TokenRef token, Duration ttl) {
        return answered(() -> store.register(token, ttl));
    }

    private RevocationResult answered(Supplier<RevocationResult> write) {
        RevocationResult result = guarded(write);
        if (result == null) {
            throw new RevocationUnavailableException("the revocation store " + named() + " answered no result");
        }
        return result;
    }

    /** The SPI's own exception as it is, any other RuntimeException as {@link #failed}. */
    private <T> T guarded(Supplier<T> call) {
        try {
            return call.get();
        } catch (RevocationUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw failed(e);
        }
    }

    /** Its class, not its message: the message of an application's exception may name a host or a JDBC URL. */
    private RevocationUnavailableException failed(RuntimeException e) {
        return new RevocationUnavailableException("the revocation store " + named() + " failed: "
                + e.getClass().getName(), e);
    }

    /** Its describe(), or its class when that fails too (a pool's URL read from the pool that broke): not its failure. */
    private String named() {
        try {
            return store.describe();
        } catch (RuntimeException e) {
            return store.getClass().getName();
        }
    }

    @Override
    public String describe() {
        return store.describe();
    }

    /** Down when it throws: the SPI says it never does, and health (JwtGate's, the module's) would throw it on. */
    @Override
    public boolean isHealthy() {
        try {
            return store.isHealthy();
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public Optional<NearCacheStats> nearCacheStats() {
        return store.nearCacheStats();
    }

    @Override
    public void close() {
        store.close();
    }
}
