package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.engine.Health;
import org.jwtgate.testing.Causes;
import org.jwtgate.testing.ClusterApps;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.http.RawHttp;
import org.jwtgate.testkit.logs.CapturedLog;
import org.jwtgate.testkit.tokens.DpopKey;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.tokens.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Health tells the truth on a real cluster whose ACL stops the checks' read while every node still answers
 * PING: a check then gets NOPERM, the request 503, and health must say DOWN (the readiness probe takes the
 * instance out), and UP again once the read is allowed. The same for nodes answering CLUSTERDOWN.
 */
class HealthProbeIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    private static final String USER = "jwtgate-health";
    private static final String PASSWORD = "health-secret-1";
    private static final String DPOP_BASE = "https://api.example.com";
    private static final DpopKey DPOP_KEY = DpopKey.ed25519();

    @AfterEach
    void dropUser() {
        acl("DELUSER", USER);
    }

    @Test
    void whenTheAclStopsTheChecksReadAtRuntimeThenHealthSaysDownAndUpAgainOnceAllowed() throws Exception {
        acl(userRule("+mget"));
        // No near-cache: every check reads Redis, as when the near-cache has lapsed.
        try (JettyApp app = JettyApp.startNamed("health-acl-runtime", ClusterApps.settings(REDIS.cluster().nodesSpec(),
                "redis.user", USER, "redis.password", PASSWORD, "revocation.near-cache", "false"))) {
            String token = TestTokens.hs256("hannah");
            assertEquals(200, app.getWithToken("/api", token).statusCode());
            awaitStatus(app, Health.Status.UP);

            acl("SETUSER", USER, "-mget", "-exists");
            assertEquals(503, app.getWithToken("/api", token).statusCode(), "the check gets NOPERM: 503");
            Health down = awaitStatus(app, Health.Status.DOWN);
            // Redis answered: its refusal is named, as for the DPoP proof records, or it reads as an outage.
            String store = down.details().get("revocation-store");
            assertTrue(store.startsWith("redis-cluster down (") && store.contains("NOPERM") && store.contains("'mget'"),
                    "the refused right is named: " + down);
            assertFalse(down.toString().contains(USER) || down.toString().contains(PASSWORD), "no user, no secret: " + down);

            acl("SETUSER", USER, "+mget", "+exists");
            assertEquals(200, app.getWithToken("/api", token).statusCode());
            assertEquals("redis-cluster up", awaitStatus(app, Health.Status.UP).details().get("revocation-store"));
        }
    }

    /** The same with the near-cache: its heartbeat ({@code EXISTS}) fails, it lapses, and checks read Redis. */
    @Test
    void whenTheAclStopsTheReadsWhileTheNearCacheRunsThenHealthSaysDownOnceItLapses() throws Exception {
        acl(userRule("+mget"));
        try (JettyApp app = JettyApp.startNamed("health-acl-near-cache", ClusterApps.settings(REDIS.cluster().nodesSpec(),
                "redis.user", USER, "redis.password", PASSWORD))) {
            String token = TestTokens.hs256("hilda");
            assertEquals(200, app.getWithToken("/api", token).statusCode());
            awaitStatus(app, Health.Status.UP);

            acl("SETUSER", USER, "-mget", "-exists");
            awaitStatus(app, Health.Status.DOWN);
            assertEquals(503, app.getWithToken("/api", token).statusCode(), "the check gets NOPERM: 503");

            acl("SETUSER", USER, "+mget", "+exists");
            awaitStatus(app, Health.Status.UP);
            assertEquals(200, app.getWithToken("/api", token).statusCode());
        }
    }

    /**
     * The ACL takes the events channel away at run time (an ACL file loaded without the {@code &} pattern, say): Redis
     * closes the subscription ("Unexpected end of stream", which a restarted node gives too), and from then on refuses
     * every resubscription (NOPERM). The near-cache is suspended, checks read Redis (a revocation not announced is
     * refused, never a stale "not revoked"), health says DEGRADED, and the log must say once what Redis refuses, not
     * only that a connection ended; once the channel is allowed again the near-cache comes back by itself.
     */
    @Test
    void whenTheAclTakesTheEventsChannelAwayAtRuntimeThenTheLogNamesTheRefusalOnceAndTheNearCacheComesBack()
            throws Exception {
        acl(userRule("+mget"));
        try (CapturedLog log = CapturedLog.standardError();
                JettyApp app = JettyApp.startNamed("health-acl-channel", ClusterApps.settings(REDIS.cluster().nodesSpec(),
                        "redis.user", USER, "redis.password", PASSWORD))) {
            String token = TestTokens.hs256("helga");
            assertEquals(200, app.getWithToken("/api", token).statusCode());
            awaitStatus(app, Health.Status.UP);

            acl("SETUSER", USER, "resetchannels");
            awaitStatus(app, Health.Status.DEGRADED);
            Thread.sleep(3_000); // resubscriptions, at most a second apart, each refused
            String key = ClusterApps.KEYS.userKey("helga");
            try (Jedis jedis = REDIS.cluster().masterForKey(key).connect()) {
                jedis.set(key, String.valueOf(System.currentTimeMillis())); // revoked by hand: not announced
            }
            assertEquals(401, app.getWithToken("/api", token).statusCode(), "not fresh: the check reads Redis");
            String text = log.text();
            long named = log.warnings().stream().filter(l -> l.contains("near-cache")
                    && l.contains("no permissions to access one of the channels")).count();
            assertEquals(1, named, "one WARN names Redis's refusal:\n" + text);
            assertFalse(text.contains(PASSWORD), "never the password");
            // Health names it too (DEGRADED saying no more than "not fresh" sent operators after a network fault).
            Health degraded = app.filter().health();
            String nearCache = degraded.details().get("near-cache");
            assertEquals(Health.Status.DEGRADED, degraded.status(), degraded.toString());
            assertTrue(nearCache.startsWith("not fresh") && nearCache.contains(": checks read Redis (Redis refuses"
                    + " redis.user: NOPERM this user has no permissions to access one of the channels"), degraded.toString());
            assertFalse(degraded.toString().contains(USER) || degraded.toString().contains(PASSWORD), degraded.toString());

            acl("SETUSER", USER, "&" + ClusterApps.PREFIX + "*");
            awaitStatus(app, Health.Status.UP);
        }
    }

    /**
     * Redis answers at start and refuses the configured user: a wrong password (WRONGPASS), an ACL without the
     * checks' {@code mget}, or with DPoP without {@code +eval} (NOPERM). A configuration error: the filter must not
     * start (it answered 503 forever), and the error names {@code redis.user}, never the password. Redis not
     * answering at start is no such error: the filter starts and answers per {@code revocation.failure-mode}.
     */
    @Test
    void whenRedisRefusesTheUserAtStartThenTheFilterDoesNotStartNamingRedisUserNeverThePassword() throws Exception {
        acl(userRule("+mget"));
        String nodes = REDIS.cluster().nodesSpec();
        Map<String, String> wrongPassword = ClusterApps.settings(nodes, "redis.user", USER, "redis.password", "not-" + PASSWORD);
        Map<String, String> noMget = ClusterApps.settings(nodes, "redis.user", USER + "-reader", "redis.password", PASSWORD);
        Map<String, String> noEval = ClusterApps.settings(nodes, "redis.user", USER + "-noeval", "redis.password", PASSWORD,
                ConfigKeys.DPOP_MODE, "allowed", ConfigKeys.DPOP_PUBLIC_BASE_URL, DPOP_BASE);
        acl(userRule("-mget", USER + "-reader"));
        acl(userRule("+mget", USER + "-noeval"));
        acl("SETUSER", USER + "-noeval", "-eval");
        try {
            // A password for nodes whose default user needs none: Redis's plain ERR, as much a refusal (the CLI's exit 2).
            Map<String, String> passwordForNone = ClusterApps.settings(nodes, "redis.password", PASSWORD);
            for (Map.Entry<String, Map<String, String>> refused : java.util.List.of(Map.entry("WRONGPASS", wrongPassword),
                    Map.entry("'mget'", noMget), Map.entry("'eval'", noEval),
                    Map.entry("without any password configured", passwordForNone))) {
                Exception e = assertThrows(Exception.class,
                        () -> JettyApp.startNamed("acl-start", refused.getValue()).close(), refused.getKey());
                String messages = Causes.messages(e);
                String user = refused.getValue().get("redis.user");
                assertTrue(messages.contains("[redis.user]: " + (user == null ? "not set" : "[" + user + "]"))
                        && messages.contains(refused.getKey()), messages);
                assertFalse(messages.contains(PASSWORD), "never the password: " + messages);
            }
        } finally {
            acl("DELUSER", USER + "-reader", USER + "-noeval");
        }
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("jwtgate-")),
                "a refused start leaves no thread (connections closed)");
        // Unreachable at start (nothing listens there): starts, and answers 503 until Redis answers.
        try (JettyApp app = JettyApp.startNamed("acl-start-down", ClusterApps.settings(RedisCluster.HOST + ":"
                + org.jwtgate.testkit.process.ServerProcesses.freeLoopbackPort(), "redis.user", USER, "redis.password", PASSWORD))) {
            assertEquals(503, app.getWithToken("/api", TestTokens.hs256("henry")).statusCode());
        }
        // The same user with its rights (the documented ones) starts, and serves DPoP requests.
        Map<String, String> allowed = new java.util.LinkedHashMap<>(noEval);
        allowed.put("redis.user", USER);
        try (JettyApp app = JettyApp.startNamed("acl-start-ok", allowed)) {
            String token = TestTokens.hs256(DpopKey.bind(TestTokens.claims("hedda"), DPOP_KEY));
            assertEquals(200, dpopCall(app, token).status());
            awaitStatus(app, Health.Status.UP);
        }
    }

    /**
     * With DPoP on, every DPoP request also records its proof ({@code EVAL} of a {@code SET NX} on a key under
     * {@code <prefix>dpop:}): a user whose ACL lacks {@code +eval}, or whose key patterns leave out that keyspace,
     * gets 503 on every DPoP request while the checks' {@code MGET} still passes. Health must say DOWN, naming the
     * refusal (never the user's name or password), and UP again once the ACL allows the record.
     */
    @Test
    void whenTheAclRefusesTheDpopProofRecordThenHealthSaysDownNamingTheRefusalAndUpOnceAllowed() throws Exception {
        acl(userRule("+mget"));
        Map<String, String> settings = ClusterApps.settings(REDIS.cluster().nodesSpec(), "redis.user", USER,
                "redis.password", PASSWORD, "revocation.near-cache", "false",
                ConfigKeys.DPOP_MODE, "allowed", ConfigKeys.DPOP_PUBLIC_BASE_URL, DPOP_BASE);
        try (JettyApp app = JettyApp.startNamed("health-acl-dpop", settings)) {
            String token = TestTokens.hs256(DpopKey.bind(TestTokens.claims("dora"), DPOP_KEY));
            assertEquals(200, dpopCall(app, token).status());
            awaitStatus(app, Health.Status.UP);

            acl("SETUSER", USER, "-eval"); // at run time: with it missing at start, the filter does not start
            assertEquals(200, app.getWithToken("/api", TestTokens.hs256("dirk")).statusCode(), "bearer: the check passes");
            assertEquals(503, dpopCall(app, token).status(), "the proof record gets NOPERM: 503");
            Health down = awaitStatus(app, Health.Status.DOWN);
            String store = down.details().get("revocation-store");
            assertTrue(store.startsWith("redis-cluster down (") && store.contains("NOPERM") && store.contains("'eval'"),
                    "the refused right is named: " + down);
            assertFalse(down.toString().contains(USER) || down.toString().contains(PASSWORD), "no user, no secret: " + down);

            acl("SETUSER", USER, "+eval", "resetkeys", "~" + ClusterApps.PREFIX + "{*", "~" + ClusterApps.PREFIX + "health:*",
                    "~" + ClusterApps.PREFIX + "events");
            assertEquals(503, dpopCall(app, token).status(), "the proof's key is outside the user's key patterns: 503");
            awaitDetail(app, "revocation-store", "keys");
            assertEquals(Health.Status.DOWN, app.filter().health().status(), app.filter().health().toString());

            acl("SETUSER", USER, "~" + ClusterApps.PREFIX + "*");
            assertEquals(200, dpopCall(app, token).status());
            awaitStatus(app, Health.Status.UP);
        }
    }

    private static RawHttp.Response dpopCall(JettyApp app, String token) {
        String proof = DPOP_KEY.proof("GET", DPOP_BASE + "/api").accessToken(token).sign();
        return RawHttp.get(app.port(), "/api", "Authorization: DPoP " + token, "DPoP: " + proof);
    }

    /**
     * Every node unassigns the last slot: the cluster is down (full coverage required), every node answers
     * CLUSTERDOWN to keyed commands and still PONG to PING. Checks get 503; health must say DOWN.
     */
    @Test
    void whenTheNodesAnswerClusterDownThenHealthSaysDownAndUpAgainOnceServed() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        int slot = RedisCluster.SLOTS - 1;
        RedisCluster.Node owner = cluster.masterForKey(keyInSlot(slot));
        try (JettyApp app = JettyApp.startNamed("health-clusterdown", ClusterApps.settings(cluster.nodesSpec(),
                "revocation.near-cache", "false"))) {
            String token = TestTokens.hs256("hugo");
            assertEquals(200, app.getWithToken("/api", token).statusCode());
            awaitStatus(app, Health.Status.UP);
            try {
                for (RedisCluster.Node node : cluster.nodes()) {
                    try (Jedis jedis = node.connect()) {
                        jedis.clusterDelSlots(slot);
                    }
                }
                assertEquals(503, app.getWithToken("/api", token).statusCode(), "CLUSTERDOWN: 503");
                awaitStatus(app, Health.Status.DOWN);
            } finally {
                try (Jedis jedis = owner.connect()) {
                    jedis.clusterAddSlots(slot);
                }
                cluster.awaitClusterOk(Duration.ofSeconds(30));
            }
            awaitStatus(app, Health.Status.UP);
            assertEquals(200, app.getWithToken("/api", token).statusCode());
        }
    }

    private static String keyInSlot(int slot) {
        for (int n = 0; ; n++) {
            if (JedisClusterCRC16.getSlot("{" + n + "}") == slot) {
                return "{" + n + "}";
            }
        }
    }

    /** The documented minimal rights on this rig's prefix, with {@code mget} as given. */
    private static String[] userRule(String mget) {
        return userRule(mget, USER);
    }

    private static String[] userRule(String mget, String user) {
        String pubSub = REDIS.cluster().binary().majorVersion() >= 7 ? "+spublish +ssubscribe" : "+publish +subscribe";
        return ("SETUSER " + user + " reset on >" + PASSWORD + " ~" + ClusterApps.PREFIX + "* resetchannels &"
                + ClusterApps.PREFIX + "* -@all " + mget + " +get +set +del +eval +pttl +pexpire +wait +ping +asking"
                + " +cluster|slots +client|setname +exists " + pubSub + " +scan +cluster|nodes").split(" ");
    }

    private static void acl(String... args) {
        ClusterApps.acl(REDIS.cluster(), args);
    }

    private static Health awaitStatus(JettyApp app, Health.Status status) throws InterruptedException {
        return ClusterApps.awaitHealth(app, status);
    }

    private static void awaitDetail(JettyApp app, String detail, String part) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline && !app.filter().health().details().get(detail).contains(part)) {
            Thread.sleep(50);
        }
        assertTrue(app.filter().health().details().get(detail).contains(part), app.filter().health().toString());
    }
}
