package org.jwtgate.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jwtgate.internal.metrics.GateMetrics;
import org.jwtgate.revocation.NearCacheStats;
import org.jwtgate.revocation.RevocationResult;
import org.jwtgate.revocation.RevocationStore;
import org.jwtgate.revocation.TokenRef;

/** A store without a near-cache, whose every check is counted as read straight from the store. */
final class CountedChecks implements RevocationStore {

    private final RevocationStore store;
    private final GateMetrics metrics;

    CountedChecks(RevocationStore store, GateMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    @Override
    public boolean isRevoked(TokenRef token) {
        metrics.check(GateMetrics.CheckPath.STORE);
        return store.isRevoked(token);
    }

    @Override
    public RevocationResult revokeToken(TokenRef token, Duration ttl) {
        return store.revokeToken(token, ttl);
    }

    @Override
    public RevocationResult revokeUser(String subject, Instant instant, Duration ttl) {
        return store.revokeUser(subject, instant, ttl);
    }

    @Override
    public RevocationResult register(TokenRef token, Duration ttl) {
        return store.register(token, ttl);
    }

    @Override
    public String describe() {
        return store.describe();
    }

    @Override
    public boolean isHealthy() {
        return store.isHealthy();
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
