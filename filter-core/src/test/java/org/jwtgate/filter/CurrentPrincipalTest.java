package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.jwtgate.principal.JwtPrincipal;

public class CurrentPrincipalTest {

    public static JwtPrincipal principal(String name) {
        Instant now = Instant.now();
        return new JwtPrincipal(name, name, "https://issuer.example", "jti-" + name, now, now.plusSeconds(60),
                Set.of("user"), Map.of("sub", name));
    }

    @Test
    void whenNothingBoundThenEmpty() {
        assertTrue(CurrentPrincipal.get().isEmpty());
    }

    @Test
    @SuppressWarnings("try") // the binding is used for its scope only
    void whenBindingClosedThenPreviousValueRestored() {
        JwtPrincipal outer = principal("outer");
        JwtPrincipal inner = principal("inner");
        try (CurrentPrincipal.Binding a = CurrentPrincipal.bind(outer)) {
            assertEquals(outer, CurrentPrincipal.get().orElseThrow());
            try (CurrentPrincipal.Binding b = CurrentPrincipal.bind(inner)) {
                assertEquals(inner, CurrentPrincipal.get().orElseThrow());
            }
            assertEquals(outer, CurrentPrincipal.get().orElseThrow());
        }
        assertTrue(CurrentPrincipal.get().isEmpty());
    }

    @Test
    @SuppressWarnings("try") // the binding is used for its scope only
    void whenForgottenInsideANestedBindingThenTheOuterBindingDoesNotComeBack() {
        JwtPrincipal alice = principal("alice");
        try (CurrentPrincipal.Binding outer = CurrentPrincipal.bind(alice)) {
            try (CurrentPrincipal.Binding nested = CurrentPrincipal.bind(alice)) {
                CurrentPrincipal.forget(); // request.logout() inside a nested pass of the filter
            }
            assertTrue(CurrentPrincipal.get().isEmpty(), "logout() is for the rest of the request");
        }
        assertTrue(CurrentPrincipal.get().isEmpty());
    }

    @Test
    @SuppressWarnings("try") // the binding is used for its scope only
    void whenBoundOnOneThreadThenOtherThreadsSeeNothing() throws Exception {
        try (CurrentPrincipal.Binding a = CurrentPrincipal.bind(principal("alice"))) {
            boolean[] seen = new boolean[1];
            Thread other = new Thread(() -> seen[0] = CurrentPrincipal.get().isPresent());
            other.start();
            other.join();
            assertEquals(false, seen[0]);
        }
    }
}
