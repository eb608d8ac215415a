package org.jwtgate.internal.metrics;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Every figure one JwtGate (one filter or module instance) keeps about itself: plain counters that the
 * request path and the background threads increment (a {@link LongAdder} each: no lock, no
 * allocation), and gauges its parts attach. The JMX MBeans and the optional Micrometer meters only
 * read them, so exporting costs the request path nothing.
 */
public final class GateMetrics {

    /** How a request ended. */
    public enum Outcome { AUTHENTICATED, PUBLIC, ANONYMOUS, REFUSED, UNAVAILABLE, FAIL_OPEN }

    /** Why a request was refused (a fixed, low-cardinality set). */
    public enum Reason { MISSING, MALFORMED, INVALID, EXPIRED, NOT_YET_VALID, REVOKED, INSUFFICIENT_SCOPE, CSRF, DPOP }

    /** How a revocation check was answered. */
    public enum CheckPath {
        /** From the near-cache's local state: no round trip. */
        NEAR_CACHE,
        /** The near-cache could not answer (not fresh, or a Bloom filter hit to confirm): Redis. */
        FALLBACK,
        /** Straight from the store: no near-cache (allowlist, near-cache off, memory). */
        STORE
    }

    /** Why a Redis call failed (or was redirected). */
    public enum RedisEvent { TIMEOUT, REFUSED, REDIRECT, CLUSTERDOWN, OTHER }

    /** A kind of write to Redis that Redis may refuse while it still answers reads (health names which). */
    public enum RedisWrite {
        /** A revocation ({@code revoke}, {@code revokeUser}) or, in allowlist mode, a token's registration. */
        REVOCATION,
        /** A DPoP proof's one-time record. */
        PROOF_RECORD
    }

    /** Redis's last refusal of a kind of write, in its words, and how long ago it came. */
    public record WritesRefused(String refusal, long millisAgo) {
    }

    private final EnumMap<Outcome, LongAdder> outcomes = counters(Outcome.class);
    private final EnumMap<Reason, LongAdder> refusals = counters(Reason.class);
    private final EnumMap<CheckPath, LongAdder> checks = counters(CheckPath.class);
    private final EnumMap<RedisEvent, LongAdder> redisEvents = counters(RedisEvent.class);

    private final Timing verification = new Timing();
    private final LongAdder cacheHits = new LongAdder();
    private final LongAdder cacheMisses = new LongAdder();
    private final Timing redisCalls = new Timing();
    private final LongAdder notDurable = new LongAdder();
    private final Timing loads = new Timing();
    private final LongAdder announcementsSent = new LongAdder();
    private final LongAdder announcementsReceived = new LongAdder();
    private final LongAdder loadFailures = new LongAdder();
    private final LongAdder reloadFailures = new LongAdder();
    private final LongAdder jwksSuccesses = new LongAdder();
    private final LongAdder jwksFailures = new LongAdder();

    /** Each running JwtGate's metrics, for the internal parts that get only the gate (never a public door). */
    private static final Map<Object, GateMetrics> BY_OWNER = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    // Health's "in the last 5 minutes" / "last minute": on the monotonic clock, which a wall clock set back cannot stretch.
    private final LastEvent lastNotDurable;
    private final LastEvent lastProofRecordFull;
    private final EnumMap<RedisWrite, LastEvent> lastWritesRefused = new EnumMap<>(RedisWrite.class);
    /** Redis's refusal of the configured user met by the store's last health probe, in words; null when none. */
    private volatile String storeRefusal;
    /** Redis's refusal of the revocations' script or commands met by the store's last health probe; null when none. */
    private volatile String writeRefusal;
    private volatile LongSupplier cacheSize = () -> 0;
    private volatile NearCacheGauges nearCache;
    private volatile JwksGauges jwks;

    public GateMetrics() {
        this(System::nanoTime);
    }

    /** With another monotonic clock (tests). */
    GateMetrics(LongSupplier nanoClock) {
        lastNotDurable = new LastEvent(nanoClock);
        lastProofRecordFull = new LastEvent(nanoClock);
        for (RedisWrite write : RedisWrite.values()) {
            lastWritesRefused.put(write, new LastEvent(nanoClock));
        }
    }

    /** When something last happened, and for a refusal Redis's words, on a monotonic clock. */
    private static final class LastEvent {
        private record Stamped(String words, long nanos) {
        }

        private final LongSupplier nanoClock;
        private volatile Stamped last; // one field: the words and their time always belong together

        LastEvent(LongSupplier nanoClock) {
            this.nanoClock = nanoClock;
        }

        void mark() {
            mark(null);
        }

        void mark(String words) {
            last = new Stamped(words, nanoClock.getAsLong());
        }

        long millisSince() {
            Stamped stamped = last; // before the clock: a mark() between the two reads must not give a negative age
            return stamped == null ? -1 : TimeUnit.NANOSECONDS.toMillis(nanoClock.getAsLong() - stamped.nanos());
        }

        WritesRefused refusal() {
            Stamped stamped = last;
            return stamped == null ? null : new WritesRefused(stamped.words(),
                    TimeUnit.NANOSECONDS.toMillis(nanoClock.getAsLong() - stamped.nanos()));
        }
    }

    /** A count and a total duration (a timer whose mean is total / count). */
    public static final class Timing {
        private final LongAdder count = new LongAdder();
        private final LongAdder totalNanos = new LongAdder();

        public void record(long nanos) {
            count.increment();
            totalNanos.add(nanos);
        }

        public long count() {
            return count.sum();
        }

        public long totalNanos() {
            return totalNanos.sum();
        }
    }

    /** Records {@code metrics} as {@code owner}'s (a JwtGate), for {@link #of(Object)}. */
    public static void register(Object owner, GateMetrics metrics) {
        BY_OWNER.put(owner, metrics);
    }

    /**
     * Forgets {@code owner}'s metrics (a closed JwtGate). The map's keys are weak, but a stale entry is only
     * dropped on a later access, which after an undeploy never comes: meanwhile its value holds what the gauges
     * read (the JWKS client, whose selector thread then keeps the whole web application's class loader).
     */
    public static void unregister(Object owner) {
        BY_OWNER.remove(owner);
    }

    /** The metrics {@code owner} registered; a fresh, unattached set when it registered none. */
    public static GateMetrics of(Object owner) {
        GateMetrics metrics = BY_OWNER.get(owner);
        return metrics != null ? metrics : new GateMetrics();
    }

    /** What the near-cache shows; attached when a near-cache runs. */
    public interface NearCacheGauges {
        /** Whether the near-cache has started (it starts with the first check). */
        boolean started();

        boolean fresh();

        /** Milliseconds since the newest answered heartbeat was sent, or -1 before the first. */
        long heartbeatAgeMillis();

        long exactEntries();

        long bloomEntries();

        /** How announcements travel: {@code sharded}, {@code classic}, or {@code none} before the first subscription. */
        default String pubSubMode() {
            return "none";
        }

        /** Redis's refusal of the configured user that keeps the near-cache suspended, in its words; null when none. */
        default String refusal() {
            return null;
        }
    }

    /** What the JWKS client shows; attached with {@code jwt.jwks-uri}. */
    public interface JwksGauges {
        int keys();

        /** Milliseconds since the last successful fetch, or -1 before the first. */
        long millisSinceLastSuccess();
    }

    private static <E extends Enum<E>> EnumMap<E, LongAdder> counters(Class<E> type) {
        EnumMap<E, LongAdder> map = new EnumMap<>(type);
        for (E value : type.getEnumConstants()) {
            map.put(value, new LongAdder());
        }
        return map;
    }

    // ---- recording ------------------------------------------------------------------------

    public void outcome(Outcome outcome) {
        outcomes.get(outcome).increment();
    }

    public void refused(Reason reason) {
        outcomes.get(Outcome.REFUSED).increment();
        refusals.get(reason).increment();
    }

    public Timing verification() {
        return verification;
    }

    public void cacheHit() {
        cacheHits.increment();
    }

    public void cacheMiss() {
        cacheMisses.increment();
    }

    public void check(CheckPath path) {
        checks.get(path).increment();
    }

    public Timing redisCalls() {
        return redisCalls;
    }

    public void redisEvent(RedisEvent event) {
        redisEvents.get(event).increment();
    }

    public void notDurable() {
        notDurable.increment();
        lastNotDurable.mark();
    }

    /** Milliseconds since the last revocation short of replicas was written, or -1 if none was. */
    public long millisSinceNotDurable() {
        return lastNotDurable.millisSince();
    }

    /** A DPoP proof went unrecorded, so refused (503), because its record is full: the in-memory cap, Redis's OOM. */
    public void proofRecordFull() {
        lastProofRecordFull.mark();
    }

    /** Milliseconds since a proof last met a full record, or -1 if none has. */
    public long millisSinceProofRecordFull() {
        return lastProofRecordFull.millisSince();
    }

    /**
     * Redis refused a write of this kind with an answer no retry changes while it lasts (OOM, NOREPLICAS, MISCONF,
     * READONLY), though it may still answer reads: noted for health, which probes write nothing. Called on the failure
     * path only.
     *
     * @param refusal Redis's answer in a few words (its error code first; never a key, a user or a secret)
     */
    public void writesRefused(RedisWrite write, String refusal) {
        lastWritesRefused.get(write).mark(refusal);
    }

    /** Redis's last refusal of this kind of write and how long ago it came, or null if none came. */
    public WritesRefused lastWritesRefused(RedisWrite write) {
        return lastWritesRefused.get(write).refusal();
    }

    /** The revocation store's health probe met this refusal of the configured user (NOPERM...), or none (null). */
    public void storeRefusal(String refusal) {
        storeRefusal = refusal;
    }

    /** Redis's refusal met by the store's last health probe, in its words (never a user or a secret), or null. */
    public String storeRefusal() {
        return storeRefusal;
    }

    /** The revocation store's health probe met this refusal of the revocations' script or commands, or none (null). */
    public void writeRefusal(String refusal) {
        writeRefusal = refusal;
    }

    /** Redis's refusal of the revocations (revoke, revokeUser) met by the store's last health probe, or null. */
    public String writeRefusal() {
        return writeRefusal;
    }

    public Timing loads() {
        return loads;
    }

    /** A near-cache load at start or after a resubscription that failed (a key read refused, a node down): it stays suspended. */
    public void loadFailed() {
        loadFailures.increment();
    }

    public long loadFailures() {
        return loadFailures.sum();
    }

    /** A periodic reload of a fresh near-cache that failed: it stays fresh (the subscription keeps it current). */
    public void reloadFailed() {
        reloadFailures.increment();
    }

    public long reloadFailures() {
        return reloadFailures.sum();
    }

    public void announcementSent() {
        announcementsSent.increment();
    }

    public void announcementReceived() {
        announcementsReceived.increment();
    }

    public void jwksFetch(boolean success) {
        (success ? jwksSuccesses : jwksFailures).increment();
    }

    public void attachCacheSize(LongSupplier size) {
        this.cacheSize = size;
    }

    public void attachNearCache(NearCacheGauges gauges) {
        this.nearCache = gauges;
    }

    public void attachJwks(JwksGauges gauges) {
        this.jwks = gauges;
    }

    // ---- reading ---------------------------------------------------------------------------

    public long outcomes(Outcome outcome) {
        return outcomes.get(outcome).sum();
    }

    public long refusals(Reason reason) {
        return refusals.get(reason).sum();
    }

    public long checks(CheckPath path) {
        return checks.get(path).sum();
    }

    public long redisEvents(RedisEvent event) {
        return redisEvents.get(event).sum();
    }

    public long cacheHits() {
        return cacheHits.sum();
    }

    public long cacheMisses() {
        return cacheMisses.sum();
    }

    public long cacheSize() {
        return cacheSize.getAsLong();
    }

    public long notDurableRevocations() {
        return notDurable.sum();
    }

    public long announcementsSent() {
        return announcementsSent.sum();
    }

    public long announcementsReceived() {
        return announcementsReceived.sum();
    }

    public long jwksFetches(boolean success) {
        return (success ? jwksSuccesses : jwksFailures).sum();
    }

    /** The near-cache's gauges, or null when no near-cache runs. */
    public NearCacheGauges nearCache() {
        return nearCache;
    }

    /** The JWKS client's gauges, or null without {@code jwt.jwks-uri}. */
    public JwksGauges jwks() {
        return jwks;
    }

    /** Every counter by a stable name, for tests and the JMX view ({@code requests.refused.expired}, …). */
    public Map<String, Long> snapshot() {
        Map<String, Long> all = new java.util.LinkedHashMap<>();
        outcomes.forEach((o, n) -> all.put("requests." + name(o), n.sum()));
        refusals.forEach((r, n) -> all.put("requests.refused." + name(r), n.sum()));
        checks.forEach((p, n) -> all.put("revocation.checks." + name(p), n.sum()));
        redisEvents.forEach((e, n) -> all.put("redis." + name(e), n.sum()));
        all.put("verification.count", verification.count());
        all.put("token-cache.hits", cacheHits.sum());
        all.put("token-cache.misses", cacheMisses.sum());
        all.put("redis.calls", redisCalls.count());
        all.put("revocation.not-durable", notDurable.sum());
        all.put("near-cache.loads", loads.count());
        all.put("near-cache.loads.failed", loadFailures.sum());
        all.put("near-cache.reloads.failed", reloadFailures.sum());
        all.put("near-cache.announcements.sent", announcementsSent.sum());
        all.put("near-cache.announcements.received", announcementsReceived.sum());
        all.put("jwks.fetches.success", jwksSuccesses.sum());
        all.put("jwks.fetches.failure", jwksFailures.sum());
        return all;
    }

    /** {@code NOT_YET_VALID} → {@code not-yet-valid}: the tag and attribute spelling. */
    public static String name(Enum<?> value) {
        return value.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
