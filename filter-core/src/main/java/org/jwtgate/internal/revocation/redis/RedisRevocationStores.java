package org.jwtgate.internal.revocation.redis;

import java.time.Clock;
import java.time.Duration;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.config.NearCacheSettings;
import org.jwtgate.config.RevocationSettings;
import org.jwtgate.internal.revocation.ProofJtiStore;
import org.jwtgate.internal.revocation.RevocationKeys;
import org.jwtgate.revocation.RevocationStore;
import org.jwtgate.internal.revocation.nearcache.AnnouncingRevocationStore;
import org.jwtgate.internal.revocation.nearcache.NearCacheRevocationStore;
import org.jwtgate.internal.log.Log;
import org.jwtgate.internal.metrics.GateMetrics;

/**
 * Builds the Redis-backed store {@code revocation.store} names, on one set of connections:
 * <ul>
 *   <li>{@code redis-cluster} → {@link RedisClusterRevocationStore}; {@code redis} → {@link RedisRevocationStore};</li>
 *   <li>in denylist mode, wrapped by {@link AnnouncingRevocationStore} (every revocation is announced on
 *       pub/sub, whatever this instance reads through), and with {@code revocation.near-cache=true} by
 *       {@link NearCacheRevocationStore} (checks answered locally while fresh);</li>
 *   <li>in allowlist mode, neither: every check reads Redis.</li>
 * </ul>
 * With DPoP on, {@link #createWithProofs} adds the record of used proofs ({@link RedisProofJtiStore}) on
 * the same connections.
 *
 * <p>Each store asks every master once when built (health's probe: the checks' read, with DPoP the proof record's
 * rights), also those after a master that does not answer. Redis refusing the configured user there (WRONGPASS,
 * NOAUTH, NOPERM) is a configuration error, thrown naming {@code redis.user} (never the password): a filter that
 * started would answer 503 forever (or, failing open, pass every token unchecked). Redis refusing only the
 * revocations' script or commands, asked next, is a WARN: the checks are served, and a read-only user (the CLI's
 * {@code status}) needs no more; health says DEGRADED. Redis not answering (down, hung, CLUSTERDOWN) is no error: the
 * store starts and connects once Redis answers.
 */
public final class RedisRevocationStores {

    private static final Log LOG = Log.of(RedisRevocationStores.class);

    private RedisRevocationStores() {
    }

    public static RevocationStore create(JwtGateConfig config) {
        return create(config, Clock.systemUTC());
    }

    public static RevocationStore create(JwtGateConfig config, Clock clock) {
        return create(config, clock, new GateMetrics());
    }

    /** The store, counting what it does into {@code metrics}. */
    public static RevocationStore create(JwtGateConfig config, Clock clock, GateMetrics metrics) {
        JedisClientSettings settings = new JedisClientSettings(config.redis(), metrics);
        MasterConnections connections = connect(config, settings);
        try {
            return create(config, clock, settings, connections);
        } catch (RuntimeException | Error e) {
            connections.close();
            throw e;
        }
    }

    /** The revocation store and the record of used DPoP proofs, on one set of connections (the first closes them). */
    public record Stores(RevocationStore revocation, ProofJtiStore proofs) {
    }

    public static Stores createWithProofs(JwtGateConfig config, Clock clock, GateMetrics metrics) {
        JedisClientSettings settings = new JedisClientSettings(config.redis(), metrics);
        MasterConnections connections = connect(config, settings);
        RevocationStore store = null;
        try {
            store = create(config, clock, settings, connections);
            RedisProofJtiStore proofs = new RedisProofJtiStore(connections, settings, false);
            refuseIfRefused(config, proofs.refusalAtStart(), "DPoP proof record");
            return new Stores(store, proofs);
        } catch (RuntimeException | Error e) {
            if (store != null) {
                store.close(); // and its connections
            } else {
                connections.close();
            }
            throw e;
        }
    }

    /** The record of used DPoP proofs on connections of its own, for a gate whose revocation store is another one. */
    public static ProofJtiStore createProofStore(JwtGateConfig config) {
        return createProofStore(config, new GateMetrics());
    }

    /** As {@link #createProofStore(JwtGateConfig)}, counting its Redis calls in {@code metrics}. */
    public static ProofJtiStore createProofStore(JwtGateConfig config, GateMetrics metrics) {
        JedisClientSettings settings = new JedisClientSettings(config.redis(), metrics);
        RedisProofJtiStore proofs = new RedisProofJtiStore(connect(config, settings), settings, true);
        try {
            refuseIfRefused(config, proofs.refusalAtStart(), "DPoP proof record");
            return proofs;
        } catch (RuntimeException | Error e) {
            proofs.close();
            throw e;
        }
    }

    /** Throws when Redis refused the configured user ({@code refusal} not null), naming redis.user, never the password. */
    private static void refuseIfRefused(JwtGateConfig config, String refusal, String operation) {
        if (refusal == null) {
            return;
        }
        String user = config.redis().user();
        // Worded as the CLI words this refusal at run time (it maps both to exit 2).
        throw new RedisUserRefusedException("Redis refused the credentials or the permissions of " + ConfigKeys.REDIS_USER
                + " / " + ConfigKeys.REDIS_PASSWORD + " (see the ACL in docs/revocation.md): ["
                + ConfigKeys.REDIS_USER + "]: " + (user == null ? "not set (Redis's default user)" : "[" + user + "]")
                + " got " + refusal + " for the " + operation);
    }

    private static MasterConnections connect(JwtGateConfig config, JedisClientSettings settings) {
        return isCluster(config.revocation()) ? new ClusterMasterConnections(settings) : new SingleNodeConnections(settings);
    }

    private static boolean isCluster(RevocationSettings revocation) {
        return switch (revocation.store()) {
            case REDIS_CLUSTER -> true;
            case REDIS -> false;
            default -> throw new IllegalArgumentException("Not a Redis store: " + revocation.store().configName());
        };
    }

    /** Below this {@code revocation.max-staleness-ms} the near-cache is mostly not fresh (a WARN at start). */
    static final int SHORTEST_STALENESS_KEPT_FRESH_MS = 20;

    private static RevocationStore create(JwtGateConfig config, Clock clock, JedisClientSettings settings,
                                          MasterConnections connections) {
        RevocationSettings revocation = config.revocation();
        boolean cluster = isCluster(revocation);
        AbstractRedisRevocationStore store = cluster
                ? new RedisClusterRevocationStore(connections, settings, revocation)
                : new RedisRevocationStore(connections, settings, revocation);
        refuseIfRefused(config, store.probeRefusal(), "revocation check");
        String writesRefused = store.writeRefusal();
        if (writesRefused != null) {
            // Not refused: the checks are served, and a read-only user (the CLI's status) needs no more. Health says
            // DEGRADED, naming it, while the ACL stays so.
            boolean allowlist = revocation.mode() == RevocationSettings.Mode.ALLOWLIST;
            LOG.warn("Redis refuses the {} of {}={} (see the ACL in docs/revocation.md): {}; the checks are served, but "
                    + "every {} fails until the ACL allows them",
                    allowlist ? "registrations and revocations" : "revocations", ConfigKeys.REDIS_USER,
                    config.redis().user() == null ? "not set (Redis's default user)" : "[" + config.redis().user() + "]",
                    writesRefused, allowlist ? "register, revoke and revokeUser" : "revoke and revokeUser");
        }
        NearCacheSettings nearCache = config.nearCache();
        if (revocation.mode() == RevocationSettings.Mode.ALLOWLIST) {
            if (nearCache.enabled()) {
                LOG.info("revocation.near-cache is not used with revocation.mode=allowlist: every check reads Redis");
            }
            return store;
        }
        RevocationKeys keys = new RevocationKeys(settings.keyPrefix());
        // No heartbeat answer for this long: the subscription is dead or stuck; remake it.
        Duration watchdog = Duration.ofMillis(Math.max(2L * settings.timeoutMs(), 10L * nearCache.maxStalenessMs()));
        RedisRevocationFeed feed = new RedisRevocationFeed(connections, settings, cluster, watchdog.multipliedBy(2));
        RevocationStore announcing = new AnnouncingRevocationStore(store, feed, keys,
                Duration.ofMillis(nearCache.maxStalenessMs()), clock);
        if (!nearCache.enabled()) {
            return announcing;
        }
        if (nearCache.maxStalenessMs() < SHORTEST_STALENESS_KEPT_FRESH_MS) {
            // Heartbeats go every 5 ms at the fastest, a round trip each: a probe measured 2 ms fresh a third of the
            // time on a healthy cluster, health DEGRADED the rest.
            LOG.warn("revocation.max-staleness-ms={} is shorter than the near-cache's heartbeats keep it fresh ({} ms at"
                    + " least): most checks will read Redis, and health say DEGRADED; raise it, or set"
                    + " revocation.near-cache=false", nearCache.maxStalenessMs(), SHORTEST_STALENESS_KEPT_FRESH_MS);
        }
        // Entries are honoured for the clock skew past their expiry: servers' clocks may differ that much.
        Duration grace = Duration.ofSeconds(config.verification().clockSkewSeconds() + 1L);
        return new NearCacheRevocationStore(announcing, feed, keys, nearCache, grace, watchdog, clock, settings.metrics());
    }
}
