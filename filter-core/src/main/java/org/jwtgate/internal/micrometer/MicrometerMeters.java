package org.jwtgate.internal.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jwtgate.engine.Health;
import org.jwtgate.internal.log.Log;
import org.jwtgate.internal.metrics.GateMetrics;
import org.jwtgate.internal.metrics.GateMetrics.CheckPath;
import org.jwtgate.internal.metrics.GateMetrics.Outcome;
import org.jwtgate.internal.metrics.GateMetrics.Reason;
import org.jwtgate.internal.metrics.GateMetrics.RedisEvent;

/**
 * JwtGate's Micrometer meters over one {@link GateMetrics}: function counters, timers and gauges that
 * read the counters when the registry is scraped, so the request path never touches Micrometer. Every
 * meter has the tags {@code filter} and {@code context} (the application's context path); the other tags are fixed sets (outcome, reason, path, kind, result):
 * never a subject, a token id or a path. Loaded only when Micrometer is on the class path.
 */
public final class MicrometerMeters implements AutoCloseable {

    /** The ServletContext attribute an application may put its registry in. */
    public static final String REGISTRY_ATTRIBUTE = "io.micrometer.core.instrument.MeterRegistry";

    private static final Log LOG = Log.of(MicrometerMeters.class);

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    /** Whether a meter of another instance was replaced: said once per binding, as JmxExporter does for a name. */
    private boolean replacedAny;
    /** The registry's meters before this binding: one of them handed back by a registration is another instance's. */
    private final Set<Meter> registeredBefore = Collections.newSetFromMap(new IdentityHashMap<>());

    private MicrometerMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Registers the meters in {@code registry} (a {@code MeterRegistry}), or in Micrometer's global registry
     * when it is null.
     */
    public static MicrometerMeters bind(Object registry, GateMetrics m, Supplier<Health> health, String filterName,
                                       String contextPath) {
        MeterRegistry target = registry instanceof MeterRegistry given ? given : Metrics.globalRegistry;
        if (registry != null && target != registry) {
            // Silent, the application's registry would stay empty with nothing saying why.
            LOG.warn("JwtGate meters of filter [{}]: the ServletContext attribute [{}] holds a [{}] that is no MeterRegistry"
                    + " of this application's Micrometer{}; the meters go to Micrometer's global registry instead",
                    filterName, REGISTRY_ATTRIBUTE, registry.getClass().getName(),
                    isMeterRegistryOfAnotherLoader(registry.getClass()) ? " (another class loader's copy)" : "");
        }
        // One step with close()'s owner check and removal, for every binding of this registry: see close().
        synchronized (target) {
            MicrometerMeters bound = new MicrometerMeters(target);
            try {
                bound.registerAll(m, health, filterName, contextPath);
            } catch (RuntimeException | Error e) {
                // A registry may refuse one meter (Prometheus's, a name it holds with other tag keys): the ones
                // registered before it would stay, frozen, holding this instance's figures and class loader.
                bound.close();
                throw e;
            } finally {
                // Kept, the other instances' meters would hold their applications' class loaders as long as this one runs.
                bound.registeredBefore.clear();
            }
            return bound;
        }
    }

    private void registerAll(GateMetrics m, Supplier<Health> health, String filterName, String contextPath) {
        // The context tells apart same-named filters of several applications sharing one registry.
        String context = contextPath == null ? "none" : contextPath.isEmpty() ? "/" : contextPath;
        Tags filter = Tags.of("filter", filterName, "context", context);
        registeredBefore.addAll(registry.getMeters());

        for (Outcome outcome : Outcome.values()) {
            if (outcome != Outcome.REFUSED) {
                counter("jwtgate.requests", "Requests by how they ended", filter.and("outcome", name(outcome), "reason", "none"),
                        m, x -> x.outcomes(outcome));
            }
        }
        for (Reason reason : Reason.values()) {
            counter("jwtgate.requests", "Requests by how they ended",
                    filter.and("outcome", "refused", "reason", name(reason)), m, x -> x.refusals(reason));
        }
        timer("jwtgate.verification", "Token verification (cache included)", filter, m.verification());
        counter("jwtgate.token.cache.hits", "Verified-token cache hits", filter, m, GateMetrics::cacheHits);
        counter("jwtgate.token.cache.misses", "Verified-token cache misses", filter, m, GateMetrics::cacheMisses);
        gauge("jwtgate.token.cache.size", "Verified tokens held", filter, m, GateMetrics::cacheSize);

        for (CheckPath path : CheckPath.values()) {
            counter("jwtgate.revocation.checks", "Revocation checks by how they were answered",
                    filter.and("path", name(path)), m, x -> x.checks(path));
        }
        counter("jwtgate.revocation.not.durable", "Revocations not confirmed by revocation.min-replicas replicas",
                filter, m, GateMetrics::notDurableRevocations);
        gauge("jwtgate.nearcache.fresh", "1 while checks are answered from the near-cache", filter, m,
                // NaN, not 0, where there is nothing to be fresh (no near-cache, or idle until the first check):
                // an alert on 0 then fires only for a near-cache that lapsed.
                x -> x.nearCache() == null || !x.nearCache().started() ? Double.NaN : x.nearCache().fresh() ? 1 : 0);
        gauge("jwtgate.nearcache.heartbeat.age", "Seconds since the newest answered heartbeat was sent", filter, m,
                x -> x.nearCache() == null || x.nearCache().heartbeatAgeMillis() < 0 ? Double.NaN
                        : x.nearCache().heartbeatAgeMillis() / 1000.0);
        gauge("jwtgate.nearcache.entries", "Revocations held by the near-cache", filter.and("kind", "exact"), m,
                x -> x.nearCache() == null ? 0 : x.nearCache().exactEntries());
        gauge("jwtgate.nearcache.entries", "Revocations held by the near-cache", filter.and("kind", "bloom"), m,
                x -> x.nearCache() == null ? 0 : x.nearCache().bloomEntries());
        timer("jwtgate.nearcache.loads", "Full loads of the stored revocations", filter, m.loads());
        counter("jwtgate.nearcache.load.failures", "Loads at start or after a resubscription that failed (the near-cache stays suspended)",
                filter, m, GateMetrics::loadFailures);
        counter("jwtgate.nearcache.reload.failures", "Periodic reloads that failed (the near-cache stays fresh through its subscription)",
                filter, m, GateMetrics::reloadFailures);
        counter("jwtgate.nearcache.announcements", "Revocation announcements",
                filter.and("direction", "sent"), m, GateMetrics::announcementsSent);
        counter("jwtgate.nearcache.announcements", "Revocation announcements",
                filter.and("direction", "received"), m, GateMetrics::announcementsReceived);

        timer("jwtgate.redis.calls", "Calls to Redis, retries included", filter, m.redisCalls());
        for (RedisEvent event : RedisEvent.values()) {
            counter("jwtgate.redis.failures", "Redis failures and redirects by kind",
                    filter.and("kind", name(event)), m, x -> x.redisEvents(event));
        }

        counter("jwtgate.jwks.fetches", "JWKS fetches by result", filter.and("result", "success"), m,
                x -> x.jwksFetches(true));
        counter("jwtgate.jwks.fetches", "JWKS fetches by result", filter.and("result", "failure"), m,
                x -> x.jwksFetches(false));
        gauge("jwtgate.jwks.keys", "Keys held from the JWKS", filter, m, x -> x.jwks() == null ? Double.NaN : x.jwks().keys());
        gauge("jwtgate.jwks.refresh.age", "Seconds since the last good JWKS fetch", filter, m,
                x -> x.jwks() == null || x.jwks().millisSinceLastSuccess() < 0 ? Double.NaN
                        : x.jwks().millisSinceLastSuccess() / 1000.0);
        gauge("jwtgate.health", "0 UP, 1 DEGRADED, 2 DOWN", filter, health, h -> h.get().status().ordinal());
        if (replacedAny) {
            // Silent, the older instance would run on unseen: with Micrometer in the container, every application
            // shares its global registry, and two of them can have one context path (two hosts' ROOT, app##1 and app##2).
            LOG.warn("JwtGate meters of filter [{}] in context [{}] replace meters of the same name and tags: an instance "
                    + "that was not stopped, or another application with the same context path and filter name, held "
                    + "them; give filters distinct names to see both", filterName, context);
        }
    }

    /** Whether {@code type} is a MeterRegistry of a Micrometer loaded by another class loader than this one's. */
    private static boolean isMeterRegistryOfAnotherLoader(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(MeterRegistry.class.getName())) {
                return true;
            }
        }
        return false;
    }

    private <T> void counter(String name, String description, Tags tags, T source, java.util.function.ToDoubleFunction<T> count) {
        add(() -> FunctionCounter.builder(name, source, count).description(description).tags(tags).register(registry));
    }

    private void timer(String name, String description, Tags tags, GateMetrics.Timing timing) {
        add(() -> FunctionTimer.builder(name, timing, GateMetrics.Timing::count, GateMetrics.Timing::totalNanos,
                TimeUnit.NANOSECONDS).description(description).tags(tags).register(registry));
    }

    private <T> void gauge(String name, String description, Tags tags, T source, java.util.function.ToDoubleFunction<T> value) {
        add(() -> Gauge.builder(name, source, value).description(description).tags(tags).strongReference(true)
                .register(registry));
    }

    /**
     * Registers a meter, replacing one another instance left under the same id (one never closed, or still running
     * while a redeployed one starts): a registry answers a registration with the meter it holds, which reads that
     * instance's counters. Known by identity, not by JwtGate's tags: the registry's filters may have changed them
     * ({@code MeterFilter.ignoreTags("context")}).
     */
    private void add(Supplier<? extends Meter> registration) {
        Meter meter = registration.get();
        if (registeredBefore.contains(meter)) {
            registry.remove(meter);
            replacedAny = true;
            meter = registration.get();
        }
        meters.add(meter);
    }

    private static String name(Enum<?> value) {
        return GateMetrics.name(value).replace('-', '_');
    }

    /** Removes every meter this binding registered. */
    @Override
    public void close() {
        // The owner check and the removal are one step, as the newer instance's replacement and registration are: a
        // registry removes by id, so a meter replaced between the two would be the newer instance's. The registry is
        // the one object every application's copy of this class shares (Micrometer's global registry in the container).
        synchronized (registry) {
            for (Meter meter : meters) {
                // Only our own: a newer instance of the same filter may have replaced it (see add).
                Meter current = registry.find(meter.getId().getName()).tags(meter.getId().getTags()).meter();
                if (current == meter) {
                    registry.remove(meter);
                }
            }
        }
        meters.clear();
    }
}
