package org.jwtgate.internal.revocation.nearcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import javax.management.MBeanServer;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.engine.Health;
import org.jwtgate.internal.jmx.JmxExporter;
import org.jwtgate.internal.revocation.RevocationKeys;
import org.jwtgate.testing.ClusterApps;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.http.RawHttp;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.tokens.DpopKey;
import org.jwtgate.testkit.tokens.TestTokens;
import redis.clients.jedis.Jedis;

/**
 * several applications sharing one Redis Cluster and one JVM (real Jetty, real cluster, near-cache on).
 */
class SharedClusterTenantsIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    private static final String BASE = "https://api.example.com";

    private static String user(String name) {
        return name + "-" + UUID.randomUUID();
    }

    private static Map<String, String> settings(RedisCluster cluster, String... extra) {
        return ClusterApps.settings(cluster.nodesSpec(), extra);
    }

    /**
     * Two applications with their own redis.key-prefix on one cluster, one of them with two instances: a user
     * revocation, a token revocation and a DPoP proof of one stay with its own prefix (the other's near-cache answers
     * 200 locally, a late instance's load sees none of them, a proof used at one is still new at the other), and
     * destroying one application's instance leaves the other's near-cache, revocations and MBeans alone.
     */
    @Test
    void whenTwoPrefixesShareAClusterThenEachOnesRevocationsProofsAndLifecycleStayItsOwn() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        String[] dpop = {"dpop.mode", "allowed", "dpop.public-base-url", BASE};
        try (JettyApp a1 = JettyApp.startNamed("tenant-a", settings(cluster, concat(dpop, "redis.key-prefix", "tenant-a:")));
             JettyApp a2 = JettyApp.startNamed("tenant-a2", settings(cluster, concat(dpop, "redis.key-prefix", "tenant-a:")));
             JettyApp b = JettyApp.startNamed("tenant-b", settings(cluster, concat(dpop, "redis.key-prefix", "tenant-b:")))) {
            String alice = user("alice");
            String aliceToken = TestTokens.hs256(alice);
            String bobToken = TestTokens.hs256(user("bob"));
            for (JettyApp app : new JettyApp[] {a1, a2, b}) {
                NearCacheApps.awaitFresh(app, aliceToken);
            }
            assertTrue(NearCacheApps.service(a1).revokeUser(alice).durable());
            assertTrue(NearCacheApps.service(a1).revoke(NearCacheApps.principal(a1, bobToken)).durable());
            NearCacheApps.await("a2 to refuse alice", Duration.ofSeconds(5),
                    () -> statusQuietly(a2, aliceToken) == 401);
            assertEquals(401, NearCacheApps.statusAnsweredLocally(a2, aliceToken));
            assertEquals(401, NearCacheApps.statusAnsweredLocally(a2, bobToken));
            assertEquals(200, NearCacheApps.statusAnsweredLocally(b, aliceToken), "other prefix: alice not revoked");
            assertEquals(200, NearCacheApps.statusAnsweredLocally(b, bobToken), "other prefix: bob's token not revoked");
            try (JettyApp b2 = JettyApp.startNamed("tenant-b2", settings(cluster, "redis.key-prefix", "tenant-b:"))) {
                NearCacheApps.awaitFresh(b2, TestTokens.hs256(user("warm")));
                assertEquals(200, NearCacheApps.statusAnsweredLocally(b2, aliceToken), "a load of tenant-b: reads no tenant-a: key");
                assertEquals(0, NearCacheApps.nearCache(b2).stats().exactEntries(), NearCacheApps.nearCache(b2).stats().toString());
            }

            // One DPoP proof: first use at a1 and, under another prefix, first use at b too; a replay at a2 refused.
            DpopKey key = DpopKey.es256();
            String bound = TestTokens.hs256(DpopKey.bind(TestTokens.claims(user("carol")), key));
            String proof = key.proof("GET", BASE + "/api").accessToken(bound).sign();
            assertEquals(200, RawHttp.get(a1.port(), "/api", "Authorization: DPoP " + bound, "DPoP: " + proof).status());
            assertEquals(200, RawHttp.get(b.port(), "/api", "Authorization: DPoP " + bound, "DPoP: " + proof).status(),
                    "another prefix: the proof's first use there");
            assertEquals(401, RawHttp.get(a2.port(), "/api", "Authorization: DPoP " + bound, "DPoP: " + proof).status(),
                    "same prefix: a replay");

            // Destroying a1 leaves b (and a2) running: fresh, answering, revoking, MBeans in place.
            a1.close();
            Thread.sleep(500);
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            assertTrue(server.isRegistered(JmxExporter.name("Health", "tenant-b", "/")), "b's MBeans stay");
            assertTrue(server.isRegistered(JmxExporter.name("Health", "tenant-a2", "/")), "a2's MBeans stay");
            String dave = user("dave");
            String daveToken = TestTokens.hs256(dave);
            assertEquals(200, NearCacheApps.statusAnsweredLocally(b, daveToken));
            assertTrue(NearCacheApps.service(b).revokeUser(dave).durable());
            NearCacheApps.await("b to refuse dave", Duration.ofSeconds(5), () -> statusQuietly(b, daveToken) == 401);
            assertEquals(401, NearCacheApps.statusAnsweredLocally(b, daveToken));
            assertEquals(200, NearCacheApps.statusAnsweredLocally(a2, daveToken), "a2: another prefix");
            assertEquals(Health.Status.UP, b.filter().health().status(), b.filter().health().toString());
            assertEquals(Health.Status.UP, a2.filter().health().status(), a2.filter().health().toString());
        }
    }

    /**
     * A prefix with glob characters, a backslash, ':' and non-ASCII characters (docs: "text without {} or spaces"),
     * in cluster mode: the revocations are stored, announced and loaded by a later instance (its scan must escape the
     * glob), and an application whose prefix is the start of this one's sees none of them.
     */
    @Test
    void whenThePrefixHoldsGlobCharactersAndUnicodeThenRevocationsStillReachEveryInstanceOfIt() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        String prefix = "tën*[a]?\\:中:";
        try (JettyApp p1 = JettyApp.startNamed("odd-1", settings(cluster, "redis.key-prefix", prefix));
             JettyApp p2 = JettyApp.startNamed("odd-2", settings(cluster, "redis.key-prefix", prefix));
             JettyApp shorter = JettyApp.startNamed("odd-short", settings(cluster, "redis.key-prefix", "tën"))) {
            String erin = user("erin");
            String erinToken = TestTokens.hs256(erin);
            String frankToken = TestTokens.hs256(user("frank"));
            for (JettyApp app : new JettyApp[] {p1, p2, shorter}) {
                NearCacheApps.awaitFresh(app, frankToken);
            }
            assertTrue(NearCacheApps.service(p1).revokeUser(erin).durable());
            assertTrue(NearCacheApps.service(p1).revoke(NearCacheApps.principal(p1, frankToken)).durable());
            try (Jedis jedis = cluster.masterForKey(new RevocationKeys(prefix).userKey(erin)).connect()) {
                assertTrue(jedis.exists(new RevocationKeys(prefix).userKey(erin)), "stored under the prefix as given");
            }
            NearCacheApps.await("p2 to refuse erin", Duration.ofSeconds(5), () -> statusQuietly(p2, erinToken) == 401);
            assertEquals(401, NearCacheApps.statusAnsweredLocally(p2, erinToken));
            assertEquals(401, NearCacheApps.statusAnsweredLocally(p2, frankToken));
            assertEquals(200, NearCacheApps.statusAnsweredLocally(shorter, erinToken));
            try (JettyApp p3 = JettyApp.startNamed("odd-3", settings(cluster, "redis.key-prefix", prefix))) {
                NearCacheApps.awaitFresh(p3, TestTokens.hs256(user("warm")));
                assertEquals(401, NearCacheApps.statusAnsweredLocally(p3, erinToken), "loaded by a later instance");
                assertEquals(401, NearCacheApps.statusAnsweredLocally(p3, frankToken), "loaded by a later instance");
                assertEquals(Health.Status.UP, p3.filter().health().status(), p3.filter().health().toString());
            }
        }
    }

    /**
     * Same prefix, different issuers (docs/revocation.md, key schema; operations.md): a's "log out everywhere" for a
     * subject refuses b's same subject too, but only for as long as a's user entry lives, which is the WRITER's
     * jwt.max-age-seconds + 2 x jwt.clock-skew-seconds + 1 s (here 60 + 0 + 1 s): b's tokens of that user issued before
     * are accepted again once it expires, however long b lets its own tokens live. The docs state that limit.
     */
    @Test
    void whenTwoIssuersShareAPrefixThenOnesUserRevocationRefusesTheOthersUserForTheWritersMaxAgeOnly()
            throws Exception {
        RedisCluster cluster = REDIS.cluster();
        try (JettyApp a = JettyApp.startNamed("issuer-a", settings(cluster, "redis.key-prefix", "shared:",
                "jwt.max-age-seconds", "60", "jwt.clock-skew-seconds", "0", "revocation.near-cache", "false"));
             JettyApp b = JettyApp.startNamed("issuer-b", settings(cluster, "redis.key-prefix", "shared:",
                     "jwt.issuer", "https://other-issuer.example", "jwt.clock-skew-seconds", "0",
                     "revocation.near-cache", "false"))) {
            String grace = user("grace");
            JwtClaims claims = TestTokens.claims(grace);
            claims.setIssuer("https://other-issuer.example");
            String bToken = TestTokens.hs256(claims);
            assertEquals(200, b.getWithToken("/api", bToken).statusCode());
            Thread.sleep(1100); // revocation instant after iat (whole seconds)
            assertTrue(NearCacheApps.service(a).revokeUser(grace).durable());
            assertEquals(401, b.getWithToken("/api", bToken).statusCode(), "documented: shared by sub alone");
            String userKey = new RevocationKeys("shared:").userKey(grace);
            try (Jedis jedis = cluster.masterForKey(userKey).connect()) {
                long ttl = jedis.pttl(userKey);
                assertTrue(ttl > 55_000 && ttl <= 61_000,
                        "documented: the entry lives a's max-age + 2 x skew + 1 s (61 s), not b's 86400 s: " + ttl);
            }
        }
    }

    /**
     * docs/operations.md: JWTGATE_* variables "apply to every application of the JVM and override init-params. Use them
     * for what all applications share — the revocation store — and keep ... their own redis.key-prefix" in web.xml. An
     * operator who exports the revocation store's settings, JWTGATE_REDIS_KEY_PREFIX among them, silently replaces
     * every application's own prefix: two applications whose web.xml give app-a: and app-b: then share one, and one's
     * "log out everywhere" logs the user out of the other. Nothing at start says a per-application init-param was
     * overridden by a JVM-wide value.
     */
    @Test
    void whenAJvmWideVariableOverridesEachApplicationsKeyPrefixThenTheStartSaysSo() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        org.jwtgate.config.ConfigSources jvm = org.jwtgate.config.ConfigSources.of(
                Map.of("JWTGATE_REDIS_KEY_PREFIX", "shared-env:"), Map.of());
        String log;
        JettyApp[] apps = new JettyApp[2];
        try (org.jwtgate.testkit.logs.CapturedLog captured = org.jwtgate.testkit.logs.CapturedLog.standardError()) {
            apps[0] = JettyApp.start(org.jwtgate.filter.JwtAuthFilter.builder().sources(jvm).build(),
                    settings(cluster, "redis.key-prefix", "app-a:", "revocation.near-cache", "false"));
            apps[1] = JettyApp.start(org.jwtgate.filter.JwtAuthFilter.builder().sources(jvm).build(),
                    settings(cluster, "redis.key-prefix", "app-b:", "revocation.near-cache", "false"));
            log = captured.text();
        }
        try (JettyApp a = apps[0]; JettyApp b = apps[1]) {
            String henry = user("henry");
            String token = TestTokens.hs256(henry);
            Thread.sleep(1100);
            assertTrue(NearCacheApps.service(a).revokeUser(henry).durable());
            int bStatus = b.getWithToken("/api", token).statusCode();
            String warning = "[redis.key-prefix] from environment variable JWTGATE_REDIS_KEY_PREFIX replaces the value from"
                    + " init-param";
            assertEquals(2, log.lines().filter(line -> line.contains(warning)).count(),
                    "each application's start says its web.xml's redis.key-prefix was replaced by JWTGATE_REDIS_KEY_PREFIX"
                            + " (app b, whose web.xml says app-b:, answered " + bStatus + " to a user app a logged out"
                            + " everywhere). Log:\n" + log);
        }
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = new String[first.length + more.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    private static int statusQuietly(JettyApp app, String token) {
        try {
            return app.getWithToken("/api", token).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
