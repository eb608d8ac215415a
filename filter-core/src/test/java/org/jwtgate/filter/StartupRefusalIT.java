package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.testing.Causes;
import org.jwtgate.testing.ClusterApps;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.logs.CapturedLog;
import org.jwtgate.testkit.tokens.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * The start-up check asks every master, also when one of them does not answer: a master that refuses the configured
 * user (a node that lost it, an ACL set on some nodes only) stops the start even while another master is hung. The
 * cluster's node timeout is long, so a paused master stays a master (no failover) for the whole test.
 */
class StartupRefusalIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension(RedisCluster.builder()
            .nodeTimeout(Duration.ofSeconds(60)));

    private static final String USER = "jwtgate-startup";
    private static final String PASSWORD = "startup-secret-1";

    @AfterEach
    void resumeAndDropUser() {
        for (RedisCluster.Node node : REDIS.cluster().nodes()) {
            if (node.isPaused()) {
                node.resume();
            }
            try (Jedis jedis = node.connect()) {
                jedis.sendCommand(Protocol.Command.ACL, "DELUSER", USER);
            }
        }
    }

    /**
     * The user is set on every node but the last master (in slot order, the last one the check asks), which answers
     * WRONGPASS; an earlier master is hung (SIGSTOP). Before, the check stopped at the hung master, the filter started,
     * and the refusing master's third of the users got 503 for good, also once the hung master was back.
     */
    @Test
    void whenOneMasterRefusesTheUserWhileAnotherIsHungThenTheFilterDoesNotStart() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        List<RedisCluster.Node> masters = cluster.masters();
        RedisCluster.Node refusing = masters.get(masters.size() - 1);
        for (RedisCluster.Node node : cluster.nodes()) {
            if (node.port() != refusing.port()) {
                acl(node, userRule());
            }
        }
        Map<String, String> bearer = ClusterApps.settings(cluster.nodesSpec(), "redis.user", USER, "redis.password", PASSWORD);
        Map<String, String> dpop = ClusterApps.settings(cluster.nodesSpec(), "redis.user", USER, "redis.password", PASSWORD,
                ConfigKeys.DPOP_MODE, "allowed", ConfigKeys.DPOP_PUBLIC_BASE_URL, "https://api.example.com");
        for (RedisCluster.Node hung : masters.subList(0, masters.size() - 1)) {
            hung.pause();
            try {
                for (Map<String, String> settings : List.of(bearer, dpop)) {
                    long start = System.nanoTime();
                    Exception e = assertThrows(Exception.class, () -> JettyApp.startNamed("startup-refused", settings).close(),
                            "WRONGPASS from master " + refusing.port() + " while master " + hung.port() + " is hung");
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    String messages = Causes.messages(e);
                    assertTrue(messages.contains("[redis.user]: [" + USER + "]") && messages.contains("WRONGPASS"), messages);
                    assertFalse(messages.contains(PASSWORD), "never the password: " + messages);
                    // Within the documented bound: each of the 6 seeds and each master once, at redis.timeout-ms (500).
                    assertTrue(millis < 9 * 500 + 2000, "refused after " + millis + " ms");
                }
            } finally {
                hung.resume();
            }
        }
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("jwtgate-")),
                "a refused start leaves no thread (connections closed)");
        // Given on the last master too, the same settings start and serve.
        acl(refusing, userRule());
        try (JettyApp app = JettyApp.startNamed("startup-ok", bearer)) {
            assertEquals(200, app.getWithToken("/api", TestTokens.hs256("stella")).statusCode());
        }
    }

    /**
     * Jedis asks the seeds in random order and keeps only the first one's failure. With a seed that is down (a node
     * being replaced, a stale name) beside nodes that refuse the password, the start must fail whatever the order.
     * Before, it started whenever the dead seed came first ("not reachable at start-up"), and answered 503 for good.
     */
    @Test
    void whenASeedIsDownAndTheOthersRefuseThePasswordThenTheFilterNeverStarts() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        acl(cluster.masters().get(0), userRule());
        StringBuilder nodes = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            nodes.append(RedisCluster.HOST).append(':').append(org.jwtgate.testkit.process.ServerProcesses.freeLoopbackPort())
                    .append(',');
        }
        nodes.append(RedisCluster.HOST).append(':').append(cluster.masters().get(0).port());
        Map<String, String> wrongPassword = ClusterApps.settings(nodes.toString(), "redis.user", USER,
                "redis.password", "not-" + PASSWORD, "revocation.near-cache", "false");
        for (int attempt = 1; attempt <= 10; attempt++) {
            Exception e = assertThrows(Exception.class, () -> JettyApp.startNamed("startup-dead-seed", wrongPassword).close(),
                    "WRONGPASS from the live seed, start " + attempt);
            String messages = Causes.messages(e);
            assertTrue(messages.contains("[redis.user]: [" + USER + "]") && messages.contains("WRONGPASS"), messages);
            assertFalse(messages.contains(PASSWORD), "never the password: " + messages);
        }
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("jwtgate-")),
                "a refused start leaves no thread (connections closed)");
    }

    /**
     * Redis not answering at start is no configuration error: the filter starts, says so at WARN (as
     * docs/revocation.md promises), answers 503 and serves once Redis answers. Before, with the near-cache off (or in
     * allowlist mode) nothing was logged at start for a single node that did not answer, nor for a cluster master
     * that did not while the others did: the first sign was the first request's 503.
     */
    @Test
    void whenRedisDoesNotAnswerAtStartThenTheFilterStartsWarningAndServesOnceItAnswers() throws Exception {
        try (CapturedLog log = CapturedLog.standardError();
                ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // A node that accepts connections and never answers, as revocation.store=redis.
            String node = RedisCluster.HOST + ":" + silent.getLocalPort();
            long start = System.nanoTime();
            try (JettyApp app = JettyApp.startNamed("startup-silent", ClusterApps.settings(node,
                    "revocation.store", "redis", "revocation.near-cache", "false"))) {
                // Bounded by redis.timeout-ms (500 ms), not hung; 10 s leaves a loaded machine's Jetty start room.
                assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "bounded by redis.timeout-ms");
                // A token in the path (a magic link): the 503 WARN (the first; then one a period) names the path, and
                // wrote the token whole.
                String inPath = TestTokens.hs256("reset-link");
                assertEquals(503, app.getWithToken("/api/reset/" + inPath, TestTokens.hs256("sid")).statusCode());
                assertEquals(503, app.getWithToken("/api", TestTokens.hs256("sid")).statusCode());
                assertTrue(log.warnings().stream().anyMatch(l -> l.contains("/api/reset/(a token, not shown)")),
                        log.text());
                assertFalse(log.text().contains(inPath.substring(inPath.lastIndexOf('.') + 1)), log.text());
            }
            assertTrue(log.warnings().stream().anyMatch(l -> l.contains("not reachable at start-up")
                    && l.contains(node)),
                    "a WARN names the node:\n" + log.text());

            // One master of three hung (SIGSTOP) while the others answer; the user's password must not be logged.
            RedisCluster cluster = REDIS.cluster();
            for (RedisCluster.Node each : cluster.nodes()) {
                acl(each, userRule());
            }
            RedisCluster.Node hung = cluster.masters().get(1);
            String userOfHung = subjectOn(hung);
            hung.pause();
            try (JettyApp app = JettyApp.startNamed("startup-hung-master", ClusterApps.settings(cluster.nodesSpec(),
                    "redis.user", USER, "redis.password", PASSWORD, "revocation.near-cache", "false"))) {
                assertEquals(503, app.getWithToken("/api", TestTokens.hs256(userOfHung)).statusCode());
                assertTrue(log.warnings().stream().anyMatch(l -> l.contains("did not answer the start-up check")
                        && l.contains(String.valueOf(hung.port()))), "a WARN names the master:\n"
                        + log.text());
                hung.resume();
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                int status;
                while ((status = app.getWithToken("/api", TestTokens.hs256(userOfHung)).statusCode()) != 200
                        && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertEquals(200, status, "served once the master answers");
            }
            assertFalse(log.text().contains(PASSWORD), "never the password");
        }
    }

    /** A subject whose keys the master {@code node} serves. */
    private static String subjectOn(RedisCluster.Node node) {
        for (int n = 0; ; n++) {
            if (REDIS.cluster().masterForKey("{s" + n + "}").port() == node.port()) {
                return "s" + n;
            }
        }
    }

    /** The documented rights on this rig's prefix (revocation.md's ACL line). */
    private static String[] userRule() {
        String pubSub = REDIS.cluster().binary().majorVersion() >= 7 ? "+spublish +ssubscribe" : "+publish +subscribe";
        return ("SETUSER " + USER + " reset on >" + PASSWORD + " ~" + ClusterApps.PREFIX + "* resetchannels &"
                + ClusterApps.PREFIX + "* -@all +mget +get +set +del +eval +pttl +pexpire +wait +ping +asking"
                + " +cluster|slots +client|setname +exists " + pubSub + " +scan +cluster|nodes").split(" ");
    }

    private static void acl(RedisCluster.Node node, String... args) {
        try (Jedis jedis = node.connect()) {
            jedis.sendCommand(Protocol.Command.ACL, args);
        }
    }
}
