package org.jwtgate.internal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.jwtgate.principal.JwtPrincipal;

class AuthenticatedRequestTest {

    private static final JwtPrincipal ALICE = new JwtPrincipal("alice@example.com", "alice", "https://issuer", "jti-1",
            Instant.parse("2030-01-01T00:00:00Z"), Instant.parse("2030-01-01T00:10:00Z"), Set.of("admin", "dev"),
            Map.of("sub", "alice"));

    private final HttpServletRequest original = mock(HttpServletRequest.class);
    private final HttpServletResponse response = mock(HttpServletResponse.class);
    private final List<HttpServletRequest> forgotten = new ArrayList<>();
    private final List<HttpServletResponse> challenged = new ArrayList<>();
    private final AuthenticatedRequest request = new AuthenticatedRequest(original, ALICE, forgotten::add, challenged::add);

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
    void whenTheTokenHoldsTheRoleStarThenIsUserInRoleStarIsStillFalse() {
        // Servlet 6.0 (HttpServletRequest.isUserInRole): any call with "*" must return false, whatever the roles.
        JwtPrincipal star = new JwtPrincipal("eve", "eve", "https://issuer", "jti-2", Instant.parse("2030-01-01T00:00:00Z"),
                Instant.parse("2030-01-01T00:10:00Z"), Set.of("*", "dev"), Map.of("sub", "eve"));
        AuthenticatedRequest wrapped = new AuthenticatedRequest(original, star, forgotten::add, challenged::add);
        assertFalse(wrapped.isUserInRole("*"));
        assertTrue(wrapped.isUserInRole("dev"));
        assertTrue(wrapped.isUserInRole("**"));
    }

    @Test
    void whenLoggedOutAndLoggedInByTheContainerThenTheContainersCallerIsSeen() throws Exception {
        request.logout();
        java.security.Principal bob = () -> "bob";
        when(original.getUserPrincipal()).thenReturn(bob);
        when(original.getRemoteUser()).thenReturn("bob");
        when(original.getAuthType()).thenReturn(HttpServletRequest.FORM_AUTH);
        when(original.isUserInRole("clerk")).thenReturn(true);
        request.login("bob", "pw");
        // After logout() "the container's mechanism decides": login() succeeded, so its caller is the request's.
        assertSame(bob, request.getUserPrincipal());
        assertTrue(request.authenticate(response), "the container's caller stands");
        assertEquals(List.of(), challenged);
        assertEquals("bob", request.getRemoteUser());
        assertEquals(HttpServletRequest.FORM_AUTH, request.getAuthType());
        assertTrue(request.isUserInRole("clerk"));
        assertFalse(request.isUserInRole("admin"), "the token's roles are gone");
    }

    @Test
    void whenLoggedOutThenTheContainersMechanismAnswersFirst() throws Exception {
        request.logout();
        // A login-config's mechanism answered (a Basic challenge): false, nothing of the filter's.
        when(original.authenticate(response)).thenReturn(false);
        assertFalse(request.authenticate(response));
        assertEquals(List.of(), challenged);
        // Jetty without a login-config throws: the filter's challenge instead.
        doThrow(new ServletException("Authentication failed")).when(original).authenticate(response);
        assertFalse(request.authenticate(response));
        assertEquals(List.of(response), challenged);
    }

    @Test
    void whenOtherMethodsCalledThenTheOriginalRequestAnswers() {
        when(original.getRequestURI()).thenReturn("/orders/1");
        when(original.getHeader("X-Trace")).thenReturn("t-1");
        assertEquals("/orders/1", request.getRequestURI());
        assertEquals("t-1", request.getHeader("X-Trace"));
    }

    @Test
    void whenLoggedOutThenTheCallerIsForgottenForTheRestOfTheRequest() throws Exception {
        // Jetty refuses a logout when it has no login mechanism of its own: that must not stop ours.
        doThrow(new ServletException("logout failed")).when(original).logout();
        assertTrue(request.authenticate(response), "an established caller: authenticate() is true");
        assertThrows(ServletException.class, () -> request.login("bob", "pw"), "login() refused while a caller stands");
        request.logout();
        assertNull(request.getUserPrincipal());
        assertNull(request.getRemoteUser());
        assertNull(request.getAuthType());
        assertFalse(request.isUserInRole("admin"));
        assertFalse(request.isUserInRole("**"));
        assertEquals(List.of(original), forgotten, "the filter's attributes and binding are forgotten too");
        verify(original).logout();
        // No caller: the container's mechanism is asked first; its "true" with nobody (Tomcat without a login-config)
        // gives the filter's 401 challenge and false.
        when(original.authenticate(response)).thenReturn(true);
        assertFalse(request.authenticate(response));
        assertEquals(List.of(response), challenged);
        verify(original).authenticate(response);
        request.login("bob", "pw"); // now the container's mechanism decides
        verify(original).login("bob", "pw");
    }
}
