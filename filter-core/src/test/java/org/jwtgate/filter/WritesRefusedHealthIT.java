package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.engine.Health;
import org.jwtgate.internal.revocation.MemoryRevocationStore;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.testing.ClusterApps;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.http.RawHttp;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.tokens.DpopKey;
import org.jwtgate.testkit.tokens.TestTokens;
import redis.clients.jedis.Jedis;

/**
 * Redis masters that answer reads but refuse every write — here {@code min-replicas-to-write} above the replicas they
 * have (NOREPLICAS), as when a master's replica drops out under that setting — answer every new DPoP proof record with
 * an error, so every DPoP request gets 503, and every revocation fails; health's probes (an MGET and ACL permission
 * checks, which write nothing) pass. Health must say DEGRADED naming Redis's refusal (monitoring.md, "Health and the
 * readiness probe"), as it does for a proof record Redis refuses out of memory.
 */
class WritesRefusedHealthIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    private static final String URL_BASE = "https://api.example.com";
    private static final DpopKey KEY = DpopKey.ed25519();

    private static JettyApp startDpop(RedisCluster cluster) throws Exception {
        Map<String, String> params = new LinkedHashMap<>(TestTokens.settings());
        params.put(ConfigKeys.REVOCATION_STORE, "redis-cluster");
        params.put(ConfigKeys.REDIS_NODES, cluster.nodesSpec());
        params.put(ConfigKeys.DPOP_MODE, "allowed");
        params.put(ConfigKeys.DPOP_PUBLIC_BASE_URL, URL_BASE);
        JwtAuthFilter filter = JwtAuthFilter.builder().sources(ConfigSources.none())
                .revocationStore(new MemoryRevocationStore()).build();
        return JettyApp.start(filter, params);
    }

    private static RawHttp.Response call(JettyApp app, String token) {
        String proof = KEY.proof("GET", URL_BASE + "/api").accessToken(token).sign();
        return RawHttp.get(app.port(), "/api", "Authorization: DPoP " + token, "DPoP: " + proof);
    }

    @Test
    void whenRedisRefusesEveryWriteThenDpopRequestsGet503AndHealthIsDegradedNamingTheRefusal() throws Exception {
        try (JettyApp app = startDpop(REDIS.cluster())) {
            String token = TestTokens.hs256(DpopKey.bind(TestTokens.claims("olga"), KEY));
            assertEquals(200, call(app, token).status());
            ClusterApps.awaitHealth(app, Health.Status.UP);
            setOnEveryNode("min-replicas-to-write", "5");
            try {
                RawHttp.Response refused = call(app, token);
                assertEquals(503, refused.status(), refused.toString());
                assertEquals(200, app.getWithToken("/api", TestTokens.hs256("bert")).statusCode(), "bearer tokens pass");
                Thread.sleep(1_100); // past the one second a probe's answer is reused
                Health health = app.filter().health();
                assertEquals(Health.Status.DEGRADED, health.status(),
                        "every DPoP request answered 503 (" + refused.body() + "), yet health: " + health);
                assertTrue(health.details().get("revocation-store").startsWith("redis-cluster up (DPoP proof records"
                        + " refused: writes refused by Redis (NOREPLICAS Not enough good replicas to write), "), health.toString());
            } finally {
                setOnEveryNode("min-replicas-to-write", "0");
            }
        }
    }

    @Test
    void whenRedisRefusesEveryWriteThenRevocationsFailAndHealthIsDegradedNamingTheRefusal() throws Exception {
        RedisCluster cluster = REDIS.cluster();
        try (JettyApp app = JettyApp.startNamed("writes-refused", ClusterApps.settings(cluster.nodesSpec()))) {
            String token = TestTokens.hs256("rita");
            assertEquals(200, app.getWithToken("/api", token).statusCode());
            ClusterApps.awaitHealth(app, Health.Status.UP);
            setOnEveryNode("min-replicas-to-write", "5");
            try {
                RevocationUnavailableException failed = assertThrows(RevocationUnavailableException.class,
                        () -> app.filter().revocationService().revoke(ClusterApps.principal(app, token)));
                Thread.sleep(1_100);
                Health health = app.filter().health();
                assertEquals(Health.Status.DEGRADED, health.status(),
                        "every revocation fails (" + failed.getMessage() + "), yet health: " + health);
                assertTrue(health.details().get("revocation-store").startsWith("redis-cluster up (revocations refused:"
                        + " writes refused by Redis (NOREPLICAS Not enough good replicas to write), "), health.toString());
            } finally {
                setOnEveryNode("min-replicas-to-write", "0");
            }
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
