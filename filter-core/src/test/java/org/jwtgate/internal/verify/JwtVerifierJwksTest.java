package org.jwtgate.internal.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.engine.Health;
import org.jwtgate.engine.JwtGate;
import org.jwtgate.internal.metrics.GateMetrics;
import org.jwtgate.testkit.logs.CapturedLog;
import org.jwtgate.testkit.tokens.Certificates;
import org.jwtgate.testkit.tokens.RawJws;
import org.jwtgate.testkit.tokens.TestTokens;
import org.jwtgate.verify.InvalidTokenException;
import org.jwtgate.verify.KeysUnavailableException;
import org.jwtgate.verify.Rejection;

/**
 * Keys from a JWKS served by a real loopback HTTP server (the JDK's), counting every fetch: the
 * initial load, a refresh on an unknown {@code kid}, and the rate limit on such refreshes.
 */
class JwtVerifierJwksTest {

    private static KeyPair first;
    private static KeyPair second;

    private HttpServer server;
    private final AtomicInteger hits = new AtomicInteger();
    private volatile String jwksBody;
    /** When set, served instead of {@link #jwksBody}, byte for byte: a set in another encoding than UTF-8. */
    private volatile byte[] jwksBytes;

    @BeforeAll
    static void keys() {
        first = TestTokens.rsaKeyPair();
        second = TestTokens.rsaKeyPair();
    }

    /** When set, the server sends the headers and the first bytes of the body, then nothing until the test ends. */
    private volatile boolean stallBody;
    private volatile int status = 200;
    /** When set, the next request's answer (the set at its arrival) is sent only once this latch opens. */
    private volatile CountDownLatch holdNextAnswer;
    private final CountDownLatch testEnded = new CountDownLatch(1);
    private ExecutorService serverThreads;

    @BeforeEach
    void startJwksServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks.json", exchange -> {
            hits.incrementAndGet();
            byte[] raw = jwksBytes;
            byte[] body = raw != null ? raw : jwksBody.getBytes(StandardCharsets.UTF_8);
            CountDownLatch hold = holdNextAnswer;
            if (hold != null) {
                holdNextAnswer = null;
                try {
                    hold.await(30, TimeUnit.SECONDS); // the set as it was when asked, delivered late
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                if (stallBody) {
                    out.write(body, 0, body.length / 2);
                    out.flush();
                    awaitEndOfTest();
                    return;
                }
                out.write(body);
            }
        });
        serverThreads = Executors.newCachedThreadPool(); // a stalled answer must not hold up the next
        server.setExecutor(serverThreads);
        server.start();
    }

    private void awaitEndOfTest() {
        try {
            testEnded.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @AfterEach
    void stopJwksServer() {
        testEnded.countDown();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    private String jwksUri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
    }

    static String jwks(Map<String, KeyPair> byKid) {
        List<JsonWebKey> keys = new ArrayList<>();
        try {
            for (Map.Entry<String, KeyPair> entry : byKid.entrySet()) {
                PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(entry.getValue().getPublic());
                jwk.setKeyId(entry.getKey());
                jwk.setUse("sig");
                keys.add(jwk);
            }
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
        return new JsonWebKeySet(keys).toJson();
    }

    private static JwtVerifier verifier(String jwksUri, int minRefreshSeconds) {
        return JwtVerifierTest.verifier(JwtVerifierTest.settings(ConfigKeys.JWT_JWKS_URI, jwksUri,
                ConfigKeys.JWT_ALGORITHMS, "RS256",
                ConfigKeys.JWT_JWKS_MIN_REFRESH_SECONDS, Integer.toString(minRefreshSeconds)));
    }

    private static String rs256(KeyPair pair, String kid) {
        return TestTokens.sign(TestTokens.claims("alice", "admin"), "RS256", pair.getPrivate(),
                jws -> jws.setKeyIdHeaderValue(kid));
    }

    @Test
    void whenTokenSignedWithAKeyOfTheSetThenAcceptedAfterOneFetch() {
        jwksBody = jwks(Map.of("k1", first));
        try (JwtVerifier verifier = verifier(jwksUri(), 30)) {
            assertEquals("alice", verifier.verify(rs256(first, "k1")).getName());
            assertEquals("alice", verifier.verify(rs256(first, "k1")).getName());
            assertEquals(1, hits.get(), "keys are cached, not fetched per token");
        }
    }

    /**
     * Closed (a redeploy under load) and asked for a kid the set lacks: it tried a fetch through its closed client,
     * logged "Cannot load JWKS … RejectedExecutionException" and answered an unknown key (401), which makes a client
     * throw away a token of the issuer's new key; the reviewer's run. Now unavailable (503), and nothing is fetched.
     */
    @Test
    void whenClosedThenATokenOfAKeyTheSetLacksIsUnavailableNotUnknown() {
        jwksBody = jwks(Map.of("k1", first));
        JwtVerifier verifier = verifier(jwksUri(), 30);
        assertEquals("alice", verifier.verify(rs256(first, "k1")).getName());

        verifier.close();

        KeysUnavailableException unavailable =
                assertThrows(KeysUnavailableException.class, () -> verifier.verify(rs256(second, "k2")));
        assertTrue(unavailable.getMessage().contains("JwtGate was closed"), unavailable.getMessage());
        assertEquals("alice", verifier.verify(rs256(first, "k1")).getName(), "a key it holds still verifies");
        assertEquals(1, hits.get(), "nothing fetched once closed");
    }

    @Test
    void whenKeyRotatedThenUnknownKidRefreshesTheSetAndIsAccepted() throws Exception {
        jwksBody = jwks(Map.of("k1", first));
        try (JwtVerifier verifier = verifier(jwksUri(), 1)) {
            assertEquals(1, hits.get());
            Map<String, KeyPair> rotated = new LinkedHashMap<>();
            rotated.put("k1", first);
            rotated.put("k2", second);
            jwksBody = jwks(rotated);
            Thread.sleep(1_300); // past jwt.jwks-min-refresh-seconds=1
            assertEquals("alice", verifier.verify(rs256(second, "k2")).getName());
            assertEquals(2, hits.get(), "exactly one refresh for the unknown kid");
        }
    }

    /**
     * The first tokens of a new key come together. The first sets off the refresh that brings the key; before, each
     * other token arriving during that fetch found the minimum interval not yet passed and got 401 (unknown key).
     */
    @Test
    void whenTokensOfANewKeyArriveWhileTheRefreshForItIsUnderWayThenTheyWaitForItAndVerify() throws Exception {
        jwksBody = jwks(Map.of("k1", first));
        try (JwtVerifier verifier = verifier(jwksUri(), 1)) {
            Thread.sleep(1_300); // past jwt.jwks-min-refresh-seconds=1: the first unknown kid refreshes
            jwksBody = jwks(Map.of("k1", first, "k2", second));
            CountDownLatch release = new CountDownLatch(1);
            holdNextAnswer = release;
            ExecutorService requests = Executors.newFixedThreadPool(2);
            try {
                Future<String> firstOfTheKey = requests.submit(() -> verifier.verify(rs256(second, "k2")).getName());
                while (hits.get() < 2) {
                    Thread.sleep(10);
                }
                Future<String> nextOfTheKey = requests.submit(() -> verifier.verify(rs256(second, "k2")).getName());
                Thread.sleep(300);
                assertFalse(nextOfTheKey.isDone(), "the second token waits for the refresh under way");
                release.countDown();
                assertEquals("alice", firstOfTheKey.get(20, TimeUnit.SECONDS));
                assertEquals("alice", nextOfTheKey.get(20, TimeUnit.SECONDS));
            } finally {
                requests.shutdownNow();
            }
            assertEquals(2, hits.get(), "one refresh for both tokens");
        }
    }

    /**
     * Tokens of made-up kids while the key server is slow: each waited for the fetch under way (up to 6 s), so a few
     * dozen a second held every container thread. Past MAX_REFRESH_WAITERS waiting, 503 at once.
     */
    @Test
    void whenMoreTokensOfUnknownKidsArriveThanMayWaitForTheRefreshThenTheRestAreUnavailableAtOnce() throws Exception {
        jwksBody = jwks(Map.of("k1", first));
        try (JwtVerifier verifier = verifier(jwksUri(), 1)) {
            Thread.sleep(1_300); // past jwt.jwks-min-refresh-seconds=1: the first unknown kid refreshes
            CountDownLatch release = new CountDownLatch(1);
            holdNextAnswer = release;
            ExecutorService requests = Executors.newCachedThreadPool();
            try {
                Future<?> fetching = requests.submit(() -> verifier.verify(rs256(second, "made-up-0")));
                while (hits.get() < 2) {
                    Thread.sleep(10);
                }
                // One at a time, each given time to start waiting: the first MAX_REFRESH_WAITERS wait for the held
                // fetch, the next is refused at once. (A slow start only makes one counted as waiting a little late.)
                List<Future<?>> waiting = new java.util.ArrayList<>();
                KeysUnavailableException refused = null;
                for (int i = 1; refused == null && i <= JwksKeyResolver.MAX_REFRESH_WAITERS + 5; i++) {
                    String token = rs256(second, "made-up-" + i);
                    Future<?> request = requests.submit(() -> verifier.verify(token));
                    try {
                        request.get(150, TimeUnit.MILLISECONDS);
                        throw new AssertionError("answered while the fetch was held: made-up-" + i);
                    } catch (java.util.concurrent.TimeoutException e) {
                        waiting.add(request);
                    } catch (java.util.concurrent.ExecutionException e) {
                        if (!(e.getCause() instanceof KeysUnavailableException unavailable)) {
                            throw e;
                        }
                        refused = unavailable;
                    }
                }
                assertTrue(refused != null && refused.getMessage().contains("is under way, and "
                        + JwksKeyResolver.MAX_REFRESH_WAITERS + " requests wait for it already"), String.valueOf(refused));
                Thread.sleep(300); // one refused a little late, if any, has ended by now
                List<Future<?>> stillWaiting = waiting.stream().filter(f -> !f.isDone()).toList();
                assertEquals(JwksKeyResolver.MAX_REFRESH_WAITERS, stillWaiting.size(), "requests still waiting for the held fetch");
                release.countDown();
                for (Future<?> request : List.of(fetching, stillWaiting.get(0), stillWaiting.get(stillWaiting.size() - 1))) {
                    java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                            () -> request.get(20, TimeUnit.SECONDS));
                    assertTrue(e.getCause() instanceof InvalidTokenException, String.valueOf(e.getCause()));
                }
            } finally {
                release.countDown();
                requests.shutdownNow();
            }
        }
    }

    @ParameterizedTest(name = "kid {0}")
    @ValueSource(strings = {"5", "[\"k1\"]", "{\"kid\":\"k1\"}", "true"})
    void whenKidHeaderIsNoStringThenUnknownKeyWithoutRefresh(String kid) {
        // jose4j's key selection casts kid to a string: the failure came back under no error code of its own (INVALID).
        jwksBody = jwks(Map.of("k1", first));
        try (JwtVerifier verifier = verifier(jwksUri(), 1)) {
            String token = RawJws.rs256(first.getPrivate(), "{\"alg\":\"RS256\",\"kid\":" + kid + "}",
                    JwtVerifierTest.validClaimsJson());
            assertEquals(Rejection.UNKNOWN_KEY, JwtVerifierTest.rejectionOf(verifier, token));
            assertEquals(1, hits.get(), "no refresh for a kid no set can hold");
        }
    }

    @Test
    void whenUnknownKidsFloodThenRefreshIsRateLimited() {
        jwksBody = jwks(Map.of("k1", first));
        try (JwtVerifier verifier = verifier(jwksUri(), 3600)) {
            for (int i = 0; i < 50; i++) {
                String token = rs256(second, "unknown-" + UUID.randomUUID());
                assertEquals(Rejection.UNKNOWN_KEY, JwtVerifierTest.rejectionOf(verifier, token));
            }
            assertEquals(1, hits.get(), "only the initial load: unknown kids within the minimum interval fetch nothing");
            assertEquals("alice", verifier.verify(rs256(first, "k1")).getName());
        }
    }

    @Test
    void whenUnknownKidsFloodAfterTheIntervalThenAtMostOneRefreshPerInterval() throws Exception {
        jwksBody = jwks(Map.of("k1", first));
        try (JwtVerifier verifier = verifier(jwksUri(), 1)) {
            Thread.sleep(1_300);
            long start = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                assertEquals(Rejection.UNKNOWN_KEY, JwtVerifierTest.rejectionOf(verifier, rs256(second, "k-" + i)));
            }
            long elapsedSeconds = (System.nanoTime() - start) / 1_000_000_000L;
            int refreshes = hits.get() - 1;
            assertTrue(refreshes >= 1, "the first unknown kid after the interval refreshes");
            assertTrue(refreshes <= 1 + elapsedSeconds, refreshes + " refreshes in " + elapsedSeconds + " s for 200 unknown kids");
        }
    }

    @ParameterizedTest(name = "kid [{0}]")
    @MethodSource("org.jwtgate.internal.verify.JwtVerifierTest#kidInjections")
    void whenKidIsAnInjectionStringThenUnknownKeyAndNothingFetched(String kid) {
        jwksBody = jwks(Map.of("k1", first));
        try (JwtVerifier verifier = verifier(jwksUri(), 3600)) {
            assertEquals(Rejection.UNKNOWN_KEY, JwtVerifierTest.rejectionOf(verifier, rs256(first, kid)));
            assertEquals(1, hits.get());
        }
    }

    @Test
    void whenJwksIsAFileUriThenItsKeysVerify(@TempDir Path directory) throws IOException {
        Path file = directory.resolve("jwks.json");
        Files.writeString(file, jwks(Map.of("k1", first)));
        try (JwtVerifier verifier = verifier(file.toUri().toString(), 30)) {
            assertEquals("alice", verifier.verify(rs256(first, "k1")).getName());
            assertEquals(Rejection.SIGNATURE_INVALID, JwtVerifierTest.rejectionOf(verifier, rs256(second, "k1")));
        }
        assertEquals(0, hits.get());
    }

    @Test
    void whenTheJwksFileStartsWithAByteOrderMarkThenItsKeysVerify(@TempDir Path directory) throws IOException {
        // Saved by a Windows editor: the JSON parser refused the BOM, so no key ever loaded and every request got 503.
        Path file = directory.resolve("jwks.json");
        Files.writeString(file, "\uFEFF" + jwks(Map.of("k1", first)), StandardCharsets.UTF_8);
        try (JwtVerifier verifier = verifier(file.toUri().toString(), 30)) {
            assertEquals("alice", verifier.verify(rs256(first, "k1")).getName());
        }
    }

    /** The set of k1 as an editor or a tool may save it, not as UTF-8 JSON text; and the WARN's reason. */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> setsNotInUtf8() {
        String set = jwks(Map.of("k1", first));
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("a Latin-1 byte", "IOException: not UTF-8 text;",
                        withNote(set, "caf\u00e9").getBytes(StandardCharsets.ISO_8859_1)),
                org.junit.jupiter.params.provider.Arguments.of("UTF-16 with its byte-order mark",
                        "IOException: not UTF-8 text (UTF-16: save it as UTF-8);", set.getBytes(StandardCharsets.UTF_16)),
                org.junit.jupiter.params.provider.Arguments.of("UTF-16LE without one",
                        "IOException: control character U+0000 at offset 1 (UTF-16 text? save it as UTF-8);",
                        set.getBytes(StandardCharsets.UTF_16LE)),
                org.junit.jupiter.params.provider.Arguments.of("a NUL inside a string",
                        "IOException: control character U+0000 at offset 10, not escaped;",
                        withNote(set, "a\u0000b").getBytes(StandardCharsets.UTF_8)));
    }

    /** The set with a member of the key server's own beside "keys", as sets may have. */
    private static String withNote(String set, String note) {
        return "{\"note\":\"" + note + "\"," + set.substring(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("setsNotInUtf8")
    void whenTheJwksFileIsNotUtf8TextThenNoKeyIsTakenAndTheWarningSaysWhy(String saved, String reason, byte[] content,
                                                                          @TempDir Path directory) throws IOException {
        // Decoded leniently, a malformed byte became U+FFFD and the set was taken (a kid read other than written), and
        // so was a raw NUL inside a string; a UTF-16 file was refused with the JSON parser's "Unexpected character".
        Path file = directory.resolve("jwks.json");
        Files.write(file, content);
        String uri = file.toUri().toString();
        String log = standardErrorOf(() -> {
            try (JwtVerifier verifier = verifier(uri, 30)) {
                assertThrows(KeysUnavailableException.class, () -> verifier.verify(rs256(first, "k1")));
            }
        });
        assertTrue(fetchWarning(log).contains("Cannot load JWKS from " + uri + ": " + reason), fetchWarning(log));
    }

    @Test
    void whenARefreshFetchesASetThatIsNotUtf8ThenTheKeysHeldStayAndTheWarningSaysSo() throws Exception {
        // As for any set that does not parse: the keys held stay, the new one is not taken (its k2 was, U+FFFD and all).
        jwksBody = jwks(Map.of("k1", first));
        Map<String, KeyPair> rotated = new LinkedHashMap<>();
        rotated.put("k1", first);
        rotated.put("k2", second);
        try (JwtVerifier verifier = verifier(jwksUri(), 1)) {
            assertEquals("alice", verifier.verify(rs256(first, "k1")).getName());
            jwksBytes = withNote(jwks(rotated), "caf\u00e9").getBytes(StandardCharsets.ISO_8859_1);
            Thread.sleep(1_300); // past jwt.jwks-min-refresh-seconds=1
            // The fetch failed: the set held may lack k2, so 503, not a 401 that makes the client throw k2's token away.
            String log = standardErrorOf(() -> assertThrows(KeysUnavailableException.class,
                    () -> verifier.verify(rs256(second, "k2"))));
            assertEquals(2, hits.get(), "the unknown kid refreshed the set");
            assertTrue(fetchWarning(log).contains("Cannot load JWKS from " + jwksUri()
                    + ": IOException: not UTF-8 text; keeping 1 cached keys"), fetchWarning(log));
            assertEquals("alice", verifier.verify(rs256(first, "k1")).getName(), "the keys held before stay");
        }
    }

    /**
     * The limit holds on what is read, not on the size the file system reports (a {@code /proc} file says 0 whatever
     * it gives). A named pipe, which the limit was once tested with, is no longer read at all ({@link JwksFileFetchTest}).
     */
    @Test
    void whenTheJwksFileGrowsPastOneMebibyteThenItsKeysAreNotTakenAndThoseHeldStay(@TempDir Path directory)
            throws Exception {
        Path file = directory.resolve("jwks.json");
        Files.writeString(file, jwks(Map.of("k1", first)));
        try (JwtVerifier verifier = verifier(file.toUri().toString(), 1)) {
            assertEquals("alice", verifier.verify(rs256(first, "k1")).getName());
            Map<String, KeyPair> rotated = new LinkedHashMap<>();
            rotated.put("k1", first);
            rotated.put("k2", second);
            Files.writeString(file, " ".repeat(1 << 20) + jwks(rotated));
            Thread.sleep(1_300); // past jwt.jwks-min-refresh-seconds=1
            String log = standardErrorOf(() -> assertThrows(KeysUnavailableException.class,
                    () -> verifier.verify(rs256(second, "k2")), "the refresh failed: 503, not 401"));
            assertTrue(log.contains("JWKS file too large; keeping 1 cached keys"), log);
            assertEquals("alice", verifier.verify(rs256(first, "k1")).getName(), "the keys held before stay");
        }
    }

    @Test
    void whenJwksUnreachableThenKeysUnavailableNotInvalidToken() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (JwtVerifier verifier = verifier("http://127.0.0.1:" + closedPort + "/jwks.json", 30)) {
            assertThrows(KeysUnavailableException.class, () -> verifier.verify(rs256(first, "k1")));
        }
    }

    @Test
    void whenTheFirstJwksHoldsNoPublicKeyThenKeysUnavailableNotInvalidToken() {
        // As health says (DOWN: no JWKS key loaded): the key server's fault is a 503, not a 401 for every token.
        jwksBody = "{\"keys\":[]}";
        try (JwtVerifier verifier = verifier(jwksUri(), 30)) {
            assertThrows(KeysUnavailableException.class, () -> verifier.verify(rs256(first, "k1")));
        }
    }

    @Test
    void whenTheFirstJwksHoldsNoPublicKeyThenTheMessageSaysSoNotThatItIsNotLoadedYet() {
        // What the CLI prints and the 503 WARN logs: the set was fetched, so "not loaded yet" sends the operator to the
        // network instead of to the key server's set.
        jwksBody = "{\"keys\":[]}";
        try (JwtVerifier verifier = verifier(jwksUri(), 30)) {
            String message = assertThrows(KeysUnavailableException.class, () -> verifier.verify(rs256(first, "k1")))
                    .getMessage();
            assertEquals("the JWKS from " + jwksUri() + " holds no public key", message);
        }
    }

    /**
     * Sets holding an RSA key whose public exponent is 1 (a "signature" would equal the message): the JDK refuses it, and
     * jose4j skips a key it cannot read without a word. Alone, the operator read that the issuer published no key at all;
     * beside a key marked for encryption, that the set held 1 key.
     */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> setsWithAKeyJose4jCannotRead() {
        String modulus = org.jose4j.base64url.Base64Url.encode(org.jose4j.keys.BigEndianBigInteger.toByteArray(
                ((java.security.interfaces.RSAPublicKey) first.getPublic()).getModulus()));
        String unreadable = "{\"kty\":\"RSA\",\"kid\":\"k1\",\"n\":\"" + modulus + "\",\"e\":\"AQ\"}";
        String skipped = "jose4j skipped 1 entry of its \"keys\" (such as an RSA key whose public exponent is below 3, or an"
                + " unknown kty or curve)";
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("holds no public key it can read: " + skipped + ":",
                        "{\"keys\":[" + unreadable + "]}"),
                org.junit.jupiter.params.provider.Arguments.of("holds 1 key, none usable to verify: use=enc; " + skipped + ";",
                        "{\"keys\":[" + unreadable + ",{\"kty\":\"RSA\",\"kid\":\"k2\",\"use\":\"enc\",\"n\":\""
                                + modulus + "\",\"e\":\"AQAB\"}]}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("setsWithAKeyJose4jCannotRead")
    void whenTheJwksHoldsAKeyJose4jCannotReadAndNoneToVerifyWithThenKeysUnavailableAndTheMessageCountsTheSkippedKey(
            String why, String set) {
        jwksBody = set;
        String reason = why.substring(0, why.length() - 1); // the log line goes on after ":" or ";"
        String log = standardErrorOf(() -> {
            try (JwtVerifier verifier = verifier(jwksUri(), 30)) {
                String message = assertThrows(KeysUnavailableException.class, () -> verifier.verify(rs256(first, "k1")))
                        .getMessage();
                assertEquals("the JWKS from " + jwksUri() + " " + reason, message);
            }
        });
        assertTrue(log.contains("JWKS from " + jwksUri() + " " + why + " every token is answered 503"), log);
    }

    /** jose4j left a null entry of "keys" out, as one it cannot read, and used the rest: so does JwtGate, reading them. */
    @Test
    void whenTheKeysHoldANullEntryThenTheOtherKeysAreUsed() {
        jwksBody = jwks(Map.of("k1", first)).replace("{\"keys\":[", "{\"keys\":[null,");
        assertTrue(jwksBody.startsWith("{\"keys\":[null,{"), jwksBody);
        try (JwtVerifier verifier = verifier(jwksUri(), 30)) {
            assertEquals("alice", verifier.verify(rs256(first, "k1")).getName());
        }
    }

    @Test
    void whenARefreshFindsNoPublicKeyThenNoKeyHeldIsTrustedAndTokensGet503() throws Exception {
        // An issuer that empties its set withdraws every key, perhaps a compromised one: none stays trusted.
        jwksBody = jwks(Map.of("k1", first));
        try (JwtVerifier verifier = verifier(jwksUri(), 1)) {
            assertEquals("alice", verifier.verify(rs256(first, "k1")).getName());
            jwksBody = "{\"keys\":[{\"kty\":\"oct\",\"k\":\"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow\"}]}";
            Thread.sleep(1_300); // past jwt.jwks-min-refresh-seconds=1
            assertThrows(KeysUnavailableException.class, () -> verifier.verify(rs256(second, "k2")));
            assertEquals(2, hits.get(), "the unknown kid refreshed the set");
            String another = TestTokens.sign(TestTokens.claims("bob", "admin"), "RS256", first.getPrivate(),
                    jws -> jws.setKeyIdHeaderValue("k1"));
            assertThrows(KeysUnavailableException.class, () -> verifier.verify(another), "k1 withdrawn");
        }
    }

    /** A set of two keys, each unusable to verify for the same reason; its expected WARN and 503 reason. */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> unusableSets() throws Exception {
        java.security.KeyPairGenerator rsa = java.security.KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        java.security.KeyPairGenerator ec = java.security.KeyPairGenerator.getInstance("EC");
        ec.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("use=enc",
                        unusableSet(first, second, jwk -> jwk.setUse("enc"))),
                org.junit.jupiter.params.provider.Arguments.of("key_ops=[encrypt, wrapKey]",
                        unusableSet(first, second, jwk -> jwk.setKeyOps(List.of("encrypt", "wrapKey")))),
                org.junit.jupiter.params.provider.Arguments.of("RSA key of 1024 bits (2048 needed)",
                        unusableSet(rsa.generateKeyPair(), rsa.generateKeyPair(), jwk -> { })),
                org.junit.jupiter.params.provider.Arguments.of("EC P-256 key, which no algorithm of jwt.algorithms [RS256] verifies with",
                        unusableSet(ec.generateKeyPair(), ec.generateKeyPair(), jwk -> { })),
                org.junit.jupiter.params.provider.Arguments.of("alg=PS256, not in jwt.algorithms [RS256]",
                        unusableSet(first, second, jwk -> jwk.setAlgorithm("PS256"))),
                org.junit.jupiter.params.provider.Arguments.of("RSA key with an even public exponent (no RSA key has one)",
                        unusableSet(withEvenExponent(first), withEvenExponent(second), jwk -> { })));
    }

    /** The pair's modulus with the exponent 65538, which the JDK takes though no RSA key has an even one. */
    private static KeyPair withEvenExponent(KeyPair pair) throws Exception {
        java.math.BigInteger modulus = ((java.security.interfaces.RSAPublicKey) pair.getPublic()).getModulus();
        return new KeyPair(java.security.KeyFactory.getInstance("RSA").generatePublic(
                new java.security.spec.RSAPublicKeySpec(modulus, java.math.BigInteger.valueOf(65538))), null);
    }

    private static String unusableSet(KeyPair one, KeyPair other, java.util.function.Consumer<JsonWebKey> spoil)
            throws JoseException {
        List<JsonWebKey> keys = new ArrayList<>();
        int kid = 1;
        for (KeyPair pair : new KeyPair[] {one, other}) {
            PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(pair.getPublic());
            jwk.setKeyId("k" + kid++);
            spoil.accept(jwk);
            keys.add(jwk);
        }
        return new JsonWebKeySet(keys).toJson();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unusableSets")
    void whenTheFirstJwksHoldsOnlyKeysUnusableToVerifyThenKeysUnavailableAndTheWarningSaysWhy(String why, String set) {
        // The key server's set is at fault, as for an empty one: a 401 (unknown key) for every token sent every client
        // to log in again while health said UP.
        jwksBody = set;
        GateMetrics metrics = new GateMetrics();
        String log = standardErrorOf(() -> {
            JwtGateConfig config = JwtGateConfig.of(JwtVerifierTest.settings(ConfigKeys.JWT_JWKS_URI, jwksUri(),
                    ConfigKeys.JWT_ALGORITHMS, "RS256", ConfigKeys.JWT_JWKS_MIN_REFRESH_SECONDS, "30"));
            try (JwtVerifier verifier = JwtVerifier.create(config.verification(), config.token(), metrics)) {
                String message = assertThrows(KeysUnavailableException.class, () -> verifier.verify(rs256(first, "k1")))
                        .getMessage();
                assertEquals("the JWKS from " + jwksUri() + " holds 2 keys, none usable to verify: " + why, message);
                assertEquals(0, metrics.jwks().keys(), "health DOWN: no JWKS key held");
            }
        });
        assertTrue(log.contains("JWKS from " + jwksUri() + " holds 2 keys, none usable to verify: " + why
                + "; every token is answered 503"), log);
    }

    @Test
    void whenTheFirstJwksHoldsOnlyEdwardsPointsOfSmallOrderThenKeysUnavailableAndTheWarningSaysWhy() {
        jwksBody = "{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"k1\",\"x\":\"AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"},"
                + "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"k2\",\"x\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}]}";
        String log = standardErrorOf(() -> {
            try (JwtVerifier verifier = JwtVerifierTest.verifier(JwtVerifierTest.settings(ConfigKeys.JWT_JWKS_URI,
                    jwksUri(), ConfigKeys.JWT_ALGORITHMS, "EdDSA", ConfigKeys.JWT_JWKS_MIN_REFRESH_SECONDS, "30"))) {
                String eddsa = RawJws.withSignature("{\"alg\":\"EdDSA\",\"kid\":\"k1\"}",
                        TestTokens.claims("alice").toJson(), new byte[64]);
                String message = assertThrows(KeysUnavailableException.class, () -> verifier.verify(eddsa)).getMessage();
                assertEquals("the JWKS from " + jwksUri() + " holds 2 keys, none usable to verify: OKP key of small order"
                        + " (anyone can sign for it)", message);
            }
        });
        assertTrue(log.contains("none usable to verify: OKP key of small order (anyone can sign for it); every token is"
                + " answered 503"), log);
    }

    /** A P-256 key pair whose public point has one bit of y changed: jose4j and the JDK take it; it verifies nothing. */
    private static PublicJsonWebKey offCurve(KeyPair pair, String kid) throws Exception {
        java.security.interfaces.ECPublicKey key = (java.security.interfaces.ECPublicKey) pair.getPublic();
        java.security.spec.ECPoint moved = new java.security.spec.ECPoint(key.getW().getAffineX(),
                key.getW().getAffineY().flipBit(0));
        PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(java.security.KeyFactory.getInstance("EC")
                .generatePublic(new java.security.spec.ECPublicKeySpec(moved, key.getParams())));
        jwk.setKeyId(kid);
        return jwk;
    }

    private static KeyPair p256() throws Exception {
        java.security.KeyPairGenerator ec = java.security.KeyPairGenerator.getInstance("EC");
        ec.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        return ec.generateKeyPair();
    }

    @Test
    void whenTheFirstJwksHoldsOnlyEcKeysOffTheirCurveThenKeysUnavailableAndTheWarningSaysWhy() throws Exception {
        // Before, such a set was "usable": every token got a 401 (bad signature) while health said UP.
        KeyPair signer = p256();
        jwksBody = new JsonWebKeySet(List.<JsonWebKey>of(offCurve(signer, "k1"), offCurve(p256(), "k2"))).toJson();
        String es256 = TestTokens.sign(TestTokens.claims("alice", "admin"), "ES256", signer.getPrivate(),
                jws -> jws.setKeyIdHeaderValue("k1"));
        String log = standardErrorOf(() -> {
            try (JwtVerifier verifier = JwtVerifierTest.verifier(JwtVerifierTest.settings(ConfigKeys.JWT_JWKS_URI,
                    jwksUri(), ConfigKeys.JWT_ALGORITHMS, "ES256", ConfigKeys.JWT_JWKS_MIN_REFRESH_SECONDS, "30"))) {
                String message = assertThrows(KeysUnavailableException.class, () -> verifier.verify(es256)).getMessage();
                assertEquals("the JWKS from " + jwksUri() + " holds 2 keys, none usable to verify: EC key whose point"
                        + " is not on its curve", message);
            }
        });
        assertTrue(log.contains("none usable to verify: EC key whose point is not on its curve; every token is answered"
                + " 503"), log);
    }

    /** Left out as an even RSA exponent is: its kid is unknown (before: a bad signature), the other key verifies. */
    @Test
    void whenTheSetHoldsAnEcKeyOffItsCurveBesideAUsableOneThenThatKeysKidIsUnknown() throws Exception {
        KeyPair ec = p256();
        PublicJsonWebKey signing = PublicJsonWebKey.Factory.newPublicJwk(first.getPublic());
        signing.setKeyId("k1");
        jwksBody = new JsonWebKeySet(List.<JsonWebKey>of(offCurve(ec, "k2"), signing)).toJson();
        String es256 = TestTokens.sign(TestTokens.claims("alice", "admin"), "ES256", ec.getPrivate(),
                jws -> jws.setKeyIdHeaderValue("k2"));
        try (JwtVerifier verifier = JwtVerifierTest.verifier(JwtVerifierTest.settings(ConfigKeys.JWT_JWKS_URI, jwksUri(),
                ConfigKeys.JWT_ALGORITHMS, "RS256,ES256", ConfigKeys.JWT_JWKS_MIN_REFRESH_SECONDS, "3600"))) {
            assertEquals("alice", verifier.verify(rs256(first, "k1")).getName());
            assertEquals(Rejection.UNKNOWN_KEY, JwtVerifierTest.rejectionOf(verifier, es256));
        }
    }

    @Test
    void whenARefreshFindsOnlyKeysUnusableToVerifyThenNoKeyHeldIsTrustedAndCachedTokensGet503() throws Exception {
        // The issuer's set now marks its keys for encryption only: none verifies, so none of those held before stays
        // trusted, a token the verified-token cache holds included (the key epoch moves, as for an empty set).
        jwksBody = jwks(Map.of("k1", first));
        Map<String, String> settings = new LinkedHashMap<>(TestTokens.settings());
        settings.remove(ConfigKeys.JWT_SECRET);
        settings.put(ConfigKeys.JWT_JWKS_URI, jwksUri());
        settings.put(ConfigKeys.JWT_JWKS_MIN_REFRESH_SECONDS, "1");
        settings.put(ConfigKeys.TOKEN_CACHE_SIZE, "10000");
        try (JwtGate gate = JwtGate.start(JwtGateConfig.of(settings), null, java.time.Clock.systemUTC())) {
            String token = rs256(first, "k1");
            assertEquals("alice", gate.verify(token).getName());
            assertEquals(Health.Status.UP, gate.health().status());
            jwksBody = unusableSet(first, second, jwk -> jwk.setUse("enc"));
            Thread.sleep(1_300); // past jwt.jwks-min-refresh-seconds=1
            assertThrows(KeysUnavailableException.class, () -> gate.verify(rs256(second, "k2")));
            assertEquals(2, hits.get(), "the unknown kid refreshed the set");
            assertThrows(KeysUnavailableException.class, () -> gate.verify(token), "k1 no longer trusted, cached or not");
            assertEquals(Health.Status.DOWN, gate.health().status());
        }
    }

    @Test
    void whenTheSetHoldsOneUsableKeyBesideUnusableOnesThenItsTokensVerify() throws Exception {
        PublicJsonWebKey encryption = PublicJsonWebKey.Factory.newPublicJwk(second.getPublic());
        encryption.setKeyId("k2");
        encryption.setUse("enc");
        PublicJsonWebKey signing = PublicJsonWebKey.Factory.newPublicJwk(first.getPublic());
        signing.setKeyId("k1");
        signing.setUse("sig");
        jwksBody = new JsonWebKeySet(List.<JsonWebKey>of(encryption, signing)).toJson();
        try (JwtVerifier verifier = verifier(jwksUri(), 3600)) {
            assertEquals("alice", verifier.verify(rs256(first, "k1")).getName());
            assertEquals(Rejection.UNKNOWN_KEY, JwtVerifierTest.rejectionOf(verifier, rs256(second, "k2")));
        }
    }

    /** A set of k1 and of k2 whose {@code "use":"sig"} is replaced by {@code member}. */
    private String setWithK2Member(String member) {
        String k1 = jwks(Map.of("k1", first));
        String k2 = jwks(Map.of("k2", second)).replace("\"use\":\"sig\"", member);
        return k1.substring(0, k1.lastIndexOf(']')) + "," + k2.substring(k2.indexOf('[') + 1);
    }

    private static final String NESTED = "[".repeat(300_000) + "]".repeat(300_000); // 600 KB, under the size limit

    /**
     * A member the key lookup reads, of another type: the entry is left out as one jose4j cannot read. A key_ops
     * nested 300,000 deep was held, and comparing it overflowed the stack: the start failed with StackOverflowError.
     */
    @ParameterizedTest
    @ValueSource(strings = {"\"key_ops\":NESTED", "\"key_ops\":[\"verify\",[\"verify\"]]",
        "\"key_ops\":[\"verify\",{}]", "\"key_ops\":\"verify\"", "\"alg\":[\"RS256\"]", "\"use\":{}", "\"alg\":7"})
    void whenAKeyOfTheSetHasAMemberOfAnotherTypeThenItIsLeftOutAndTheOtherKeyStillVerifies(String member) {
        jwksBody = setWithK2Member(member.replace("NESTED", NESTED));
        try (JwtVerifier verifier = verifier(jwksUri(), 3600)) {
            assertEquals("alice", verifier.verify(rs256(first, "k1")).getName());
            assertEquals(Rejection.UNKNOWN_KEY, JwtVerifierTest.rejectionOf(verifier, rs256(second, "k2")));
        }
    }

    /** Outside RFC 7517, but jose4j takes it, and a set an issuer publishes so kept verifying before. */
    @ParameterizedTest
    @ValueSource(strings = {"\"key_ops\":[\"verify\",null]", "\"key_ops\":[\"verify\",1]"})
    void whenAKeyOperationBesideVerifyIsAScalarOfAnotherTypeThenTheKeyStillVerifies(String member) {
        jwksBody = setWithK2Member(member);
        try (JwtVerifier verifier = verifier(jwksUri(), 3600)) {
            assertEquals("alice", verifier.verify(rs256(second, "k2")).getName());
        }
    }

    /** Before, the refresh that read such a set ended the schedule without a word, and k1 stayed trusted. */
    @Test
    void whenARefreshReadsAKeyWithDeeplyNestedKeyOpsThenTheScheduleGoesOnAndWithdrawsAKeyLater() throws Exception {
        jwksBody = jwks(Map.of("k1", first));
        try (JwksKeyResolver resolver = new JwksKeyResolver(java.net.URI.create(jwksUri()), 1, 3600, java.util.Set.of("RS256"),
                new GateMetrics())) {
            jwksBody = setWithK2Member("\"key_ops\":" + NESTED);
            int fetched = hits.get();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (hits.get() < fetched + 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(hits.get() >= fetched + 2, "two scheduled refreshes read the set");
            jwksBody = jwks(Map.of("k2", second)); // k1 withdrawn
            while (resolver.withdrawals() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(1, resolver.withdrawals(), "a scheduled refresh withdrew k1");
        }
    }

    /** Left out as jose4j leaves out an exponent of 1: its kid is unknown, and the set's other key still verifies. */
    @Test
    void whenTheSetHoldsAnEvenExponentKeyBesideAUsableOneThenThatKeysKidIsUnknown() throws Exception {
        PublicJsonWebKey even = PublicJsonWebKey.Factory.newPublicJwk(withEvenExponent(second).getPublic());
        even.setKeyId("k2");
        PublicJsonWebKey signing = PublicJsonWebKey.Factory.newPublicJwk(first.getPublic());
        signing.setKeyId("k1");
        jwksBody = new JsonWebKeySet(List.<JsonWebKey>of(even, signing)).toJson();
        try (JwtVerifier verifier = verifier(jwksUri(), 3600)) {
            assertEquals("alice", verifier.verify(rs256(first, "k1")).getName());
            assertEquals(Rejection.UNKNOWN_KEY, JwtVerifierTest.rejectionOf(verifier, rs256(second, "k2")));
        }
    }

    /**
     * An OKP key of small order (here the identity): the JDK verifies with it the "signature" R = the key's encoding,
     * S = 0 on every message, so anyone could sign tokens. Before, such a key in the set verified that forged token.
     */
    @Test
    void whenTheSetHoldsAnEdwardsPointOfSmallOrderThenATokenForgedForItIsRefusedAndTheSetsOtherKeyStillVerifies() {
        byte[] identity = new byte[32];
        identity[0] = 1;
        jwksBody = "{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"k9\",\"x\":\""
                + RawJws.b64(identity) + "\"}," + jwks(Map.of("k1", first)).substring("{\"keys\":[".length());
        byte[] signature = new byte[64];
        System.arraycopy(identity, 0, signature, 0, 32);
        String forged = RawJws.withSignature("{\"alg\":\"EdDSA\",\"kid\":\"k9\"}",
                TestTokens.claims("mallory", "admin").toJson(), signature);
        try (JwtVerifier verifier = JwtVerifierTest.verifier(JwtVerifierTest.settings(ConfigKeys.JWT_JWKS_URI, jwksUri(),
                ConfigKeys.JWT_ALGORITHMS, "RS256,EdDSA", ConfigKeys.JWT_JWKS_MIN_REFRESH_SECONDS, "3600"))) {
            assertEquals(Rejection.UNKNOWN_KEY, JwtVerifierTest.rejectionOf(verifier, forged));
            assertEquals("alice", verifier.verify(rs256(first, "k1")).getName());
        }
    }

    @Test
    void whenJwksAnswersAnErrorThenKeysUnavailable() {
        jwksBody = "this is not a JWKS";
        try (JwtVerifier verifier = verifier(jwksUri(), 30)) {
            assertThrows(KeysUnavailableException.class, () -> verifier.verify(rs256(first, "k1")));
        }
    }

    @Test
    void whenTheJwksBodyStallsAtStartThenStartGivesUpWithinTheFetchTimeout() {
        jwksBody = jwks(Map.of("k1", first));
        stallBody = true;
        // The request's own timeout ends with the headers: before, the constructor never returned.
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (JwtVerifier verifier = verifier(jwksUri(), 30)) {
                assertThrows(KeysUnavailableException.class, () -> verifier.verify(rs256(first, "k1")));
            }
        });
    }

    @Test
    void whenTheJwksBodyStallsOnARefreshThenTheRequestGivesUpAndTheNextRefreshStillRuns() throws Exception {
        jwksBody = jwks(Map.of("k1", first));
        try (JwtVerifier verifier = verifier(jwksUri(), 1)) {
            stallBody = true;
            Thread.sleep(1_300); // past jwt.jwks-min-refresh-seconds=1: an unknown kid refreshes
            // Before, this request thread waited forever, holding the lock every later refresh needs. The fetch timed
            // out: 503 (the set held may lack k2), not 401.
            assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> assertThrows(KeysUnavailableException.class, () -> verifier.verify(rs256(second, "k2"))));
            assertEquals("alice", verifier.verify(rs256(first, "k1")).getName(), "the keys held are kept");

            stallBody = false;
            jwksBody = jwks(Map.of("k1", first, "k2", second));
            Thread.sleep(1_300);
            assertEquals("alice", verifier.verify(rs256(second, "k2")).getName(), "a later refresh loads the rotated key");
        }
    }

    /**
     * A key withdrawn while a refresh for an unknown kid waits on a slow key server: the scheduled refresh loads the
     * set without it, then the slow answer, the set as it was before, arrives and must not bring the key back (until
     * the next scheduled refresh, jwt.jwks-refresh-seconds later, tokens it signed would pass again).
     */
    @Test
    void whenAnOlderSetArrivesAfterTheScheduledRefreshWithdrewAKeyThenTheKeyStaysWithdrawn() throws Exception {
        jwksBody = jwks(Map.of("k1", first, "k2", second));
        try (JwtVerifier verifier = JwtVerifierTest.verifier(JwtVerifierTest.settings(ConfigKeys.JWT_JWKS_URI, jwksUri(),
                ConfigKeys.JWT_ALGORITHMS, "RS256", ConfigKeys.JWT_JWKS_MIN_REFRESH_SECONDS, "1",
                ConfigKeys.JWT_JWKS_REFRESH_SECONDS, "10"))) {
            long started = System.nanoTime();
            assertEquals("alice", verifier.verify(rs256(first, "k1")).getName());
            sleepUntil(started, 8_500);
            CountDownLatch release = new CountDownLatch(1);
            holdNextAnswer = release;
            ExecutorService requests = Executors.newSingleThreadExecutor();
            try {
                // An unknown kid refreshes the set; its answer (k1 and k2) is held back.
                Future<Rejection> unknownKid = requests.submit(() -> JwtVerifierTest.rejectionOf(verifier, rs256(second, "k3")));
                while (hits.get() < 2) {
                    Thread.sleep(10);
                }
                jwksBody = jwks(Map.of("k2", second)); // k1 leaked: withdrawn
                sleepUntil(started, 11_000); // the scheduled refresh (10 s after the start) has run by now
                release.countDown();
                assertEquals(Rejection.UNKNOWN_KEY, unknownKid.get(20, TimeUnit.SECONDS));
            } finally {
                requests.shutdownNow();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (hits.get() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(300);
            assertEquals(3, hits.get(), "fetches: start, unknown kid, scheduled");
            assertEquals(Rejection.UNKNOWN_KEY, JwtVerifierTest.rejectionOf(verifier, rs256(first, "k1")),
                    "a token signed by the withdrawn key");
            assertEquals("alice", verifier.verify(rs256(second, "k2")).getName());
        }
    }

    private static void sleepUntil(long startedNanos, long millis) throws InterruptedException {
        long left = millis - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
        if (left > 0) {
            Thread.sleep(left);
        }
    }

    @Test
    void whenTheJwksIsLargerThanOneMebibyteThenKeysUnavailable() {
        jwksBody = " ".repeat(1 << 20) + jwks(Map.of("k1", first));
        try (JwtVerifier verifier = verifier(jwksUri(), 30)) {
            assertThrows(KeysUnavailableException.class, () -> verifier.verify(rs256(first, "k1")));
        }
        assertEquals(1, hits.get());
    }

    @Test
    void whenTheJwksAnswersAStatusOtherThan200ThenKeysUnavailableWhateverItsBody() {
        jwksBody = jwks(Map.of("k1", first));
        status = 203;
        try (JwtVerifier verifier = verifier(jwksUri(), 30)) {
            assertThrows(KeysUnavailableException.class, () -> verifier.verify(rs256(first, "k1")));
        }
    }

    /** What {@code action} logs. */
    private static String standardErrorOf(Runnable action) {
        return CapturedLog.during(action::run).text();
    }

    private static String fetchWarning(String log) {
        return log.lines().filter(line -> line.contains("Cannot load JWKS from")).findFirst()
                .orElseThrow(() -> new AssertionError("no fetch WARN in: " + log));
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {404, 302, 500})
    void whenTheKeyServerAnswersAnErrorOrARedirectThenTheWarningNamesTheStatus(int answered) {
        // The operator reads this line to find out why every token gets 503: it said only "IOException", the same
        // for a wrong path, a redirect (never followed), a timeout or a set over 1 MiB.
        jwksBody = jwks(Map.of("k1", first));
        status = answered;
        String log = standardErrorOf(() -> {
            try (JwtVerifier verifier = verifier(jwksUri(), 30)) {
                assertThrows(KeysUnavailableException.class, () -> verifier.verify(rs256(first, "k1")));
            }
        });
        assertTrue(fetchWarning(log).contains("HTTP " + answered), fetchWarning(log));
    }

    @Test
    void whenTheJwksUriCarriesAnApiKeyThenWarningsAndMessagesShowItMasked() {
        // Before, "Cannot load JWKS from http://…/jwks.json?api_key=<the key>" in the log, and the same URI in the
        // 503's WARN and the CLI's "unreachable:" line.
        String key = "S3CR3T-" + UUID.randomUUID();
        String uri = jwksUri() + "?api_key=" + key;
        String masked = jwksUri() + "?api_key=****";
        jwksBody = jwks(Map.of("k1", first));
        status = 500;
        String log = standardErrorOf(() -> {
            try (JwtVerifier verifier = verifier(uri, 30)) {
                String message = assertThrows(KeysUnavailableException.class, () -> verifier.verify(rs256(first, "k1")))
                        .getMessage();
                assertEquals("JWKS not loaded yet from " + masked, message);
            }
            status = 200;
            jwksBody = "{\"keys\":[]}";
            try (JwtVerifier verifier = verifier(uri, 30)) {
                String message = assertThrows(KeysUnavailableException.class, () -> verifier.verify(rs256(first, "k1")))
                        .getMessage();
                assertEquals("the JWKS from " + masked + " holds no public key", message);
            }
        });
        assertTrue(fetchWarning(log).contains("Cannot load JWKS from " + masked + ": "), fetchWarning(log));
        assertTrue(log.contains("JWKS from " + masked + " holds no public key"), log);
        assertFalse(log.contains(key), log);
    }

    @Test
    void whenTheKeyServersCertificateIsNotTrustedThenTheFetchIsRefusedAndTheWarningSaysWhy() throws Exception {
        Certificates.SelfSigned certificate = Certificates.selfSignedRsa();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", certificate.privateKey(), "changeit".toCharArray(),
                new java.security.cert.Certificate[] {certificate.certificate()});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        AtomicInteger answered = new AtomicInteger();
        https.createContext("/jwks.json", exchange -> {
            answered.incrementAndGet();
            byte[] body = jwks(Map.of("k1", first)).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        https.start();
        try {
            String log = standardErrorOf(() -> {
                try (JwtVerifier verifier = verifier("https://localhost:" + https.getAddress().getPort() + "/jwks.json", 30)) {
                    assertThrows(KeysUnavailableException.class, () -> verifier.verify(rs256(first, "k1")));
                }
            });
            assertEquals(0, answered.get(), "no set is read from a server whose certificate is not trusted");
            // It said only "SSLHandshakeException": an untrusted issuer, a wrong name or an old protocol alike.
            assertTrue(fetchWarning(log).contains("certification path"), fetchWarning(log));
        } finally {
            https.stop(0);
        }
    }

    @Test
    void whenHs256TokenKeyedWithTheJwksModulusThenAlgorithmNotAllowed() throws Exception {
        jwksBody = jwks(Map.of("k1", first));
        try (JwtVerifier verifier = verifier(jwksUri(), 1)) {
            Thread.sleep(1_300); // a refresh would be allowed now: the algorithm check must come first
            String token = org.jwtgate.testkit.tokens.RawJws.hmac("HmacSHA256", first.getPublic().getEncoded(),
                    "{\"alg\":\"HS256\",\"kid\":\"k1\"}", JwtVerifierTest.validClaimsJson());
            assertEquals(Rejection.ALGORITHM_NOT_ALLOWED, JwtVerifierTest.rejectionOf(verifier, token));
            assertEquals(1, hits.get(), "a refused algorithm never triggers a refresh");
        }
    }

    @Test
    void whenTheHeaderIsRefusedThenItIsRefusedAsSuchWhateverTheSetHoldsAndNothingIsFetched() throws Exception {
        // jose4j resolved the key first: with no set loaded a zip or crit header got 503, and with two keys and no kid
        // it was an unknown key that set off a refresh.
        String crit = "{\"alg\":\"RS256\",\"crit\":[\"x\"],\"x\":1}";
        jwksBody = "{\"keys\":[]}";
        try (JwtVerifier verifier = verifier(jwksUri(), 1)) {
            assertEquals(Rejection.UNSUPPORTED_FORM, JwtVerifierTest.rejectionOf(verifier, org.jwtgate.testkit.tokens.RawJws
                    .rs256(first.getPrivate(), "{\"alg\":\"RS256\",\"kid\":\"k1\",\"zip\":\"DEF\"}",
                            JwtVerifierTest.validClaimsJson())));
        }
        jwksBody = jwks(Map.of("k1", first, "k2", second));
        hits.set(0);
        try (JwtVerifier verifier = verifier(jwksUri(), 1)) {
            Thread.sleep(1_300); // a refresh would be allowed now
            assertEquals(Rejection.UNSUPPORTED_FORM, JwtVerifierTest.rejectionOf(verifier, org.jwtgate.testkit.tokens.RawJws
                    .rs256(first.getPrivate(), crit, JwtVerifierTest.validClaimsJson())));
            assertEquals(1, hits.get(), "a refused header never sets off a refresh");
        }
    }

    @Test
    void whenTheAlgHeaderIsMissingOrNullThenAlgorithmNotAllowed() {
        // The allowlist's set threw NullPointerException on a null alg, which jose4j reported as INVALID.
        jwksBody = jwks(Map.of("k1", first));
        try (JwtVerifier verifier = verifier(jwksUri(), 30)) {
            for (String header : new String[] {"{\"kid\":\"k1\"}", "{\"alg\":null,\"kid\":\"k1\"}"}) {
                String token = org.jwtgate.testkit.tokens.RawJws.rs256(first.getPrivate(), header,
                        JwtVerifierTest.validClaimsJson());
                assertEquals(Rejection.ALGORITHM_NOT_ALLOWED, JwtVerifierTest.rejectionOf(verifier, token), header);
            }
        }
    }

    @Test
    void whenTheSetMarksTheKeyForAnotherAlgorithmThenItDoesNotVerifyTheToken() throws Exception {
        // RFC 8725 §3.1: a key is used with one algorithm. jose4j's selector compares a key's alg with the token's
        // only when several keys fit: the set's one key, marked RS256, verified PS256 tokens (kid or none).
        PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(first.getPublic());
        jwk.setKeyId("k1");
        jwk.setAlgorithm("RS256");
        jwksBody = new JsonWebKeySet(jwk).toJson();
        try (JwtVerifier verifier = JwtVerifierTest.verifier(JwtVerifierTest.settings(ConfigKeys.JWT_JWKS_URI, jwksUri(),
                ConfigKeys.JWT_ALGORITHMS, "RS256,PS256", ConfigKeys.JWT_JWKS_MIN_REFRESH_SECONDS, "3600"))) {
            String ps256 = TestTokens.sign(TestTokens.claims("alice"), "PS256", first.getPrivate(),
                    jws -> jws.setKeyIdHeaderValue("k1"));
            assertEquals(Rejection.UNKNOWN_KEY, JwtVerifierTest.rejectionOf(verifier, ps256), "PS256 with the RS256 key");
            String ps256WithoutKid = TestTokens.sign(TestTokens.claims("alice"), "PS256", first.getPrivate(), jws -> { });
            assertEquals(Rejection.UNKNOWN_KEY, JwtVerifierTest.rejectionOf(verifier, ps256WithoutKid),
                    "PS256 without kid");
            assertEquals("alice", verifier.verify(rs256(first, "k1")).getName(), "RS256, as the set says");
        }
    }

    /** A set whose keys carry no kid, in this order. */
    private static String jwksWithoutKids(KeyPair... pairs) {
        List<JsonWebKey> keys = new ArrayList<>();
        try {
            for (KeyPair pair : pairs) {
                keys.add(PublicJsonWebKey.Factory.newPublicJwk(pair.getPublic()));
            }
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
        return new JsonWebKeySet(keys).toJson();
    }

    @Test
    void whenTokenHasNoKidAndTheSetHoldsSeveralKeysThenTheKeyThatVerifiesIsUsed() {
        // An issuer that sets no kid, during a rotation: jose4j's selector picked the first RSA key alone, so
        // every token of the second was refused (SIGNATURE_INVALID), and no refresh could help.
        jwksBody = jwksWithoutKids(first, second);
        try (JwtVerifier verifier = verifier(jwksUri(), 3600)) {
            String bySecond = TestTokens.sign(TestTokens.claims("alice", "admin"), "RS256", second.getPrivate(), jws -> { });
            assertEquals("alice", verifier.verify(bySecond).getName());
            String byFirst = TestTokens.sign(TestTokens.claims("bob"), "RS256", first.getPrivate(), jws -> { });
            assertEquals("bob", verifier.verify(byFirst).getName());
            String byNeither = TestTokens.sign(TestTokens.claims("eve"), "RS256", TestTokens.rsaKeyPair().getPrivate(), jws -> { });
            JwtVerifierTest.rejectionOf(verifier, byNeither);
            assertEquals(1, hits.get());
        }
    }

    @Test
    void whenSeveralKeysFitAndOneIsTooWeakToUseThenTheOthersAreStillTried() throws Exception {
        // A legacy 1024-bit key listed first: jose4j refuses to verify with it, which must not refuse the token.
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        jwksBody = jwksWithoutKids(generator.generateKeyPair(), first);
        try (JwtVerifier verifier = verifier(jwksUri(), 3600)) {
            String token = TestTokens.sign(TestTokens.claims("alice"), "RS256", first.getPrivate(), jws -> { });
            assertEquals("alice", verifier.verify(token).getName());
        }
    }
    /** A set of one key per pair under its kid; the pairs of {@code withPrivatePart} published whole (d, p, q, …). */
    private static String setPublishing(Map<String, KeyPair> byKid, String... withPrivatePart) throws JoseException {
        List<JsonWebKey> keys = new ArrayList<>();
        for (Map.Entry<String, KeyPair> entry : byKid.entrySet()) {
            PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(entry.getValue().getPublic());
            jwk.setKeyId(entry.getKey());
            if (List.of(withPrivatePart).contains(entry.getKey())) {
                jwk.setPrivateKey(entry.getValue().getPrivate());
            }
            keys.add(jwk);
        }
        return new JsonWebKeySet(keys).toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE);
    }

    @Test
    void whenTheSetPublishesAKeysPrivatePartThenThatKeyVerifiesNothingAndTheWarningSaysSo() throws Exception {
        // Served to anyone who asks: whoever reads the set can sign tokens with that key, so it proves nothing. It
        // verified every token signed with it, as jwt.public-key refuses a private key and a DPoP jwk one.
        jwksBody = setPublishing(new java.util.TreeMap<>(Map.of("k1", first, "k2", second)), "k2");
        String log = standardErrorOf(() -> {
            try (JwtVerifier verifier = verifier(jwksUri(), 3600)) {
                assertEquals("alice", verifier.verify(rs256(first, "k1")).getName());
                assertEquals(Rejection.UNKNOWN_KEY, JwtVerifierTest.rejectionOf(verifier, rs256(second, "k2")));
            }
        });
        assertTrue(log.contains("JWKS from " + jwksUri() + " publishes the private part of the key [k2]"), log);
        assertFalse(log.contains(((java.security.interfaces.RSAPrivateKey) second.getPrivate()).getPrivateExponent()
                .toString()), "no key material in the log");
    }

    @Test
    void whenTheSetPublishesAKeysPrimeFactorsWithoutItsPrivateExponentThenThatKeyVerifiesNothingEither() throws Exception {
        // n, e, p and q, no d: jose4j makes no private key of them, so the key was trusted, though p and q give d to
        // anyone who reads the set (the reviewer signed a token so, and it was accepted).
        PublicJsonWebKey whole = PublicJsonWebKey.Factory.newPublicJwk(second.getPublic());
        whole.setKeyId("k2");
        whole.setPrivateKey(second.getPrivate());
        Map<String, Object> factors = org.jose4j.json.JsonUtil.parseJson(whole.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
        factors.keySet().retainAll(List.of("kty", "kid", "n", "e", "p", "q"));
        PublicJsonWebKey k1 = PublicJsonWebKey.Factory.newPublicJwk(first.getPublic());
        k1.setKeyId("k1");
        jwksBody = "{\"keys\":[" + k1.toJson() + "," + org.jose4j.json.JsonUtil.toJson(factors) + "]}";
        String log = standardErrorOf(() -> {
            try (JwtVerifier verifier = verifier(jwksUri(), 3600)) {
                assertEquals("alice", verifier.verify(rs256(first, "k1")).getName());
                assertEquals(Rejection.UNKNOWN_KEY, JwtVerifierTest.rejectionOf(verifier, rs256(second, "k2")));
            }
        });
        assertTrue(log.contains("publishes the private part of the key [k2]"), log);
    }

    @Test
    void whenEveryKeyOfTheSetIsPublishedWithItsPrivatePartThenKeysUnavailable() throws Exception {
        jwksBody = setPublishing(Map.of("k1", first), "k1");
        try (JwtVerifier verifier = verifier(jwksUri(), 3600)) {
            String message = assertThrows(KeysUnavailableException.class, () -> verifier.verify(rs256(first, "k1")))
                    .getMessage();
            assertEquals("the JWKS from " + jwksUri() + " holds 1 key, none usable to verify: "
                    + "a private key (published: anyone who reads the set can sign with it)", message);
        }
    }
}
