package org.jwtgate.internal.revocation;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Used proofs kept in this JVM ({@code revocation.store=memory}): one instance only, like the memory
 * revocation store. Records expire like the Redis ones; expired records are swept every 1024 writes.
 */
public final class MemoryProofJtiStore implements ProofJtiStore {

    private static final int SWEEP_EVERY = 1024;

    private final RevocationKeys keys = new RevocationKeys("");
    private final Map<String, Long> expiries = new ConcurrentHashMap<>();
    private final AtomicInteger writes = new AtomicInteger();
    private final Clock clock;

    public MemoryProofJtiStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public boolean firstUse(String subject, String keyThumbprint, String proofId, Duration window) {
        return record(keys.proofKey(subject, keyThumbprint, proofId), window);
    }

    @Override
    public boolean firstTokenRequestUse(String keyThumbprint, String proofId, Duration window) {
        return record(keys.tokenRequestProofKey(keyThumbprint, proofId), window);
    }

    private boolean record(String key, Duration window) {
        long now = clock.millis();
        long expiry = now + Math.max(1, window.toMillis());
        boolean[] first = {false};
        expiries.compute(key, (k, existing) -> {
            if (existing == null || existing <= now) {
                first[0] = true;
                return expiry;
            }
            return existing;
        });
        if (writes.incrementAndGet() % SWEEP_EVERY == 0) {
            expiries.values().removeIf(e -> e <= now);
        }
        return first[0];
    }

    /** Records held (expired ones included until swept): for tests. */
    public int size() {
        return expiries.size();
    }

    @Override
    public void close() {
        expiries.clear();
    }
}
