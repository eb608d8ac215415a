package org.jwtgate.internal.revocation.nearcache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.jwtgate.config.NearCacheSettings;
import org.jwtgate.internal.metrics.GateMetrics;
import org.jwtgate.internal.revocation.RevocationKeys;
import org.jwtgate.revocation.RevocationResult;
import org.jwtgate.revocation.RevocationStore;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.revocation.TokenRef;
import org.jwtgate.revocation.NearCacheStats;

/**
 * Answers revocation checks from local state while it is fresh — no network round trip — and from
 * the wrapped store otherwise ({@code revocation.near-cache=true}, denylist mode, Redis stores).
 * "Fresh" means at most {@code revocation.max-staleness-ms} behind every acknowledged revocation (see
 * {@link Freshness}); when it is not (starting, subscription down, reconnecting, lagging), and when the
 * Bloom filter of overflow entries has a hit, the check reads Redis exactly as without the near-cache,
 * with the same failure semantics. Writes go straight to the wrapped store, which announces them.
 *
 * <p>The synchronisation threads start at the first check, so a process that only writes revocations
 * (the CLI) never subscribes.
 */
public final class NearCacheRevocationStore implements RevocationStore {

    private final RevocationStore direct;
    private final RevocationKeys keys;
    private final NearCacheSynchronizer synchronizer;
    private final NearCacheSettings settings;
    private final GateMetrics metrics;
    private final Clock clock;
    private final LongAdder directChecks = new LongAdder();
    private final LongAdder confirmedChecks = new LongAdder();

    /**
     * @param direct    the store to read when the local state cannot answer (and to write through)
     * @param feed      announcements, heartbeats and scans of the same Redis
     * @param grace     how long past its expiry an entry is still honoured (the clock skew between servers)
     * @param watchdog  how long without a heartbeat coming back before the subscription is dropped and remade
     */
    public NearCacheRevocationStore(RevocationStore direct, RevocationFeed feed, RevocationKeys keys,
                                    NearCacheSettings settings, Duration grace, Duration watchdog, Clock clock) {
        this(direct, feed, keys, settings, grace, watchdog, clock, new GateMetrics());
    }

    /** @param metrics where checks by path, announcements received and loads are counted, and the gauges attached */
    public NearCacheRevocationStore(RevocationStore direct, RevocationFeed feed, RevocationKeys keys,
                                    NearCacheSettings settings, Duration grace, Duration watchdog, Clock clock,
                                    GateMetrics metrics) {
        this.metrics = metrics;
        this.direct = direct;
        this.keys = keys;
        this.settings = settings;
        this.clock = clock;
        this.synchronizer = new NearCacheSynchronizer(feed, keys.prefix(), settings.capacity(), grace.toMillis(),
                settings.maxStalenessMs(), watchdog.toMillis(), settings.resyncSeconds() * 1000L, clock, metrics);
        metrics.attachNearCache(new GateMetrics.NearCacheGauges() {
            @Override
            public boolean started() {
                return synchronizer.isStarted();
            }

            @Override
            public boolean fresh() {
                return answersLocally();
            }

            @Override
            public long heartbeatAgeMillis() {
                return synchronizer.heartbeatAgeMillis();
            }

            @Override
            public long exactEntries() {
                return synchronizer.state().exactSize();
            }

            @Override
            public long bloomEntries() {
                return synchronizer.state().overflowCount();
            }

            @Override
            public String pubSubMode() {
                return synchronizer.modeLabel();
            }

            @Override
            public String refusal() {
                return synchronizer.refusal();
            }
        });
    }

    @Override
    public boolean isRevoked(TokenRef token) {
        synchronizer.ensureStarted();
        RevocationKeys.CheckKeys checkKeys = keys.checkKeys(token);
        if (synchronizer.isFresh()) {
            LocalRevocations.Verdict verdict = synchronizer.state().check(checkKeys.user(), checkKeys.token(),
                    token.issuedAt(), clock.millis());
            if (verdict != LocalRevocations.Verdict.ASK_REDIS) {
                // One counter per request: the local checks of stats() are read from it too.
                metrics.check(GateMetrics.CheckPath.NEAR_CACHE);
                return verdict == LocalRevocations.Verdict.REVOKED;
            }
            confirmedChecks.increment();
        } else {
            directChecks.increment();
        }
        metrics.check(GateMetrics.CheckPath.FALLBACK);
        try {
            return direct.isRevoked(token);
        } catch (RevocationUnavailableException e) {
            // Redis cannot answer (a master failing over): a revocation held here is still in force, an entry
            // outliving every token it covers. Asked of Redis alone, it was a 503, or with failure-mode=open a pass.
            // While Redis answers, it decides (a revocation deleted there by hand ends at once).
            if (synchronizer.state().holds(checkKeys.user(), checkKeys.token(), token.issuedAt(), clock.millis())) {
                return true;
            }
            throw e;
        }
    }

    @Override
    public RevocationResult revokeToken(TokenRef token, Duration ttl) {
        return direct.revokeToken(token, ttl);
    }

    @Override
    public RevocationResult revokeUser(String subject, Instant instant, Duration ttl) {
        return direct.revokeUser(subject, instant, ttl);
    }

    @Override
    public RevocationResult register(TokenRef token, Duration ttl) {
        return direct.register(token, ttl);
    }

    /** Whether checks are answered locally right now. */
    public boolean isFresh() {
        return answersLocally();
    }

    /**
     * Fresh, and the wall clock not stepped since the entries were dated: after a step every check reads Redis until a
     * reload, and while that reload failed, stats, the gauge and health said fresh (DEGRADED, not DOWN, with Redis
     * down) of a cache that answered nothing.
     */
    private boolean answersLocally() {
        return synchronizer.isFresh() && !synchronizer.state().clockUnreliable(clock.millis());
    }

    @Override
    public Optional<NearCacheStats> nearCacheStats() {
        return Optional.of(stats());
    }

    public NearCacheStats stats() {
        LocalRevocations state = synchronizer.state();
        return new NearCacheStats(metrics.checks(GateMetrics.CheckPath.NEAR_CACHE), directChecks.sum(), confirmedChecks.sum(), answersLocally(),
                state.exactSize(), state.overflowCount(), synchronizer.announcementsApplied(), synchronizer.loads(),
                synchronizer.subscriptions(), synchronizer.modeLabel(), synchronizer.failedLoads(),
                synchronizer.lastAnnouncementApplied(), synchronizer.refusal());
    }

    @Override
    public boolean isHealthy() {
        return direct.isHealthy();
    }

    @Override
    public String describe() {
        return direct.describe() + ", near-cache(max-staleness=" + settings.maxStalenessMs() + " ms, capacity="
                + settings.capacity() + ", resync=" + settings.resyncSeconds() + " s)";
    }

    @Override
    public void close() {
        try {
            synchronizer.close();
        } finally {
            direct.close();
        }
    }
}
