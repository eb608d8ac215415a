package org.jwtgate.internal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnonymousRequestTest {

    private final HttpServletRequest original = mock(HttpServletRequest.class);
    private final HttpServletResponse response = mock(HttpServletResponse.class);
    private final List<HttpServletResponse> challenged = new ArrayList<>();
    private final AnonymousRequest request = new AnonymousRequest(original, challenged::add);

    @Test
    void whenTheContainerAnswersTrueWithNobodyThenAuthenticateChallengesAndIsFalse() throws Exception {
        when(original.authenticate(response)).thenReturn(true); // Tomcat without a login-config: true with nobody
        assertFalse(request.authenticate(response));
        assertEquals(List.of(response), challenged);
        verify(original).authenticate(response);
    }

    @Test
    void whenTheContainerHasNoMechanismThenAuthenticateChallengesAndIsFalse() throws Exception {
        // Jetty 12 without a login-config.
        when(original.authenticate(response)).thenThrow(new ServletException("Authentication failed"));
        assertFalse(request.authenticate(response));
        assertEquals(List.of(response), challenged);
    }

    @Test
    void whenTheContainersMechanismAnswersThenItsAnswerStands() throws Exception {
        // A login-config (BASIC): the container sent its own challenge.
        when(original.authenticate(response)).thenReturn(false);
        assertFalse(request.authenticate(response));
        assertEquals(List.of(), challenged);
    }

    @Test
    void whenTheContainersMechanismEstablishesACallerThenAuthenticateIsTrue() throws Exception {
        when(original.authenticate(response)).thenAnswer(invocation -> {
            when(original.getUserPrincipal()).thenReturn(() -> "bob"); // credentials the request carried
            return true;
        });
        assertTrue(request.authenticate(response));
        assertEquals(List.of(), challenged);
    }

    @Test
    void whenTheResponseIsCommittedThenAuthenticateIsFalseWithoutAskingTheContainer() throws Exception {
        when(response.isCommitted()).thenReturn(true); // the containers would throw IllegalStateException
        assertFalse(request.authenticate(response));
        assertEquals(List.of(), challenged);
        verify(original, never()).authenticate(response);
    }

    @Test
    void whenTheContainersLoginEstablishedACallerThenAuthenticateIsTrue() throws Exception {
        when(original.getUserPrincipal()).thenReturn(() -> "bob");
        assertTrue(request.authenticate(response));
        assertEquals(List.of(), challenged);
        verify(original, never()).authenticate(response);
    }
}
