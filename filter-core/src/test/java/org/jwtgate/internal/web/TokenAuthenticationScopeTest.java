package org.jwtgate.internal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Field;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.engine.JwtGate;
import org.jwtgate.internal.revocation.RequestDeadline;
import org.jwtgate.internal.token.ResolvedToken;
import org.jwtgate.testkit.tokens.DpopKey;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * A DPoP request whose request attribute cannot be set (an application's ServletRequestAttributeListener that
 * throws: Jetty calls them unguarded) left RequestDeadline's per-thread scope open on the container's thread. Every later
 * request served by that pooled thread joined the stale scope (a Redis call after one that timed out failed at once),
 * and the scope, an instance of a JwtGate class, kept the web application's class loader past an undeploy.
 */
class TokenAuthenticationScopeTest {

    @Test
    void whenTheProofRecordIdCannotBeKeptWithTheRequestThenNoScopeIsLeftOnTheThread() throws Exception {
        Map<String, String> settings = new java.util.LinkedHashMap<>(TestTokens.settings());
        settings.put(ConfigKeys.DPOP_MODE, "allowed");
        DpopKey key = DpopKey.es256();
        String token = TestTokens.hs256(DpopKey.bind(TestTokens.claims("alice"), key));
        String proof = key.proof("GET", "http://127.0.0.1:8080/api").accessToken(token).sign();
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getScheme()).thenReturn("http");
        when(request.getServerName()).thenReturn("127.0.0.1");
        when(request.getServerPort()).thenReturn(8080);
        when(request.getRequestURI()).thenReturn("/api");
        when(request.getMethod()).thenReturn("GET");
        when(request.getHeaders("DPoP")).thenReturn(Collections.enumeration(List.of(proof)));
        when(request.getHeader("DPoP")).thenReturn(proof);
        doThrow(new IllegalStateException("attribute listener failed")).when(request).setAttribute(anyString(), any());
        try (JwtGate gate = JwtGate.start(JwtGateConfig.of(settings))) {
            TokenAuthentication steps = new TokenAuthentication(gate);
            assertThrows(IllegalStateException.class, () -> steps.verify(request, ResolvedToken.presentDpop(token)));
            // Outside a scope every call gets its own deadline; inside one, the first call's deadline binds the next.
            long first = RequestDeadline.of(1_000);
            long second = RequestDeadline.of(2_000);
            assertEquals(2_000, second, "a RequestDeadline scope was left open on this thread (first=" + first + ")");
        } finally {
            Field current = RequestDeadline.class.getDeclaredField("CURRENT");
            current.setAccessible(true);
            ((ThreadLocal<?>) current.get(null)).remove();
        }
    }
}
