package org.jwtgate.internal.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.jwtgate.engine.Health;
import org.jwtgate.internal.metrics.GateMetrics;
import org.jwtgate.internal.metrics.GateMetrics.CheckPath;
import org.jwtgate.internal.metrics.GateMetrics.Outcome;
import org.jwtgate.internal.metrics.GateMetrics.Reason;
import org.jwtgate.internal.metrics.GateMetrics.RedisEvent;
import org.jwtgate.testkit.logs.CapturedLog;

class JmxExporterTest {

    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    private final GateMetrics metrics = new GateMetrics();

    private Object read(String type, String attribute) throws Exception {
        return SERVER.getAttribute(JmxExporter.name(type, "jwt,gate", "/shop"), attribute);
    }

    @Test
    void whenRegisteredThenEachTypeIsAnMBeanNamedByFilterAndContext() throws Exception {
        try (JmxExporter ignored = JmxExporter.register(metrics, () -> new Health(Health.Status.UP, Map.of()),
                "jwt,gate", "/shop")) {
            Set<String> types = new TreeSet<>();
            for (ObjectName name : SERVER.queryNames(new ObjectName("org.jwtgate:filter=\"jwt,gate\",*"), null)) {
                assertEquals("\"/shop\"", name.getKeyProperty("context"));
                types.add(name.getKeyProperty("type"));
            }
            assertEquals(Set.of("Health", "Jwks", "Redis", "Requests", "Revocation", "Verification"), types);
        }
        assertTrue(SERVER.queryNames(new ObjectName("org.jwtgate:filter=\"jwt,gate\",*"), null).isEmpty(),
                "closing unregisters them");
    }

    @Test
    void whenFiguresMoveThenTheAttributesShowThem() throws Exception {
        try (JmxExporter ignored = JmxExporter.register(metrics, () -> new Health(Health.Status.DEGRADED,
                Map.of("near-cache", "not fresh")), "jwt,gate", "/shop")) {
            metrics.outcome(Outcome.AUTHENTICATED);
            metrics.refused(Reason.EXPIRED);
            metrics.refused(Reason.EXPIRED);
            metrics.outcome(Outcome.FAIL_OPEN);
            metrics.check(CheckPath.FALLBACK);
            metrics.redisEvent(RedisEvent.REDIRECT);
            metrics.redisCalls().record(3_000_000);
            metrics.verification().record(4_000);
            metrics.jwksFetch(false);
            assertEquals(1L, read("Requests", "Authenticated"));
            assertEquals(2L, read("Requests", "Refused"));
            assertEquals(2L, read("Requests", "RefusedExpired"));
            assertEquals(0L, read("Requests", "RefusedRevoked"));
            assertEquals(1L, read("Requests", "FailOpen"));
            assertEquals(1L, read("Revocation", "ChecksFallback"));
            assertEquals(-1, read("Revocation", "NearCacheFresh"), "no near-cache");
            assertEquals("none", read("Revocation", "NearCachePubSubMode"), "no near-cache");
            assertEquals(1L, read("Redis", "RedirectsFollowed"));
            assertEquals(3.0, (Double) read("Redis", "MeanCallMillis"), 1e-9);
            assertEquals(4.0, (Double) read("Verification", "MeanVerificationMicros"), 1e-9);
            assertEquals(1L, read("Jwks", "FailedFetches"));
            assertEquals(-1, read("Jwks", "Keys"), "no JWKS");
            assertEquals("DEGRADED", read("Health", "Status"));
            assertEquals("DEGRADED (near-cache=not fresh)", read("Health", "Details"));
        }
    }

    @Test
    void whenTheNearCacheIsIdleThenItsFreshnessIsNotApplicableNotZero() throws Exception {
        // An alert on NearCacheFresh = 0 must not fire for an instance that has not served a check yet.
        boolean[] started = {false};
        metrics.attachNearCache(new GateMetrics.NearCacheGauges() {
            public boolean started() { return started[0]; }
            public boolean fresh() { return false; }
            public long heartbeatAgeMillis() { return -1; }
            public long exactEntries() { return 0; }
            public long bloomEntries() { return 0; }
        });
        try (JmxExporter ignored = JmxExporter.register(metrics, () -> new Health(Health.Status.UP, Map.of()),
                "jwt,gate", "/shop")) {
            assertEquals(-1, read("Revocation", "NearCacheFresh"), "idle until the first check");
            started[0] = true;
            assertEquals(0, read("Revocation", "NearCacheFresh"), "started, not fresh");
        }
    }

    @Test
    void whenTheNameIsTakenByAnInstanceNotClosedThenTheNewOneTakesIt() throws Exception {
        GateMetrics earlier = new GateMetrics();
        JmxExporter older = JmxExporter.register(earlier, () -> new Health(Health.Status.UP, Map.of()), "jwt,gate", "/shop");
        try (JmxExporter ignored = JmxExporter.register(metrics, () -> new Health(Health.Status.UP, Map.of()),
                "jwt,gate", "/shop")) {
            metrics.outcome(Outcome.PUBLIC);
            assertEquals(1L, read("Requests", "Public"));
            older.close(); // the older instance stopping late leaves the newer one's MBeans alone
            assertEquals(1L, read("Requests", "Public"));
        }
    }

    @Test
    void whenARedeployStartsTheNewInstanceBeforeStoppingTheOldThenOneWarnSaysSo() throws Exception {
        // Jetty 12's deployer starts an application's new context before it stops the old one (atomicRedeploy, on by
        // default): at every hot redeploy the new instance takes the names the old one still holds.
        JmxExporter older = JmxExporter.register(new GateMetrics(), () -> new Health(Health.Status.UP, Map.of()),
                "jwtgate", "/legacy");
        JmxExporter newer;
        String log;
        try (CapturedLog captured = CapturedLog.standardError()) {
            newer = JmxExporter.register(metrics, () -> new Health(Health.Status.UP, Map.of()), "jwtgate", "/legacy");
            log = captured.text();
        }
        try {
            List<String> warnings = log.lines().filter(line -> line.contains("JwtGate MBean")).toList();
            assertEquals(1, warnings.size(), "one WARN for the six MBeans: " + warnings);
            assertTrue(warnings.get(0).contains("filter [jwtgate] in context [/legacy]")
                    && warnings.get(0).contains("a redeploy that starts the new instance before it stops the old"),
                    warnings.get(0));
        } finally {
            older.close();
            newer.close();
        }
    }

    @Test
    void theWarnNamesTheRootContextAsTheMBeansAndMetersDo() throws Exception {
        JmxExporter older = JmxExporter.register(new GateMetrics(), () -> new Health(Health.Status.UP, Map.of()),
                "jwtgate", "");
        JmxExporter newer;
        String log;
        try (CapturedLog captured = CapturedLog.standardError()) {
            newer = JmxExporter.register(metrics, () -> new Health(Health.Status.UP, Map.of()), "jwtgate", "");
            log = captured.text();
        }
        try {
            assertTrue(log.contains("filter [jwtgate] in context [/] are taken over"), log);
            assertEquals("/", JmxExporter.name("Health", "jwtgate", "").getKeyProperty("context").replace("\"", ""));
        } finally {
            older.close();
            newer.close();
        }
    }

    @Test
    void whenANewerInstanceInAnotherClassLoaderTookTheNameThenClosingTheOlderLeavesItsMBeans() throws Exception {
        // Two versions of one application (Tomcat's app##1 and app##2 share the context path), each with its own
        // copy of JwtGate's classes: no static field of one is seen by the other.
        JmxExporter older = JmxExporter.register(metrics, () -> new Health(Health.Status.UP, Map.of()), "jwt,gate", "/shop");
        try (URLClassLoader otherApplication = new URLClassLoader(new URL[] {
                location(JmxExporter.class), location(org.slf4j.Logger.class)}, ClassLoader.getPlatformClassLoader())) {
            Class<?> exporterClass = otherApplication.loadClass(JmxExporter.class.getName());
            Class<?> metricsClass = otherApplication.loadClass(GateMetrics.class.getName());
            assertNotSame(JmxExporter.class, exporterClass);
            Object newer = exporterClass.getMethod("register", metricsClass, Supplier.class, String.class, String.class)
                    .invoke(null, metricsClass.getConstructor().newInstance(), (Supplier<?>) () -> null, "jwt,gate", "/shop");
            older.close();
            assertEquals(0L, read("Requests", "Public"), "the newer instance's MBeans are still registered");
            ((AutoCloseable) newer).close();
        }
        assertTrue(SERVER.queryNames(new ObjectName("org.jwtgate:filter=\"jwt,gate\",*"), null).isEmpty(),
                "each instance removed its own");
    }

    @Test
    void whenAnOlderInstanceClosesWhileANewerOneRegistersThenTheNewerKeepsAllItsMBeans() throws Exception {
        // Redeploy overlap: the old instance's close() and the new one's register() run at once. Closing checks
        // the owner, then unregisters: a takeover between the two must not cost the newer one an MBean.
        ObjectName all = new ObjectName("org.jwtgate:filter=\"race\",*");
        ExecutorService newerSide = Executors.newSingleThreadExecutor();
        try {
            for (int round = 0; round < 100; round++) {
                JmxExporter older = JmxExporter.register(metrics, () -> new Health(Health.Status.UP, Map.of()), "race", "/r");
                CountDownLatch go = new CountDownLatch(1);
                Future<JmxExporter> newer = newerSide.submit(() -> {
                    go.await();
                    return JmxExporter.register(metrics, () -> new Health(Health.Status.UP, Map.of()), "race", "/r");
                });
                go.countDown();
                older.close();
                JmxExporter survivor = newer.get(10, TimeUnit.SECONDS);
                assertEquals(6, SERVER.queryNames(all, null).size(), "round " + round + ": the newer instance's MBeans");
                survivor.close();
                assertTrue(SERVER.queryNames(all, null).isEmpty());
            }
        } finally {
            newerSide.shutdownNow();
        }
    }

    private static URL location(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation();
    }

    @Test
    void whenNoContextThenTheNameHasNoContextKey() throws Exception {
        ObjectName name = JmxExporter.name("Requests", "JwtServerAuthModule", null);
        assertEquals("org.jwtgate:type=Requests,filter=\"JwtServerAuthModule\"", name.toString());
        assertFalse(name.toString().contains("context"));
        assertEquals("\"/\"", JmxExporter.name("Requests", "f", "").getKeyProperty("context"));
    }
}
