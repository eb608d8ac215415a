package org.jwtgate.internal.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.internal.metrics.GateMetrics;
import org.jwtgate.testkit.tokens.TestTokens;
import org.jwtgate.verify.InvalidTokenException;
import org.jwtgate.verify.KeysUnavailableException;
import org.junit.jupiter.api.Test;

/** Review of 81685df2 / f9520ecb: interrupted fetches, the rate limit, kids that are no strings, unusable sets. */
class ReviewJwksInterruptTest {

    /**
     * configuration.md (jwt.jwks-min-refresh-seconds): "an unknown kid refreshes the set only when no fetch (at start,
     * scheduled or for a kid) began within this interval"; the class: "refreshed on an unknown kid at most once per
     * minimum interval (so garbage kids cannot hammer the key server)". A fetch ended by its thread's interrupt puts
     * lastAttemptNanos back, so the next unknown kid fetches again at once: each interrupted request is one more hit.
     */
    @Test
    void requestsInterruptedDuringTheirFetchFetchOncePerIntervalNotOncePerRequest() throws Exception {
        KeyPair first = TestTokens.rsaKeyPair();
        KeyPair other = TestTokens.rsaKeyPair();
        GateMetrics metrics = new GateMetrics();
        try (JwksTestServer server = new JwksTestServer(JwtVerifierJwksTest.jwks(Map.of("k1", first)));
                JwtVerifier verifier = verifier(server.uri(), 2, metrics)) {
            Thread.sleep(2_100); // past jwt.jwks-min-refresh-seconds=2
            server.holdAnswers = new CountDownLatch(1); // a slow key server: a stuck-thread valve interrupts
            long started = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                int hitsBefore = server.hits.get();
                CompletableFuture<String> outcome = new CompletableFuture<>();
                String token = JwksTestServer.rs256(other, "made-up-" + i);
                Thread request = new Thread(() -> outcome.complete(outcome(verifier, token)));
                request.start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                while (server.hits.get() == hitsBefore && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                request.interrupt();
                assertTrue(outcome.get(10, TimeUnit.SECONDS).startsWith("503"), outcome.get());
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(millis < 2_000, "all within the interval: " + millis + " ms");
            assertEquals(2, server.hits.get(), "5 unknown kids within jwt.jwks-min-refresh-seconds, each request"
                    + " interrupted during its fetch: key server hits (1 at start)");
        }
    }

    /**
     * The project's own case (JwksFailedFetchUnknownKidTest): "a thread left with its interrupt flag set". A pooled
     * request thread keeps its flag across requests: each unknown kid it serves sets off a fetch, however recent the
     * last one.
     */
    @Test
    void aRequestThreadLeftInterruptedDoesNotFetchForEachUnknownKid() throws Exception {
        KeyPair first = TestTokens.rsaKeyPair();
        KeyPair other = TestTokens.rsaKeyPair();
        GateMetrics metrics = new GateMetrics();
        try (JwksTestServer server = new JwksTestServer(JwtVerifierJwksTest.jwks(Map.of("k1", first)));
                JwtVerifier verifier = verifier(server.uri(), 2, metrics)) {
            Thread.sleep(2_100); // past jwt.jwks-min-refresh-seconds=2
            CompletableFuture<String> last = new CompletableFuture<>();
            Thread pooled = new Thread(() -> {
                Thread.currentThread().interrupt();
                String outcome = null;
                for (int i = 0; i < 20; i++) {
                    outcome = outcome(verifier, JwksTestServer.rs256(other, "made-up-" + i));
                    try {
                        Thread.sleep(20); // the next request on the same pooled thread (interrupt kept)
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                last.complete(outcome);
            });
            pooled.start();
            String outcome = last.get(20, TimeUnit.SECONDS);
            Thread.sleep(300);
            assertTrue(outcome.startsWith("503"), outcome);
            assertTrue(server.hits.get() <= 2, "20 unknown kids within jwt.jwks-min-refresh-seconds on a thread left"
                    + " interrupted: key server hits " + server.hits.get() + " (1 at start)");
        }
    }

    /**
     * A request waits for the fetch another request's kid set off (the first tokens of a new key come together); the
     * container interrupts the fetching request's thread. That fetch records nothing (81685df2), so the waiting request
     * finds the old set, no failure flag, and gets 401 unknown key: its client throws away a token of the new key that
     * the key server (which answered nothing yet) does publish. A fetch failed gives it 503, one that succeeds 200.
     */
    @Test
    void aRequestWaitingForAFetchWhoseThreadIsInterruptedDoesNotGet401() throws Exception {
        KeyPair first = TestTokens.rsaKeyPair();
        KeyPair second = TestTokens.rsaKeyPair();
        try (JwksTestServer server = new JwksTestServer(JwtVerifierJwksTest.jwks(Map.of("k1", first)));
                JwtVerifier verifier = verifier(server.uri(), 1, new GateMetrics())) {
            server.body = JwtVerifierJwksTest.jwks(Map.of("k1", first, "k2", second)); // k2 published
            Thread.sleep(1_100); // past jwt.jwks-min-refresh-seconds=1
            server.holdAnswers = new CountDownLatch(1); // the key server slow to answer
            String token = JwksTestServer.rs256(second, "k2");
            CompletableFuture<String> fetching = new CompletableFuture<>();
            Thread fetcher = new Thread(() -> fetching.complete(outcome(verifier, token)));
            fetcher.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (server.hits.get() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(2, server.hits.get(), "k2's fetch under way");
            CompletableFuture<String> waiting = new CompletableFuture<>();
            new Thread(() -> waiting.complete(outcome(verifier, token))).start();
            Thread.sleep(300); // it waits for the fetch under way
            fetcher.interrupt(); // a stuck-thread valve
            String fetched = fetching.get(10, TimeUnit.SECONDS);
            String waited = waiting.get(10, TimeUnit.SECONDS);
            assertTrue(fetched.startsWith("503"), fetched);
            assertTrue(!waited.startsWith("401"), "the request that waited for the interrupted fetch got [" + waited
                    + "] (the key server publishes k2 and had answered nothing); hits " + server.hits.get());
        }
    }

    /** The start-up fetch on an interrupted thread (a container's deploy thread): the retry comes and keys load. */
    @Test
    void anInterruptedStartUpFetchIsRetriedAndTheKeysVerify() throws Exception {
        KeyPair first = TestTokens.rsaKeyPair();
        try (JwksTestServer server = new JwksTestServer(JwtVerifierJwksTest.jwks(Map.of("k1", first)))) {
            GateMetrics metrics = new GateMetrics();
            CompletableFuture<JwtVerifier> built = new CompletableFuture<>();
            Thread deploy = new Thread(() -> {
                Thread.currentThread().interrupt();
                built.complete(verifier(server.uri(), 1, metrics));
            });
            deploy.start();
            try (JwtVerifier verifier = built.get(10, TimeUnit.SECONDS)) {
                Thread.sleep(1_600); // the retry, 1 s after
                // no token between: the schedule alone loads the keys
                assertEquals(1, metrics.jwks().keys(), "keys held before any token; hits " + server.hits.get());
                assertEquals("200 alice", outcome(verifier, JwksTestServer.rs256(first, "k1")), "hits "
                        + server.hits.get());
            }
        }
    }

    /** A kid that is no string (a number, an object) while the latest fetch failed: 401, never 500 or 503. */
    @Test
    void kidsThatAreNoStringsGet401WhileTheLatestFetchFailed() throws Exception {
        KeyPair first = TestTokens.rsaKeyPair();
        KeyPair other = TestTokens.rsaKeyPair();
        try (JwksTestServer server = new JwksTestServer(JwtVerifierJwksTest.jwks(Map.of("k1", first)));
                JwtVerifier verifier = verifier(server.uri(), 1, new GateMetrics())) {
            server.status = 500;
            Thread.sleep(1_100);
            assertTrue(outcome(verifier, JwksTestServer.rs256(other, "k2")).startsWith("503"));
            for (Object kid : new Object[] {5, Map.of("a", "b"), java.util.List.of("k2")}) {
                String token = TestTokens.sign(TestTokens.claims("alice", "admin"), "RS256", other.getPrivate(),
                        jws -> jws.getHeaders().setObjectHeaderValue("kid", kid));
                assertTrue(outcome(verifier, token).startsWith("401"), kid + ": " + outcome(verifier, token));
            }
            String nullKid = TestTokens.sign(TestTokens.claims("alice", "admin"), "RS256", other.getPrivate(),
                    jws -> jws.getHeaders().setObjectHeaderValue("kid", null));
            assertTrue(outcome(verifier, nullKid).startsWith("401"), "null kid: " + outcome(verifier, nullKid));
        }
    }

    /** A set read fine that holds no usable key: every token 503, then the retry with a usable set brings k2. */
    @Test
    void aSetWithoutAUsableKeyGives503ThenTheRetryWithKeysVerifies() throws Exception {
        KeyPair first = TestTokens.rsaKeyPair();
        KeyPair second = TestTokens.rsaKeyPair();
        try (JwksTestServer server = new JwksTestServer(JwtVerifierJwksTest.jwks(Map.of("k1", first)));
                JwtVerifier verifier = verifier(server.uri(), 1, new GateMetrics())) {
            server.body = JwtVerifierJwksTest.jwks(Map.of("k1", first)).replace("\"sig\"", "\"enc\"");
            Thread.sleep(1_100);
            assertTrue(outcome(verifier, JwksTestServer.rs256(second, "k2")).startsWith("503"));
            assertTrue(outcome(verifier, JwksTestServer.rs256(first, "k1")).startsWith("503"),
                    outcome(verifier, JwksTestServer.rs256(first, "k1")));
            server.body = JwtVerifierJwksTest.jwks(Map.of("k1", first, "k2", second));
            Thread.sleep(1_500); // the scheduled retry
            assertEquals("200 alice", outcome(verifier, JwksTestServer.rs256(second, "k2")));
        }
    }

    private static JwtVerifier verifier(String uri, int minRefreshSeconds, GateMetrics metrics) {
        JwtGateConfig config = JwtGateConfig.of(JwtVerifierTest.settings(ConfigKeys.JWT_JWKS_URI, uri,
                ConfigKeys.JWT_ALGORITHMS, "RS256",
                ConfigKeys.JWT_JWKS_MIN_REFRESH_SECONDS, Integer.toString(minRefreshSeconds)));
        JwksKeyResolver keys = new JwksKeyResolver(URI.create(uri), 300, minRefreshSeconds, Set.of("RS256"),
                metrics, Duration.ofSeconds(5), Duration.ofSeconds(6));
        return JwtVerifier.withKeys(config.verification(), config.token(), keys);
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
