package org.jwtgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.net.URI;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.revocation.RevocationStore;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.testkit.tokens.DpopKey;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * With a {@link RevocationStore} of the application's and DPoP on {@code revocation.store=redis-cluster}, the proofs
 * are recorded in Redis through connections of their own, which no store probe sees. With that Redis gone, health
 * once said UP while every DPoP request got 503: the proof probe counted only a refusal (NOPERM) as down.
 */
class ProofRecordOwnConnectionsHealthTest {

    private static final URI LOGIN = URI.create("https://app.example/login");

    @ParameterizedTest
    @CsvSource({"closed, DOWN", "open, DEGRADED"})
    void whenTheRedisHoldingOnlyTheProofRecordsDoesNotAnswerThenHealthSaysSo(String failureMode, Health.Status expected) {
        RevocationStore store = mock(RevocationStore.class);
        when(store.isHealthy()).thenReturn(true);
        Map<String, String> settings = TestTokens.settings();
        settings.put(ConfigKeys.DPOP_MODE, "allowed");
        settings.put(ConfigKeys.REVOCATION_STORE, "redis-cluster");
        settings.put(ConfigKeys.REVOCATION_FAILURE_MODE, failureMode);
        settings.put(ConfigKeys.REDIS_NODES, "127.0.0.1:1"); // nothing listens there
        try (JwtGate gate = JwtGate.start(JwtGateConfig.of(settings), store, Clock.systemUTC())) {
            String proof = DpopKey.es256().proof("POST", LOGIN.toString()).sign();
            if (failureMode.equals("closed")) { // what a DPoP request meets: 503
                assertThrows(RevocationUnavailableException.class, () -> gate.verifyDpopProof(proof, "POST", LOGIN));
            }
            Health health = gate.health();
            assertEquals(expected, health.status(), health.toString());
            assertTrue(health.details().get("revocation-store").contains("DPoP proof records refused: Redis does not answer"),
                    health.toString());
        }
    }
}
