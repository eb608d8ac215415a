package org.jwtgate.internal.revocation.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.engine.Health;
import org.jwtgate.filter.JwtAuthFilter;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.revocation.RevocationResult;
import org.jwtgate.revocation.RevocationService;
import org.jwtgate.revocation.TokenRef;
import org.jwtgate.internal.revocation.nearcache.NearCacheRevocationStore;
import org.jwtgate.testing.Causes;
import org.jwtgate.testing.ClusterApps;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.http.RawHttp;
import org.jwtgate.testkit.tokens.DpopKey;
import org.jwtgate.testkit.tokens.TestTokens;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Revocation through the real filter in Jetty on a real 3+3 Redis Cluster, with two application
 * instances (A and B), each with its own Jetty, filter and Jedis client. These tests leave the
 * shared cluster healthy; the ones that kill or stop nodes have their own clusters
 * ({@link RedisClusterDurabilityIT}, {@link RedisClusterOutageIT}).
 */
class RedisClusterRevocationIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    private static JettyApp a;
    private static JettyApp b;

    @BeforeAll
    static void startInstances() throws Exception {
        a = ClusterApps.start(REDIS.cluster());
        b = ClusterApps.start(REDIS.cluster());
    }

    @AfterAll
    static void stopInstances() throws Exception {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    @Test
    void whenTokenRevokedThroughInstanceAThenInstanceBRefusesItOnTheNextRequest() throws Exception {
        String token = TestTokens.hs256(user("two-instances"));
        assertEquals(200, b.getWithToken("/api", token).statusCode());
        assertEquals(200, a.getWithToken("/api", token).statusCode());

        RevocationResult result = a.filter().revocationService().revoke(ClusterApps.principal(a, token));

        assertTrue(result.durable(), result.toString());
        HttpResponse<String> next = b.getWithToken("/api", token);
        assertEquals(401, next.statusCode());
        assertTrue(next.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"invalid_token\""),
                next.headers().toString());
        assertEquals(401, a.getWithToken("/api", token).statusCode());
        assertEquals(200, b.getWithToken("/api", TestTokens.hs256(user("two-instances-other"))).statusCode(),
                "other tokens stay valid");
    }

    @Test
    void whenTokenRevokedThenItsEntryLivesForTheTokensRemainingLifetimePlusSkew() throws Exception {
        String token = TestTokens.hs256(user("token-ttl"));
        TokenRef ref = ClusterApps.ref(a, token);

        long before = System.currentTimeMillis();
        RevocationResult result = a.filter().revocationService().revokeToken(ref);

        assertEquals(1, result.replicasConfirmed(), "WAIT on the write's connection counts the healthy replica");
        assertEquals(1, result.replicasRequired());
        long pttl = pttl(ClusterApps.KEYS.tokenKey(ref));
        long after = System.currentTimeMillis();
        // exp + 2 x jwt.clock-skew-seconds (default 30): this server's clock may lead another's by the skew.
        long expiry = ref.expiresAt().toEpochMilli() + 60_000;
        assertTrue(pttl <= expiry - before && pttl >= expiry - after - 1_000,
                "PTTL " + pttl + " ms, expected between " + (expiry - after) + " and " + (expiry - before)
                        + " ms (exp + 2 x skew - now)");
    }

    @Test
    void whenUserRevokedThenTokensIssuedAtOrBeforeAreRefusedAndLaterOnesAccepted() throws Exception {
        String sub = user("log-out-everywhere");
        String older = TestTokens.hs256(claims(sub, Instant.now().minusSeconds(5)));
        assertEquals(200, b.getWithToken("/api", older).statusCode());

        RevocationService service = a.filter().revocationService();
        RevocationResult result = service.revokeUser(sub);
        long revokedAt = Long.parseLong(get(ClusterApps.KEYS.userKey(sub)));

        assertTrue(result.durable(), result.toString());
        assertEquals(401, b.getWithToken("/api", older).statusCode());
        // iat has whole seconds: a token of the revocation's second counts as issued at or before it.
        String sameSecond = TestTokens.hs256(claims(sub, Instant.ofEpochMilli(revokedAt / 1000 * 1000)));
        assertEquals(401, b.getWithToken("/api", sameSecond).statusCode());

        long nextSecond = (revokedAt / 1000 + 1) * 1000;
        Thread.sleep(Math.max(0, nextSecond - System.currentTimeMillis() + 20));
        String newer = TestTokens.hs256(claims(sub, Instant.now()));
        assertEquals(200, b.getWithToken("/api", newer).statusCode(), "a token issued after the revocation is accepted");
        assertEquals(200, a.getWithToken("/api", newer).statusCode());

        long pttl = pttl(ClusterApps.KEYS.userKey(sub));
        long expected = (86_400L + 2 * 30 + 1) * 1000; // jwt.max-age-seconds + 2 x jwt.clock-skew-seconds (defaults) + 1 s
        assertTrue(pttl <= expected && pttl >= expected - 5_000, "user entry PTTL " + pttl + ", expected ~" + expected);
    }

    @Test
    void whenUserRevokedWithAnOlderInstantThenTheLaterInstantStays() {
        String sub = user("never-backwards");
        RevocationService service = a.filter().revocationService();
        service.revokeUser(sub);
        long first = Long.parseLong(get(ClusterApps.KEYS.userKey(sub)));

        // A second server with a slow clock (or a delayed retry) must not move the instant back.
        a.filter().revocationService().store().revokeUser(sub, Instant.ofEpochMilli(first - 60_000), Duration.ofSeconds(10));

        assertEquals(first, Long.parseLong(get(ClusterApps.KEYS.userKey(sub))));
        assertTrue(pttl(ClusterApps.KEYS.userKey(sub)) > 86_000_000L, "the longer lifetime stays too");
    }

    /**
     * A later revocation by a writer whose tokens live shorter (another application on the same prefix, the CLI
     * with default settings) keeps the longer lifetime: the first writer's older tokens must not pass again once
     * a shorter entry expired.
     */
    @Test
    void whenUserRevokedLaterWithAShorterLifetimeThenTheLongerLifetimeStays() {
        String sub = user("never-shorter");
        RevocationService service = a.filter().revocationService();
        service.revokeUser(sub);
        long first = Long.parseLong(get(ClusterApps.KEYS.userKey(sub)));

        service.store().revokeUser(sub, Instant.ofEpochMilli(first + 60_000), Duration.ofSeconds(10));

        assertEquals(first + 60_000, Long.parseLong(get(ClusterApps.KEYS.userKey(sub))), "the later instant is stored");
        assertTrue(pttl(ClusterApps.KEYS.userKey(sub)) > 86_000_000L, "with the longer lifetime");
    }

    /** As for users: a second revocation of a token (a CLI with a smaller skew, an exp from an audit line) never shortens it. */
    @Test
    void whenTokenRevokedAgainWithAShorterLifetimeThenTheLongerLifetimeStays() throws Exception {
        TokenRef ref = ClusterApps.ref(a, TestTokens.hs256(user("token-never-shorter")));
        a.filter().revocationService().revokeToken(ref);
        long first = pttl(ClusterApps.KEYS.tokenKey(ref));

        a.filter().revocationService().store().revokeToken(ref, Duration.ofSeconds(10));

        long after = pttl(ClusterApps.KEYS.tokenKey(ref));
        assertTrue(after > first - 5_000, "PTTL " + after + " ms after the shorter revocation, " + first + " ms before");
    }

    /** Entries an operator wrote by hand without expiry (a ban for good) keep none when JwtGate revokes again. */
    @Test
    void whenEntriesWithoutExpiryAreRevokedAgainThenTheyKeepNoExpiry() throws Exception {
        String sub = user("banned-by-hand");
        TokenRef ref = ClusterApps.ref(a, TestTokens.hs256(sub));
        String userKey = ClusterApps.KEYS.userKey(sub);
        try (Jedis jedis = REDIS.cluster().masterForKey(userKey).connect()) {
            jedis.set(userKey, "99999999999999");
            jedis.set(ClusterApps.KEYS.tokenKey(ref), "1");
        }

        a.filter().revocationService().revokeUser(sub);
        a.filter().revocationService().revokeToken(ref);

        assertEquals(-1, pttl(userKey));
        assertEquals("99999999999999", get(userKey), "the later instant stays");
        assertEquals(-1, pttl(ClusterApps.KEYS.tokenKey(ref)));
    }

    /**
     * A user entry written by hand as no epoch-millisecond number (a date) revokes the user on a check without the
     * near-cache too, as it does in the near-cache: it was "unavailable", which failure-mode=open let pass.
     */
    @Test
    void whenAUserEntryByHandHoldsNoNumberThenEveryTokenOfTheUserIsRefusedEvenFailingOpen() throws Exception {
        String sub = user("banned-by-hand-as-a-date");
        String token = TestTokens.hs256(sub);
        String userKey = ClusterApps.KEYS.userKey(sub);
        try (JettyApp direct = ClusterApps.start(REDIS.cluster(),
                "revocation.near-cache", "false", "revocation.failure-mode", "open")) {
            assertEquals(200, direct.getWithToken("/api", token).statusCode());
            try (Jedis jedis = REDIS.cluster().masterForKey(userKey).connect()) {
                jedis.set(userKey, "2026-12-01T00:00:00Z");
            }

            HttpResponse<String> refused = direct.getWithToken("/api", token);

            assertEquals(401, refused.statusCode(), refused.body());
            assertEquals(200, direct.getWithToken("/api", TestTokens.hs256(user("not-banned"))).statusCode());

            // A later revokeUser (a password change, say) must not lift the ban: its instant would refuse only the
            // tokens issued until then.
            direct.filter().revocationService().revokeUser(sub);
            assertEquals("2026-12-01T00:00:00Z", get(userKey), "the ban stays");
            assertEquals(-1, pttl(userKey), "with no expiry");
            String issuedLater = TestTokens.hs256(claims(sub, Instant.now().plusSeconds(2)));
            assertEquals(401, direct.getWithToken("/api", issuedLater).statusCode(), "a token issued after the revokeUser");
        }
    }

    /**
     * What counts as a number is what the checks read as one (Long.parseLong): Lua's tonumber also takes '1e3', ' 1'
     * or '0x10', which the checks read as a ban of every token; the script replaced such a ban with its instant.
     */
    @Test
    void whenAUserEntryByHandIsANumberOnlyToLuaThenRevokeUserKeepsItAsTheChecksDo() {
        String userKey = ClusterApps.KEYS.userKey(user("lua-number"));
        String instant = Long.toString(Instant.now().toEpochMilli());
        try (Jedis jedis = REDIS.cluster().masterForKey(userKey).connect()) {
            for (String byHand : List.of("1e3", " 1", "0x10", "1.5", "-inf", "12345678901234567890",
                    "00000000000000000000", "-9223372036854775808", "+0000000000000000001", "\u0661\u0662")) {
                jedis.set(userKey, byHand);
                jedis.eval(RevocationCommands.REVOKE_USER_SCRIPT, List.of(userKey), List.of(instant, "600000"));
                assertEquals(byHand, jedis.get(userKey), "a ban by hand: [" + byHand + "]");
            }
            for (String number : List.of("1000", "+1000", "-5")) {
                jedis.set(userKey, number);
                jedis.eval(RevocationCommands.REVOKE_USER_SCRIPT, List.of(userKey), List.of(instant, "600000"));
                assertEquals(instant, jedis.get(userKey), "an earlier instant: [" + number + "]");
            }
        }
    }

    /**
     * WAIT counts the replicas that have the connection's last write, and from Redis 7.2 a command that changes
     * nothing is not a write: a repeated revocation would then be confirmed by an older write's replicas. So
     * the scripts always write; seen here as the master's replication offset moving by more than a PING.
     */
    @Test
    void whenARevocationChangesNothingThenItsScriptStillReplicatesAWrite() {
        String sub = user("repeated");
        String userKey = ClusterApps.KEYS.userKey(sub);
        Instant instant = Instant.now();
        try (Jedis jedis = REDIS.cluster().masterForKey(userKey).connect()) {
            jedis.eval(RevocationCommands.REVOKE_USER_SCRIPT, List.of(userKey),
                    List.of(Long.toString(instant.toEpochMilli()), "600000"));
            long before = replicationOffset(jedis);
            // The same instant with a shorter lifetime: nothing to change (the instant and the longer lifetime stay).
            Object stored = jedis.eval(RevocationCommands.REVOKE_USER_SCRIPT, List.of(userKey),
                    List.of(Long.toString(instant.toEpochMilli()), "1000"));
            long moved = replicationOffset(jedis) - before;
            assertEquals(0L, stored, "the same instant again: nothing new stored");
            assertTrue(moved > 14, "replication offset moved " + moved + " bytes (a PING is 14)");
        }
    }

    private static long replicationOffset(Jedis jedis) {
        for (String line : jedis.info("replication").split("\r?\n")) {
            if (line.startsWith("master_repl_offset:")) {
                return Long.parseLong(line.substring("master_repl_offset:".length()).trim());
            }
        }
        throw new AssertionError("no master_repl_offset in INFO replication");
    }

    @Test
    void whenRevocationRacesConcurrentRequestsThenNoAcceptanceStartsAfterItsAcknowledgement() throws Exception {
        String token = TestTokens.hs256(user("race"));
        JwtPrincipal principal = ClusterApps.principal(a, token);
        int requests = 500;
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(b.uri("/api")).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token).GET().build();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        Callable<long[]> send = () -> {
            long sentAt = System.nanoTime();
            int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return new long[] {sentAt, status};
        };
        long acknowledgedAt;
        List<Future<long[]>> results = new ArrayList<>();
        try {
            for (int i = 0; i < requests; i++) {
                results.add(pool.submit(send));
            }
            while (results.stream().filter(Future::isDone).count() < requests / 5) {
                Thread.sleep(1);
            }
            a.filter().revocationService().revoke(principal);
            acknowledgedAt = System.nanoTime();
            // On a fast machine every request may have started before the acknowledgement: these cannot have.
            for (int i = 0; i < 20; i++) {
                results.add(pool.submit(send));
            }
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS), "requests did not finish");
        }

        int acceptedBefore = 0;
        int acceptedAfter = 0;
        int other = 0;
        for (Future<long[]> f : results) {
            long[] r = f.get();
            boolean after = r[0] - acknowledgedAt > 0;
            if (r[1] == 200) {
                if (after) {
                    acceptedAfter++;
                } else {
                    acceptedBefore++;
                }
            } else if (r[1] != 401) {
                other++;
            }
        }
        assertEquals(0, acceptedAfter, "200s for requests sent after the revocation was acknowledged");
        assertEquals(0, other, "every answer is 200 or 401");
        assertTrue(acceptedBefore > 0, "the race started with the token accepted");
        // Some requests were sent after the acknowledgement, by construction (the last 20).
    }

    @Test
    void whenAllowlistModeThenRegisteredTokensAcceptedAndUnregisteredOrRevokedRefused() throws Exception {
        try (JettyApp app = ClusterApps.start(REDIS.cluster(), "revocation.mode", "allowlist",
                "redis.key-prefix", "allow:")) {
            RevocationService service = app.filter().revocationService();
            String registered = TestTokens.hs256(user("allow"));
            String unregistered = TestTokens.hs256(user("allow"));
            RevocationResult registration = service.register(ClusterApps.principal(app, registered));

            assertTrue(registration.durable(), registration.toString());
            assertEquals(200, app.getWithToken("/api", registered).statusCode());
            assertEquals(401, app.getWithToken("/api", unregistered).statusCode());

            service.revoke(ClusterApps.principal(app, registered));
            assertEquals(401, app.getWithToken("/api", registered).statusCode());
            // Registering a revoked token again does not bring it back (the jti entry outlives the live one).
            service.register(ClusterApps.principal(app, registered));
            assertEquals(401, app.getWithToken("/api", registered).statusCode());
            assertThrows(IllegalStateException.class,
                    () -> a.filter().revocationService().register(ClusterApps.principal(a, registered)),
                    "register() belongs to allowlist mode");
        }
    }

    /**
     * redis.user / redis.password reach every connection, and the ACL documented in docs/revocation.md
     * (only the key prefix, only the commands JwtGate sends) is enough: with the near-cache, without it, and with
     * DPoP (the start-up probe asks for the proof record's rights). A wrong password is refused at start, naming
     * redis.user (never the password): Redis answered, so it is a configuration error.
     */
    @Test
    void whenAclUserConfiguredThenTheDocumentedMinimalAclIsEnoughAndAWrongPasswordStopsTheStart() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        for (RedisCluster.Node node : cluster.nodes()) {
            try (Jedis jedis = node.connect()) {
                jedis.sendCommand(Protocol.Command.ACL, aclRule(cluster).split(" "));
            }
        }
        String dpopBase = "https://api.example.com";
        try (JettyApp app = ClusterApps.start(cluster, "redis.user", "jwtgate-acl", "redis.password", "acl-secret-1",
                "redis.key-prefix", "acl:");
             JettyApp dpop = ClusterApps.start(cluster, "redis.user", "jwtgate-acl", "redis.password", "acl-secret-1",
                     "redis.key-prefix", "acl:", "revocation.near-cache", "false", "dpop.mode", "allowed",
                     "dpop.public-base-url", dpopBase)) {
            RevocationService service = app.filter().revocationService();
            String sub = user("acl");
            String token = TestTokens.hs256(sub);
            assertEquals(200, app.getWithToken("/api", token).statusCode());
            assertTrue(service.revoke(ClusterApps.principal(app, token)).durable());
            assertEquals(401, app.getWithToken("/api", token).statusCode());
            assertTrue(service.revokeUser(user("acl-user")).durable());
            assertTrue(service.store().isHealthy());
            // The near-cache (subscribe, heartbeats, cluster layout, scan) works within the ACL too.
            NearCacheRevocationStore nearCache = (NearCacheRevocationStore) service.store();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!nearCache.isFresh() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(nearCache.isFresh(), "near-cache under the ACL: " + nearCache.stats());
            assertTrue(nearCache.stats().exactEntries() >= 2, "the load read both revocations: " + nearCache.stats());
            assertEquals(Health.Status.UP, app.filter().health().status(), app.filter().health().toString());

            // Without the near-cache, with DPoP: checks, proof records (a replay refused) and health.
            DpopKey key = DpopKey.ed25519();
            String bound = TestTokens.hs256(DpopKey.bind(TestTokens.claims(user("acl-dpop")), key));
            String proof = key.proof("GET", dpopBase + "/api").accessToken(bound).sign();
            assertEquals(200, RawHttp.get(dpop.port(), "/api", "Authorization: DPoP " + bound, "DPoP: " + proof).status());
            assertEquals(401, RawHttp.get(dpop.port(), "/api", "Authorization: DPoP " + bound, "DPoP: " + proof).status(),
                    "a replayed proof");
            assertEquals(401, dpop.getWithToken("/api", token).statusCode(), "revoked, read from Redis");
            assertEquals(Health.Status.UP, dpop.filter().health().status(), dpop.filter().health().toString());

            Exception e = assertThrows(Exception.class, () -> ClusterApps.start(cluster, "redis.user", "jwtgate-acl",
                    "redis.password", "not-it", "redis.key-prefix", "acl:").close(), "a wrong password stops the start");
            String messages = Causes.messages(e);
            assertTrue(messages.contains("[redis.user]: [jwtgate-acl] got WRONGPASS"), messages);
            assertTrue(!messages.contains("not-it"), "never the password: " + messages);
        } finally {
            for (RedisCluster.Node node : cluster.nodes()) {
                try (Jedis jedis = node.connect()) {
                    jedis.sendCommand(Protocol.Command.ACL, "DELUSER", "jwtgate-acl");
                }
            }
        }
    }

    /**
     * docs/revocation.md's procedure for rotating redis.password: a password changed on Redis leaves the connections
     * already open working, so its failure shows only at some later reconnection (here forced with CLIENT KILL).
     * Adding the new password first, moving every instance to it, then removing the old one, no request fails; an
     * instance left on the old password fails at its next reconnection, 503 and health DOWN naming WRONGPASS.
     */
    @Test
    void whenRedisPasswordRotatedAsDocumentedThenNoRequestFailsAndAnInstanceLeftOnTheOldOneIsDownNamingWrongpass()
            throws Exception {
        RedisCluster cluster = REDIS.cluster();
        onEveryNode(cluster, Protocol.Command.ACL, aclRule(cluster).split(" "));
        try (JettyApp old = ClusterApps.start(cluster, "redis.user", "jwtgate-acl", "redis.password", "acl-secret-1",
                "redis.key-prefix", "acl:")) {
            String revoked = TestTokens.hs256(user("rotation"));
            String live = TestTokens.hs256(user("rotation-live"));
            assertTrue(old.filter().revocationService().revoke(ClusterApps.principal(old, revoked)).durable());

            // 1. The new password next to the old one: the instances reconnect with either.
            onEveryNode(cluster, Protocol.Command.ACL, "SETUSER", "jwtgate-acl", ">acl-secret-2");
            onEveryNode(cluster, Protocol.Command.CLIENT, "KILL", "USER", "jwtgate-acl");
            assertAnswersAndUp(old, revoked, live);
            // 2. Every instance moved to the new password (restarted with it).
            try (JettyApp moved = ClusterApps.start(cluster, "redis.user", "jwtgate-acl", "redis.password",
                    "acl-secret-2", "redis.key-prefix", "acl:")) {
                assertAnswersAndUp(moved, revoked, live);
                // 3. The old password removed: the moved instance keeps working across reconnections...
                onEveryNode(cluster, Protocol.Command.ACL, "SETUSER", "jwtgate-acl", "<acl-secret-1");
                onEveryNode(cluster, Protocol.Command.CLIENT, "KILL", "USER", "jwtgate-acl");
                assertAnswersAndUp(moved, revoked, live);
                // ...and one left on the old password says why it fails, never accepting the revoked token. Health
                // first: until its near-cache sees its connection killed (within max-staleness), it may still answer
                // from memory (the live token 200); after the pause below it no longer can.
                Thread.sleep(1100); // health asks Redis at most once a second
                Health health = old.filter().health();
                assertEquals(Health.Status.DOWN, health.status(), health.toString());
                assertTrue(health.toString().contains("WRONGPASS"), health.toString());
                // The revoked token, held by its near-cache: refused (401) though Redis refuses it; the live one 503.
                assertEquals(401, old.getWithToken("/api", revoked).statusCode());
                assertEquals(503, old.getWithToken("/api", live).statusCode());
            }
        } finally {
            onEveryNode(cluster, Protocol.Command.ACL, "DELUSER", "jwtgate-acl");
        }
    }

    private static void assertAnswersAndUp(JettyApp app, String revoked, String live) throws Exception {
        assertEquals(401, app.getWithToken("/api", revoked).statusCode());
        assertEquals(200, app.getWithToken("/api", live).statusCode());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Health health = app.filter().health();
        while (health.status() != Health.Status.UP && System.nanoTime() < deadline) {
            Thread.sleep(50);
            health = app.filter().health();
        }
        assertEquals(Health.Status.UP, health.status(), health.toString());
    }

    /** ACLs and connections are per node, replicas included. */
    private static void onEveryNode(RedisCluster cluster, Protocol.Command command, String... arguments) {
        for (RedisCluster.Node node : cluster.nodes()) {
            try (Jedis jedis = node.connect()) {
                jedis.sendCommand(command, arguments);
            }
        }
    }

    /** docs/revocation.md's environment-variable example, pointed at the test cluster. */
    @Test
    void whenClusterGivenByEnvironmentVariablesThenTheFilterUsesIt() throws Exception {
        Map<String, String> environment = Map.of(
                "JWTGATE_REVOCATION_STORE", "redis-cluster",
                "JWTGATE_REDIS_NODES", REDIS.cluster().nodesSpec(),
                "JWTGATE_REVOCATION_MIN_REPLICAS", "1",
                "JWTGATE_REVOCATION_REPLICA_TIMEOUT_MS", "2000", // as ClusterApps: "durable" on a slow CI disk too
                "JWTGATE_REVOCATION_FAILURE_MODE", "closed");
        Map<String, String> initParams = new LinkedHashMap<>(TestTokens.settings());
        initParams.remove("revocation.store");
        JwtAuthFilter filter = JwtAuthFilter.builder().sources(ConfigSources.of(environment, Map.of())).build();
        try (JettyApp app = JettyApp.start(filter, initParams)) {
            assertTrue(app.filter().revocationService().store().describe().startsWith("redis-cluster("),
                    app.filter().revocationService().store().describe());
            String token = TestTokens.hs256(user("env"));
            assertEquals(new RevocationResult(true, 1, 1),
                    app.filter().revocationService().revoke(ClusterApps.principal(app, token)));
            assertEquals(401, b.getWithToken("/api", token).statusCode(), "same cluster as instance B");
        }
    }

    /**
     * The ACL of docs/revocation.md for the cluster's Redis version, read from the page (a copy here would pass
     * whatever the page says): its Redis 7 line, or on Redis 6 the same with the classic pub/sub commands the page
     * names, for a test user, password and key prefix (the near-cache's pub/sub, heartbeats and scan included).
     */
    private static String aclRule(RedisCluster cluster) throws IOException {
        String page = Files.readString(Path.of("..", "docs", "revocation.md"));
        String rule = page.lines().filter(line -> line.startsWith("ACL SETUSER jwtgate ")).findFirst()
                .orElseThrow(() -> new AssertionError("docs/revocation.md has no 'ACL SETUSER jwtgate ' line"));
        assertTrue(page.contains("the same with `+publish +subscribe` instead of `+spublish +ssubscribe`"),
                "docs/revocation.md says how the Redis 6 ACL differs");
        assertTrue(rule.contains(" >CHANGE-ME ") && rule.contains(" ~jwtgate:* ") && rule.contains(" &jwtgate:* ")
                && rule.contains(" +spublish +ssubscribe "), rule);
        if (cluster.binary().majorVersion() < 7) {
            rule = rule.replace(" +spublish +ssubscribe ", " +publish +subscribe ");
        }
        return rule.substring("ACL ".length()).replace("SETUSER jwtgate ", "SETUSER jwtgate-acl ")
                .replace(" >CHANGE-ME ", " >acl-secret-1 ").replace(" ~jwtgate:* ", " ~acl:* ")
                .replace(" &jwtgate:* ", " &acl:* ");
    }

    /**
     * Moves one slot to another master key by key (CLUSTER SETSLOT IMPORTING/MIGRATING, MIGRATE,
     * SETSLOT NODE) while the application keeps checking: answers stay right through TRYAGAIN and
     * ASK during the move and MOVED after it.
     */
    @Test
    void whenSlotMovesToAnotherMasterThenChecksAndRevocationsStayCorrect() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        String sub = user("reshard");
        String userKey = ClusterApps.KEYS.userKey(sub);
        int slot = JedisClusterCRC16.getSlot(userKey);
        RedisCluster.Node source = cluster.masterForKey(userKey);
        RedisCluster.Node target = cluster.masters().stream().filter(n -> n != source).findFirst().orElseThrow();

        String revoked = TestTokens.hs256(sub);
        String live = TestTokens.hs256(sub);
        String revokedDuringMove = TestTokens.hs256(sub);
        a.filter().revocationService().revoke(ClusterApps.principal(a, revoked));
        assertAnswers(revoked, live, null);

        try (Jedis src = source.connect(); Jedis dst = target.connect()) {
            dst.clusterSetSlotImporting(slot, source.id());
            src.clusterSetSlotMigrating(slot, target.id());
            assertAnswers(revoked, live, null); // keys all on the source: TRYAGAIN for multi-key reads, ASK for missing ones

            migrate(src, target, ClusterApps.KEYS.tokenKey(ClusterApps.ref(a, revoked)));
            assertAnswers(revoked, live, null); // the token's entry now on the target: reached through ASK

            RevocationResult during = a.filter().revocationService().revoke(ClusterApps.principal(a, revokedDuringMove));
            assertTrue(during.durable(), "a write during the move goes where ASK says: " + during);
            assertAnswers(revoked, live, revokedDuringMove);

            List<String> rest = src.clusterGetKeysInSlot(slot, 1000);
            if (!rest.isEmpty()) {
                migrate(src, target, rest.toArray(new String[0]));
            }
            dst.clusterSetSlotNode(slot, target.id());
            src.clusterSetSlotNode(slot, target.id());
            for (RedisCluster.Node master : cluster.masters()) {
                try (Jedis other = master.connect()) {
                    other.clusterSetSlotNode(slot, target.id());
                }
            }
        }
        assertEquals(target, cluster.masterForKey(userKey));
        assertAnswers(revoked, live, revokedDuringMove); // instance caches pointed at the source: MOVED
        cluster.awaitClusterOk(Duration.ofSeconds(20));
    }

    /**
     * Allowlist mode revokes with a two-key script (the {@code jti} entry set, the {@code live} entry deleted). While
     * the user's slot migrates with the {@code live} key still on the source, that script answers TRYAGAIN until the
     * move ends; the revocation then goes key by key, following ASK, and takes effect during the move.
     */
    @Test
    void whenAllowlistUsersSlotMigratesThenARevocationStillTakesEffectDuringTheMove() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        org.jwtgate.internal.revocation.RevocationKeys keys = new org.jwtgate.internal.revocation.RevocationKeys("allowmove:");
        try (JettyApp app = ClusterApps.start(cluster, "revocation.mode", "allowlist", "redis.key-prefix", "allowmove:")) {
            RevocationService service = app.filter().revocationService();
            String sub = user("allow-move");
            String token = TestTokens.hs256(sub);
            String other = TestTokens.hs256(sub);
            service.register(ClusterApps.principal(app, token));
            service.register(ClusterApps.principal(app, other));
            assertEquals(200, app.getWithToken("/api", token).statusCode());

            String userKey = keys.userKey(sub);
            int slot = JedisClusterCRC16.getSlot(userKey);
            RedisCluster.Node source = cluster.masterForKey(userKey);
            RedisCluster.Node target = cluster.masters().stream().filter(n -> n != source).findFirst().orElseThrow();
            try (Jedis src = source.connect(); Jedis dst = target.connect()) {
                dst.clusterSetSlotImporting(slot, source.id());
                src.clusterSetSlotMigrating(slot, target.id());

                long began = System.nanoTime();
                RevocationResult result = service.revoke(ClusterApps.principal(app, token));
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
                assertTrue(result.durable(), result.toString());
                assertEquals(401, app.getWithToken("/api", token).statusCode(), "revoked during the move");
                assertEquals(200, app.getWithToken("/api", other).statusCode(), "the user's other token still registered");
                System.out.printf("[allowlist] revocation during a slot migration took %d ms%n", millis);

                List<String> rest = src.clusterGetKeysInSlot(slot, 1000);
                if (!rest.isEmpty()) {
                    migrate(src, target, rest.toArray(new String[0]));
                }
                for (RedisCluster.Node master : cluster.masters()) {
                    try (Jedis any = master.connect()) {
                        any.clusterSetSlotNode(slot, target.id());
                    }
                }
            }
            assertEquals(401, app.getWithToken("/api", token).statusCode(), "and after it");
            assertEquals(200, app.getWithToken("/api", other).statusCode());
            // A registration arriving late (an issuer's retry) does not bring it back.
            service.register(ClusterApps.principal(app, token));
            assertEquals(401, app.getWithToken("/api", token).statusCode());
        } finally {
            cluster.awaitClusterOk(Duration.ofSeconds(20));
        }
    }

    private void assertAnswers(String revoked, String live, String alsoRevoked) throws Exception {
        for (JettyApp app : List.of(a, b)) {
            assertEquals(401, app.getWithToken("/api", revoked).statusCode(), "revoked token");
            assertEquals(200, app.getWithToken("/api", live).statusCode(), "live token");
            if (alsoRevoked != null) {
                assertEquals(401, app.getWithToken("/api", alsoRevoked).statusCode(), "token revoked during the move");
            }
        }
    }

    private static void migrate(Jedis source, RedisCluster.Node target, String... keys) {
        List<String> args = new ArrayList<>(List.of(RedisCluster.HOST, Integer.toString(target.port()), "", "0", "5000",
                "KEYS"));
        args.addAll(List.of(keys));
        Object reply = source.sendCommand(Protocol.Command.MIGRATE, args.toArray(new String[0]));
        assertNotEquals(null, reply);
    }

    private static long pttl(String key) {
        try (Jedis jedis = REDIS.cluster().masterForKey(key).connect()) {
            return jedis.pttl(key);
        }
    }

    private static String get(String key) {
        try (Jedis jedis = REDIS.cluster().masterForKey(key).connect()) {
            String value = jedis.get(key);
            assertNotEquals(null, value, key + " is not stored");
            return value;
        }
    }

    private static JwtClaims claims(String sub, Instant issuedAt) {
        JwtClaims claims = TestTokens.claims(sub);
        claims.setIssuedAt(NumericDate.fromMilliseconds(issuedAt.toEpochMilli()));
        return claims;
    }

    private static String user(String name) {
        return name + "-" + UUID.randomUUID();
    }
}
