package org.jwtgate.authentication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.security.auth.message.AuthStatus;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.RequestDispatcher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.security.auth.Subject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.filter.JwtAuthFilter;
import org.jwtgate.testkit.tokens.DpopKey;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * A request whose proof the module refused on arrival (a replay) is not taken for one checked there: should anything
 * let it go on (an application filter before the module that swallows the 401 and forwards, a runtime that continues),
 * the filter's forward pass refuses it. The proof record id, set before the check, once stood for "checked" (a
 * review's find): with its own memory proof record, the filter accepted the replay as a first use.
 */
class RefusedOnArrivalThenForwardTest {

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    @Test
    void whenTheModuleRefusedAReplayedProofOnArrivalThenAForwardPassMustNotAcceptIt() throws Exception {
        Map<String, String> settings = new HashMap<>(TestTokens.settings());
        settings.put(ConfigKeys.DPOP_MODE, "allowed");
        JwtServerAuthModule module = JwtServerAuthModule.builder().settings(settings).sources(ConfigSources.none()).build();
        closing.add(module::close);
        module.initialize(null, null, callbacks -> { }, null);
        JwtAuthFilter filter = JwtAuthFilter.builder().settings(settings).sources(ConfigSources.none()).build();
        FilterConfig config = mock(FilterConfig.class);
        when(config.getFilterName()).thenReturn("jwtgate-forwards");
        when(config.getInitParameterNames()).thenReturn(Collections.emptyEnumeration());
        filter.init(config);
        closing.add(filter::destroy);

        DpopKey key = DpopKey.es256();
        String token = TestTokens.hs256(DpopKey.bind(TestTokens.claims("alice", "user"), key));
        String proof = key.proof("GET", "http://127.0.0.1:8080/admin/x").accessToken(token).sign();

        // The client's own request: the module checks and records the proof (it is served, no forward).
        Exchange first = Exchange.get(false, "Authorization", "DPoP " + token, "DPoP", proof);
        when(first.request.getDispatcherType()).thenReturn(DispatcherType.REQUEST);
        assertEquals(AuthStatus.SUCCESS, module.validateRequest(first, new Subject(), null));

        // The captured request replayed: the module refuses it (jti already used).
        Exchange replay = Exchange.get(false, "Authorization", "DPoP " + token, "DPoP", proof);
        when(replay.request.getDispatcherType()).thenReturn(DispatcherType.REQUEST);
        assertNotEquals(AuthStatus.SUCCESS, module.validateRequest(replay, new Subject(), null));
        System.out.println("REVIEW attributes after the refused arrival: " + replay.attributes.keySet());

        // Something lets it go on and the page forwards into the filter's protected path.
        replay.attributes.put(RequestDispatcher.FORWARD_REQUEST_URI, "/admin/x");
        replay.attributes.put(RequestDispatcher.FORWARD_SERVLET_PATH, "/admin");
        replay.attributes.put(RequestDispatcher.FORWARD_PATH_INFO, "/x");
        when(replay.request.getDispatcherType()).thenReturn(DispatcherType.FORWARD);
        when(replay.request.getServletPath()).thenReturn("/secure/report");
        when(replay.request.getPathInfo()).thenReturn(null);
        when(replay.request.getRequestURI()).thenReturn("/secure/report");
        boolean[] served = {false};
        filter.doFilter(replay.request, replay.response, (req, res) -> served[0] = true);

        assertFalse(served[0], "the forward pass accepted a proof the module refused as replayed on arrival (status "
                + replay.status + ")");
    }
}
