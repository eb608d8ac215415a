package org.jwtgate.internal.revocation;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Used proofs kept in this JVM ({@code revocation.store=memory}): one instance only, like the memory
 * revocation store. Records expire like the Redis ones; expired records are swept every 1024 writes.
 * At most {@link #DEFAULT_CAPACITY} records live at once: when that many are still within their window,
 * a new proof is not recorded and the store is {@linkplain ProofRecordFullException unavailable}: 503, whatever
 * {@code revocation.failure-mode} says, since anyone with a key can fill it. Approximately, so that a flood costs no
 * scan per request: a full record is swept at most once a second, and the bound is checked before the write, so
 * proofs recorded at the same instant may pass it by as many as arrive together.
 */
public final class MemoryProofJtiStore implements ProofJtiStore {

    private static final int SWEEP_EVERY = 1024;
    /**
     * Whoever holds a key mints proofs at will (at a token endpoint, without any account), and each one checked
     * stays here for its whole window: ~320-550 bytes (the writing request's id included), so about 80-140 MB at
     * most. At the default window (121 s) that is ~2,000 proofs a second, sustained, for one instance.
     */
    public static final int DEFAULT_CAPACITY = 250_000;

    private final RevocationKeys keys = new RevocationKeys("");
    /**
     * Each record with the id of the request that wrote it ({@link ProofRecordId}): the same request asking again is the
     * same first use, as with the Redis record, whose script keeps that id. (No front end asks its own memory record twice
     * for one request today: the request's caller record spares a dispatch the check.)
     */
    private final Map<String, Recorded> expiries = new ConcurrentHashMap<>();
    /** Set before the records are dropped. */
    private volatile boolean closed;
    private final AtomicInteger writes = new AtomicInteger();
    /** When a full record was last swept: at most once a second, so a flood keeping it full is not a scan per request. */
    private final AtomicLong fullSweptAt = new AtomicLong(Long.MIN_VALUE / 2);
    private final Clock clock;
    private final int capacity;

    public MemoryProofJtiStore(Clock clock) {
        this(clock, DEFAULT_CAPACITY);
    }

    /** @param capacity how many records may live at once */
    public MemoryProofJtiStore(Clock clock, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.clock = clock;
        this.capacity = capacity;
    }

    @Override
    public boolean firstUse(String subject, String keyThumbprint, String proofId, Duration window) {
        return record(keys.proofKey(subject, keyThumbprint, proofId), window);
    }

    @Override
    public boolean firstTokenRequestUse(String keyThumbprint, String proofId, Duration window) {
        return record(keys.tokenRequestProofKey(keyThumbprint, proofId), window);
    }

    private record Recorded(long expiry, String recordId) {
    }

    private boolean record(String key, Duration window) {
        refuseIfClosed(); // emptied: every proof would be a first use, a replay too
        long now = clock.millis();
        Recorded mine = new Recorded(now + Math.max(1, window.toMillis()), ProofRecordId.currentOrFresh());
        if (expiries.size() >= capacity && !expiries.containsKey(key)) {
            long swept = fullSweptAt.get();
            if (now - swept >= 1000 && fullSweptAt.compareAndSet(swept, now)) {
                sweepExpired(now);
            }
            if (expiries.size() >= capacity) {
                // Unbounded, a flood of proofs (each legitimately new) would exhaust the heap before they expire.
                throw new ProofRecordFullException("the in-memory DPoP proof record is full (" + capacity
                        + " proofs, swept at most once a second)");
            }
        }
        boolean[] first = {false};
        expiries.compute(key, (k, existing) -> {
            if (existing == null || existing.expiry() <= now) {
                first[0] = true;
                return mine;
            }
            first[0] = existing.recordId().equals(mine.recordId());
            return existing;
        });
        if (writes.incrementAndGet() % SWEEP_EVERY == 0) {
            sweepExpired(now);
        }
        refuseIfClosed(); // closed while it recorded
        return first[0];
    }

    private void refuseIfClosed() {
        if (closed) {
            throw ClosedStores.failure("The memory proof record was not asked");
        }
    }

    private void sweepExpired(long now) {
        expiries.values().removeIf(recorded -> recorded.expiry() <= now);
    }

    /** Records held (expired ones included until swept): for tests. */
    public int size() {
        return expiries.size();
    }

    @Override
    public void close() {
        closed = true;
        expiries.clear();
    }
}
