package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.jose4j.jwt.JwtClaims;
import org.jwtgate.engine.Health;
import org.jwtgate.testing.ClusterApps;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.tokens.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/**
 * What an administrator reads, driven by real requests on a real cluster: each outcome once, and
 * each request counter — as the MBeans show it over the platform MBean server and as Micrometer
 * shows it — moves by exactly one, the others not at all. Then the whole cluster stops: health says
 * DOWN (failing closed) or DEGRADED (failing open), and the meters show the 503, the fail-open pass
 * and the Redis failures.
 */
class OperationsMetricsIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    private static final SimpleMeterRegistry REGISTRY = new SimpleMeterRegistry();
    private static final MBeanServer MBEANS = ManagementFactory.getPlatformMBeanServer();

    @BeforeAll
    static void collectMicrometer() {
        Metrics.addRegistry(REGISTRY); // no MeterRegistry attribute in the context: JwtGate uses the global one
    }

    @AfterAll
    static void stopCollecting() {
        Metrics.removeRegistry(REGISTRY);
    }

    @Test
    void whenEachOutcomeHappensOnceThenEachCounterMovesByExactlyOne() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        ObjectName pools = new ObjectName("org.apache.commons.pool2:*");
        Set<ObjectName> poolsBefore = MBEANS.queryNames(pools, null);
        try (JettyApp app = JettyApp.startNamed("metrics-each", ClusterApps.settings(cluster.nodesSpec(),
                "paths.exclude", "/public/*", "paths.optional", "/optional/*", "paths.roles", "/admin/*=admin",
                "dpop.mode", "allowed"))) {
            String alice = TestTokens.hs256("alice");
            assertEquals(200, app.getWithToken("/api", alice).statusCode()); // warm: first check starts the near-cache
            awaitFresh(app);

            expectOnly(app, "Authenticated", () -> app.getWithToken("/api", TestTokens.hs256("ann")), 200);
            expectOnly(app, "Public", () -> app.get("/public/x"), 200);
            expectOnly(app, "Anonymous", () -> app.get("/optional/x"), 200);
            expectOnly(app, "RefusedMissing", () -> app.get("/api"), 401);
            expectOnly(app, "RefusedMalformed", () -> app.get("/api", "Authorization", "Bearer not a token"), 400);
            String forged = TestTokens.hs256("mallory").replaceFirst("\\.[^.]+$", ".AAAA");
            expectOnly(app, "RefusedInvalid", () -> app.getWithToken("/api", forged), 401);
            expectOnly(app, "RefusedExpired", () -> app.getWithToken("/api", withTimes("eve", -3600, -600)), 401);
            expectOnly(app, "RefusedNotYetValid", () -> app.getWithToken("/api", withTimes("nora", 600, 1200)), 401);
            String revoked = TestTokens.hs256("rex");
            app.filter().revocationService().revoke(ClusterApps.principal(app, revoked));
            expectOnly(app, "RefusedRevoked", () -> app.getWithToken("/api", revoked), 401);
            expectOnly(app, "RefusedInsufficientScope", () -> app.getWithToken("/admin/x", alice), 403);
            expectOnly(app, "RefusedCsrf", () -> app.send(HttpRequest.newBuilder(app.uri("/api/orders"))
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .header("Cookie", "access_token=" + alice).header("Sec-Fetch-Site", "cross-site").build()), 403);
            expectOnly(app, "RefusedDpop", () -> app.get("/api", "Authorization", "DPoP " + alice), 401);

            // The other figures an administrator watches moved too.
            Map<String, Object> revocation = attributes(app, "Revocation");
            assertTrue((Long) revocation.get("ChecksNearCache") > 0, revocation.toString());
            // Fresh is a state, not a count: on a loaded machine a heartbeat can be late for a moment.
            awaitEquals(1, () -> attributes(app, "Revocation").get("NearCacheFresh"), "NearCacheFresh");
            // The mode the rig's server offers: sharded pub/sub on Redis 7+, classic on the embedded 6.2.
            assertEquals(REDIS.cluster().binary().majorVersion() >= 7 ? "sharded" : "classic",
                    revocation.get("NearCachePubSubMode"), revocation.toString());
            assertEquals(1L, revocation.get("AnnouncementsSent"), revocation.toString());
            assertTrue((Long) attributes(app, "Redis").get("Calls") > 0);
            Map<String, Object> verification = attributes(app, "Verification");
            assertTrue((Long) verification.get("CacheHits") > 0 && (Long) verification.get("CacheMisses") > 0,
                    verification.toString());
            awaitEquals("UP", () -> attributes(app, "Health").get("Status"), "Health.Status");
            awaitEquals(0.0, () -> gauge(app, "jwtgate.health"), "jwtgate.health");
            awaitEquals(1.0, () -> gauge(app, "jwtgate.nearcache.fresh"), "jwtgate.nearcache.fresh");
            // Only JwtGate's own MBeans: commons-pool registers one per Jedis pool by default (the Redis nodes' addresses).
            assertEquals(poolsBefore, MBEANS.queryNames(pools, null), "commons-pool MBeans of the filter's Jedis pools");
        }
        // Closed with the application: nothing left behind in JMX or Micrometer.
        assertTrue(MBEANS.queryNames(new ObjectName("org.jwtgate:filter=\"metrics-each\",*"), null).isEmpty());
        assertTrue(REGISTRY.find("jwtgate.requests").tag("filter", "metrics-each").meters().isEmpty());
    }

    @Test
    void whenRedisStopsThenHealthAndMetersShowIt() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        try (JettyApp closed = JettyApp.startNamed("metrics-closed", ClusterApps.settings(cluster.nodesSpec()));
             JettyApp open = JettyApp.startNamed("metrics-open", ClusterApps.settings(cluster.nodesSpec(),
                     "revocation.failure-mode", "open"))) {
            String token = TestTokens.hs256("carol");
            assertEquals(200, closed.getWithToken("/api", token).statusCode());
            assertEquals(200, open.getWithToken("/api", token).statusCode());
            awaitStatus(closed, Health.Status.UP); // fresh; one late heartbeat makes it DEGRADED for a moment
            cluster.stopAll();
            try {
                awaitStatus(closed, Health.Status.DOWN);
                awaitStatus(open, Health.Status.DEGRADED);
                Health down = closed.filter().health();
                assertEquals("redis-cluster down", down.details().get("revocation-store"), down.toString());
                assertEquals("DOWN", attributes(closed, "Health").get("Status"));
                assertEquals(2.0, gauge(closed, "jwtgate.health"));
                assertEquals(1.0, gauge(open, "jwtgate.health"));
                assertEquals(0.0, gauge(closed, "jwtgate.nearcache.fresh"));

                expectOnly(closed, "Unavailable", () -> closed.getWithToken("/api", token), 503);
                expectOnly(open, "FailOpen", () -> open.getWithToken("/api", token), 200);
                Map<String, Object> redis = attributes(closed, "Redis");
                long failures = (Long) redis.get("Timeouts") + (Long) redis.get("RefusedConnections")
                        + (Long) redis.get("ClusterDown") + (Long) redis.get("OtherFailures");
                assertTrue(failures > 0, redis.toString());
                assertEquals((double) failures, REGISTRY.find("jwtgate.redis.failures").tag("filter", "metrics-closed")
                        .functionCounters().stream().mapToDouble(FunctionCounter::count).sum());
            } finally {
                cluster.startAll();
                cluster.awaitClusterOk(Duration.ofSeconds(30));
            }
            awaitStatus(closed, Health.Status.UP);
        }
    }

    @Test
    void whenHealthIsAskedOftenThenRedisSeesAtMostOneProbePerMasterPerSecond() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        // No near-cache: its loads read keys too, and would hide the health probe's reads. No request while counting.
        try (JettyApp app = JettyApp.startNamed("metrics-probe", ClusterApps.settings(cluster.nodesSpec(),
                "revocation.near-cache", "false"))) {
            assertEquals(200, app.getWithToken("/api", TestTokens.hs256("paul")).statusCode());
            long probesBefore = masterProbes(cluster);
            long started = System.nanoTime();
            int calls = 400;
            ExecutorService callers = Executors.newFixedThreadPool(8);
            try {
                List<Future<Health>> answers = new ArrayList<>();
                for (int i = 0; i < calls; i++) {
                    answers.add(callers.submit(() -> app.filter().health()));
                }
                for (Future<Health> answer : answers) {
                    assertEquals(Health.Status.UP, answer.get(30, TimeUnit.SECONDS).status());
                }
            } finally {
                callers.shutdownNow();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            long probes = masterProbes(cluster) - probesBefore;
            // One probe per started second at most (plus the first), one MGET per master each; before the
            // probe was shared, each call sent one per master: 1,200 here.
            long allowed = cluster.masters().size() * ((long) Math.ceil(seconds) + 1);
            assertTrue(probes <= allowed, probes + " probe MGETs in " + seconds + " s for " + calls
                    + " health calls; allowed " + allowed);
            assertTrue(probes >= 1, "the first call asked Redis: " + probes);
        }
    }

    /** MGET calls (health's probe, as the checks read) the masters counted so far ({@code INFO commandstats}). */
    private static long masterProbes(RedisCluster cluster) {
        long probes = 0;
        for (RedisCluster.Node master : cluster.masters()) {
            try (Jedis jedis = master.connect()) {
                Matcher m = Pattern.compile("(?m)^cmdstat_mget:calls=(\\d+)")
                        .matcher(jedis.info("commandstats"));
                probes += m.find() ? Long.parseLong(m.group(1)) : 0;
            }
        }
        return probes;
    }

    /**
     * Runs {@code request} (expecting {@code status}) and checks that of all request counters exactly
     * {@code attribute} moved, by one, in the Requests MBean and in the Micrometer meters alike.
     */
    private static void expectOnly(JettyApp app, String attribute, Callable<HttpResponse<String>> request, int status)
            throws Exception {
        Map<String, Object> mbeanBefore = attributes(app, "Requests");
        Map<String, Double> metersBefore = requestMeters(app);
        HttpResponse<String> response = request.call();
        assertEquals(status, response.statusCode(), attribute + ": " + response.body());

        Map<String, Object> mbeanAfter = attributes(app, "Requests");
        Map<String, Long> moved = new TreeMap<>();
        mbeanAfter.forEach((name, value) -> {
            long delta = (Long) value - (Long) mbeanBefore.get(name);
            if (delta != 0) {
                moved.put(name, delta);
            }
        });
        Map<String, Long> expected = new TreeMap<>(Map.of(attribute, 1L));
        if (attribute.startsWith("Refused")) {
            expected.put("Refused", 1L); // the total of the refusals moves with its reason
        }
        assertEquals(expected, moved, "MBean counters moved by " + attribute);

        Map<String, Double> metersAfter = requestMeters(app);
        Map<String, Double> metersMoved = new TreeMap<>();
        metersAfter.forEach((tags, value) -> {
            double delta = value - metersBefore.getOrDefault(tags, 0.0);
            if (delta != 0) {
                metersMoved.put(tags, delta);
            }
        });
        assertEquals(1, metersMoved.size(), "one jwtgate.requests series moved for " + attribute + ": " + metersMoved);
        assertEquals(1.0, metersMoved.values().iterator().next(), attribute + ": " + metersMoved);
        assertEquals(micrometerSeries(attribute), metersMoved.keySet().iterator().next());
    }

    /** The jwtgate.requests series an MBean attribute corresponds to, as {@code outcome/reason}. */
    private static String micrometerSeries(String attribute) {
        if (attribute.startsWith("Refused")) {
            return "refused/" + snake(attribute.substring("Refused".length()));
        }
        return switch (attribute) {
            case "FailOpen" -> "fail_open/none";
            default -> snake(attribute) + "/none";
        };
    }

    private static String snake(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static Map<String, Double> requestMeters(JettyApp app) {
        Map<String, Double> series = new TreeMap<>();
        for (Meter meter : REGISTRY.find("jwtgate.requests").tag("filter", filterName(app)).meters()) {
            series.put(meter.getId().getTag("outcome") + "/" + meter.getId().getTag("reason"),
                    ((FunctionCounter) meter).count());
        }
        // 5 outcomes besides "refused" and 9 refusal reasons, each its own series from the start.
        assertEquals(14, series.size(), "every outcome and reason is a series: " + series.keySet());
        return series;
    }

    private static double gauge(JettyApp app, String name) {
        Gauge gauge = REGISTRY.find(name).tag("filter", filterName(app)).gauge();
        assertTrue(gauge != null, name + " registered");
        return gauge.value();
    }

    /** Every attribute of {@code org.jwtgate:type=<type>,filter=<name>,context="/"}, read over JMX. */
    private static Map<String, Object> attributes(JettyApp app, String type) throws Exception {
        ObjectName name = new ObjectName("org.jwtgate:type=" + type + ",filter=" + ObjectName.quote(filterName(app))
                + ",context=" + ObjectName.quote("/"));
        Map<String, Object> values = new LinkedHashMap<>();
        for (MBeanAttributeInfo attribute : MBEANS.getMBeanInfo(name).getAttributes()) {
            values.put(attribute.getName(), MBEANS.getAttribute(name, attribute.getName()));
        }
        return values;
    }

    private static String filterName(JettyApp app) {
        return app.filterName();
    }

    private static String withTimes(String subject, long notBeforeSeconds, long expiresSeconds) {
        JwtClaims claims = TestTokens.claims(subject);
        claims.setNotBefore(TestTokens.secondsFromNow(notBeforeSeconds));
        claims.setExpirationTime(TestTokens.secondsFromNow(expiresSeconds));
        if (notBeforeSeconds < 0) {
            claims.setIssuedAt(TestTokens.secondsFromNow(notBeforeSeconds));
        }
        return TestTokens.hs256(claims);
    }

    private static void awaitFresh(JettyApp app) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline && !"fresh".equals(word(app.filter().health().details().get("near-cache")))) {
            Thread.sleep(20);
        }
        assertEquals("fresh", word(app.filter().health().details().get("near-cache")), app.filter().health().toString());
    }

    private static void awaitStatus(JettyApp app, Health.Status status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline && app.filter().health().status() != status) {
            Thread.sleep(50);
        }
        assertEquals(status, app.filter().health().status(), app.filter().health().toString());
    }

    private static String word(String text) {
        return text == null ? null : text.split(" ")[0];
    }

    /** Waits up to 5 s for a state figure to read {@code expected}. */
    private static void awaitEquals(Object expected, Callable<Object> actual, String what)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        Object last = actual.call();
        while (!expected.equals(last) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            last = actual.call();
        }
        assertEquals(expected, last, what);
    }
}
