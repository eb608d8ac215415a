package org.jwtgate.internal.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jwtgate.testkit.tokens.TestTokens;
import org.junit.jupiter.api.Test;

/**
 * A set checked in part goes on where it stopped at the next fetch. The map of verdicts held 2 x 256 moduli, and each
 * fetch looks them up from the first key: a set of more RSA keys than that, whose checks outlasted one fetch, evicted
 * what it had tested at every fetch and never loaded (the review of the deadline found it). It holds more than a
 * 1 MiB set's RSA keys now.
 */
class JwksModulusVerdictsTest {

    @Test
    void whenASetOfManyRsaKeysIsCheckedOverSeveralFetchesThenItLoadsEventually() throws Exception {
        KeyPair first = TestTokens.rsaKeyPair();
        List<String> moduli = JwksTestServer.moduli(700, 2048);
        try (JwksTestServer server = new JwksTestServer(JwksTestServer.setWith(Map.of("k1", first), moduli));
                // each fetch tests about a third of the set (several ms a 2,048-bit modulus); a failed fetch is
                // retried after jwt.jwks-min-refresh-seconds=1
                JwtVerifier verifier = JwksTestServer.verifier(server.uri(), 1, Duration.ofMillis(1500),
                        Duration.ofSeconds(2))) {
            Object outcome = null;
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (System.nanoTime() < deadline) {
                try {
                    outcome = verifier.verify(JwksTestServer.rs256(first, "k1")).getName();
                    break;
                } catch (Exception e) {
                    outcome = e;
                }
                Thread.sleep(500);
            }
            assertEquals("alice", outcome, "after " + server.hits.get() + " fetches of the same set");
        }
    }
}
