package org.jwtgate.internal.revocation.nearcache;

import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jwtgate.internal.revocation.UserRevocationInstant;

/**
 * The revocations one instance holds, bounded whatever their number: up to {@code capacity} entries
 * exactly (key → value and expiry), and every further one in a fixed-size {@link BloomFilter}, whose
 * hits the caller must confirm in Redis. Entries only grow (a revocation is never taken back; a user's
 * instant and an entry's expiry only move forward), so applying events and scanned keys in any order
 * gives the same state. Expired entries are dropped by {@link #purgeExpired}; the Bloom filter is dropped whole by it
 * once its latest entry has expired, and otherwise emptied only by building a new instance (the periodic reload).
 *
 * <p>Writers are serialised (synchronized); {@link #check} runs lock-free on request threads.
 */
final class LocalRevocations {

    /** What the local state can say about a token. */
    enum Verdict { REVOKED, NOT_REVOKED, ASK_REDIS }

    private record Entry(long value, long expiresAtMillis) {
    }

    /** Bits per exact-capacity entry given to the Bloom filter (0.1 % false positives at that many overflow entries). */
    static final int BLOOM_BITS_PER_ENTRY = 16;
    /** 16 MiB: the Bloom filter's ceiling, whatever the capacity. */
    static final long MAX_BLOOM_BITS = 1L << 27;
    /** A forward step of the wall clock smaller than this is not told from the two clocks' reading jitter. */
    static final long CLOCK_STEP_MILLIS = 1_000;

    private final Map<String, Entry> exact = new ConcurrentHashMap<>();
    private final int capacity;
    private final long graceMillis;
    private final long bloomBits;
    private volatile BloomFilter overflow;
    /** Events added to the Bloom filter, a revocation applied twice counted twice: the estimate's upper bound. */
    private volatile long overflowAdds;
    /** The latest expiry among the Bloom filter's events: once it is past, the filter is dropped whole. */
    private long overflowExpiresAtMillis = Long.MIN_VALUE;
    private int size;
    /**
     * The latest expiry among the entries dropped as expired ({@code Long.MIN_VALUE}: none). A wall clock that
     * goes back before it (plus the grace) makes such an entry count again, and only Redis still has it.
     */
    private volatile long latestDroppedExpiry = Long.MIN_VALUE;
    /** Whether a reload was asked for because the clock went back (heartbeat thread only). */
    private boolean reloadAskedForClock;
    /**
     * The least lead of the wall clock over the monotonic clock with which this state's entries were dated (ms): when
     * it began, lowered by {@link #datedWith}. A scanned entry's expiry is the wall clock plus its remaining lifetime
     * in Redis: when the lead grows past this (the wall clock stepped forward, as NTP does to a clock that lagged),
     * those expiries came too early and the state must be reloaded. The least, not the first: a clock stepped back
     * during the scan and forward again would otherwise leave its lead unchanged, and the entries read in between
     * dated too early, unnoticed.
     */
    private volatile long wallLeadMillis;
    /** Set once the wall clock is found stepped forward since this state began: every check then reads Redis. */
    private volatile boolean steppedForward;

    /**
     * @param graceMillis    how long past its expiry an entry is still honoured: covers clock differences between
     *                       servers (an entry expires when its token or user revocation no longer matters)
     * @param wallLeadMillis the wall clock minus the monotonic clock now, in milliseconds
     */
    LocalRevocations(int capacity, long graceMillis, long wallLeadMillis) {
        this.capacity = capacity;
        this.graceMillis = graceMillis;
        this.wallLeadMillis = wallLeadMillis;
        this.bloomBits = BloomFilter.bitsFor(capacity, BLOOM_BITS_PER_ENTRY, MAX_BLOOM_BITS);
    }

    /** {@link #apply(RevocationEvent, long, long)} where the caller knows of no step of the wall clock. */
    void apply(RevocationEvent event, long nowMillis) {
        apply(event, nowMillis, wallLeadMillis);
    }

    /** @param wallLeadMillis the wall clock minus the monotonic clock now, as at {@link #steppedForward} */
    synchronized void apply(RevocationEvent event, long nowMillis, long wallLeadMillis) {
        if (isExpired(event.expiresAtMillis(), nowMillis)) {
            dropped(event.expiresAtMillis());
            return;
        }
        Entry old = exact.get(event.key());
        if (old != null && isExpired(old.expiresAtMillis(), nowMillis)
                && wallLeadMillis - this.wallLeadMillis <= CLOCK_STEP_MILLIS) {
            // Past its grace, not purged yet: Redis dropped it, and the script stored the event's value alone. Within
            // the grace the two are merged: Redis may still hold the old value (clocks differ), which then stays; so
            // too when the wall clock stepped forward since this state began (its "past" is then in doubt).
            dropped(old.expiresAtMillis());
            exact.put(event.key(), new Entry(event.value(), event.expiresAtMillis()));
        } else if (old != null) {
            exact.put(event.key(), new Entry(Math.max(old.value(), event.value()),
                    Math.max(old.expiresAtMillis(), event.expiresAtMillis())));
        } else if (size < capacity) {
            exact.put(event.key(), new Entry(event.value(), event.expiresAtMillis()));
            size++;
        } else {
            BloomFilter bloom = overflow;
            if (bloom == null) {
                bloom = new BloomFilter(bloomBits);
                overflow = bloom;
            }
            overflowAdds++;
            overflowExpiresAtMillis = Math.max(overflowExpiresAtMillis, event.expiresAtMillis());
            bloom.add(event.key());
        }
    }

    /**
     * Refused when the user's entry covers the token's {@code iat} (a token without one cannot prove it is
     * newer) or the token's own entry exists — the rule of the Redis check. {@link Verdict#ASK_REDIS} when
     * only the Bloom filter could tell, when the wall clock went back past an entry dropped as expired or stepped
     * forward since this state began, or when an entry that covers the token has expired.
     */
    Verdict check(String userKey, String tokenKey, Instant issuedAt, long nowMillis) {
        if (clockUnreliable(nowMillis)) {
            return Verdict.ASK_REDIS;
        }
        boolean outlived = false;
        Entry user = exact.get(userKey);
        if (user != null && UserRevocationInstant.covers(issuedAt, user.value())) {
            if (!isExpired(user.expiresAtMillis(), nowMillis)) {
                return Verdict.REVOKED;
            }
            outlived = true;
        }
        Entry token = exact.get(tokenKey);
        if (token != null) {
            if (!isExpired(token.expiresAtMillis(), nowMillis)) {
                return Verdict.REVOKED;
            }
            outlived = true;
        }
        if (outlived) {
            // An entry outlives every token it covers (its expiry is the token's, or the last token's, plus the
            // skew): a token checked after it means the wall clock stepped forward, before the heartbeat thread
            // noticed. Redis knows.
            return Verdict.ASK_REDIS;
        }
        BloomFilter bloom = overflow;
        if (bloom != null && (bloom.mightContain(userKey) || bloom.mightContain(tokenKey))) {
            return Verdict.ASK_REDIS;
        }
        // Again, after the lookups: a purge (which notes a drop before the removal, and runs after the step is
        // noted) may have dropped an entry since the first look; then this check found neither.
        return clockUnreliable(nowMillis) ? Verdict.ASK_REDIS : Verdict.NOT_REVOKED;
    }

    /**
     * Whether an exact entry covers the token, for a check Redis could not answer: one not expired (with the grace), or
     * any while the clock is unreliable, whose entries are then neither judged nor purged by it: an entry JwtGate wrote
     * outlives every token it covers (their {@code exp} plus the skew), so no step makes it refuse a valid one. (A ban
     * written by hand may not; past its expiry, by a reliable clock, it counts no more.)
     */
    boolean holds(String userKey, String tokenKey, Instant issuedAt, long nowMillis) {
        boolean judged = !clockUnreliable(nowMillis);
        Entry user = exact.get(userKey);
        if (user != null && UserRevocationInstant.covers(issuedAt, user.value())
                && !(judged && isExpired(user.expiresAtMillis(), nowMillis))) {
            return true;
        }
        Entry token = exact.get(tokenKey);
        return token != null && !(judged && isExpired(token.expiresAtMillis(), nowMillis));
    }

    /** The wall clock stepped since this state's entries were dated: only Redis can answer until a reload. */
    boolean clockUnreliable(long nowMillis) {
        return steppedForward || clockWentBack(nowMillis);
    }

    /**
     * Drops the exact entries that no longer matter, making room; returns how many. None once the clock stepped
     * forward: their expiries were dated by the clock before the step, and a check Redis cannot answer still asks them
     * ({@link #holds}) until the reload replaces this state.
     */
    synchronized int purgeExpired(long nowMillis) {
        if (steppedForward) {
            return 0;
        }
        int removed = 0;
        for (Iterator<Entry> it = exact.values().iterator(); it.hasNext(); ) {
            Entry entry = it.next();
            if (isExpired(entry.expiresAtMillis(), nowMillis)) {
                dropped(entry.expiresAtMillis()); // first: a check between the two must not see neither
                it.remove();
                removed++;
            }
        }
        if (overflow != null && isExpired(overflowExpiresAtMillis, nowMillis)) {
            // Every revocation it holds has expired: its hits would only send checks to Redis until the next reload
            // (resync-seconds, 300 s by default). Dropped as an exact entry is: a clock going back before it asks Redis.
            dropped(overflowExpiresAtMillis);
            overflow = null;
            overflowAdds = 0;
            overflowExpiresAtMillis = Long.MIN_VALUE;
        }
        size -= removed;
        return removed;
    }

    /**
     * Whether an entry dropped as expired would count at {@code nowMillis}: the wall clock went back (an NTP step
     * after a clock that ran ahead). The state cannot answer for it until a reload from Redis.
     */
    boolean clockWentBack(long nowMillis) {
        return !isExpired(latestDroppedExpiry, nowMillis);
    }

    /**
     * Notes the wall clock's lead with which a scanned entry was dated. Loader thread only, while the state is built.
     */
    void datedWith(long wallLeadMillis) {
        if (wallLeadMillis < this.wallLeadMillis) {
            this.wallLeadMillis = wallLeadMillis;
        }
    }

    /**
     * True once, the first time the wall clock's lead over the monotonic clock is found more than a second
     * greater than the least its entries were dated with: from then on, every check reads Redis, and the caller asks for a reload
     * of this state. Heartbeat thread only, before any purge: a purge must not drop an entry that expired too early.
     */
    boolean steppedForward(long wallLeadMillis) {
        if (steppedForward || wallLeadMillis - this.wallLeadMillis <= CLOCK_STEP_MILLIS) {
            return false;
        }
        steppedForward = true;
        return true;
    }

    /**
     * True once, the first time the clock is found gone back: the caller then asks for a reload of this state.
     * Heartbeat thread only.
     */
    boolean reloadNeededForClock(long nowMillis) {
        if (reloadAskedForClock || !clockWentBack(nowMillis)) {
            return false;
        }
        reloadAskedForClock = true;
        return true;
    }

    private void dropped(long expiresAtMillis) { // under this object's lock
        if (expiresAtMillis > latestDroppedExpiry) {
            latestDroppedExpiry = expiresAtMillis;
        }
    }

    private boolean isExpired(long expiresAtMillis, long nowMillis) {
        // now - grace, not expiry + grace: an expiry at or near Long.MAX_VALUE (no TTL, or a key kept "forever" by
        // hand) must not overflow, and so never passes.
        return nowMillis - graceMillis > expiresAtMillis;
    }

    /** Entries held exactly. */
    synchronized int exactSize() {
        return size;
    }

    /**
     * About how many revocations the Bloom filter holds, each once (a retried revocation, or one both announced and
     * scanned by a load, is applied twice): estimated from its bits, and never more than were added. Those that expired
     * since this state was loaded stay counted, as they stay in the filter, until the last of them has expired
     * ({@link #purgeExpired} then drops the filter) or the next load.
     */
    long overflowCount() {
        BloomFilter bloom = overflow;
        return bloom == null ? 0 : Math.min(overflowAdds, Math.round(bloom.estimatedKeys()));
    }

    /** Bits of the Bloom filter (allocated at the first entry beyond capacity). */
    long bloomBits() {
        return bloomBits;
    }
}
