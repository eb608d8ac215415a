package org.jwtgate.internal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import jakarta.servlet.http.HttpServletRequest;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.dpop.DpopRejection;
import org.jwtgate.dpop.InvalidDpopProofException;
import org.jwtgate.engine.JwtGate;
import org.jwtgate.internal.token.ResolvedToken;
import org.jwtgate.internal.token.TokenSource;
import org.jwtgate.testing.TlsCertificates;
import org.jwtgate.testkit.tokens.DpopKey;
import org.jwtgate.testkit.tokens.TestTokens;
import org.jwtgate.verify.InvalidTokenException;
import org.jwtgate.verify.Rejection;

/**
 * Certificate-bound tokens (RFC 8705 §3, {@code cnf.x5t#S256}) as every front end checks them
 * ({@link TokenAuthentication#verify(HttpServletRequest, ResolvedToken)}): real self-signed certificates (keytool), a
 * gate with the memory store, mocked requests carrying the container's certificate attribute.
 */
class CertificateBindingTest {

    private static final String URL = "http://127.0.0.1:8080/api";
    private static final DpopKey KEY = DpopKey.es256();
    private static TlsCertificates certificates;
    private static X509Certificate client;
    private static X509Certificate other;
    private JwtGate gate;

    @BeforeAll
    static void makeCertificates() {
        certificates = TlsCertificates.create();
        client = certificates.certificate("client");
        other = certificates.certificate("other");
    }

    @AfterAll
    static void deleteCertificates() throws Exception {
        certificates.close();
    }

    @AfterEach
    void close() {
        if (gate != null) {
            gate.close();
        }
    }

    private TokenAuthentication steps(String mode) {
        Map<String, String> settings = new LinkedHashMap<>(TestTokens.settings());
        settings.put(ConfigKeys.DPOP_MODE, mode);
        gate = JwtGate.start(JwtGateConfig.of(settings));
        return new TokenAuthentication(gate);
    }

    /** A request as the container hands it over: its TLS client's chain in the attribute, or no attribute. */
    private static HttpServletRequest request(Object chain, String... proofs) {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getScheme()).thenReturn("http");
        when(request.getServerName()).thenReturn("127.0.0.1");
        when(request.getServerPort()).thenReturn(8080);
        when(request.getRequestURI()).thenReturn("/api");
        when(request.getMethod()).thenReturn("GET");
        when(request.getHeaders("DPoP")).thenReturn(Collections.enumeration(List.of(proofs)));
        when(request.getHeader("DPoP")).thenReturn(proofs.length == 0 ? null : proofs[0]);
        when(request.getAttribute(CertificateBinding.CERTIFICATE_ATTRIBUTE)).thenReturn(chain);
        return request;
    }

    private static String boundTo(Object thumbprint) {
        JwtClaims claims = TestTokens.claims("alice", "admin");
        Map<String, Object> confirmation = new LinkedHashMap<>();
        confirmation.put(CertificateBinding.THUMBPRINT_MEMBER, thumbprint);
        claims.setClaim("cnf", confirmation);
        return TestTokens.hs256(claims);
    }

    private static ResolvedToken bearer(String token) {
        return ResolvedToken.present(token, TokenSource.HEADER);
    }

    private static Rejection refusal(TokenAuthentication steps, HttpServletRequest request, ResolvedToken resolved) {
        return assertThrows(InvalidTokenException.class, () -> steps.verify(request, resolved)).rejection();
    }

    @ParameterizedTest(name = "dpop.mode={0}")
    @ValueSource(strings = {"off", "allowed"})
    void whenTheRequestPresentsTheBoundCertificateThenTheTokenPasses(String mode) {
        TokenAuthentication steps = steps(mode);
        String token = boundTo(certificates.thumbprint("client"));
        assertEquals("alice", steps.verify(request(new X509Certificate[] {client}), bearer(token)).principal().getName());
        // The client's own certificate is the chain's first; its issuers may follow.
        assertEquals("alice", steps.verify(request(new X509Certificate[] {client, other}), bearer(token)).principal().getName());
        assertEquals("alice", steps.verify(request(new X509Certificate[] {client}), ResolvedToken.present(token, TokenSource.COOKIE))
                .principal().getName(), "in the cookie too");
    }

    @ParameterizedTest(name = "dpop.mode={0}")
    @ValueSource(strings = {"off", "allowed"})
    void whenTheRequestPresentsNoCertificateThenRefused(String mode) {
        TokenAuthentication steps = steps(mode);
        String token = boundTo(certificates.thumbprint("client"));
        assertEquals(Rejection.CERTIFICATE_MISMATCH, refusal(steps, request(null), bearer(token)));
        assertEquals(Rejection.CERTIFICATE_MISMATCH, refusal(steps, request(new X509Certificate[0]), bearer(token)));
        assertEquals(Rejection.CERTIFICATE_MISMATCH, refusal(steps, request(new X509Certificate[] {null}), bearer(token)));
        assertEquals(Rejection.CERTIFICATE_MISMATCH, refusal(steps, request(client), bearer(token)),
                "a certificate alone is not the attribute's X509Certificate[]");
        assertEquals(Rejection.CERTIFICATE_MISMATCH, refusal(steps, request(null),
                ResolvedToken.present(token, TokenSource.COOKIE)), "in the cookie too");
        assertEquals(Rejection.CERTIFICATE_MISMATCH, assertThrows(InvalidTokenException.class,
                () -> steps.verify(token)).rejection(), "with no request, there is no certificate");
    }

    @Test
    void whenTheRequestPresentsAnotherCertificateThenRefused() {
        TokenAuthentication steps = steps("off");
        String token = boundTo(certificates.thumbprint("client"));
        assertEquals(Rejection.CERTIFICATE_MISMATCH, refusal(steps, request(new X509Certificate[] {other}), bearer(token)));
        assertEquals(Rejection.CERTIFICATE_MISMATCH, refusal(steps, request(new X509Certificate[] {other, client}),
                bearer(token)), "only the chain's first is the client's");
    }

    /** The verified-token cache keeps the principal, not the request's certificate: each request is checked. */
    @Test
    void whenTheSameTokenComesAgainFromTheCacheThenEachRequestIsChecked() {
        TokenAuthentication steps = steps("off");
        assertTrue(gate.config().token().cacheSize() > 0, "the cache is on by default");
        String token = boundTo(certificates.thumbprint("client"));
        steps.verify(request(new X509Certificate[] {client}), bearer(token));
        assertEquals(Rejection.CERTIFICATE_MISMATCH, refusal(steps, request(null), bearer(token)));
        steps.verify(request(new X509Certificate[] {client}), bearer(token));
        assertEquals(Rejection.CERTIFICATE_MISMATCH, refusal(steps, request(new X509Certificate[] {other}), bearer(token)));
    }

    /** An x5t#S256 that is no unpadded base64url SHA-256 is a binding written wrong: refused, whatever the request shows. */
    @Test
    void whenTheThumbprintIsMalformedThenRefusedEvenWithACertificate() {
        TokenAuthentication steps = steps("off");
        String good = certificates.thumbprint("client");
        HttpServletRequest withCertificate = request(new X509Certificate[] {client});
        for (Object malformed : new Object[] {"", good.substring(1), good + "A", good + "=", good.replace(good.charAt(0), '+'),
                " " + good.substring(1), 42, List.of(good), Map.of("x5t#S256", good), true}) {
            assertEquals(Rejection.CERTIFICATE_MISMATCH, refusal(steps, withCertificate, bearer(boundTo(malformed))),
                    String.valueOf(malformed));
        }
        JwtClaims explicitNull = TestTokens.claims("alice");
        explicitNull.setClaim("cnf", Collections.singletonMap(CertificateBinding.THUMBPRINT_MEMBER, null));
        assertEquals(Rejection.CERTIFICATE_MISMATCH, refusal(steps, withCertificate, bearer(TestTokens.hs256(explicitNull))));
        // Upper and lower case differ in base64url: another thumbprint.
        String otherCase = Character.isUpperCase(good.charAt(0)) ? good.toLowerCase() : good.toUpperCase();
        assertEquals(Rejection.CERTIFICATE_MISMATCH, refusal(steps, withCertificate, bearer(boundTo(otherCase))));
    }

    /** A token without the binding costs a claims lookup: the request's certificate is not even asked for. */
    @ParameterizedTest(name = "dpop.mode={0}")
    @ValueSource(strings = {"off", "allowed"})
    void whenTheTokenHasNoCertificateBindingThenTheCertificateIsNotLookedUp(String mode) {
        TokenAuthentication steps = steps(mode);
        JwtClaims otherMethod = TestTokens.claims("bob");
        otherMethod.setClaim("cnf", Map.of("kid", "some-key"));
        for (String token : List.of(TestTokens.hs256("bob"), TestTokens.hs256(otherMethod))) {
            HttpServletRequest request = request(null);
            assertEquals("bob", steps.verify(request, bearer(token)).principal().getName());
            verify(request, never()).getAttribute(anyString());
        }
        if (mode.equals("off")) {
            HttpServletRequest request = request(null);
            assertTrue(steps.verify(request, bearer(TestTokens.hs256(DpopKey.bind(TestTokens.claims("bob"), KEY))))
                    .principal().isDpopBound(), "a DPoP-bound token under off, as before");
            verify(request, never()).getAttribute(anyString());
        }
    }

    /**
     * A token bound to both a DPoP key and a certificate needs both with the DPoP scheme; without the certificate it
     * is refused before its proof is recorded, so the proof still counts as unused.
     */
    @Test
    void whenADpopRequestLacksTheBoundCertificateThenRefusedBeforeTheProofIsUsed() {
        TokenAuthentication steps = steps("allowed");
        JwtClaims claims = TestTokens.claims("alice");
        claims.setClaim("cnf", Map.of("jkt", KEY.thumbprint(), CertificateBinding.THUMBPRINT_MEMBER,
                certificates.thumbprint("client")));
        String token = TestTokens.hs256(claims);
        String proof = KEY.proof("GET", URL).accessToken(token).sign();
        ResolvedToken resolved = ResolvedToken.presentDpop(token);
        assertEquals(Rejection.CERTIFICATE_MISMATCH, refusal(steps, request(null, proof), resolved));
        assertEquals(Rejection.CERTIFICATE_MISMATCH, refusal(steps, request(new X509Certificate[] {other}, proof), resolved));
        TokenAuthentication.Verified verified = steps.verify(request(new X509Certificate[] {client}, proof), resolved);
        assertTrue(verified.principal().isSenderConstrained());
        assertEquals(DpopRejection.REPLAYED, assertThrows(InvalidDpopProofException.class,
                () -> steps.verify(request(new X509Certificate[] {client}, proof), resolved)).rejection());
        assertEquals(Rejection.DPOP_BOUND_AS_BEARER, refusal(steps, request(new X509Certificate[] {client}), bearer(token)),
                "as a bearer token it is still a DPoP downgrade");
    }

    @Test
    void whenRefusedThenTheClientIsToldItIsTheCertificateAndTheMetricsCountItInvalid() {
        assertEquals("The access token is bound to a client certificate the request did not present",
                Rejection.CERTIFICATE_MISMATCH.publicDescription());
        assertFalse(Rejection.CERTIFICATE_MISMATCH.detail().isEmpty());
        assertEquals(org.jwtgate.internal.metrics.GateMetrics.Reason.INVALID,
                TokenAuthentication.reasonOf(Rejection.CERTIFICATE_MISMATCH));
    }
}
