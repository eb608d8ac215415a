package org.jwtgate.internal.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jwtgate.testkit.tokens.TestTokens;
import org.jwtgate.verify.InvalidTokenException;
import org.jwtgate.verify.KeysUnavailableException;
import org.junit.jupiter.api.Test;

/**
 * The gate is closed (the filter destroyed, a redeploy) while a request with a new key's kid waits for the JWKS refresh
 * it set off. A closed resolver answers an unknown kid 503 ("not 401, which makes clients throw away a good token"),
 * also to the requests already inside the refresh when close() comes, and at once: close() cancels the fetch. Before,
 * both got 401 (unknown key) after the fetch's 5 s timeout.
 */
class JwksCloseDuringRefreshTest {

    @Test
    void whenClosedWhileARequestWaitsForTheRefreshOfItsNewKeyThenItGets503Not401() throws Exception {
        KeyPair k1 = TestTokens.rsaKeyPair();
        KeyPair k2 = TestTokens.rsaKeyPair();
        try (JwksTestServer server = new JwksTestServer(JwtVerifierJwksTest.jwks(Map.of("k1", k1)))) {
            JwtVerifier verifier = JwksTestServer.verifier(server.uri(), 1, Duration.ofSeconds(5), Duration.ofSeconds(6));
            try {
                assertEquals("alice", verifier.verify(JwksTestServer.rs256(k1, "k1")).getName());
                // The issuer rotates to k2; the key server is slow to answer the refresh.
                server.body = JwtVerifierJwksTest.jwks(Map.of("k1", k1, "k2", k2));
                server.holdAnswers = new CountDownLatch(1);
                Thread.sleep(1_200); // past jwt.jwks-min-refresh-seconds=1
                String newKeyToken = JwksTestServer.rs256(k2, "k2");
                CompletableFuture<String> fetching = CompletableFuture.supplyAsync(() -> outcome(verifier, newKeyToken));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (server.hits.get() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertEquals(2, server.hits.get(), "the request set off a refresh");
                CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> outcome(verifier, newKeyToken));
                Thread.sleep(300);
                long closing = System.nanoTime();
                verifier.close(); // the filter is destroyed meanwhile
                long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing);
                String first = fetching.get(20, TimeUnit.SECONDS);
                String second = waiting.get(20, TimeUnit.SECONDS);
                long answeredMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing);
                assertTrue(first.startsWith("503") && second.startsWith("503"),
                        "closed during the refresh: the request that fetched got [" + first
                                + "], the one waiting for it got [" + second + "]");
                assertTrue(closeMillis < 3_000 && answeredMillis < 2_000, "close() took " + closeMillis
                        + " ms; both requests answered " + answeredMillis + " ms after the close began");
            } finally {
                verifier.close();
            }
        }
    }

    /**
     * close() says the JWKS client's threads end before it returns (JDK 17: its selector thread holds the application's
     * classes). Here a request's fetch is under way when close() comes.
     */
    @Test
    void whenClosedDuringARequestsFetchThenTheClientsThreadsEndAndTheFetchIsAbandoned() throws Exception {
        KeyPair k1 = TestTokens.rsaKeyPair();
        KeyPair k2 = TestTokens.rsaKeyPair();
        try (JwksTestServer server = new JwksTestServer(JwtVerifierJwksTest.jwks(Map.of("k1", k1)))) {
            java.util.Set<String> before = httpThreads();
            JwtVerifier verifier = JwksTestServer.verifier(server.uri(), 1, Duration.ofSeconds(5), Duration.ofSeconds(6));
            try {
                server.body = JwtVerifierJwksTest.jwks(Map.of("k1", k1, "k2", k2));
                server.holdAnswers = new CountDownLatch(1);
                Thread.sleep(1_200);
                CompletableFuture<String> fetching = CompletableFuture.supplyAsync(
                        () -> outcome(verifier, JwksTestServer.rs256(k2, "k2")));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (server.hits.get() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                verifier.close();
                Thread.sleep(500);
                java.util.Set<String> left = httpThreads();
                left.removeAll(before);
                boolean stillFetching = !fetching.isDone();
                fetching.get(20, TimeUnit.SECONDS);
                assertTrue(left.isEmpty() && !stillFetching, "500 ms after close(): the JWKS client's threads "
                        + left + (stillFetching ? ", and the request is still inside the fetch" : ""));
            } finally {
                verifier.close();
            }
        }
    }

    private static java.util.Set<String> httpThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("HttpClient-") || n.startsWith("ForkJoinPool-"))
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }

    private static String outcome(JwtVerifier verifier, String token) {
        try {
            return "200 " + verifier.verify(token).getName();
        } catch (KeysUnavailableException e) {
            return "503 " + e.getMessage();
        } catch (InvalidTokenException e) {
            return "401 " + e.rejection() + ": " + e.getMessage();
        } catch (RuntimeException e) {
            return "500 " + e;
        }
    }
}
