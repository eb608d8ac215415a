package org.jwtgate.internal.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.KeyPair;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jwtgate.testkit.tokens.TestTokens;
import org.jwtgate.verify.KeysUnavailableException;
import org.jwtgate.verify.Rejection;
import org.junit.jupiter.api.Test;

/** A token of a new key that waits for the refresh another unknown kid set off. */
class JwksRefreshWaitTest {

    /**
     * Before, when its wait ended with the refresh still under way, it fell through to 401 UNKNOWN_KEY (clients throw
     * the token away) although the refresh then brought its key.
     */
    @Test
    void whenTheWaitForARefreshEndsWithTheRefreshStillUnderWayThenTheTokenIsAnswered503Not401() throws Exception {
        KeyPair first = TestTokens.rsaKeyPair();
        KeyPair second = TestTokens.rsaKeyPair();
        ExecutorService requests = Executors.newSingleThreadExecutor();
        try (JwksTestServer server = new JwksTestServer(JwtVerifierJwksTest.jwks(Map.of("k1", first)));
                JwtVerifier verifier = JwksTestServer.verifier(server.uri(), 1, Duration.ofSeconds(5),
                        Duration.ofMillis(300))) {
            server.body = JwtVerifierJwksTest.jwks(Map.of("k1", first, "k2", second));
            CountDownLatch answer = new CountDownLatch(1);
            server.holdAnswers = answer;
            Thread.sleep(1_100); // past jwt.jwks-min-refresh-seconds=1
            Future<Rejection> other = requests.submit(
                    () -> JwtVerifierTest.rejectionOf(verifier, JwksTestServer.rs256(first, "made-up")));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.hits.get() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(2, server.hits.get(), "the made-up kid's refresh is under way");
            assertThrows(KeysUnavailableException.class, () -> verifier.verify(JwksTestServer.rs256(second, "k2")));
            answer.countDown();
            assertEquals(Rejection.UNKNOWN_KEY, other.get(10, TimeUnit.SECONDS));
            assertEquals("alice", verifier.verify(JwksTestServer.rs256(second, "k2")).getName(),
                    "the refresh brought k2");
        } finally {
            requests.shutdownNow();
        }
    }

    /** As before: a refresh that ended without the key leaves it unknown. */
    @Test
    void whenTheRefreshWaitedForEndsWithoutTheKeyThenTheTokenIsAnswered401() throws Exception {
        KeyPair first = TestTokens.rsaKeyPair();
        KeyPair second = TestTokens.rsaKeyPair();
        ExecutorService requests = Executors.newSingleThreadExecutor();
        try (JwksTestServer server = new JwksTestServer(JwtVerifierJwksTest.jwks(Map.of("k1", first)));
                JwtVerifier verifier = JwksTestServer.verifier(server.uri(), 1, Duration.ofSeconds(5),
                        Duration.ofSeconds(3))) {
            CountDownLatch answer = new CountDownLatch(1);
            server.holdAnswers = answer;
            Thread.sleep(1_100); // past jwt.jwks-min-refresh-seconds=1
            Future<Rejection> other = requests.submit(
                    () -> JwtVerifierTest.rejectionOf(verifier, JwksTestServer.rs256(first, "made-up")));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.hits.get() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            new Thread(() -> {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                answer.countDown();
            }).start();
            assertEquals(Rejection.UNKNOWN_KEY,
                    JwtVerifierTest.rejectionOf(verifier, JwksTestServer.rs256(second, "k2")));
            assertEquals(Rejection.UNKNOWN_KEY, other.get(10, TimeUnit.SECONDS));
        } finally {
            requests.shutdownNow();
        }
    }
}
