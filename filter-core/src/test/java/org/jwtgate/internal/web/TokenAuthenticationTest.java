package org.jwtgate.internal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.when;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.net.URI;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jose4j.jwt.JwtClaims;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.dpop.DpopRejection;
import org.jwtgate.dpop.InvalidDpopProofException;
import org.jwtgate.engine.JwtGate;
import org.jwtgate.internal.dpop.TargetUri;
import org.jwtgate.internal.revocation.ProofRecordFullException;
import org.jwtgate.internal.token.ResolvedToken;
import org.jwtgate.internal.token.TokenSource;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.testkit.tokens.DpopKey;
import org.jwtgate.testkit.tokens.TestTokens;
import org.jwtgate.verify.InvalidTokenException;
import org.jwtgate.verify.Rejection;

/** The DPoP steps and the CSRF rule every front end shares, on a gate with the memory store (no network), and mocked requests. */
class TokenAuthenticationTest {

    private static final String URL = "http://127.0.0.1:8080/api";
    private static final DpopKey KEY = DpopKey.es256();
    private JwtGate gate;

    private TokenAuthentication steps(String mode) {
        Map<String, String> settings = new java.util.LinkedHashMap<>(TestTokens.settings());
        settings.put(ConfigKeys.DPOP_MODE, mode);
        gate = JwtGate.start(JwtGateConfig.of(settings));
        return new TokenAuthentication(gate);
    }

    @AfterEach
    void close() {
        if (gate != null) {
            gate.close();
        }
    }

    private static HttpServletRequest request(String scheme, String host, int port, String path, List<String> proofs) {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getScheme()).thenReturn(scheme);
        when(request.getServerName()).thenReturn(host);
        when(request.getServerPort()).thenReturn(port);
        when(request.getRequestURI()).thenReturn(path);
        when(request.getMethod()).thenReturn("GET");
        when(request.getHeaders("DPoP")).thenReturn(Collections.enumeration(proofs));
        // A container answers getHeader with the first of getHeaders.
        when(request.getHeader("DPoP")).thenReturn(proofs.isEmpty() ? null : proofs.get(0));
        return request;
    }

    /** A wrapper of another filter before JwtGate that answers getHeader("DPoP") alone, as hand-written ones often do. */
    private static HttpServletRequest proofWrapper(HttpServletRequest container, String proof) {
        return new HttpServletRequestWrapper(container) {
            @Override
            public String getHeader(String name) {
                return "DPoP".equalsIgnoreCase(name) ? proof : super.getHeader(name);
            }
        };
    }

    private static String boundToken() {
        return TestTokens.hs256(DpopKey.bind(TestTokens.claims("alice"), KEY));
    }

    @Test
    void whenRequestPartsAreReadThenTheUriIsTheNormalisedOriginAndRawPath() {
        assertEquals(URI.create("http://127.0.0.1:8080/api"), TokenAuthentication.requestUri(request("http", "127.0.0.1", 8080, "/api", List.of())));
        assertEquals(URI.create("https://api.example/a%2Fb"), TokenAuthentication.requestUri(request("https", "API.example", 443, "/a%2fb", List.of())));
        assertEquals(URI.create("http://[::1]:8080/x"), TokenAuthentication.requestUri(request("http", "::1", 8080, "/x", List.of())));
        assertEquals(URI.create("http://h/caf%C3%A9"), TokenAuthentication.requestUri(request("http", "h", 80, "/café", List.of())));
        assertNull(TokenAuthentication.requestUri(request("http", "", 80, "/x", List.of())));
    }

    /** A host name holding a path, query or user part, as a request wrapper might hand it over, makes no request URI. */
    @Test
    void whenTheHostIsNoHostNameThenNoProofCanMatchTheRequest() {
        for (String host : List.of("api.example/read?", "api.example/read", "api.example#", "user@api.example", "api example",
                "api.example\\x")) {
            assertNull(TokenAuthentication.requestUri(request("https", host, 443, "/admin", List.of())), host);
        }
        assertEquals(URI.create("http://[fe80::1%25eth0]:8080/x"),
                TokenAuthentication.requestUri(request("http", "fe80::1%25eth0", 8080, "/x", List.of())));
    }

    /**
     * Paths a container may serve from another resource than their RFC 3986 normal form names (Tomcat: "/a/b//../c"
     * serves /a/c, "/a/b/..;/c" serves /c): no request URI, so no proof matches them.
     */
    @Test
    void whenTheRequestPathIsAmbiguousThenNoProofCanMatchIt() {
        for (String path : List.of("/app/api/users/123//../orders", "/app/api/v1/..;/../orders", "/app/api/v1/.;x/../orders",
                "/a/%2e%2e/b", "/a/%2E/b", "/a/./b", "/a/../b", "/a//b", "//a", "/a/..", "/a/.", "/..;x/a")) {
            assertTrue(TargetUri.isAmbiguousPath(path), path);
            assertNull(TokenAuthentication.requestUri(request("https", "api.example", 443, path, List.of())), path);
        }
        for (String path : List.of("/", "/a", "/a/", "/a/b", "/a;jsessionid=1/b", "/a/b;v=2", "/a/..b", "/a/.well-known/x",
                "/a/...", "/a%2eb")) {
            assertFalse(TargetUri.isAmbiguousPath(path), path);
        }
        assertEquals(URI.create("https://api.example/a;jsessionid=1/b"),
                TokenAuthentication.requestUri(request("https", "api.example", 443, "/a;jsessionid=1/b", List.of())));
    }

    @Test
    void whenTheDpopSchemeComesWithoutOneProofThenRefusedBeforeAnythingElse() {
        TokenAuthentication steps = steps("allowed");
        String token = boundToken();
        ResolvedToken resolved = ResolvedToken.presentDpop(token);
        assertEquals(DpopRejection.MISSING, assertThrows(InvalidDpopProofException.class,
                () -> steps.verify(request("http", "127.0.0.1", 8080, "/api", List.of()), resolved)).rejection());
        String proof = KEY.proof("GET", URL).accessToken(token).sign();
        assertEquals(DpopRejection.MULTIPLE, assertThrows(InvalidDpopProofException.class,
                () -> steps.verify(request("http", "127.0.0.1", 8080, "/api", List.of(proof, proof)), resolved)).rejection());
        assertEquals(DpopRejection.MULTIPLE, assertThrows(InvalidDpopProofException.class,
                () -> steps.verify(request("http", "127.0.0.1", 8080, "/api", List.of(proof + "," + proof)), resolved)).rejection());
    }

    @Test
    void whenTheProofIsValidThenThePrincipalIsSenderConstrainedAndTheProofIsOneTime() {
        TokenAuthentication steps = steps("allowed");
        String token = boundToken();
        String proof = KEY.proof("GET", URL).accessToken(token).sign();
        HttpServletRequest request = request("http", "127.0.0.1", 8080, "/api", List.of(proof));
        TokenAuthentication.Verified verified = steps.verify(request, ResolvedToken.presentDpop(token));
        assertTrue(verified.principal().isSenderConstrained());
        assertFalse(verified.revocationUnchecked() || verified.proofReplayUnchecked());
        assertNull(verified.dpopNonce());
        assertEquals(DpopRejection.REPLAYED, assertThrows(InvalidDpopProofException.class,
                () -> steps.verify(request("http", "127.0.0.1", 8080, "/api", List.of(proof)), ResolvedToken.presentDpop(token)))
                .rejection());
    }

    /** The proof is read as the token is: a wrapper that supplies the token by getHeader alone is seen, so is its proof. */
    @Test
    void whenAWrapperSuppliesTheProofByGetHeaderAloneThenItIsVerified() {
        TokenAuthentication steps = steps("allowed");
        String token = boundToken();
        String proof = KEY.proof("GET", URL).accessToken(token).sign();
        HttpServletRequest wrapped = proofWrapper(request("http", "127.0.0.1", 8080, "/api", List.of()), proof);
        assertTrue(steps.verify(wrapped, ResolvedToken.presentDpop(token)).principal().isSenderConstrained());
    }

    @Test
    void whenAWrapperReplacesTheProofByGetHeaderOrGetHeadersAloneThenTheReplacementIsVerified() {
        TokenAuthentication steps = steps("allowed");
        String token = boundToken();
        String stale = KEY.proof("GET", "http://127.0.0.1:8080/other").accessToken(token).sign();
        String proof = KEY.proof("GET", URL).accessToken(token).sign();
        HttpServletRequest byGetHeader = proofWrapper(request("http", "127.0.0.1", 8080, "/api", List.of(stale)), proof);
        assertTrue(steps.verify(byGetHeader, ResolvedToken.presentDpop(token)).principal().isSenderConstrained());

        String another = KEY.proof("GET", URL).accessToken(token).sign();
        HttpServletRequest byGetHeaders = new HttpServletRequestWrapper(request("http", "127.0.0.1", 8080, "/api", List.of(stale))) {
            @Override
            public Enumeration<String> getHeaders(String name) {
                return "DPoP".equalsIgnoreCase(name) ? Collections.enumeration(List.of(another)) : super.getHeaders(name);
            }
        };
        assertTrue(steps.verify(byGetHeaders, ResolvedToken.presentDpop(token)).principal().isSenderConstrained());
    }

    /** RFC 9449: exactly one proof. A wrapper answering one does not hide the second the request carries. */
    @Test
    void whenAWrapperAnswersOneProofButTheRequestCarriesTwoThenRefusedAsMultiple() {
        TokenAuthentication steps = steps("allowed");
        String token = boundToken();
        String proof = KEY.proof("GET", URL).accessToken(token).sign();
        HttpServletRequest wrapped = proofWrapper(request("http", "127.0.0.1", 8080, "/api", List.of(proof, proof)), proof);
        assertEquals(DpopRejection.MULTIPLE, assertThrows(InvalidDpopProofException.class,
                () -> steps.verify(wrapped, ResolvedToken.presentDpop(token))).rejection());
    }

    @Test
    void whenTheProofRecordIsUnavailableThenFailOpenPassesUnlessTheInMemoryRecordIsFull() {
        Map<String, String> settings = new java.util.LinkedHashMap<>(TestTokens.settings());
        settings.put(ConfigKeys.DPOP_MODE, "allowed");
        settings.put(ConfigKeys.REVOCATION_FAILURE_MODE, "open");
        gate = JwtGate.start(JwtGateConfig.of(settings));
        JwtGate recordFails = spy(gate);
        TokenAuthentication steps = new TokenAuthentication(recordFails);
        String token = boundToken();

        // An outage (Redis cannot write): the operator chose availability, the pass is audited.
        doThrow(new RevocationUnavailableException("Redis down")).when(recordFails)
                .verifyDpopProof(anyString(), anyString(), any(URI.class), anyString(), any(JwtPrincipal.class));
        String proof = KEY.proof("GET", URL).accessToken(token).sign();
        assertTrue(steps.verify(request("http", "127.0.0.1", 8080, "/api", List.of(proof)),
                ResolvedToken.presentDpop(token)).proofReplayUnchecked());

        // A full in-memory record is anyone's doing (a key mints proofs at will): never a pass, or replays would be.
        doThrow(new ProofRecordFullException("full")).when(recordFails)
                .verifyDpopProof(anyString(), anyString(), any(URI.class), anyString(), any(JwtPrincipal.class));
        String another = KEY.proof("GET", URL).accessToken(token).sign();
        assertThrows(ProofRecordFullException.class, () -> steps.verify(
                request("http", "127.0.0.1", 8080, "/api", List.of(another)), ResolvedToken.presentDpop(token)));
    }

    @Test
    void whenABoundTokenIsPresentedAsBearerThenRefusedAsADowngrade() {
        TokenAuthentication steps = steps("allowed");
        assertEquals(Rejection.DPOP_BOUND_AS_BEARER, assertThrows(InvalidTokenException.class,
                () -> steps.verify(boundToken())).rejection());
        assertFalse(steps.verify(TestTokens.hs256("bob")).principal().isSenderConstrained(), "unbound bearer tokens pass");
    }

    @ParameterizedTest(name = "cnf {0}")
    @ValueSource(strings = {"string", "array", "number", "null"})
    void whenCnfIsNoObjectThenABearerTokenIsRefusedAsABindingWrittenWrong(String form) {
        TokenAuthentication steps = steps("allowed");
        JwtClaims claims = TestTokens.claims("alice");
        switch (form) {
            case "string" -> claims.setClaim("cnf", KEY.thumbprint());
            case "array" -> claims.setClaim("cnf", List.of(KEY.thumbprint()));
            case "null" -> claims.setClaim("cnf", null);
            default -> claims.setClaim("cnf", 42);
        }
        assertEquals(Rejection.DPOP_BOUND_AS_BEARER, assertThrows(InvalidTokenException.class,
                () -> steps.verify(TestTokens.hs256(claims))).rejection());
        JwtClaims otherMethod = TestTokens.claims("alice");
        otherMethod.setClaim("cnf", Map.of("kid", "some-key"));
        assertFalse(steps.verify(TestTokens.hs256(otherMethod)).principal().isSenderConstrained(),
                "a cnf object without jkt names another method, as before (x5t#S256: CertificateBindingTest)");
    }

    @Test
    void whenDpopIsRequiredThenEveryBearerTokenIsRefused() {
        TokenAuthentication steps = steps("required");
        assertEquals(Rejection.DPOP_REQUIRED, assertThrows(InvalidTokenException.class,
                () -> steps.verify(TestTokens.hs256("bob"))).rejection());
    }

    @Test
    void whenDpopIsOffThenABoundTokenPassesAsBeforeButIsNotSenderConstrained() {
        TokenAuthentication steps = steps("off");
        TokenAuthentication.Verified verified = steps.verify(boundToken());
        assertTrue(verified.principal().isDpopBound());
        assertFalse(verified.principal().isSenderConstrained());
        assertThrows(IllegalStateException.class, () -> gate.verifyDpopProof("x", "GET", URI.create(URL)));
        assertTrue(gate.newDpopNonce().isEmpty());
    }

    // ---- the CSRF rule (csrf.mode=origin, the default) -------------------------------------------

    private static HttpServletRequest crossSite(String method, String... upgradeFields) {
        HttpServletRequest request = request("http", "127.0.0.1", 8080, "/api", List.of());
        when(request.getMethod()).thenReturn(method);
        when(request.getHeader("Origin")).thenReturn("https://evil.example");
        when(request.getHeaders("Upgrade")).thenReturn(Collections.enumeration(List.of(upgradeFields)));
        return request;
    }

    private static final ResolvedToken BY_COOKIE = ResolvedToken.present("t", TokenSource.COOKIE);

    /** Cross-site WebSocket hijacking: the handshake is a GET, but the socket acts as the user. */
    @ParameterizedTest(name = "Upgrade [{0}]")
    @ValueSource(strings = {"websocket", "WebSocket", "WEBSOCKET", "h2c, websocket", " foo/2 ,websocket/13 ", "websocket,"})
    void whenACookieAuthenticatedGetUpgradesToWebSocketCrossSiteThenRefused(String upgrade) {
        TokenAuthentication steps = steps("off");
        assertTrue(steps.refusesCrossSite(crossSite("GET", upgrade), BY_COOKIE));
        assertTrue(steps.refusesCrossSite(crossSite("GET", "h2c", upgrade), BY_COOKIE), "in a second Upgrade field");
    }

    @ParameterizedTest(name = "Upgrade [{0}]")
    @ValueSource(strings = {"websocketx", "h2c", "web socket", "", ",", "foo/websocket"})
    void whenUpgradeNamesNoWebSocketThenACookieAuthenticatedGetIsNotChecked(String upgrade) {
        TokenAuthentication steps = steps("off");
        assertFalse(steps.refusesCrossSite(crossSite("GET", upgrade), BY_COOKIE));
        assertFalse(steps.refusesCrossSite(crossSite("GET"), BY_COOKIE), "no Upgrade field");
        HttpServletRequest hidden = crossSite("GET");
        when(hidden.getHeaders("Upgrade")).thenReturn(null); // a container that does not show headers
        assertFalse(steps.refusesCrossSite(hidden, BY_COOKIE));
    }

    @Test
    void whenAWebSocketHandshakeIsSameOriginOrHeaderAuthenticatedThenAllowed() {
        TokenAuthentication steps = steps("off");
        HttpServletRequest sameOrigin = crossSite("GET", "websocket");
        when(sameOrigin.getHeader("Origin")).thenReturn("http://127.0.0.1:8080");
        assertFalse(steps.refusesCrossSite(sameOrigin, BY_COOKIE));
        assertFalse(steps.refusesCrossSite(crossSite("GET", "websocket"), ResolvedToken.present("t", TokenSource.HEADER)));
    }

    /** HTTP/2's WebSocket bootstrapping (RFC 8441) is an extended CONNECT, without Upgrade: an unsafe method. */
    @Test
    void whenACookieAuthenticatedConnectIsCrossSiteThenRefused() {
        assertTrue(steps("off").refusesCrossSite(crossSite("CONNECT"), BY_COOKIE));
    }

    @Test
    void whenCsrfModeIsOffThenNoWebSocketHandshakeIsChecked() {
        Map<String, String> settings = new java.util.LinkedHashMap<>(TestTokens.settings());
        settings.put(ConfigKeys.CSRF_MODE, "off");
        gate = JwtGate.start(JwtGateConfig.of(settings));
        assertFalse(new TokenAuthentication(gate).refusesCrossSite(crossSite("GET", "websocket"), BY_COOKIE));
    }
}
