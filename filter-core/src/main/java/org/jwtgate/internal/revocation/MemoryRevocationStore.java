package org.jwtgate.internal.revocation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jwtgate.config.RevocationSettings;
import org.jwtgate.revocation.RevocationResult;
import org.jwtgate.revocation.RevocationStore;
import org.jwtgate.revocation.TokenRef;

/**
 * Revocations kept in this JVM only: for tests and single-node demos. Entries expire like the
 * Redis ones; expired entries are dropped as they are met and on every write.
 */
public final class MemoryRevocationStore implements RevocationStore {

    /** Expired entries are swept after this many writes, bounding memory without a thread. */
    private static final int SWEEP_EVERY = 1024;

    private final RevocationKeys keys = new RevocationKeys("");
    private final RevocationSettings.Mode mode;
    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    /** Set before the entries are dropped: a call that read them emptied sees it afterwards. */
    private volatile boolean closed;
    private int writes;

    private record Entry(long value, Instant expiresAt) {
    }

    public MemoryRevocationStore(RevocationSettings.Mode mode, Clock clock) {
        this.mode = mode;
        this.clock = clock;
    }

    public MemoryRevocationStore() {
        this(RevocationSettings.Mode.DENYLIST, Clock.systemUTC());
    }

    @Override
    public boolean isRevoked(TokenRef token) {
        boolean revoked = revoked(token);
        refuseIfClosed(); // after the read: close() may have emptied the map under it
        return revoked;
    }

    private boolean revoked(TokenRef token) {
        Entry user = live(keys.userKey(token.subject()));
        // As the Redis stores: a token without iat cannot prove it is newer than the user's revocation.
        if (user != null && UserRevocationInstant.covers(token.issuedAt(), user.value())) {
            return true;
        }
        if (mode == RevocationSettings.Mode.ALLOWLIST) {
            // Revoking leaves the token's own entry, so a late registration cannot bring it back.
            return live(keys.liveKey(token)) == null || live(keys.tokenKey(token)) != null;
        }
        return live(keys.tokenKey(token)) != null;
    }

    private void refuseIfClosed() {
        if (closed) {
            throw ClosedStores.failure("The memory store was not asked");
        }
    }

    @Override
    public RevocationResult revokeToken(TokenRef token, Duration ttl) {
        refuseIfClosed();
        if (mode == RevocationSettings.Mode.ALLOWLIST) {
            entries.remove(keys.liveKey(token));
        }
        // As in Redis: a second revocation never shortens the entry.
        Instant expiresAt = clock.instant().plus(ttl);
        entries.merge(keys.tokenKey(token), new Entry(1, expiresAt), (old, fresh) ->
                old.expiresAt().isAfter(fresh.expiresAt()) ? old : fresh);
        sweepSometimes();
        return written();
    }

    @Override
    public RevocationResult revokeUser(String subject, Instant instant, Duration ttl) {
        refuseIfClosed();
        String key = keys.userKey(subject);
        // Never move a user's revocation instant backwards, nor shorten its lifetime (another writer may keep
        // tokens longer: a shorter entry would let them through again once it expired).
        entries.merge(key, new Entry(instant.toEpochMilli(), clock.instant().plus(ttl)), (old, fresh) -> {
            if (!old.expiresAt().isAfter(clock.instant())) {
                return fresh;
            }
            return new Entry(Math.max(old.value(), fresh.value()),
                    old.expiresAt().isAfter(fresh.expiresAt()) ? old.expiresAt() : fresh.expiresAt());
        });
        sweepSometimes();
        return written();
    }

    @Override
    public RevocationResult register(TokenRef token, Duration ttl) {
        refuseIfClosed();
        put(keys.liveKey(token), 1, ttl);
        return written();
    }

    /**
     * A write's answer, asked after it as a check's is: close() may have emptied the map between the check before the
     * write and the write, which then landed in a store no one reads, and must not be reported durable.
     */
    private RevocationResult written() {
        if (closed) {
            entries.clear();
            refuseIfClosed();
        }
        return RevocationResult.local();
    }

    /** Entries currently held (expired ones included until swept): for tests. */
    public int size() {
        return entries.size();
    }

    private void put(String key, long value, Duration ttl) {
        entries.put(key, new Entry(value, clock.instant().plus(ttl)));
        sweepSometimes();
    }

    private Entry live(String key) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (!entry.expiresAt().isAfter(clock.instant())) {
            entries.remove(key, entry);
            return null;
        }
        return entry;
    }

    private void sweepSometimes() {
        if (++writes % SWEEP_EVERY == 0) {
            Instant now = clock.instant();
            entries.values().removeIf(e -> !e.expiresAt().isAfter(now));
        }
    }

    @Override
    public String describe() {
        return "memory(" + mode.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }

    /** Not once closed: every check then fails, and a filter built again with this store said UP while answering 503. */
    @Override
    public boolean isHealthy() {
        return !closed;
    }

    @Override
    public void close() {
        closed = true;
        entries.clear();
    }
}
