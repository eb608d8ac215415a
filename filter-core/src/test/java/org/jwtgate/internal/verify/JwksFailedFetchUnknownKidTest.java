package org.jwtgate.internal.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jwtgate.testkit.tokens.TestTokens;
import org.jwtgate.verify.InvalidTokenException;
import org.jwtgate.verify.KeysUnavailableException;
import org.jwtgate.verify.Rejection;
import org.junit.jupiter.api.Test;

/**
 * An unknown kid whose fetch failed (the key server down, slow or answering an error) gets 503, not 401: the kid may be
 * a new key's, and a 401 makes its client throw a good token away while the key server is merely down. Before, the
 * request that set off the failed fetch and those that waited for it got 401 (unknown key). A fetch that succeeded
 * without the kid still gives 401 ({@link JwksRefreshWaitTest}).
 */
class JwksFailedFetchUnknownKidTest {

    @Test
    void whenTheFetchAnUnknownKidSetOffFailsThenItAndTheUnknownKidsUntilTheNextFetchGet503WithoutFetchingOrWaiting()
            throws Exception {
        KeyPair first = TestTokens.rsaKeyPair();
        KeyPair second = TestTokens.rsaKeyPair();
        ExecutorService requests = Executors.newFixedThreadPool(8);
        try (JwksTestServer server = new JwksTestServer(JwtVerifierJwksTest.jwks(Map.of("k1", first)));
                JwtVerifier verifier = JwksTestServer.verifier(server.uri(), 2, Duration.ofSeconds(5),
                        Duration.ofSeconds(6))) {
            List<String> madeUp = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                madeUp.add(JwksTestServer.rs256(first, "made-up-" + i));
            }
            server.status = 500; // the key server fails
            Thread.sleep(2_100); // past jwt.jwks-min-refresh-seconds=2
            assertEquals("503", outcome(verifier, JwksTestServer.rs256(second, "k2")).substring(0, 3),
                    "the refresh k2's token set off failed");
            assertEquals(2, server.hits.get(), "k2's token refreshed the set");
            // Within the interval after the failed fetch: a flood of made-up kids fetches nothing, waits for nothing.
            long started = System.nanoTime();
            List<Future<String>> flood = new ArrayList<>();
            for (String token : madeUp) {
                flood.add(requests.submit(() -> outcome(verifier, token)));
            }
            for (Future<String> request : flood) {
                String outcome = request.get(10, TimeUnit.SECONDS);
                assertTrue(outcome.startsWith("503"), outcome);
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertEquals(2, server.hits.get(), "200 made-up kids within the interval fetched nothing");
            assertTrue(millis < 1_500, "200 made-up kids answered in " + millis + " ms: none waited");
            assertEquals("200 alice", outcome(verifier, JwksTestServer.rs256(first, "k1")), "the key held still verifies");

            // The key server is back (still without k2): the schedule's retry, 2 s after the failure, succeeds.
            server.status = 200;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.hits.get() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(3, server.hits.get(), "the scheduled retry fetched");
            Thread.sleep(100); // its set is read
            // Within the interval after a good fetch: 401, and no fetch.
            assertEquals("401 UNKNOWN_KEY", outcome(verifier, JwksTestServer.rs256(second, "made-up")));
            assertEquals(3, server.hits.get());
        } finally {
            requests.shutdownNow();
        }
    }

    /** The first tokens of a new key come together: the one that fetched and the one that waited both get 503. */
    @Test
    void whenTheFetchRequestsWaitedForAnswersAnErrorThenTheyAllGet503() throws Exception {
        KeyPair first = TestTokens.rsaKeyPair();
        KeyPair second = TestTokens.rsaKeyPair();
        ExecutorService requests = Executors.newFixedThreadPool(2);
        try (JwksTestServer server = new JwksTestServer(JwtVerifierJwksTest.jwks(Map.of("k1", first)));
                JwtVerifier verifier = JwksTestServer.verifier(server.uri(), 1, Duration.ofSeconds(5),
                        Duration.ofSeconds(6))) {
            CountDownLatch answer = new CountDownLatch(1);
            server.holdAnswers = answer;
            server.status = 502;
            Thread.sleep(1_100); // past jwt.jwks-min-refresh-seconds=1
            String token = JwksTestServer.rs256(second, "k2");
            Future<String> fetching = requests.submit(() -> outcome(verifier, token));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.hits.get() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(2, server.hits.get(), "k2's refresh is under way");
            Future<String> waiting = requests.submit(() -> outcome(verifier, token));
            Thread.sleep(300);
            answer.countDown(); // the key server answers 502
            String fetched = fetching.get(10, TimeUnit.SECONDS);
            String waited = waiting.get(10, TimeUnit.SECONDS);
            assertTrue(fetched.startsWith("503") && waited.startsWith("503"),
                    "the request that fetched got [" + fetched + "], the one that waited got [" + waited + "]");
            assertEquals(2, server.hits.get(), "the waiting request fetched nothing itself");
        } finally {
            requests.shutdownNow();
        }
    }

    /** A fetch that times out (the key server slow) is a failed one as well: the request that waited for it gets 503. */
    @Test
    void whenTheFetchTimesOutThenTheRequestThatFetchedGets503() throws Exception {
        KeyPair first = TestTokens.rsaKeyPair();
        KeyPair second = TestTokens.rsaKeyPair();
        try (JwksTestServer server = new JwksTestServer(JwtVerifierJwksTest.jwks(Map.of("k1", first)));
                JwtVerifier verifier = JwksTestServer.verifier(server.uri(), 1, Duration.ofMillis(500),
                        Duration.ofSeconds(1))) {
            server.holdAnswers = new CountDownLatch(1); // never answered within the test
            Thread.sleep(1_100);
            assertThrows(KeysUnavailableException.class, () -> verifier.verify(JwksTestServer.rs256(second, "k2")));
            assertEquals(Rejection.UNKNOWN_KEY.name(), outcomeAfterGoodFetch(server, verifier, first),
                    "once a fetch succeeds, an unknown kid is 401 again");
        }
    }

    /** Lets the key server answer, waits out the interval, and sends a made-up kid: that fetch succeeds without it. */
    private static String outcomeAfterGoodFetch(JwksTestServer server, JwtVerifier verifier, KeyPair pair)
            throws InterruptedException {
        server.holdAnswers.countDown();
        server.holdAnswers = null;
        Thread.sleep(1_100);
        return JwtVerifierTest.rejectionOf(verifier, JwksTestServer.rs256(pair, "made-up")).name();
    }

    private static String outcome(JwtVerifier verifier, String token) {
        try {
            return "200 " + verifier.verify(token).getName();
        } catch (KeysUnavailableException e) {
            return "503 " + e.getMessage();
        } catch (InvalidTokenException e) {
            return "401 " + e.rejection();
        } catch (RuntimeException e) {
            return "500 " + e;
        }
    }
}
