package org.jwtgate.internal.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.KeyPair;
import java.time.Clock;
import java.util.Map;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.engine.Health;
import org.jwtgate.engine.JwtGate;
import org.jwtgate.testkit.tokens.TestTokens;
import org.junit.jupiter.api.Test;

/**
 * After a failed fetch the schedule tries again after jwt.jwks-min-refresh-seconds, not jwt.jwks-refresh-seconds: a
 * pod a readiness probe took out of the Service gets no request (whose unknown kid would refresh the set).
 */
class JwksRetryAfterFailedFetchTest {

    /**
     * Before, with the key server down at start (503) and back a moment later, health stayed DOWN until
     * jwt.jwks-refresh-seconds (300 s by default) had passed: monitoring.md says the pod "comes back by itself".
     */
    @Test
    void whenTheKeyServerRecoversAfterAFailedFetchThenHealthIsUpAfterTheMinimumIntervalWithoutARequest()
            throws Exception {
        KeyPair pair = TestTokens.rsaKeyPair();
        try (JwksTestServer server = new JwksTestServer(JwtVerifierJwksTest.jwks(Map.of("k1", pair)))) {
            server.status = 503;
            try (JwtGate gate = JwtGate.start(JwtGateConfig.of(JwtVerifierTest.settings(
                    ConfigKeys.JWT_JWKS_URI, server.uri(), ConfigKeys.JWT_ALGORITHMS, "RS256",
                    ConfigKeys.JWT_JWKS_MIN_REFRESH_SECONDS, "1")), null, Clock.systemUTC())) {
                assertEquals(Health.Status.DOWN, gate.health().status(), "the start's fetch was answered 503");
                Thread.sleep(1_500);
                int whileDown = server.hits.get();
                assertEquals(true, whileDown >= 2, "tried again after 1 s while the key server failed: " + whileDown);
                server.status = 200; // the key server is back
                Health health = gate.health();
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (health.status() != Health.Status.UP && System.nanoTime() < deadline) {
                    Thread.sleep(100); // a readiness probe's calls; no request reaches an instance that is not ready
                    health = gate.health();
                }
                assertEquals(Health.Status.UP, health.status(), "5 s after the key server recovered: " + health
                        + " (fetches: " + server.hits.get() + ")");
                int fetched = server.hits.get();
                Thread.sleep(2_500);
                assertEquals(fetched, server.hits.get(), "once fetched, the set is refreshed every 300 s again");
            }
        }
    }
}
