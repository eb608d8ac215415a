package org.jwtgate.internal.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.internal.metrics.GateMetrics;
import org.jwtgate.testkit.tokens.TestTokens;
import org.jwtgate.verify.InvalidTokenException;
import org.jwtgate.verify.KeysUnavailableException;
import org.jwtgate.verify.Rejection;
import org.junit.jupiter.api.Test;

/**
 * An unknown kid whose fetch failed (the key server down, slow or answering an error) gets 503, not 401: the kid may be
 * a new key's, and a 401 makes its client throw a good token away while the key server is merely down. Before, the
 * request that set off the failed fetch and those that waited for it got 401 (unknown key). A fetch that succeeded
 * without the kid still gives 401 ({@link JwksRefreshWaitTest}), and so does a token without kid (or whose kid the set
 * holds) that no held key verifies. A fetch ended by its request thread's own interrupt records no failure (no flag,
 * no failed fetch counted, the schedule as it was) but counts for jwt.jwks-min-refresh-seconds; until a fetch ends with
 * an outcome, a kid the set held lacks gets 503 (the requests that waited for it included). A request interrupted while
 * it waits for a fetch gets 503. Made-up kids wait for no fetch while the latest one failed.
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

    /**
     * A request thread the container interrupts (Tomcat's StuckThreadDetectionValve interruptThreadThreshold, or a
     * thread left with its interrupt flag set) while it fetches for an unknown kid: the key server answered nothing
     * wrong: the fetch must not be recorded as failed (it was, and for jwt.jwks-min-refresh-seconds every other request
     * with an unknown kid got 503 "the latest fetch ... failed", with no WARN and no failed fetch counted). It counts
     * for the interval, though (no fetch for another kid within it), and nothing is known of the set: an unknown kid
     * within the interval gets 503 "was interrupted"; the first fetch after it decides (401 for a kid it lacks).
     */
    @Test
    void anInterruptedRequestThreadDoesNotMarkTheKeyServerAsFailedForEveryone() throws Exception {
        KeyPair first = TestTokens.rsaKeyPair();
        KeyPair other = TestTokens.rsaKeyPair();
        GateMetrics metrics = new GateMetrics();
        try (JwksTestServer server = new JwksTestServer(JwtVerifierJwksTest.jwks(Map.of("k1", first)));
                JwtVerifier verifier = verifier(server.uri(), 2, metrics)) {
            Thread.sleep(2_100); // past jwt.jwks-min-refresh-seconds=2
            int hitsBefore = server.hits.get();
            CompletableFuture<String> interrupted = new CompletableFuture<>();
            CompletableFuture<Boolean> stillInterrupted = new CompletableFuture<>();
            Thread request = new Thread(() -> {
                Thread.currentThread().interrupt(); // the container interrupts its thread
                interrupted.complete(outcome(verifier, JwksTestServer.rs256(other, "made-up-1")));
                stillInterrupted.complete(Thread.currentThread().isInterrupted());
            });
            request.start();
            String firstOutcome = interrupted.get(10, TimeUnit.SECONDS);
            assertTrue(firstOutcome.startsWith("503"), "the interrupted request itself: " + firstOutcome);
            assertTrue(stillInterrupted.get(), "its interrupt is kept");
            // The interrupted request's exchange goes on in the HTTP client: on a loaded machine (seen on JDK 25) it
            // reached the key server only after this count was taken. Let it land (it is within the interval).
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            while (server.hits.get() == hitsBefore && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            int hits = server.hits.get();
            // Another client, another thread, the key server up all along, within the interval:
            String secondOutcome = outcome(verifier, JwksTestServer.rs256(other, "made-up-2"));
            assertTrue(secondOutcome.startsWith("503") && secondOutcome.contains("was interrupted"), secondOutcome);
            assertEquals(hits, server.hits.get(), "no fetch within the interval after the interrupted one");
            assertEquals(0, metrics.jwksFetches(false), "no failed fetch counted");
            Thread.sleep(2_100); // past the interval: the next unknown kid fetches, and the set read lacks it
            assertEquals("401 UNKNOWN_KEY", outcome(verifier, JwksTestServer.rs256(other, "made-up-3")),
                    "key server hits " + server.hits.get() + ", failed fetches counted " + metrics.jwksFetches(false));
            assertEquals(0, metrics.jwksFetches(false), "no failed fetch counted");
        }
    }

    /**
     * The docs (security.md): a request that arrives while a fetch runs waits for it, and "if the fetch still runs when
     * the wait ends, it gets 503 with Retry-After, not a 401". A waiting request whose thread is interrupted ends its
     * wait at once: 503 as well (it got 401 unknown key, although the fetch that may bring the key still ran).
     */
    @Test
    void aWaitingRequestInterruptedWhileTheFetchStillRunsGets503Not401() throws Exception {
        KeyPair first = TestTokens.rsaKeyPair();
        KeyPair second = TestTokens.rsaKeyPair();
        ExecutorService requests = Executors.newFixedThreadPool(2);
        try (JwksTestServer server = new JwksTestServer(JwtVerifierJwksTest.jwks(Map.of("k1", first)));
                JwtVerifier verifier = JwksTestServer.verifier(server.uri(), 1, Duration.ofSeconds(5),
                        Duration.ofSeconds(6))) {
            server.body = JwtVerifierJwksTest.jwks(Map.of("k1", first, "k2", second));
            server.holdAnswers = new CountDownLatch(1);
            Thread.sleep(1_100);
            String token = JwksTestServer.rs256(second, "k2");
            Future<String> fetching = requests.submit(() -> outcome(verifier, token));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.hits.get() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            CompletableFuture<String> waited = new CompletableFuture<>();
            Thread waiting = new Thread(() -> waited.complete(outcome(verifier, token)));
            waiting.start();
            Thread.sleep(300);
            waiting.interrupt(); // a container timeout
            String outcome = waited.get(10, TimeUnit.SECONDS);
            server.holdAnswers.countDown();
            fetching.get(10, TimeUnit.SECONDS);
            assertTrue(outcome.startsWith("503"), "interrupted while the fetch of k2 still ran: " + outcome);
        } finally {
            requests.shutdownNow();
        }
    }

    /**
     * security.md: within jwt.jwks-min-refresh-seconds after a failed fetch "a flood of made-up kids during a key server
     * outage gets 503 at once, fetching nothing and holding no thread". The scheduled retry comes every
     * min-refresh-seconds; while it runs against the slow key server (its timeout), made-up kids wait for none (they
     * waited for it, holding their threads).
     */
    @Test
    void duringAnOutageMadeUpKidsAreAnswered503AtOnceAlsoWhileTheScheduledRetryRuns() throws Exception {
        KeyPair first = TestTokens.rsaKeyPair();
        ExecutorService requests = Executors.newFixedThreadPool(16);
        try (JwksTestServer server = new JwksTestServer(JwtVerifierJwksTest.jwks(Map.of("k1", first)));
                JwtVerifier verifier = JwksTestServer.verifier(server.uri(), 2, Duration.ofSeconds(3),
                        Duration.ofSeconds(4))) {
            server.holdAnswers = new CountDownLatch(1); // the key server hangs from now on
            Thread.sleep(2_100);
            String failed = outcome(verifier, JwksTestServer.rs256(first, "made-up-0")); // times out: the outage
            assertTrue(failed.startsWith("503"), failed);
            // The schedule's retry, 2 s after that failure, is now under way against the hanging key server.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.hits.get() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(3, server.hits.get(), "the scheduled retry runs");
            long started = System.nanoTime();
            List<Future<String>> flood = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String token = JwksTestServer.rs256(first, "made-up-" + (i + 1));
                flood.add(requests.submit(() -> outcome(verifier, token)));
            }
            for (Future<String> r : flood) {
                assertTrue(r.get(10, TimeUnit.SECONDS).startsWith("503"));
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(millis < 1_000, "16 made-up kids during the outage answered after " + millis
                    + " ms: they held their threads waiting for the scheduled retry");
        } finally {
            requests.shutdownNow();
        }
    }

    /**
     * Connections: a fetch that times out (the key server accepts and never answers) must close its connection; counted
     * at the key server's side, after four timed-out fetches and close().
     */
    @Test
    void timedOutAndCancelledFetchesLeaveNoConnectionOpen() throws Exception {
        KeyPair first = TestTokens.rsaKeyPair();
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(listener.accept());
                    }
                } catch (Exception e) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String uri = "http://127.0.0.1:" + listener.getLocalPort() + "/jwks.json";
            JwtVerifier verifier = JwksTestServer.verifier(uri, 1, Duration.ofMillis(300), Duration.ofSeconds(1));
            try {
                for (int i = 0; i < 3; i++) {
                    Thread.sleep(1_100);
                    outcome(verifier, JwksTestServer.rs256(first, "k" + i));
                }
                Thread.sleep(1_100);
                CompletableFuture<String> inside = CompletableFuture.supplyAsync(
                        () -> outcome(verifier, JwksTestServer.rs256(first, "k9")));
                Thread.sleep(100);
                verifier.close();
                inside.get(5, TimeUnit.SECONDS);
            } finally {
                verifier.close();
            }
            int open = 0;
            for (Socket socket : accepted) {
                if (!closedByPeer(socket)) {
                    open++;
                }
            }
            assertEquals(0, open, open + " of " + accepted.size() + " connections of timed-out or cancelled fetches"
                    + " still open at the key server 2 s on");
        }
    }

    /** The same with a file: JWKS (an interrupted read throws ClosedByInterruptException): not the file's failure. */
    @Test
    void anInterruptedRequestThreadReadingAFileJwksDoesNotMarkItAsFailedForEveryone(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        KeyPair first = TestTokens.rsaKeyPair();
        KeyPair other = TestTokens.rsaKeyPair();
        java.nio.file.Path file = dir.resolve("jwks.json");
        java.nio.file.Files.writeString(file, JwtVerifierJwksTest.jwks(Map.of("k1", first)));
        GateMetrics metrics = new GateMetrics();
        try (JwtVerifier verifier = verifier(file.toUri().toString(), 2, metrics)) {
            Thread.sleep(2_100);
            CompletableFuture<String> interrupted = new CompletableFuture<>();
            Thread request = new Thread(() -> {
                Thread.currentThread().interrupt();
                interrupted.complete(outcome(verifier, JwksTestServer.rs256(other, "made-up-1")));
            });
            request.start();
            String firstOutcome = interrupted.get(10, TimeUnit.SECONDS);
            String secondOutcome = outcome(verifier, JwksTestServer.rs256(other, "made-up-2"));
            // A read on an interrupted thread may also complete (JDK 17 read the file here): then the set was read
            // without the kid, and both get 401.
            assertTrue(firstOutcome.startsWith("503") ? secondOutcome.startsWith("503")
                    && secondOutcome.contains("was interrupted") : firstOutcome.equals("401 UNKNOWN_KEY")
                    && secondOutcome.equals(firstOutcome), "the interrupted request got [" + firstOutcome
                    + "]; a later request on another thread: " + secondOutcome);
            Thread.sleep(2_100); // past the interval: the next unknown kid reads the file, which lacks it
            assertEquals("401 UNKNOWN_KEY", outcome(verifier, JwksTestServer.rs256(other, "made-up-3")),
                    "failed fetches counted " + metrics.jwksFetches(false));
            assertEquals(0, metrics.jwksFetches(false), "no failed fetch counted");
        }
    }

    /**
     * security.md's status table: a bad signature is 401 invalid_token. A token without kid, when the set holds several
     * keys and none verifies it (a forgery), names no key the set lacks: 401 also while the latest fetch failed (it got
     * 503).
     */
    @Test
    void aForgedTokenWithoutKidGets401AlsoWhileTheLatestFetchFailed() throws Exception {
        KeyPair first = TestTokens.rsaKeyPair();
        KeyPair second = TestTokens.rsaKeyPair();
        KeyPair forger = TestTokens.rsaKeyPair();
        try (JwksTestServer server = new JwksTestServer(JwtVerifierJwksTest.jwks(Map.of("k1", first, "k2", second)));
                JwtVerifier verifier = JwksTestServer.verifier(server.uri(), 1, Duration.ofSeconds(5),
                        Duration.ofSeconds(6))) {
            String forged = TestTokens.sign(TestTokens.claims("alice", "admin"), "RS256", forger.getPrivate(), jws -> { });
            server.status = 500; // the key server fails
            Thread.sleep(1_100);
            String outcome = outcome(verifier, forged);
            assertEquals("401", outcome.substring(0, 3), "a forged token without kid while the key server is down: "
                    + outcome);
        }
    }

    /**
     * A token whose kid the set holds, for an algorithm other than the one the set marks that key for, finds no key: a
     * key for another algorithm, not one the set may lack, so 401 also while the latest fetch failed.
     */
    @Test
    void aKnownKidForAnotherAlgorithmGets401AlsoWhileTheLatestFetchFailed() throws Exception {
        KeyPair first = TestTokens.rsaKeyPair();
        String set = JwtVerifierJwksTest.jwks(Map.of("k1", first)).replace("\"use\":\"sig\"",
                "\"use\":\"sig\",\"alg\":\"RS256\"");
        assertTrue(set.contains("\"alg\":\"RS256\""), set);
        try (JwksTestServer server = new JwksTestServer(set)) {
            JwtGateConfig config = JwtGateConfig.of(JwtVerifierTest.settings(ConfigKeys.JWT_JWKS_URI, server.uri(),
                    ConfigKeys.JWT_ALGORITHMS, "RS256,PS256", ConfigKeys.JWT_JWKS_MIN_REFRESH_SECONDS, "1"));
            JwksKeyResolver keys = new JwksKeyResolver(URI.create(server.uri()), 300, 1, Set.of("RS256", "PS256"),
                    new GateMetrics(), Duration.ofSeconds(5), Duration.ofSeconds(6));
            try (JwtVerifier verifier = JwtVerifier.withKeys(config.verification(), config.token(), keys)) {
                server.status = 500; // the key server fails
                Thread.sleep(1_100);
                assertEquals("503", outcome(verifier, JwksTestServer.rs256(first, "made-up")).substring(0, 3),
                        "the latest fetch failed");
                String ps256 = TestTokens.sign(TestTokens.claims("alice", "admin"), "PS256", first.getPrivate(),
                        jws -> jws.setKeyIdHeaderValue("k1"));
                String outcome = outcome(verifier, ps256);
                assertEquals("401", outcome.substring(0, 3), "k1 marked RS256, a PS256 token naming it: " + outcome);
                assertEquals("200 alice", outcome(verifier, JwksTestServer.rs256(first, "k1")));
            }
        }
    }

    /** After an outage, the first fetch that succeeds ends the 503s: a key it brought verifies at once. */
    @Test
    void aNewKeyVerifiesAsSoonAsTheFirstFetchAfterAnOutageSucceeds() throws Exception {
        KeyPair first = TestTokens.rsaKeyPair();
        KeyPair second = TestTokens.rsaKeyPair();
        try (JwksTestServer server = new JwksTestServer(JwtVerifierJwksTest.jwks(Map.of("k1", first)));
                JwtVerifier verifier = JwksTestServer.verifier(server.uri(), 1, Duration.ofSeconds(5),
                        Duration.ofSeconds(6))) {
            server.status = 500;
            Thread.sleep(1_100);
            String k2 = JwksTestServer.rs256(second, "k2");
            assertEquals("503", outcome(verifier, k2).substring(0, 3), "k2's fetch failed");
            int hits = server.hits.get();
            server.body = JwtVerifierJwksTest.jwks(Map.of("k1", first, "k2", second));
            server.status = 200; // the key server is back, with k2
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.hits.get() <= hits && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(100); // the schedule's retry read its set
            assertEquals("200 alice", outcome(verifier, k2), "after the retry that succeeded");
        }
    }

    /**
     * configuration.md (jwt.jwks-min-refresh-seconds): "an unknown kid refreshes the set only when no fetch (at start,
     * scheduled or for a kid) began within this interval"; the class: "refreshed on an unknown kid at most once per
     * minimum interval (so garbage kids cannot hammer the key server)". A fetch ended by its thread's interrupt put
     * lastAttemptNanos back, so the next unknown kid fetched again at once: each interrupted request was one more hit
     * (6 for 5 kids), none counted in the fetch metrics.
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
                // Until its fetch reaches the key server, or it is answered without one (within the interval).
                while (server.hits.get() == hitsBefore && !outcome.isDone() && System.nanoTime() < deadline) {
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
     * "A thread left with its interrupt flag set": a pooled request thread keeps its flag across requests; each unknown
     * kid it served set off a fetch, however recent the last one (up to 5 key server hits for 20 kids seen).
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
     * container interrupts the fetching request's thread. That fetch records no outcome, and the waiting request found
     * the old set, no failure flag, and got 401 unknown key: its client threw away a token of the new key that the key
     * server (which had answered nothing yet) does publish. A fetch failed gives it 503, one that succeeds 200.
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

    /** Lets the key server answer, waits out the interval, and sends a made-up kid: that fetch succeeds without it. */
    private static String outcomeAfterGoodFetch(JwksTestServer server, JwtVerifier verifier, KeyPair pair)
            throws InterruptedException {
        server.holdAnswers.countDown();
        server.holdAnswers = null;
        Thread.sleep(1_100);
        return JwtVerifierTest.rejectionOf(verifier, JwksTestServer.rs256(pair, "made-up")).name();
    }

    private static boolean closedByPeer(Socket socket) throws Exception {
        socket.setSoTimeout(2_000);
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            while (true) {
                if (in.read(buffer) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (java.io.IOException e) {
            return true; // reset
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
