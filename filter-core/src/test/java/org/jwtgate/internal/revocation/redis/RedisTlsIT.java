package org.jwtgate.internal.revocation.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jwtgate.engine.Health;
import org.jwtgate.revocation.NearCacheStats;
import org.jwtgate.revocation.RevocationService;
import org.jwtgate.testing.Causes;
import org.jwtgate.testing.ClusterApps;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.RedisTls;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.logs.CapturedLog;
import org.jwtgate.testkit.process.ServerProcesses;
import org.jwtgate.testkit.tokens.TestTokens;
import redis.clients.jedis.Jedis;

/**
 * {@code redis.ssl=true} against a real 3+3 cluster that speaks TLS only ({@code port 0}, {@code tls-port},
 * {@code tls-cluster yes}, {@code tls-replication yes}), its certificate from a throw-away CA in a trust store given
 * the documented way ({@code javax.net.ssl.trustStore}). Every path JwtGate opens (the cluster client and its
 * discovery, the per-master connections that write and WAIT, the near-cache's subscription and heartbeats, the health
 * probe) has no plaintext port to fall back on, so each one working is each one using TLS. A node certificate that
 * does not name the announced address must be refused, with 503 and health DOWN, never used unverified. The trust
 * store is a JVM-wide setting: the class sets it, each test that starts a cluster of its own points it there, and the
 * class restores the previous value at the end.
 */
class RedisTlsIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension(RedisCluster.builder().tls());

    /** What the instances log, from the class's start to its end. */
    private static CapturedLog appLog;
    private static String originalTrustStore;
    private static String originalTrustStorePassword;
    private static JettyApp a;
    private static JettyApp b;

    @BeforeAll
    static void startInstances() throws Exception {
        appLog = CapturedLog.standardError();
        originalTrustStore = System.getProperty("javax.net.ssl.trustStore");
        originalTrustStorePassword = System.getProperty("javax.net.ssl.trustStorePassword");
        trust(REDIS.cluster().tls().orElseThrow());
        a = JettyApp.startNamed("tls-a", settings(REDIS.cluster()));
        b = JettyApp.startNamed("tls-b", settings(REDIS.cluster()));
    }

    @AfterAll
    static void stopInstances() throws Exception {
        try {
            for (JettyApp app : new JettyApp[] {a, b}) {
                if (app != null) {
                    app.close();
                }
            }
        } finally {
            restore("javax.net.ssl.trustStore", originalTrustStore);
            restore("javax.net.ssl.trustStorePassword", originalTrustStorePassword);
            if (appLog != null) {
                appLog.close();
            }
        }
    }

    @Test
    void whenRevokedOnOneInstanceOverTlsThenTheOtherRefusesAtOnceAndHealthIsUp() throws Exception {
        String token = TestTokens.hs256("tls-alice");
        String sameUser = TestTokens.hs256("tls-bob");
        String laterOfBob = TestTokens.hs256("tls-bob");
        String other = TestTokens.hs256("tls-carol");
        for (String t : List.of(token, sameUser, other)) {
            assertEquals(200, a.getWithToken("/api", t).statusCode());
            assertEquals(200, b.getWithToken("/api", t).statusCode());
        }
        await("both near-caches fresh over TLS", () -> fresh(a) && fresh(b));

        assertTrue(service(a).revoke(ClusterApps.principal(a, token)).durable(), "written and confirmed by a replica");
        assertEquals(401, b.getWithToken("/api", token).statusCode(), "revoked by jti: refused on B at once");
        assertTrue(service(a).revokeUser("tls-bob").durable());
        assertEquals(401, b.getWithToken("/api", sameUser).statusCode(), "revoked by user: refused on B at once");
        assertEquals(401, b.getWithToken("/api", laterOfBob).statusCode());
        assertEquals(200, b.getWithToken("/api", other).statusCode());

        // Fresh means heartbeats keep arriving over the subscription (every revocation.max-staleness-ms): a second
        // later B still answers from its local state, which the announcements over TLS filled.
        Thread.sleep(1000);
        await("B's near-cache fresh a second later", () -> fresh(b));
        NearCacheStats before = service(b).nearCacheStats().orElseThrow();
        assertEquals(401, b.getWithToken("/api", token).statusCode());
        NearCacheStats after = service(b).nearCacheStats().orElseThrow();
        assertTrue(after.announcementsApplied() >= 2, after.toString());
        assertTrue(after.localChecks() > before.localChecks() || !after.fresh(), after.toString());
        assertEquals(Health.Status.UP, a.filter().health().status(), a.filter().health().toString());
        assertEquals(Health.Status.UP, b.filter().health().status(), b.filter().health().toString());

        int jwtgateClients = 0;
        for (RedisCluster.Node node : REDIS.cluster().nodes()) {
            try (Jedis jedis = node.connect()) {
                assertEquals("0", jedis.configGet("port").get("port"), node + " has no plaintext port");
                jwtgateClients += (int) jedis.clientList().lines().filter(l -> l.contains(" name=jwtgate ")).count();
            }
        }
        assertTrue(jwtgateClients > 0, "JwtGate's connections reached the nodes over TLS");
    }

    /** A node certificate for another name only: the announced 127.0.0.1 does not match, every connection is refused. */
    @Test
    void whenTheNodeCertificateDoesNotNameTheAnnouncedAddressThenRequestsGet503AndHealthIsDownWithAClearWarn()
            throws Exception {
        try (RedisCluster misnamed = RedisCluster.builder().masters(1).replicasPerMaster(0)
                .tls(List.of("dns:redis.example")).start()) {
            trust(misnamed.tls().orElseThrow());
            int logged = appLog.position();
            try (JettyApp app = JettyApp.startNamed("tls-misnamed", settings(misnamed,
                    "revocation.min-replicas", "0"))) {
                assertEquals(503, app.getWithToken("/api", TestTokens.hs256("tls-dave")).statusCode());
                assertEquals(Health.Status.DOWN, app.filter().health().status(), app.filter().health().toString());
                try (Jedis jedis = misnamed.nodes().get(0).connect()) {
                    assertFalse(jedis.clientList().contains(" name=jwtgate "), jedis.clientList());
                }
                // Not "not reachable": the WARN names redis.ssl and the JDK's reason, never a secret.
                String log = appLog.since(logged);
                String warn = log.lines().filter(l -> l.contains("WARN") && l.contains("redis.ssl"))
                        .findFirst().orElseThrow(() -> new AssertionError("no WARN naming redis.ssl in:\n" + log));
                assertTrue(warn.contains("refused by TLS") && warn.contains("redis.ssl=true")
                        && warn.contains("No subject alternative names matching IP address 127.0.0.1"), warn);
                assertFalse(warn.contains("not reachable"), warn);
                assertFalse(log.contains(TestTokens.SECRET), "no secret in the log");
            }
        } finally {
            trust(REDIS.cluster().tls().orElseThrow());
        }
    }

    /**
     * A node certificate from a CA the JVM does not trust (another cluster's: the class's trust store stays in place).
     * With {@code redis.ssl=true} every connection is refused: 503, health DOWN, and each store's start-up WARN says
     * that TLS refused the node and points at the trust store; the single-server store said "not reachable", which
     * sends an operator after a network fault. With {@code redis.ssl=false} the WARN asks whether redis.ssl is right.
     */
    @Test
    void whenTheNodeCertificateIsNotTrustedThenRequestsGet503AndEachStoresWarnSaysTlsRefusedIt() throws Exception {
        try (RedisCluster untrusted = RedisCluster.builder().masters(1).replicasPerMaster(0).tls().start()) {
            String node = untrusted.nodes().get(0).hostAndPort().toString();
            for (String store : List.of("redis-cluster", "redis")) {
                int logged = appLog.position();
                try (JettyApp app = JettyApp.startNamed("tls-untrusted-" + store, ClusterApps.settings(node,
                        "revocation.store", store, "redis.ssl", "true", "revocation.min-replicas", "0"))) {
                    assertEquals(503, app.getWithToken("/api", TestTokens.hs256("tls-untrusted-" + store)).statusCode());
                    assertEquals(Health.Status.DOWN, app.filter().health().status(), app.filter().health().toString());
                    String log = appLog.since(logged);
                    String warn = log.lines().filter(l -> l.contains("WARN") && l.contains("at start-up"))
                            .findFirst().orElseThrow(() -> new AssertionError("no start-up WARN in:\n" + log));
                    // "PKIX path validation failed" here: both CAs are "CN=JwtGate test CA", so the path reaches the wrong one.
                    assertTrue(warn.contains("refused by TLS at start-up (redis.ssl=true: ")
                            && warn.contains("PKIX path") && warn.contains("trust store"), warn);
                    assertFalse(warn.contains("not reachable"), warn);
                    assertFalse(log.contains(TestTokens.SECRET), "no secret in the log");
                }
            }
            assertEachStoreWarns(node, false, node + " speaks TLS: is redis.ssl=false right for its port?");
        }
    }

    /**
     * One seed's certificate is not trusted, the other seed refuses the user. Jedis asks them in random order and keeps
     * the first one's failure: when that was TLS's, the start took the cluster as not reachable and started, to answer
     * 503 for good. The refusal must stop every start, whichever seed came first.
     */
    @Test
    void whenOneSeedIsRefusedByTlsAndAnotherRefusesTheUserThenNoStartSucceeds() throws Exception {
        try (RedisCluster untrusted = RedisCluster.builder().masters(1).replicasPerMaster(0).tls().start()) {
            String nodes = untrusted.nodes().get(0).hostAndPort() + "," + REDIS.cluster().masters().get(0).hostAndPort();
            Map<String, String> wrongUser = ClusterApps.settings(nodes, "redis.ssl", "true", "redis.user", "jwtgate-nobody",
                    "redis.password", "not-its-password", "revocation.near-cache", "false");
            for (int start = 1; start <= 10; start++) {
                Exception e = assertThrows(Exception.class, () -> JettyApp.startNamed("tls-wrong-user", wrongUser).close(),
                        "start " + start);
                String messages = Causes.messages(e);
                assertTrue(messages.contains("[redis.user]: [jwtgate-nobody]") && messages.contains("WRONGPASS"),
                        "start " + start + ": " + messages);
            }
        }
    }

    /**
     * {@code redis.ssl=false} against a port that speaks TLS only: the node drops the plain-text connection
     * ("Connection reset"), which alone could be a proxy without a backend too; the WARN asks whether redis.ssl is
     * right only once the port answered a TLS handshake. Both stores.
     */
    @Test
    void whenRedisSslIsFalseForATlsPortThenTheStartupWarnAsksWhetherRedisSslIsRight() throws Exception {
        String node = REDIS.cluster().nodes().get(0).hostAndPort().toString();
        assertEachStoreWarns(node, false, node + " speaks TLS: is redis.ssl=false right for its port?");
    }

    /**
     * {@code redis.ssl=true} against a plain-text port: Redis waits for a line that a TLS handshake never sends, so the
     * client gets no answer ("Read timed out"), as from a hung node; the WARN asks whether redis.ssl is right only once
     * the port answered a plain-text PING. Both stores.
     */
    @Test
    void whenRedisSslIsTrueForAPlainTextPortThenTheStartupWarnAsksWhetherRedisSslIsRight() throws Exception {
        try (RedisCluster plain = RedisCluster.builder().masters(1).replicasPerMaster(0).start()) {
            String node = plain.nodes().get(0).hostAndPort().toString();
            assertEachStoreWarns(node, true,
                    node + " answers in plain text, not TLS: is redis.ssl=true right for its port?");
        }
    }

    /** Both stores with {@code redis.ssl=ssl} against {@code node}: 503, and a start-up WARN holding {@code hint}. */
    private static void assertEachStoreWarns(String node, boolean ssl, String hint) throws Exception {
        for (String store : List.of("redis-cluster", "redis")) {
            int logged = appLog.position();
            try (JettyApp app = JettyApp.startNamed("tls-ssl-" + ssl + "-" + store, ClusterApps.settings(node,
                    "revocation.store", store, "redis.ssl", Boolean.toString(ssl), "revocation.min-replicas", "0"))) {
                assertEquals(503, app.getWithToken("/api", TestTokens.hs256("tls-" + ssl + "-" + store)).statusCode());
                String warn = startupWarn(logged);
                assertTrue(warn.contains(hint), warn);
            }
        }
    }

    /** The start-up WARN logged since {@code logged}: "not reachable at start-up", never a secret around it. */
    private static String startupWarn(int logged) {
        String log = appLog.since(logged);
        assertFalse(log.contains(TestTokens.SECRET), "no secret in the log");
        return log.lines().filter(l -> l.contains("WARN") && l.contains("not reachable at start-up"))
                .findFirst().orElseThrow(() -> new AssertionError("no start-up WARN in:\n" + log));
    }

    /**
     * The documented way for certificates that name hosts, not addresses: the nodes announce a name
     * ({@code cluster-announce-hostname}, {@code cluster-preferred-endpoint-type hostname}) and the seeds are given by
     * name. Every path, discovery, redirections, per-master writes, the near-cache's layout, load and subscription,
     * must then connect by that name.
     */
    @Test
    void whenTheNodesAnnounceTheNameTheirCertificateCarriesThenEveryPathWorksByName() throws Exception {
        assertTrue(REDIS.cluster().binary().majorVersion() >= 7, "cluster-announce-hostname needs Redis 7+; this machine's"
                + " redis-server is " + REDIS.cluster().binary() + " (./verify.sh installs Debian's redis-server 7)");
        try (RedisCluster named = RedisCluster.builder().masters(3).replicasPerMaster(0)
                .tls(List.of("dns:localhost")).start()) {
            named.announceHostname("localhost", Duration.ofSeconds(20));
            trust(named.tls().orElseThrow());
            String seeds = named.nodesSpec().replace(RedisCluster.HOST + ":", "localhost:");
            try (JettyApp one = JettyApp.startNamed("tls-named-1", ClusterApps.settings(seeds, "redis.ssl", "true",
                    "revocation.min-replicas", "0"));
                 JettyApp two = JettyApp.startNamed("tls-named-2", ClusterApps.settings(seeds, "redis.ssl", "true",
                    "revocation.min-replicas", "0"))) {
                String token = TestTokens.hs256("tls-named-erin");
                String other = TestTokens.hs256("tls-named-frank");
                assertEquals(200, one.getWithToken("/api", token).statusCode());
                assertEquals(200, two.getWithToken("/api", token).statusCode());
                await("both near-caches fresh by name", () -> fresh(one) && fresh(two));
                service(one).revoke(ClusterApps.principal(one, token));
                assertEquals(401, two.getWithToken("/api", token).statusCode());
                service(one).revokeUser("tls-named-frank");
                assertEquals(401, two.getWithToken("/api", other).statusCode());
                await("health UP on both", () -> one.filter().health().status() == Health.Status.UP
                        && two.filter().health().status() == Health.Status.UP);
                assertTrue(fresh(two), service(two).nearCacheStats().toString());
            }
        } finally {
            trust(REDIS.cluster().tls().orElseThrow());
        }
    }

    /**
     * {@code revocation.store=redis}: one plain (not cluster-mode) server speaking TLS only, with the class's
     * certificate. Its connections and the near-cache's subscription go over TLS too.
     */
    @Test
    void whenTheSingleServerStoreUsesTlsThenRevocationsReachTheOtherInstancesNearCache(@TempDir Path dir)
            throws Exception {
        RedisTls tls = REDIS.cluster().tls().orElseThrow();
        int port = ServerProcesses.freeLoopbackPort();
        Process server = new ProcessBuilder(REDIS.cluster().binary().path().toString(), "--port", "0",
                "--tls-port", String.valueOf(port), "--tls-cert-file", tls.nodeCertificate().toString(),
                "--tls-key-file", tls.nodeKey().toString(), "--tls-ca-cert-file", tls.caCertificateFile().toString(),
                "--tls-auth-clients", "no", "--bind", RedisCluster.HOST, "--protected-mode", "no", "--save", "",
                "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
        try {
            Map<String, String> settings = ClusterApps.settings(RedisCluster.HOST + ":" + port,
                    "revocation.store", "redis", "redis.ssl", "true", "revocation.min-replicas", "0");
            try (JettyApp one = JettyApp.startNamed("tls-single-1", settings);
                 JettyApp two = JettyApp.startNamed("tls-single-2", settings)) {
                String token = TestTokens.hs256("tls-single-judy");
                await("the server to accept the first check", () -> status(one, token) == 200);
                assertEquals(200, two.getWithToken("/api", token).statusCode());
                await("both near-caches fresh", () -> fresh(one) && fresh(two));
                service(one).revoke(ClusterApps.principal(one, token));
                assertEquals(401, two.getWithToken("/api", token).statusCode());
                assertTrue(service(two).nearCacheStats().orElseThrow().announcementsApplied() >= 1,
                        service(two).nearCacheStats().toString());
                assertEquals(Health.Status.UP, two.filter().health().status(), two.filter().health().toString());
            }
        } finally {
            ServerProcesses.stop(server, Duration.ofSeconds(10));
        }
    }

    private static int status(JettyApp app, String token) {
        try {
            return app.getWithToken("/api", token).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static Map<String, String> settings(RedisCluster cluster, String... extra) {
        String[] all = new String[extra.length + 2];
        all[0] = "redis.ssl";
        all[1] = "true";
        System.arraycopy(extra, 0, all, 2, extra.length);
        return ClusterApps.settings(cluster.nodesSpec(), all);
    }

    private static void trust(RedisTls tls) {
        System.setProperty("javax.net.ssl.trustStore", tls.trustStore().toString());
        System.setProperty("javax.net.ssl.trustStorePassword", RedisTls.STORE_PASSWORD);
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    private static RevocationService service(JettyApp app) {
        return app.filter().revocationService();
    }

    private static boolean fresh(JettyApp app) {
        return service(app).nearCacheStats().map(NearCacheStats::fresh).orElse(false);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
