package org.jwtgate.internal.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.jwtgate.engine.Health;
import org.jwtgate.internal.metrics.GateMetrics;
import org.jwtgate.internal.metrics.GateMetrics.CheckPath;
import org.jwtgate.internal.metrics.GateMetrics.Outcome;
import org.jwtgate.internal.metrics.GateMetrics.Reason;
import org.jwtgate.internal.metrics.GateMetrics.RedisEvent;
import org.jwtgate.testkit.logs.CapturedLog;

class MicrometerMetersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final GateMetrics metrics = new GateMetrics();
    private final AtomicReference<Health> health = new AtomicReference<>(new Health(Health.Status.UP, Map.of()));

    private MicrometerMeters bind() {
        return MicrometerMeters.bind(registry, metrics, health::get, "jwtgate", "/shop");
    }

    private double counter(String name, String... tags) {
        return registry.get(name).tags("filter", "jwtgate", "context", "/shop").tags(tags).functionCounter().count();
    }

    private double gauge(String name, String... tags) {
        return registry.get(name).tags("filter", "jwtgate", "context", "/shop").tags(tags).gauge().value();
    }

    @Test
    void whenRequestsEndThenEachOutcomeAndReasonIsItsOwnSeries() {
        try (MicrometerMeters ignored = bind()) {
            metrics.outcome(Outcome.AUTHENTICATED);
            metrics.outcome(Outcome.PUBLIC);
            metrics.outcome(Outcome.ANONYMOUS);
            metrics.outcome(Outcome.UNAVAILABLE);
            metrics.outcome(Outcome.FAIL_OPEN);
            metrics.refused(Reason.NOT_YET_VALID);
            assertEquals(1, counter("jwtgate.requests", "outcome", "authenticated", "reason", "none"));
            assertEquals(1, counter("jwtgate.requests", "outcome", "public", "reason", "none"));
            assertEquals(1, counter("jwtgate.requests", "outcome", "anonymous", "reason", "none"));
            assertEquals(1, counter("jwtgate.requests", "outcome", "unavailable", "reason", "none"));
            assertEquals(1, counter("jwtgate.requests", "outcome", "fail_open", "reason", "none"));
            assertEquals(1, counter("jwtgate.requests", "outcome", "refused", "reason", "not_yet_valid"));
            assertEquals(0, counter("jwtgate.requests", "outcome", "refused", "reason", "expired"));
            for (Reason reason : Reason.values()) {
                registry.get("jwtgate.requests").tags("reason", reason.name().toLowerCase(java.util.Locale.ROOT))
                        .functionCounter();
            }
        }
    }

    @Test
    void whenEveryOtherFigureMovesThenItsMeterShowsIt() {
        try (MicrometerMeters ignored = bind()) {
            metrics.verification().record(2_000_000);
            metrics.cacheHit();
            metrics.cacheMiss();
            metrics.attachCacheSize(() -> 7);
            metrics.check(CheckPath.NEAR_CACHE);
            metrics.check(CheckPath.FALLBACK);
            metrics.notDurable();
            metrics.loads().record(5_000_000);
            metrics.announcementSent();
            metrics.announcementReceived();
            metrics.redisCalls().record(1_000_000);
            metrics.redisEvent(RedisEvent.CLUSTERDOWN);
            metrics.jwksFetch(true);
            metrics.jwksFetch(false);

            FunctionTimer verification = registry.get("jwtgate.verification").functionTimer();
            assertEquals(1, verification.count());
            assertEquals(2.0, verification.totalTime(TimeUnit.MILLISECONDS), 1e-9);
            assertEquals(1, counter("jwtgate.token.cache.hits"));
            assertEquals(1, counter("jwtgate.token.cache.misses"));
            assertEquals(7, gauge("jwtgate.token.cache.size"));
            assertEquals(1, counter("jwtgate.revocation.checks", "path", "near_cache"));
            assertEquals(1, counter("jwtgate.revocation.checks", "path", "fallback"));
            assertEquals(0, counter("jwtgate.revocation.checks", "path", "store"));
            assertEquals(1, counter("jwtgate.revocation.not.durable"));
            assertEquals(1, registry.get("jwtgate.nearcache.loads").functionTimer().count());
            assertEquals(1, counter("jwtgate.nearcache.announcements", "direction", "sent"));
            assertEquals(1, counter("jwtgate.nearcache.announcements", "direction", "received"));
            assertEquals(1, registry.get("jwtgate.redis.calls").functionTimer().count());
            assertEquals(1, counter("jwtgate.redis.failures", "kind", "clusterdown"));
            assertEquals(0, counter("jwtgate.redis.failures", "kind", "timeout"));
            assertEquals(1, counter("jwtgate.jwks.fetches", "result", "success"));
            assertEquals(1, counter("jwtgate.jwks.fetches", "result", "failure"));
        }
    }

    @Test
    void whenGaugesAttachedThenNearCacheJwksAndHealthAreRead() {
        try (MicrometerMeters ignored = bind()) {
            // Nothing to watch is NaN, not 0: an alert on "fresh = 0" or "keys = 0" must not fire without them.
            assertTrue(Double.isNaN(gauge("jwtgate.nearcache.fresh")), "no near-cache: not 0");
            assertTrue(Double.isNaN(gauge("jwtgate.nearcache.heartbeat.age")), "no near-cache: no age");
            assertTrue(Double.isNaN(gauge("jwtgate.jwks.keys")), "no JWKS: not 0");
            boolean[] started = {false};
            boolean[] fresh = {false};
            metrics.attachNearCache(new GateMetrics.NearCacheGauges() {
                public boolean started() { return started[0]; }
                public boolean fresh() { return fresh[0]; }
                public long heartbeatAgeMillis() { return -1; }
                public long exactEntries() { return 0; }
                public long bloomEntries() { return 0; }
            });
            assertTrue(Double.isNaN(gauge("jwtgate.nearcache.fresh")), "idle until the first check: not 0");
            started[0] = true;
            assertEquals(0, gauge("jwtgate.nearcache.fresh"), "started, not fresh yet");
            fresh[0] = true;
            assertEquals(1, gauge("jwtgate.nearcache.fresh"));
            metrics.attachNearCache(new GateMetrics.NearCacheGauges() {
                public boolean started() { return true; }
                public boolean fresh() { return true; }
                public long heartbeatAgeMillis() { return 30; }
                public long exactEntries() { return 12; }
                public long bloomEntries() { return 3; }
            });
            metrics.attachJwks(new GateMetrics.JwksGauges() {
                public int keys() { return 2; }
                public long millisSinceLastSuccess() { return 4_500; }
            });
            assertEquals(1, gauge("jwtgate.nearcache.fresh"));
            assertEquals(0.030, gauge("jwtgate.nearcache.heartbeat.age"), 1e-9);
            assertEquals(12, gauge("jwtgate.nearcache.entries", "kind", "exact"));
            assertEquals(3, gauge("jwtgate.nearcache.entries", "kind", "bloom"));
            assertEquals(2, gauge("jwtgate.jwks.keys"));
            assertEquals(4.5, gauge("jwtgate.jwks.refresh.age"), 1e-9);
            assertEquals(0, gauge("jwtgate.health"));
            health.set(new Health(Health.Status.DOWN, Map.of()));
            assertEquals(2, gauge("jwtgate.health"));
        }
    }

    @Test
    void whenTaggedThenOnlyFixedLowCardinalityKeys() {
        try (MicrometerMeters ignored = bind()) {
            Set<String> keys = new TreeSet<>();
            for (Meter meter : registry.getMeters()) {
                assertTrue(meter.getId().getName().startsWith("jwtgate."), meter.getId().toString());
                meter.getId().getTags().stream().map(Tag::getKey).forEach(keys::add);
            }
            assertEquals(Set.of("context", "direction", "filter", "kind", "outcome", "path", "reason", "result"), keys);
        }
    }

    @Test
    void whenClosedThenEveryMeterIsRemoved() {
        MicrometerMeters bound = bind();
        assertTrue(registry.getMeters().size() > 30, registry.getMeters().size() + " meters");
        bound.close();
        assertEquals(0, registry.getMeters().size());
    }

    @Test
    void whenTheRegistryRefusesAMeterHalfWayThenTheMetersAlreadyRegisteredAreRemoved() {
        // As Prometheus's registry refuses a name it holds with other tag keys: the exception reaches Exporters, which
        // logs it and starts without meters; the ones registered before it stayed, frozen, holding this GateMetrics.
        SimpleMeterRegistry refusing = new SimpleMeterRegistry() {
            @Override
            protected <T> io.micrometer.core.instrument.Gauge newGauge(Meter.Id id, T obj,
                                                                       java.util.function.ToDoubleFunction<T> valueFunction) {
                if (id.getName().equals("jwtgate.health")) {
                    throw new IllegalArgumentException("a meter named jwtgate.health with other tag keys exists");
                }
                return super.newGauge(id, obj, valueFunction);
            }
        };
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> MicrometerMeters.bind(refusing, metrics, health::get, "jwtgate", "/shop"));
        assertEquals(List.of(), refusing.getMeters().stream().map(meter -> meter.getId().getName()).toList());
    }

    @Test
    void whenAnEarlierInstanceWasNotClosedThenTheNewOneReplacesItsMeters() {
        GateMetrics earlier = new GateMetrics();
        MicrometerMeters older = MicrometerMeters.bind(registry, earlier, health::get, "jwtgate", "/shop");
        try (MicrometerMeters ignored = bind()) {
            earlier.outcome(Outcome.AUTHENTICATED);
            metrics.outcome(Outcome.AUTHENTICATED);
            metrics.outcome(Outcome.AUTHENTICATED);
            assertEquals(2, counter("jwtgate.requests", "outcome", "authenticated", "reason", "none"));
            older.close(); // the older instance stopping late leaves the newer one's meters alone
            assertEquals(2, counter("jwtgate.requests", "outcome", "authenticated", "reason", "none"));
        }
    }

    /**
     * The application's registry drops the context tag: the older instance's meters were looked for by JwtGate's own
     * tags, not found, and handed back by the registry, so the newer instance's meters read the older one's counters,
     * and the older one's close removed them all.
     */
    @Test
    void whenTheRegistrysFilterChangesTheTagsThenTheNewerInstanceStillReplacesTheOlderOnesMeters() {
        registry.config().meterFilter(io.micrometer.core.instrument.config.MeterFilter.ignoreTags("context"));
        GateMetrics earlier = new GateMetrics();
        MicrometerMeters older = MicrometerMeters.bind(registry, earlier, health::get, "jwtgate", "/shop-v1");
        int meterCount = registry.getMeters().size();
        try (older; MicrometerMeters ignored = MicrometerMeters.bind(registry, metrics, health::get, "jwtgate", "/shop-v2")) {
            earlier.outcome(Outcome.AUTHENTICATED);
            metrics.outcome(Outcome.AUTHENTICATED);
            metrics.outcome(Outcome.AUTHENTICATED);
            assertEquals(2, registry.get("jwtgate.requests").tags("outcome", "authenticated", "reason", "none")
                    .functionCounter().count());
            older.close();
            assertEquals(meterCount, registry.getMeters().size(), "the newer instance's meters stay");
            assertEquals(2, registry.get("jwtgate.requests").tags("outcome", "authenticated", "reason", "none")
                    .functionCounter().count());
        }
    }

    /** Another instance's meters, closed and removed, are not held by a binding made while they were registered. */
    @Test
    void whenAnOlderInstanceHasClosedThenANewerOneHoldsNothingOfIt() throws Exception {
        GateMetrics earlier = new GateMetrics();
        java.lang.ref.WeakReference<GateMetrics> collected = new java.lang.ref.WeakReference<>(earlier);
        MicrometerMeters older = MicrometerMeters.bind(registry, earlier, health::get, "jwtgate", "/shop-v1");
        earlier = null;
        try (MicrometerMeters newer = MicrometerMeters.bind(registry, metrics, health::get, "jwtgate", "/shop-v2")) {
            older.close();
            older = null;
            for (int i = 0; i < 100 && collected.get() != null; i++) {
                System.gc();
                Thread.sleep(20);
            }
            assertNull(collected.get(), "the older instance's metrics are still held");
        }
    }

    @Test
    void whenNoRegistryGivenThenTheGlobalRegistryGetsTheMeters() {
        SimpleMeterRegistry global = new SimpleMeterRegistry();
        Metrics.addRegistry(global);
        try (MicrometerMeters ignored = MicrometerMeters.bind(null, metrics, health::get, "global-test", null)) {
            metrics.outcome(Outcome.PUBLIC);
            FunctionCounter counter = global.get("jwtgate.requests").tags("filter", "global-test", "context", "none",
                    "outcome", "public").functionCounter();
            assertEquals(1, counter.count());
        } finally {
            Metrics.removeRegistry(global);
        }
    }

    @Test
    void whenAnotherRunningInstanceHeldTheMetersThenTheTakeoverIsLoggedOnce() {
        // Two applications with one context path and filter name (two hosts' ROOT, Tomcat's app##1 and app##2)
        // share Micrometer's global registry when Micrometer is in the container: the newer one's meters replace the
        // older one's, which then runs unseen. JMX says so in a WARN; Micrometer said nothing.
        MicrometerMeters older = MicrometerMeters.bind(registry, new GateMetrics(), health::get, "jwtgate", "/shop");
        MicrometerMeters newer;
        String log;
        try (CapturedLog captured = CapturedLog.standardError()) {
            newer = bind();
            log = captured.text();
        }
        try {
            assertTrue(log.contains("JwtGate meters of filter [jwtgate] in context [/shop] replace"), log);
            assertEquals(1, log.lines().filter(line -> line.contains("JwtGate meters of filter")).count(), log);
        } finally {
            newer.close();
            older.close();
        }
    }
    @Test
    void whenAnOlderInstanceClosesWhileANewerOneBindsThenTheNewerKeepsAllItsMeters() throws Exception {
        // Redeploy overlap in one registry (Micrometer in the container: Tomcat's app##1 stopping as app##2 starts):
        // the older instance's close() finds its meter still registered, the newer one replaces it (same name and
        // tags), and the older one's remove, by the meter's id, then removed the newer one's.
        int all;
        try (MicrometerMeters counted = bind()) {
            all = registry.getMeters().size();
        }
        ExecutorService newerSide = Executors.newSingleThreadExecutor();
        try {
            for (int round = 0; round < 200; round++) {
                MicrometerMeters older = MicrometerMeters.bind(registry, new GateMetrics(), health::get, "jwtgate", "/shop");
                CountDownLatch go = new CountDownLatch(1);
                Future<MicrometerMeters> newer = newerSide.submit(() -> {
                    go.await();
                    return bind();
                });
                go.countDown();
                older.close();
                MicrometerMeters survivor = newer.get(10, TimeUnit.SECONDS);
                assertEquals(all, registry.getMeters().size(), "round " + round + ": the newer instance's meters");
                survivor.close();
                assertEquals(0, registry.getMeters().size());
            }
        } finally {
            newerSide.shutdownNow();
        }
    }
    @Test
    void whenTheContextAttributeHoldsNoRegistryOfThisMicrometerThenAWarnSaysWhereTheMetersWent() throws Exception {
        // A registry made by another class loader's copy of Micrometer (a container-level listener's, while the
        // application bundles its own) is no MeterRegistry here: the meters went to the global registry, which records
        // nothing until a registry is added to it, and nothing said why the application's registry stayed empty.
        try (java.net.URLClassLoader other = new java.net.URLClassLoader(MeterRegistryOf.locations(),
                ClassLoader.getPlatformClassLoader())) {
            Object foreign = other.loadClass(SimpleMeterRegistry.class.getName()).getConstructor().newInstance();
            MicrometerMeters bound;
            String log;
            try (CapturedLog captured = CapturedLog.standardError()) {
                bound = MicrometerMeters.bind(foreign, metrics, health::get, "jwtgate", "/shop");
                log = captured.text();
            }
            bound.close();
            assertTrue(log.contains("the ServletContext attribute [io.micrometer.core.instrument.MeterRegistry] holds "
                    + "a [io.micrometer.core.instrument.simple.SimpleMeterRegistry] that is no MeterRegistry of this "
                    + "application's Micrometer (another class loader's copy)"), log);
        }
    }

    /** Where Micrometer's classes (and those it loads) come from. */
    private static final class MeterRegistryOf {
        static java.net.URL[] locations() {
            java.util.Set<java.net.URL> urls = new java.util.LinkedHashSet<>();
            for (String name : new String[] {"io.micrometer.core.instrument.MeterRegistry", "io.micrometer.common.KeyValue",
                    "io.micrometer.observation.Observation", "org.HdrHistogram.Histogram", "org.LatencyUtils.PauseDetector"}) {
                try {
                    urls.add(Class.forName(name).getProtectionDomain().getCodeSource().getLocation());
                } catch (ClassNotFoundException absent) {
                    // not a dependency of this Micrometer
                }
            }
            return urls.toArray(java.net.URL[]::new);
        }
    }
}
