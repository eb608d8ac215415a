package org.jwtgate.internal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The exact RFC 6750 answers: status, WWW-Authenticate, JSON body, no caching. */
class BearerErrorResponderTest {

    private final BearerErrorResponder responder = new BearerErrorResponder("shop");
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private HttpServletResponse response;
    private int status;

    @BeforeEach
    void response() throws IOException {
        response = mock(HttpServletResponse.class);
        doAnswer(call -> headers.put(call.getArgument(0), call.getArgument(1))).when(response).setHeader(anyString(), anyString());
        doAnswer(call -> status = call.getArgument(0)).when(response).setStatus(anyInt());
        doAnswer(call -> headers.put("Content-Type", call.getArgument(0))).when(response).setContentType(anyString());
        when(response.getOutputStream()).thenReturn(new ServletOutputStream() {
            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
            }

            @Override
            public void write(int b) {
                body.write(b);
            }
        });
    }

    private String body() {
        return body.toString(StandardCharsets.UTF_8);
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
    void whenRoleNameHasQuotesOrSpacesThenScopeStaysWellFormed() throws IOException {
        responder.insufficientScope(response, Set.of("ad\"min\\ x"));
        assertEquals("Bearer realm=\"shop\", error=\"insufficient_scope\", "
                + "error_description=\"The access token lacks a role this resource requires\", scope=\"adminx\"",
                headers.get("WWW-Authenticate"));
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
}
