package org.jwtgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.revocation.RevocationResult;
import org.jwtgate.revocation.RevocationStore;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.revocation.RevocationUnconfirmedException;
import org.jwtgate.revocation.TokenRef;
import org.jwtgate.testkit.logs.CapturedLog;
import org.jwtgate.testkit.tokens.TestTokens;

/** engine.OwnStore: what an application's own store that breaks the SPI's word gives (its review's tests). */
class OwnStoreTest {

    private static JwtGateConfig config() {
        Map<String, String> settings = new LinkedHashMap<>(TestTokens.settings());
        settings.put(ConfigKeys.REVOCATION_STORE, "memory");
        return JwtGateConfig.of(settings);
    }

    private static JwtPrincipal alice() {
        return new JwtPrincipal("alice", "alice", TestTokens.ISSUER, "j-1", Instant.now(),
                Instant.now().plusSeconds(600), Set.of("user"), Map.of());
    }

    /** A store whose pool is down: each call throws, and so does describe(), which reads the pool's URL. */
    static class PoolDownStore implements RevocationStore {
        @Override
        public boolean isRevoked(TokenRef token) {
            throw new IllegalStateException("pool closed");
        }

        @Override
        public RevocationResult revokeToken(TokenRef token, Duration ttl) {
            throw new IllegalStateException("pool closed");
        }

        @Override
        public RevocationResult revokeUser(String subject, Instant instant, Duration ttl) {
            throw new IllegalStateException("pool closed");
        }

        @Override
        public RevocationResult register(TokenRef token, Duration ttl) {
            throw new IllegalStateException("pool closed");
        }

        @Override
        public String describe() {
            return "own";
        }

        @Override
        public boolean isHealthy() {
            throw new IllegalStateException("pool closed");
        }

        @Override
        public void close() {
        }
    }

    /** OwnStore.failed() calls describe() of the store that just failed: when that throws too, its exception escapes. */
    @Test
    void aCheckFailingWhileDescribeAlsoThrowsIsStillRevocationUnavailable() {
        RevocationStore store = new PoolDownStore() {
            @Override
            public String describe() {
                throw new IllegalStateException("pool closed");
            }
        };
        try (JwtGate gate = JwtGate.start(config(), store, Clock.systemUTC())) {
            RuntimeException thrown = assertThrows(RuntimeException.class, () -> gate.revocation().isRevoked(alice()));
            assertTrue(thrown instanceof RevocationUnavailableException,
                    "escaped as " + thrown.getClass().getName() + ": " + thrown.getMessage());
        }
    }

    /** The subclass that says "stored, WAIT refused" passes through OwnStore as the same instance, audited as stored. */
    @Test
    void aRevocationUnconfirmedExceptionPassesThroughUnchanged() {
        RevocationUnconfirmedException unconfirmed = new RevocationUnconfirmedException("WAIT refused", 1, null);
        RevocationStore store = new PoolDownStore() {
            @Override
            public RevocationResult revokeUser(String subject, Instant instant, Duration ttl) {
                throw unconfirmed;
            }
        };
        try (JwtGate gate = JwtGate.start(config(), store, Clock.systemUTC())) {
            String log = CapturedLog.during(() -> assertSame(unconfirmed,
                    assertThrows(RevocationUnconfirmedException.class, () -> gate.revocation().revokeUser("alice")))).text();
            assertTrue(log.contains("wait=refused"), log);
        }
    }

    @Test
    void healthOfAnOwnStoreWhoseIsHealthyThrowsIsDownNotTheStoresException() {
        try (JwtGate gate = JwtGate.start(config(), new PoolDownStore(), Clock.systemUTC())) {
            Health health = assertDoesNotThrowHealth(gate);
            assertEquals(Health.Status.DOWN, health.status(), health.details().toString());
        }
    }

    private static Health assertDoesNotThrowHealth(JwtGate gate) {
        try {
            return gate.health();
        } catch (RuntimeException e) {
            throw new AssertionError("JwtGate.health() threw " + e, e);
        }
    }
}
