package org.jwtgate.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jwtgate.engine.Health;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.internal.revocation.RevocationKeys;
import org.jwtgate.revocation.TokenRef;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.tokens.TestTokens;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/** Starts application instances (own Jetty, own filter, own Jedis client) on a test cluster. */
public final class ClusterApps {

    public static final String PREFIX = "jwtgate:";
    public static final RevocationKeys KEYS = new RevocationKeys(PREFIX);

    private ClusterApps() {
    }

    /** The init-params of an instance using {@code revocation.store=redis-cluster} on {@code cluster}. */
    static Map<String, String> settings(RedisCluster cluster, String... extra) {
        return settings(cluster.nodesSpec(), extra);
    }

    /** The same on any cluster, given as {@code redis.nodes} ({@code host:port,...}). */
    public static Map<String, String> settings(String nodes, String... extra) {
        Map<String, String> settings = new LinkedHashMap<>(TestTokens.settings());
        settings.put("revocation.store", "redis-cluster");
        settings.put("redis.nodes", nodes);
        // The default (200 ms) is for production latency; a test asserting "durable" must not fail because a shared
        // CI disk delayed the replica's acknowledgement once. Tests of the timeout itself set it back.
        settings.put("revocation.replica-timeout-ms", "2000");
        for (int i = 0; i < extra.length; i += 2) {
            if (extra[i + 1] == null) {
                settings.remove(extra[i]); // unset: an empty value is refused
            } else {
                settings.put(extra[i], extra[i + 1]);
            }
        }
        return settings;
    }

    public static JettyApp start(RedisCluster cluster, String... extra) throws Exception {
        return JettyApp.start(settings(cluster, extra));
    }

    /** The verified identity of a token, as the application would get it from the filter. */
    public static JwtPrincipal principal(JettyApp app, String token) {
        return app.filter().gate().verify(token);
    }

    public static TokenRef ref(JettyApp app, String token) {
        return TokenRef.of(principal(app, token));
    }

    /** Runs {@code ACL <args>} on every node of {@code cluster}, replicas included (ACLs are not replicated). */
    public static void acl(RedisCluster cluster, String... args) {
        for (RedisCluster.Node node : cluster.nodes()) {
            try (Jedis jedis = node.connect()) {
                jedis.sendCommand(Protocol.Command.ACL, args);
            }
        }
    }

    /** Waits up to 20 s for {@code app}'s health to reach {@code status}; asserts it did, and returns that health. */
    public static Health awaitHealth(JettyApp app, Health.Status status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline && app.filter().health().status() != status) {
            Thread.sleep(50);
        }
        Health health = app.filter().health();
        assertEquals(status, health.status(), health.toString());
        return health;
    }
}
