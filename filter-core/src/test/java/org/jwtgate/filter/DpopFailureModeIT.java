package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.engine.JwtGate;
import org.jwtgate.internal.revocation.MemoryRevocationStore;
import org.jwtgate.internal.revocation.OutageProofRecord;
import org.jwtgate.internal.revocation.RevocationKeys;
import org.jwtgate.testing.ClusterApps;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.http.RawHttp;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.logs.CapturedLog;
import org.jwtgate.testkit.tokens.DpopKey;
import org.jwtgate.testkit.tokens.TestTokens;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientPauseMode;

/**
 * The one-time record of DPoP proofs follows {@code revocation.failure-mode} like a revocation check:
 * with the whole Redis Cluster down, {@code closed} answers 503 + Retry-After, {@code open} lets a
 * request whose proof is otherwise valid through with an audit line (sub and jti, never the token or
 * the proof); both recover by themselves. The revocations are kept in memory here (a store of the
 * application's, through the builder) so that only the proof records depend on Redis; and with both in
 * Redis, a hung master holds an {@code open} request for one Redis budget, not one per call. Own cluster.
 */
class DpopFailureModeIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    private static final String URL_BASE = "https://api.example.com";
    /** The key of the DPoP requests {@link #call} sends (WritesRefusedHealthIT's too). */
    static final DpopKey KEY = DpopKey.ed25519();

    /** The filter with DPoP allowed, its revocations in memory and its proofs recorded in {@code cluster}. */
    static JettyApp start(RedisCluster cluster, String failureMode) throws Exception {
        Map<String, String> params = new LinkedHashMap<>(TestTokens.settings());
        params.put(ConfigKeys.REVOCATION_STORE, "redis-cluster");
        params.put(ConfigKeys.REDIS_NODES, cluster.nodesSpec());
        params.put(ConfigKeys.REVOCATION_FAILURE_MODE, failureMode);
        params.put(ConfigKeys.DPOP_MODE, "allowed");
        params.put(ConfigKeys.DPOP_PUBLIC_BASE_URL, URL_BASE);
        JwtAuthFilter filter = JwtAuthFilter.builder().sources(ConfigSources.none())
                .revocationStore(new MemoryRevocationStore()).build();
        return JettyApp.start(filter, params);
    }

    /** A DPoP request to /api with {@code token} (bound to {@link #KEY}) and a fresh proof. */
    static RawHttp.Response call(JettyApp app, String token) {
        String proof = KEY.proof("GET", URL_BASE + "/api").accessToken(token).sign();
        return RawHttp.get(app.port(), "/api", "Authorization: DPoP " + token, "DPoP: " + proof);
    }

    @Test
    void whenRedisIsDownThenClosedAnswers503AndOpenPassesAuditedAndBothRecover() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        try (JettyApp closed = start(cluster, "closed"); JettyApp open = start(cluster, "open")) {
            String token = TestTokens.hs256(DpopKey.bind(TestTokens.claims("erin"), KEY));
            assertEquals(200, call(closed, token).status());
            assertEquals(200, call(open, token).status());

            cluster.stopAll();
            try {
                RawHttp.Response refused = call(closed, token);
                assertEquals(503, refused.status(), refused.toString());
                assertEquals("5", refused.header("Retry-After"));
                assertEquals("{\"error\":\"temporarily_unavailable\",\"error_description\":"
                        + "\"Authentication is temporarily unavailable; retry later\"}", refused.body());

                long passes = open.filter().metrics().failOpenPassCount();
                String[] proofSent = new String[1];
                String audit = CapturedLog.during(() -> {
                    String proof = KEY.proof("GET", URL_BASE + "/api").accessToken(token).sign();
                    proofSent[0] = proof;
                    RawHttp.Response passed = RawHttp.get(open.port(), "/api", "Authorization: DPoP " + token, "DPoP: " + proof);
                    assertEquals(200, passed.status(), passed.toString());
                    assertTrue(passed.body().contains("auth=DPoP"), passed.body());
                }).text();
                assertEquals(passes + 1, open.filter().metrics().failOpenPassCount());
                String jti = open.filter().gate().verify(token).tokenId();
                // The same audit line as a revocation check's fail-open pass, naming the check skipped.
                assertTrue(audit.contains("AUDIT fail-open outcome=allowed-unchecked check=dpop-proof-replay sub=erin "),
                        "audit line: " + audit);
                assertTrue(audit.contains(" jti=" + jti + " "), "audit line: " + audit);
                assertFalse(audit.contains(token.substring(token.lastIndexOf('.') + 1)), "the token is never logged");
                assertFalse(audit.contains(proofSent[0].substring(proofSent[0].lastIndexOf('.') + 1)), "the proof is never logged");

                // A proof that fails any other check is refused as always: only the record is skipped.
                String forged = KEY.proof("GET", URL_BASE + "/api").accessToken(token).signedBy(DpopKey.ed25519()).sign();
                assertEquals(401, RawHttp.get(open.port(), "/api", "Authorization: DPoP " + token, "DPoP: " + forged).status());
            } finally {
                cluster.startAll();
            }
            awaitStatus(() -> call(closed, token).status(), 200, Duration.ofSeconds(30));
            awaitStatus(() -> call(open, token).status(), 200, Duration.ofSeconds(30));
            long passes = open.filter().metrics().failOpenPassCount();
            assertEquals(200, call(open, token).status());
            assertEquals(passes, open.filter().metrics().failOpenPassCount(), "recorded again, not passed unchecked");
        }
    }

    /**
     * Failing open, a proof that passed unrecorded while Redis was down is held by the instance that passed it: a
     * replay to it is refused during the outage, and once Redis answers the proof is written there, so a replay to
     * another instance is refused too. Before, both replays passed (200) until the proof's iat was too old.
     */
    @Test
    void whenAProofPassedUnrecordedInAnOutageThenItsReplayIsRefusedThereAndEverywhereOnceRedisIsBack()
            throws Exception {
        RedisCluster cluster = REDIS.cluster();
        try (JettyApp first = start(cluster, "open"); JettyApp other = start(cluster, "open")) {
            String token = TestTokens.hs256(DpopKey.bind(TestTokens.claims("fay"), KEY));
            assertEquals(200, call(first, token).status());
            DpopKey.Proof proof = KEY.proof("GET", URL_BASE + "/api").accessToken(token);
            String sent = proof.sign();
            String[] headers = {"Authorization: DPoP " + token, "DPoP: " + sent};
            String recordKey = new RevocationKeys("jwtgate:").proofKey("fay", KEY.thumbprint(), proof.jti());

            cluster.stopAll();
            try {
                assertEquals(200, RawHttp.get(first.port(), "/api", headers).status(), "passed unrecorded (open)");
                RawHttp.Response replay = RawHttp.get(first.port(), "/api", headers);
                assertEquals(401, replay.status(), replay.toString());
                assertTrue(replay.header("WWW-Authenticate").contains("invalid_dpop_proof"), replay.toString());
            } finally {
                cluster.startAll();
            }
            cluster.awaitClusterOk(Duration.ofSeconds(30));
            awaitStatus(() -> recordExists(cluster, recordKey) ? 1 : 0, 1, Duration.ofSeconds(30));
            RawHttp.Response elsewhere = RawHttp.get(other.port(), "/api", headers);
            assertEquals(401, elsewhere.status(), elsewhere.toString());
            assertEquals(401, RawHttp.get(first.port(), "/api", headers).status());
            assertEquals(200, call(other, token).status(), "a fresh proof passes");
        }
    }

    /**
     * This instance's record of the proofs passed during an outage, full: DPoP requests get 503 and health names that
     * record. Before, health said "full (Redis out of memory)" of a Redis that was away (the review of the record).
     * Its capacity (250,000) is lowered to 1 through reflection, so that a second proof fills it.
     */
    @Test
    void whenTheOutageRecordIsFullThenHealthNamesItNotRedisMemory() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        try (JettyApp app = start(cluster, "open")) {
            String token = TestTokens.hs256(DpopKey.bind(TestTokens.claims("hana"), KEY));
            JwtGate gate = app.filter().gate();
            Field proofs = JwtGate.class.getDeclaredField("usedProofs");
            proofs.setAccessible(true);
            Field capacity = OutageProofRecord.class.getDeclaredField("capacity");
            capacity.setAccessible(true);
            capacity.setInt(proofs.get(gate), 1);

            cluster.stopAll();
            try {
                assertEquals(200, call(app, token).status(), "the first proof passes unrecorded, held");
                RawHttp.Response full = call(app, token);
                assertEquals(503, full.status(), full.toString());
                String detail = gate.health().details().get("revocation-store");
                assertTrue(detail.contains("full (this instance's record of the proofs that passed during the outage"
                        + " holds as many as it can)"), detail);
                assertFalse(detail.contains("Redis out of memory"), detail);
            } finally {
                cluster.startAll();
            }
        }
    }

    private static boolean recordExists(RedisCluster cluster, String key) {
        try (Jedis master = cluster.masterForKey(key).connect()) {
            return master.exists(key);
        } catch (RuntimeException notYet) {
            return false;
        }
    }

    @Test
    void whenTheUsersMasterHangsThenAnOpenDpopRequestWaitsOneRedisBudgetNotTwo() throws Exception {
        // The proof's record and the revocation check both go to the user's master (the user's hash tag): without
        // one shared budget each waited its own. The revocations are in Redis here, without the near-cache.
        RedisCluster cluster = REDIS.cluster();
        Map<String, String> params = new LinkedHashMap<>(TestTokens.settings());
        params.put(ConfigKeys.REVOCATION_STORE, "redis-cluster");
        params.put(ConfigKeys.REDIS_NODES, cluster.nodesSpec());
        params.put(ConfigKeys.REVOCATION_FAILURE_MODE, "open");
        params.put(ConfigKeys.REVOCATION_NEAR_CACHE, "false");
        params.put(ConfigKeys.REDIS_TIMEOUT_MS, "500");
        params.put(ConfigKeys.REDIS_MAX_ATTEMPTS, "2"); // a budget of 1 s per call
        params.put(ConfigKeys.DPOP_MODE, "allowed");
        params.put(ConfigKeys.DPOP_PUBLIC_BASE_URL, URL_BASE);
        try (JettyApp app = JettyApp.start(JwtAuthFilter.builder().sources(ConfigSources.none()).build(), params)) {
            String token = TestTokens.hs256(DpopKey.bind(TestTokens.claims("gwen"), KEY));
            assertEquals(200, call(app, token).status(), "both calls answered while the master is up");
            RedisCluster.Node master = cluster.masterForKey(ClusterApps.KEYS.userKey("gwen"));

            long passes = app.filter().metrics().failOpenPassCount();
            long pausedAt = System.nanoTime();
            long pauseMillis = 4_000;
            try (Jedis admin = new Jedis(master.hostAndPort())) {
                // Clients wait, the cluster bus does not: no failover, a master that just stops answering.
                admin.clientPause(pauseMillis, ClientPauseMode.ALL);
            }
            try {
                long start = System.nanoTime();
                RawHttp.Response passed = call(app, token);
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertEquals(200, passed.status(), passed.toString());
                assertEquals(passes + 1, app.filter().metrics().failOpenPassCount(), "one request passed unchecked");
                System.out.printf("[dpop] open, user's master paused: 200 after %d ms (one budget: 1,000 ms)%n", millis);
                assertTrue(millis < 1_600, "one budget of 1 s (+ margin), not two: " + millis + " ms");
            } finally {
                long left = pauseMillis - (System.nanoTime() - pausedAt) / 1_000_000;
                if (left > 0) {
                    Thread.sleep(left + 100); // the pause ends by itself; the other test needs the cluster
                }
            }
            awaitStatus(() -> call(app, token).status(), 200, Duration.ofSeconds(30));
        }
    }

    private static void awaitStatus(Supplier<Integer> status, int expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            last = status.get();
            if (last == expected) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("still " + last + " after " + timeout);
    }

    /**
     * Redis full (maxmemory with noeviction, as revocation.md recommends): every new proof is refused (503, either
     * mode) while the health probes, a read and a permission check, pass. Before, health said UP (the operations
     * review); now DEGRADED, naming it, while bearer requests go on.
     */
    @Test
    void whenRedisIsOutOfMemoryThenDpopRequestsGet503AndHealthSaysDegradedNotUp() throws Exception {
        try (JettyApp app = start(REDIS.cluster(), "open")) {
            String token = TestTokens.hs256(DpopKey.bind(TestTokens.claims("olga"), KEY));
            assertEquals(200, call(app, token).status());
            assertEquals(org.jwtgate.engine.Health.Status.UP, app.filter().health().status());
            setOnEveryNode("maxmemory", "1");
            try {
                RawHttp.Response refused = call(app, token);
                assertEquals(503, refused.status(), refused.toString());
                assertEquals(200, app.getWithToken("/api", TestTokens.hs256("bert")).statusCode(), "bearer tokens pass");
                org.jwtgate.engine.Health health = app.filter().health();
                assertEquals(org.jwtgate.engine.Health.Status.DEGRADED, health.status(), health.toString());
                assertTrue(health.details().get("revocation-store").startsWith(
                        "redis-cluster up (DPoP proof records refused: full (Redis out of memory), "), health.toString());
            } finally {
                setOnEveryNode("maxmemory", "0");
            }
            assertEquals(200, call(app, token).status(), "a new proof is recorded again");
        }
    }

    private static void setOnEveryNode(String parameter, String value) {
        for (RedisCluster.Node node : REDIS.cluster().nodes()) {
            try (Jedis jedis = node.connect()) {
                jedis.configSet(parameter, value);
            }
        }
    }
}
