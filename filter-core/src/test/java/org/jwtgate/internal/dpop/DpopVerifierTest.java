package org.jwtgate.internal.dpop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jwtgate.config.DpopSettings;
import org.jwtgate.config.SigningAlgorithm;
import org.jwtgate.dpop.DpopProof;
import org.jwtgate.dpop.DpopRejection;
import org.jwtgate.dpop.InvalidDpopProofException;
import org.jwtgate.internal.revocation.MemoryProofJtiStore;
import org.jwtgate.internal.revocation.ProofJtiStore;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.testkit.tokens.DpopKey;
import org.jwtgate.verify.InvalidTokenException;
import org.jwtgate.verify.Rejection;

/** The request-level checks of a proof, in their order, with a fixed clock and an in-memory record. */
class DpopVerifierTest {

    private static final String URL = "http://127.0.0.1:8080/api/orders";
    private static final URI REQUEST = URI.create(URL);
    private static final String TOKEN = "header.payload.signature";
    private static final DpopKey KEY = DpopKey.es256();
    private static final byte[] NONCE_SECRET = "nonce-secret-0123456789abcdefghij".getBytes(StandardCharsets.UTF_8);
    private static final int SKEW = 30;

    private final Clock clock = Clock.fixed(Instant.now(), ZoneOffset.UTC);
    private final long now = clock.millis() / 1000;
    private final RecordingStore store = new RecordingStore(new MemoryProofJtiStore(clock));

    /** Counts what reaches the store: a refused proof must never be recorded. */
    static final class RecordingStore implements ProofJtiStore {
        final ProofJtiStore delegate;
        final List<Duration> windows = new ArrayList<>();
        RuntimeException failure;

        RecordingStore(ProofJtiStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public boolean firstUse(String subject, String keyThumbprint, String proofId, Duration window) {
            windows.add(window);
            if (failure != null) {
                throw failure;
            }
            return delegate.firstUse(subject, keyThumbprint, proofId, window);
        }

        @Override
        public boolean firstTokenRequestUse(String keyThumbprint, String proofId, Duration window) {
            windows.add(window);
            if (failure != null) {
                throw failure;
            }
            return delegate.firstTokenRequestUse(keyThumbprint, proofId, window);
        }

        @Override
        public void close() {
        }
    }

    private static DpopSettings settings(boolean nonce, URI base) {
        return new DpopSettings(DpopSettings.Mode.ALLOWED, List.of(SigningAlgorithm.ES256, SigningAlgorithm.EdDSA), 60, nonce,
                nonce ? NONCE_SECRET : null, 300, base);
    }

    private DpopVerifier verifier() {
        return new DpopVerifier(settings(false, null), SKEW, store, clock);
    }

    private static JwtPrincipal token(String jkt) {
        Map<String, Object> claims = jkt == null ? Map.of("sub", "alice") : Map.of("sub", "alice", "cnf", Map.of("jkt", jkt));
        return new JwtPrincipal("alice", "alice", "https://issuer", "t-1", Instant.now(), Instant.now().plusSeconds(600),
                Set.of(), claims);
    }

    private DpopKey.Proof proof() {
        return KEY.proof("GET", URL).accessToken(TOKEN).issuedAt(now);
    }

    private DpopRejection refusal(DpopVerifier verifier, String proof, String method, URI uri) {
        return assertThrows(InvalidDpopProofException.class,
                () -> verifier.verify(proof, method, uri, TOKEN, token(KEY.thumbprint()))).rejection();
    }

    private DpopRejection refusal(String proof) {
        return refusal(verifier(), proof, "GET", REQUEST);
    }

    @Test
    void whenProofMatchesTheRequestThenAcceptedOnceAndRecordedForTheWholeWindow() {
        DpopKey.Proof built = proof();
        String proof = built.sign();
        DpopProof accepted = verifier().verify(proof, "GET", REQUEST, TOKEN, token(KEY.thumbprint()));
        assertEquals(KEY.thumbprint(), accepted.thumbprint());
        assertEquals(built.jti(), accepted.proofId());
        assertEquals(Instant.ofEpochSecond(now), accepted.issuedAt());
        assertFalse(accepted.nextNonce().isPresent());
        assertEquals(List.of(Duration.ofSeconds(60 + 2 * SKEW + 1)), store.windows);

        assertEquals(DpopRejection.REPLAYED, refusal(proof));
    }

    @Test
    void whenMethodDiffersThenRefused() {
        assertEquals(DpopRejection.METHOD_MISMATCH, refusal(proof().claim("htm", "POST").sign()));
        assertEquals(DpopRejection.METHOD_MISMATCH, refusal(proof().claim("htm", "get").sign()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1:8080/api/orders", "http://localhost:8080/api/orders",
            "http://127.0.0.1:8081/api/orders", "http://127.0.0.1/api/orders", "http://127.0.0.1:8080/api/order",
            "http://127.0.0.1:8080/api/orders/", "http://127.0.0.1:8080/api%2Forders", "http://127.0.0.1:8080/API/orders",
            "/api/orders", "not a uri"})
    void whenUriDiffersThenRefused(String htu) {
        assertEquals(DpopRejection.URI_MISMATCH, refusal(proof().claim("htu", htu).sign()));
    }

    /**
     * Request URIs a container may serve from another resource than their normal form, /api/orders, names (Tomcat
     * merges "//" before it resolves "..": /api//../orders serves /orders, /api/x//../../orders serves /orders). The filter refuses them before it asks;
     * an application calling JwtGate directly with the raw request URI is refused here.
     */
    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/api//../orders", "http://127.0.0.1:8080/api/x//../../orders"})
    void whenTheRequestUriIsAmbiguousThenRefusedThoughItNormalisesToTheProofsHtu(String requestUri) {
        assertEquals(DpopRejection.URI_MISMATCH, refusal(verifier(), proof().sign(), "GET", URI.create(requestUri)));
        DpopVerifier tokenEndpoint = verifier();
        String tokenRequestProof = proof().claim("ath", null).sign();
        InvalidDpopProofException refused = assertThrows(InvalidDpopProofException.class,
                () -> tokenEndpoint.verify(tokenRequestProof, "GET", URI.create(requestUri)));
        assertEquals(DpopRejection.URI_MISMATCH, refused.rejection());
    }

    @ParameterizedTest
    @ValueSource(strings = {"urn:x:y", "https:api.example/x"})
    void whenTheRequestUriIsOpaqueThenUriMismatchNotAnException(String requestUri) {
        assertEquals(DpopRejection.URI_MISMATCH, refusal(verifier(), proof().sign(), "GET", URI.create(requestUri)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"urn:x:y", "https:api.example/x"})
    void whenTheRequestUriIsOpaqueBehindAPublicBaseUrlThenUriMismatchNotTheOriginsRoot(String requestUri) {
        // Before: with dpop.public-base-url, an opaque URI's null path was taken for "/", so a proof for the origin's
        // root was accepted for whatever the application meant.
        DpopVerifier behindProxy = new DpopVerifier(settings(false, URI.create("https://api.example.com")), SKEW, store, clock);
        String rootProof = proof().claim("htu", "https://api.example.com/").sign();
        assertEquals(DpopRejection.URI_MISMATCH, refusal(behindProxy, rootProof, "GET", URI.create(requestUri)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/api/orders?page=2", "http://127.0.0.1:8080/api/orders#x",
            "HTTP://127.0.0.1:8080/api/orders", "http://127.0.0.1:8080/api/%6Frders", "http://127.0.0.1:8080/api/./orders"})
    void whenUriIsEquivalentThenAccepted(String htu) {
        verifier().verify(proof().claim("htu", htu).sign(), "GET", URI.create(URL + "?other=query"), TOKEN,
                token(KEY.thumbprint()));
    }

    @Test
    void whenPublicBaseUrlConfiguredThenThatOriginAndTheRequestPathAreExpected() {
        DpopVerifier behindProxy = new DpopVerifier(settings(false, URI.create("https://api.example.com")), SKEW, store, clock);
        String publicProof = proof().claim("htu", "https://api.example.com/api/orders").sign();
        behindProxy.verify(publicProof, "GET", REQUEST, TOKEN, token(KEY.thumbprint()));
        assertEquals(DpopRejection.URI_MISMATCH, refusal(behindProxy, proof().sign(), "GET", REQUEST));
    }

    @Test
    void whenIatAtTheEdgesOfTheWindowThenAcceptedJustInside() {
        verifier().verify(proof().issuedAt(now - 60).sign(), "GET", REQUEST, TOKEN, token(KEY.thumbprint()));
        verifier().verify(proof().issuedAt(now + SKEW).sign(), "GET", REQUEST, TOKEN, token(KEY.thumbprint()));
        assertEquals(DpopRejection.TOO_OLD, refusal(proof().issuedAt(now - 61).sign()));
        assertEquals(DpopRejection.ISSUED_IN_FUTURE, refusal(proof().issuedAt(now + SKEW + 1).sign()));
        assertEquals(DpopRejection.TOO_OLD, refusal(proof().issuedAt(0).sign()));
        assertEquals(DpopRejection.ISSUED_IN_FUTURE, refusal(proof().issuedAt(Long.MAX_VALUE / 1000).sign()));
    }

    @Test
    void whenAthMissingOrForAnotherTokenThenRefused() {
        assertEquals(DpopRejection.TOKEN_HASH_MISMATCH, refusal(proof().claim("ath", null).sign()));
        assertEquals(DpopRejection.TOKEN_HASH_MISMATCH, refusal(proof().accessToken("another.token.value").sign()));
        assertEquals(DpopRejection.TOKEN_HASH_MISMATCH, refusal(proof().claim("ath", DpopKey.tokenHash(TOKEN) + "=").sign()));
    }

    @Test
    void whenTokenIsNotBoundToTheProofKeyThenInvalidToken() {
        String proof = proof().sign();
        InvalidTokenException unbound = assertThrows(InvalidTokenException.class,
                () -> verifier().verify(proof, "GET", REQUEST, TOKEN, token(null)));
        assertEquals(Rejection.DPOP_KEY_MISMATCH, unbound.rejection());
        InvalidTokenException other = assertThrows(InvalidTokenException.class,
                () -> verifier().verify(proof, "GET", REQUEST, TOKEN, token(DpopKey.es256().thumbprint())));
        assertEquals(Rejection.DPOP_KEY_MISMATCH, other.rejection());
        assertTrue(store.windows.isEmpty(), "nothing recorded for a refused proof");
    }

    @Test
    void whenCheapChecksFailThenNoSignatureIsCheckedAndNothingRecorded() {
        // Signed by another key AND wrong method: the method is reported, the store never asked.
        String proof = proof().claim("htm", "DELETE").signedBy(DpopKey.es256()).sign();
        assertEquals(DpopRejection.METHOD_MISMATCH, refusal(proof));
        assertEquals(DpopRejection.SIGNATURE_INVALID, refusal(proof().signedBy(DpopKey.es256()).sign()));
        assertTrue(store.windows.isEmpty());
    }

    @Test
    void whenStoreCannotAnswerThenItsExceptionReachesTheCaller() {
        store.failure = new RevocationUnavailableException("down");
        assertThrows(RevocationUnavailableException.class,
                () -> verifier().verify(proof().sign(), "GET", REQUEST, TOKEN, token(KEY.thumbprint())));
    }

    @Test
    void whenTokenHasNoSubjectThenInvalidTokenNotACrash() {
        JwtPrincipal anonymous = new JwtPrincipal("x", null, "https://issuer", "t", Instant.now(), Instant.now().plusSeconds(60),
                Set.of(), Map.of("cnf", Map.of("jkt", KEY.thumbprint())));
        assertEquals(Rejection.CLAIM_MISSING, assertThrows(InvalidTokenException.class,
                () -> verifier().verify(proof().sign(), "GET", REQUEST, TOKEN, anonymous)).rejection());
    }

    // ---- nonces ----------------------------------------------------------------------------------

    @Test
    void whenNonceRequiredThenMissingStaleAndForgedNoncesGetAFreshOne() {
        DpopVerifier verifier = new DpopVerifier(settings(true, null), SKEW, store, clock);
        InvalidDpopProofException missing = assertThrows(InvalidDpopProofException.class,
                () -> verifier.verify(proof().sign(), "GET", REQUEST, TOKEN, token(KEY.thumbprint())));
        assertEquals(DpopRejection.NONCE_MISSING, missing.rejection());
        assertEquals(DpopRejection.USE_DPOP_NONCE, missing.rejection().errorCode());
        String fresh = missing.freshNonce().orElseThrow();

        DpopNonces old = new DpopNonces(NONCE_SECRET, 300, SKEW, Clock.fixed(clock.instant().minusSeconds(400), ZoneOffset.UTC));
        assertEquals(DpopRejection.NONCE_STALE, refusal(verifier, proof().nonce(old.issue()).sign(), "GET", REQUEST));
        DpopNonces forger = new DpopNonces("forged-secret-0123456789abcdefghij".getBytes(StandardCharsets.UTF_8), 300, SKEW, clock);
        InvalidDpopProofException forged = assertThrows(InvalidDpopProofException.class,
                () -> verifier.verify(proof().nonce(forger.issue()).sign(), "GET", REQUEST, TOKEN, token(KEY.thumbprint())));
        assertEquals(DpopRejection.NONCE_INVALID, forged.rejection());
        assertTrue(forged.freshNonce().isPresent());
        assertTrue(store.windows.isEmpty());

        DpopProof accepted = verifier.verify(proof().nonce(fresh).sign(), "GET", REQUEST, TOKEN, token(KEY.thumbprint()));
        assertFalse(accepted.nextNonce().isPresent(), "a young nonce is not renewed");
    }

    @Test
    void whenNonceHalfWayThroughItsLifeThenTheAnswerCarriesTheNextOne() {
        DpopVerifier verifier = new DpopVerifier(settings(true, null), SKEW, store, clock);
        String aging = new DpopNonces(NONCE_SECRET, 300, SKEW, Clock.fixed(clock.instant().minusSeconds(200), ZoneOffset.UTC)).issue();
        DpopProof accepted = verifier.verify(proof().nonce(aging).sign(), "GET", REQUEST, TOKEN, token(KEY.thumbprint()));
        String next = accepted.nextNonce().orElseThrow();
        assertEquals(DpopNonces.Verdict.FRESH, new DpopNonces(NONCE_SECRET, 300, SKEW, clock).check(next));
        assertTrue(verifier.newNonce() != null);
        assertEquals(null, verifier().newNonce(), "no nonces while dpop.nonce=off");
    }

    // ---- token endpoint ---------------------------------------------------------------------------

    @Test
    void whenTokenRequestCarriesAProofThenItsKeyIsReturnedWithoutAth() {
        DpopProof proof = verifier().verify(KEY.proof("POST", "http://127.0.0.1:8080/login").issuedAt(now).sign(), "POST",
                URI.create("http://127.0.0.1:8080/login"));
        assertEquals(KEY.thumbprint(), proof.thumbprint());
    }

    @Test
    void whenATokenRequestProofNamesAnAccessTokenThenItIsRefusedAndNotRecorded() {
        // Made for a resource request (ath), whose record is per user: not usable a second time at a token endpoint.
        String proof = KEY.proof("POST", "http://127.0.0.1:8080/login").issuedAt(now).accessToken(TOKEN).sign();
        assertEquals(DpopRejection.TOKEN_HASH_MISMATCH, assertThrows(InvalidDpopProofException.class,
                () -> verifier().verify(proof, "POST", URI.create("http://127.0.0.1:8080/login"))).rejection());
        assertTrue(store.windows.isEmpty(), "a refused proof is never recorded");
    }

    @Test
    void whenATokenRequestProofIsReplayedThenItIsRefused() {
        String proof = KEY.proof("POST", "http://127.0.0.1:8080/login").issuedAt(now).sign();
        URI login = URI.create("http://127.0.0.1:8080/login");
        verifier().verify(proof, "POST", login);
        assertEquals(DpopRejection.REPLAYED, assertThrows(InvalidDpopProofException.class,
                () -> verifier().verify(proof, "POST", login)).rejection());
    }

    @Test
    void whenVerifierBuiltWhileDpopIsOffThenRefused() {
        assertThrows(IllegalArgumentException.class, () -> new DpopVerifier(DpopSettings.OFF, SKEW, store, clock));
    }
}
