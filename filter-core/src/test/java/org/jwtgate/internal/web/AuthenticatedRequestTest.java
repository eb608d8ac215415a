package org.jwtgate.internal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.jwtgate.principal.JwtPrincipal;

class AuthenticatedRequestTest {

    private static final JwtPrincipal ALICE = new JwtPrincipal("alice@example.com", "alice", "https://issuer", "jti-1",
            Instant.parse("2030-01-01T00:00:00Z"), Instant.parse("2030-01-01T00:10:00Z"), Set.of("admin", "dev"),
            Map.of("sub", "alice"));

    private final HttpServletRequest original = mock(HttpServletRequest.class);
    private final AuthenticatedRequest request = new AuthenticatedRequest(original, ALICE);

    @Test
    void whenWrappedThenServletSecurityApiAnswersFromThePrincipal() {
        assertSame(ALICE, request.getUserPrincipal());
        assertEquals("alice@example.com", request.getRemoteUser());
        assertEquals("Bearer", request.getAuthType());
    }

    @Test
    void whenAskedForRolesThenOnlyTheTokensRolesAndTheAnyUserRoleMatch() {
        assertTrue(request.isUserInRole("admin"));
        assertTrue(request.isUserInRole("dev"));
        assertTrue(request.isUserInRole("**"));
        assertFalse(request.isUserInRole("ADMIN"));
        assertFalse(request.isUserInRole("auditor"));
        assertFalse(request.isUserInRole(null));
        assertFalse(request.isUserInRole("*"));
    }

    @Test
    void whenOtherMethodsCalledThenTheOriginalRequestAnswers() {
        when(original.getRequestURI()).thenReturn("/orders/1");
        when(original.getHeader("X-Trace")).thenReturn("t-1");
        assertEquals("/orders/1", request.getRequestURI());
        assertEquals("t-1", request.getHeader("X-Trace"));
    }
}
