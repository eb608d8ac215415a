package org.jwtgate.internal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jwtgate.testing.CapturedOutput;
import org.mockito.InOrder;

/** The exact RFC 6750 answers: status, WWW-Authenticate, JSON body, no caching. */
class BearerErrorResponderTest {

    private final BearerErrorResponder responder = new BearerErrorResponder("shop");
    private final CapturedOutput body = new CapturedOutput();
    private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    /** Every WWW-Authenticate header field, in order (set, then added). */
    private final List<String> challenges = new java.util.ArrayList<>();
    private HttpServletResponse response;
    private int status;

    @BeforeEach
    void response() throws IOException {
        response = mock(HttpServletResponse.class);
        doAnswer(call -> {
            if (call.getArgument(0).equals("WWW-Authenticate")) {
                challenges.clear();
                challenges.add(call.getArgument(1));
            }
            return headers.put(call.getArgument(0), call.getArgument(1));
        }).when(response).setHeader(anyString(), anyString());
        doAnswer(call -> challenges.add(call.getArgument(1))).when(response).addHeader(eq("WWW-Authenticate"), anyString());
        doAnswer(call -> status = call.getArgument(0)).when(response).setStatus(anyInt());
        doAnswer(call -> headers.put("Content-Type", call.getArgument(0))).when(response).setContentType(anyString());
        when(response.getOutputStream()).thenReturn(body);
    }

    private String body() {
        return body.text();
    }

    private void assertNoStoreJson() {
        assertEquals("no-store", headers.get("Cache-Control"));
        assertEquals("no-cache", headers.get("Pragma"));
        assertEquals("application/json", headers.get("Content-Type"));
        verify(response).setCharacterEncoding("UTF-8");
        verify(response).setContentLength(body.size());
    }

    @Test
    void whenTokenMissingThen401WithRealmOnlyChallenge() throws IOException {
        responder.missingToken(response);
        assertEquals(401, status);
        assertEquals("Bearer realm=\"shop\"", headers.get("WWW-Authenticate"));
        assertEquals("{\"error\":\"unauthorized\",\"error_description\":\"Authentication with a bearer token is required\"}", body());
        assertNoStoreJson();
    }

    @Test
    void whenTokenInvalidThen401InvalidTokenChallengeAndBody() throws IOException {
        responder.invalidToken(response, "The access token expired");
        assertEquals(401, status);
        assertEquals("Bearer realm=\"shop\", error=\"invalid_token\", error_description=\"The access token expired\"",
                headers.get("WWW-Authenticate"));
        assertEquals("{\"error\":\"invalid_token\",\"error_description\":\"The access token expired\"}", body());
        assertNoStoreJson();
    }

    @Test
    void whenRequestMalformedThen400InvalidRequest() throws IOException {
        responder.invalidRequest(response);
        assertEquals(400, status);
        assertEquals("Bearer realm=\"shop\", error=\"invalid_request\", "
                + "error_description=\"The request carries a malformed or ambiguous bearer token\"", headers.get("WWW-Authenticate"));
        assertEquals("{\"error\":\"invalid_request\",\"error_description\":\"The request carries a malformed or ambiguous bearer token\"}",
                body());
        assertNoStoreJson();
    }

    @Test
    void whenRoleMissingThen403InsufficientScopeWithSortedScope() throws IOException {
        Set<String> roles = new LinkedHashSet<>(List.of("reports", "admin"));
        responder.insufficientScope(response, roles);
        assertEquals(403, status);
        assertEquals("Bearer realm=\"shop\", error=\"insufficient_scope\", "
                + "error_description=\"The access token lacks a role this resource requires\", scope=\"admin reports\"",
                headers.get("WWW-Authenticate"));
        assertEquals("{\"error\":\"insufficient_scope\",\"error_description\":\"The access token lacks a role this resource requires\"}",
                body());
        assertNoStoreJson();
    }

    @Test
    void whenARoleNameHoldsAQuoteABackslashOrASpaceThenItIsLeftOutOfTheScope() throws IOException {
        // Cut down to its NQCHARs, "Domain Admins" was scope="DomainAdmins" and "ad\"min\\ x" scope="adminx": roles
        // that do not exist. The header stays well formed and names only roles that do.
        responder.insufficientScope(response, new LinkedHashSet<>(List.of("ad\"min\\ x", "Domain Admins", "reports")));
        assertEquals("Bearer realm=\"shop\", error=\"insufficient_scope\", "
                + "error_description=\"The access token lacks a role this resource requires\", scope=\"reports\"",
                headers.get("WWW-Authenticate"));
        responder.insufficientScope(response, Set.of("Domain Admins"));
        assertEquals("Bearer realm=\"shop\", error=\"insufficient_scope\", "
                + "error_description=\"The access token lacks a role this resource requires\"",
                headers.get("WWW-Authenticate"), "no role a scope token can name: no scope attribute");
    }

    @Test
    void whenARoleHasNoScopeTokenCharacterThenItIsLeftOutOfTheScope() throws IOException {
        // RFC 6749 §3.3: scope = scope-token *( SP scope-token ), scope-token = 1*NQCHAR: no empty token.
        responder.insufficientScope(response, new LinkedHashSet<>(List.of("\u0410\u0434\u043c\u0438\u043d", "admin")));
        assertEquals("Bearer realm=\"shop\", error=\"insufficient_scope\", "
                + "error_description=\"The access token lacks a role this resource requires\", scope=\"admin\"",
                headers.get("WWW-Authenticate"));
        responder.insufficientScope(response, Set.of("\u7ba1\u7406\u8005"));
        assertEquals("Bearer realm=\"shop\", error=\"insufficient_scope\", "
                + "error_description=\"The access token lacks a role this resource requires\"",
                headers.get("WWW-Authenticate"), "no representable role: no scope attribute rather than scope=\"\"");
    }

    @Test
    void whenCrossSiteThen403WithoutChallenge() throws IOException {
        responder.crossSiteRefused(response);
        assertEquals(403, status);
        assertNull(headers.get("WWW-Authenticate"));
        assertEquals("{\"error\":\"csrf_refused\",\"error_description\":\"Cross-site request refused\"}", body());
        assertNoStoreJson();
    }

    @Test
    void whenUnavailableThen503WithRetryAfterAndNoChallenge() throws IOException {
        responder.unavailable(response, 7);
        assertEquals(503, status);
        assertEquals("7", headers.get("Retry-After"));
        assertNull(headers.get("WWW-Authenticate"));
        assertEquals("{\"error\":\"temporarily_unavailable\",\"error_description\":\"Authentication is temporarily unavailable; retry later\"}",
                body());
        assertNoStoreJson();
    }

    @Test
    void whenResponseAlreadyCommittedThenNothingIsWritten() throws IOException {
        when(response.isCommitted()).thenReturn(true);
        responder.invalidToken(response, "The access token is invalid");
        verify(response, never()).setStatus(anyInt());
        verify(response, never()).getOutputStream();
        assertEquals(0, body.size());
    }

    /**
     * What the application buffered before asking (request.authenticate() after its page began) is dropped before the
     * answer is written: the body is the answer alone, as after sendError.
     */
    @Test
    void whenTheApplicationBufferedOutputThenTheBufferIsResetBeforeTheAnswer() throws IOException {
        responder.missingToken(response);
        InOrder order = inOrder(response);
        order.verify(response).resetBuffer();
        order.verify(response).getOutputStream();
        assertEquals("{\"error\":\"unauthorized\",\"error_description\":\"Authentication with a bearer token is required\"}",
                body());
    }

    // ---- DPoP (RFC 9449 §7.1) ------------------------------------------------------------------

    private static final String ALGS = "algs=\"ES256 EdDSA RS256 PS256\"";

    private static BearerErrorResponder dpop(org.jwtgate.config.DpopSettings.Mode mode) {
        org.jwtgate.config.DpopSettings off = org.jwtgate.config.DpopSettings.OFF;
        return new BearerErrorResponder("shop", new org.jwtgate.config.DpopSettings(mode, off.algorithms(),
                off.proofMaxAgeSeconds(), false, null, off.nonceLifetimeSeconds(), null));
    }

    @Test
    void whenDpopAllowedAndTokenMissingThenBothSchemesAreChallengedWithoutError() throws IOException {
        dpop(org.jwtgate.config.DpopSettings.Mode.ALLOWED).missingToken(response);
        assertEquals(401, status);
        assertEquals(List.of("Bearer realm=\"shop\"", "DPoP realm=\"shop\", " + ALGS), challenges);
        assertEquals("{\"error\":\"unauthorized\",\"error_description\":\"Authentication with a bearer token is required\"}", body());
    }

    @Test
    void whenDpopRequiredAndTokenMissingThenOnlyDpopIsChallenged() throws IOException {
        dpop(org.jwtgate.config.DpopSettings.Mode.REQUIRED).missingToken(response);
        assertEquals(List.of("DPoP realm=\"shop\", " + ALGS), challenges);
        assertEquals("{\"error\":\"unauthorized\",\"error_description\":\"Authentication with a DPoP-bound token is required\"}", body());
    }

    /** request.authenticate()'s challenge: the missing-token 401's status and headers, nothing of the body. */
    @Test
    void whenOnlyTheMissingTokenChallengeThenStatusAndHeadersWithoutABody() throws IOException {
        dpop(org.jwtgate.config.DpopSettings.Mode.ALLOWED).missingTokenChallenge(response);
        assertEquals(401, status);
        assertEquals(List.of("Bearer realm=\"shop\"", "DPoP realm=\"shop\", " + ALGS), challenges);
        verify(response, never()).getOutputStream();
        verify(response, never()).getWriter();
        verify(response, never()).resetBuffer();
        verify(response, never()).setContentType(anyString());
        verify(response, never()).setContentLength(anyInt());
        challenges.clear();
        dpop(org.jwtgate.config.DpopSettings.Mode.REQUIRED).missingTokenChallenge(response);
        assertEquals(List.of("DPoP realm=\"shop\", " + ALGS), challenges);
    }

    @Test
    void whenCommittedThenTheMissingTokenChallengeSetsNothing() {
        when(response.isCommitted()).thenReturn(true);
        responder.missingTokenChallenge(response);
        verify(response, never()).setStatus(anyInt());
        verify(response, never()).setHeader(anyString(), anyString());
    }

    @Test
    void whenProofInvalidThenTheDpopChallengeCarriesTheErrorFirstAndBearerFollows() throws IOException {
        dpop(org.jwtgate.config.DpopSettings.Mode.ALLOWED).invalidDpopProof(response, org.jwtgate.dpop.DpopRejection.REPLAYED, null);
        assertEquals(401, status);
        assertEquals(List.of("DPoP realm=\"shop\", error=\"invalid_dpop_proof\", error_description=\"The DPoP proof has already been used\", "
                + ALGS, "Bearer realm=\"shop\""), challenges);
        assertEquals("{\"error\":\"invalid_dpop_proof\",\"error_description\":\"The DPoP proof has already been used\"}", body());
        assertNull(headers.get("DPoP-Nonce"));
        assertNoStoreJson();
    }

    @Test
    void whenNonceNeededThenUseDpopNonceWithAFreshNonceHeader() throws IOException {
        dpop(org.jwtgate.config.DpopSettings.Mode.REQUIRED).invalidDpopProof(response,
                org.jwtgate.dpop.DpopRejection.NONCE_MISSING, "fresh-nonce");
        assertEquals(401, status);
        assertEquals("fresh-nonce", headers.get("DPoP-Nonce"));
        assertEquals(List.of("DPoP realm=\"shop\", error=\"use_dpop_nonce\", "
                + "error_description=\"The DPoP proof must carry the nonce of the DPoP-Nonce header\", " + ALGS), challenges);
    }

    @Test
    void whenDpopTokenInvalidThenTheErrorIsOnTheDpopChallenge() throws IOException {
        dpop(org.jwtgate.config.DpopSettings.Mode.ALLOWED).invalidToken(response,
                org.jwtgate.internal.token.ResolvedToken.Scheme.DPOP, "The access token expired");
        assertEquals(List.of("DPoP realm=\"shop\", error=\"invalid_token\", error_description=\"The access token expired\", " + ALGS,
                "Bearer realm=\"shop\""), challenges);
    }

    @Test
    void whenBearerTokenInvalidWhileDpopAllowedThenTheErrorIsOnTheBearerChallenge() throws IOException {
        dpop(org.jwtgate.config.DpopSettings.Mode.ALLOWED).invalidToken(response,
                org.jwtgate.internal.token.ResolvedToken.Scheme.BEARER, "The access token is invalid");
        assertEquals(List.of("Bearer realm=\"shop\", error=\"invalid_token\", error_description=\"The access token is invalid\"",
                "DPoP realm=\"shop\", " + ALGS), challenges);
    }

    @Test
    void whenBearerTokenWhileDpopRequiredThenTheErrorIsOnTheOnlyChallengeOffered() throws IOException {
        dpop(org.jwtgate.config.DpopSettings.Mode.REQUIRED).invalidToken(response,
                org.jwtgate.internal.token.ResolvedToken.Scheme.BEARER, "The access token must be sent with the DPoP scheme and a DPoP proof");
        assertEquals(List.of("DPoP realm=\"shop\", error=\"invalid_token\", "
                + "error_description=\"The access token must be sent with the DPoP scheme and a DPoP proof\", " + ALGS), challenges);
    }

    @Test
    void whenDpopTokenLacksARoleThen403OnTheDpopChallengeOnly() throws IOException {
        dpop(org.jwtgate.config.DpopSettings.Mode.ALLOWED).insufficientScope(response,
                org.jwtgate.internal.token.ResolvedToken.Scheme.DPOP, Set.of("admin"));
        assertEquals(403, status);
        assertEquals(List.of("DPoP realm=\"shop\", error=\"insufficient_scope\", "
                + "error_description=\"The access token lacks a role this resource requires\", scope=\"admin\", " + ALGS), challenges);
    }

    @Test
    void whenDpopIsOffThenTheAnswersAreExactlyTheBearerOnes() throws IOException {
        dpop(org.jwtgate.config.DpopSettings.Mode.OFF).missingToken(response);
        assertEquals(List.of("Bearer realm=\"shop\""), challenges);
    }
}
