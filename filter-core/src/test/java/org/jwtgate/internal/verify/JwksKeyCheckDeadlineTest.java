package org.jwtgate.internal.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jwtgate.testkit.logs.CapturedLog;
import org.jwtgate.testkit.tokens.TestTokens;
import org.jwtgate.verify.KeysUnavailableException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The key checks of a fetch (RsaModulus's primality test on every RSA key, about 0.15 s at 8,192 bits) share the
 * fetch's deadline, and a refetch of the same keys does not test them again.
 */
class JwksKeyCheckDeadlineTest {

    private static KeyPair first;
    private static KeyPair second;

    @BeforeAll
    static void keys() {
        first = TestTokens.rsaKeyPair();
        second = TestTokens.rsaKeyPair();
    }

    /**
     * Before, a set that arrived at once but held many large RSA keys held the request whose unknown kid refreshed it
     * (and refreshLock) for as long as their checks took, past the fetch timeout: minutes for a set under 1 MiB.
     */
    @Test
    void whenCheckingTheSetsKeysOutlastsTheFetchTimeoutThenTheFetchFailsWithinItAndThePreviousKeysAreKept()
            throws Exception {
        try (JwksTestServer server = new JwksTestServer(JwtVerifierJwksTest.jwks(Map.of("k1", first)));
                JwtVerifier verifier = JwksTestServer.verifier(server.uri(), 1, Duration.ofSeconds(1),
                        Duration.ofSeconds(2))) {
            server.body = JwksTestServer.setWith(Map.of("k2", second), JwksTestServer.largeModuli(30));
            Thread.sleep(1_100); // past jwt.jwks-min-refresh-seconds=1
            long[] millis = new long[1];
            String log = CapturedLog.during(() -> {
                long started = System.nanoTime();
                // The fetch failed (its deadline passed): 503, not 401.
                assertThrows(KeysUnavailableException.class,
                        () -> verifier.verify(JwksTestServer.rs256(first, "made-up")));
                millis[0] = (System.nanoTime() - started) / 1_000_000;
            }).text();
            assertTrue(millis[0] < 3_000, "the request whose kid refreshed the set was held " + millis[0]
                    + " ms with a fetch timeout of 1 s");
            assertTrue(log.contains("RSA keys") && log.contains("unchecked"), log);
            assertEquals("alice", verifier.verify(JwksTestServer.rs256(first, "k1")).getName(), "k1 kept");
        }
    }

    /** Before, every refresh tested every RSA modulus of the set again, those it had tested the fetch before too. */
    @Test
    void whenTheSameSetIsFetchedAgainThenItsRsaModuliAreNotTestedAgain() throws Exception {
        List<String> moduli = JwksTestServer.largeModuli(6); // about 1 s of checks: far inside the 5 s, loaded or not
        try (JwksTestServer server = new JwksTestServer(JwksTestServer.setWith(Map.of("k1", first), moduli))) {
            long started = System.nanoTime();
            try (JwtVerifier verifier = JwksTestServer.verifier(server.uri(), 1, Duration.ofSeconds(5),
                    Duration.ofSeconds(6))) {
                long firstMillis = (System.nanoTime() - started) / 1_000_000;
                server.body = JwksTestServer.setWith(Map.of("k1", first, "k2", second), moduli);
                Thread.sleep(1_100); // past jwt.jwks-min-refresh-seconds=1
                started = System.nanoTime();
                assertEquals("alice", verifier.verify(JwksTestServer.rs256(second, "k2")).getName());
                long againMillis = (System.nanoTime() - started) / 1_000_000;
                assertTrue(againMillis < Math.max(500, firstMillis / 3), "the first fetch took " + firstMillis
                        + " ms, the refetch of the same moduli (and one key more) " + againMillis + " ms");
            }
        }
    }
}
