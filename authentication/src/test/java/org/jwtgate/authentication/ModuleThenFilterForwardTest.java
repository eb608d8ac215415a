package org.jwtgate.authentication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
 * The module and the filter on one request, as docs/operations.md suggests for forwards (the filter mapped to FORWARD
 * and INCLUDE as well). Tomcat asks the module on every request: it verifies and records the DPoP proof on arrival (an
 * unprotected page). The page forwards into a path the filter (mapped for FORWARD) protects: the filter, whose first
 * look at the request is the forward, checks the proof again against the client's URI as the same first use, and the
 * user passes (a review's find: the first version of the refusal of proofs not checked on arrival answered 401 here).
 */
class ModuleThenFilterForwardTest {

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    @Test
    void whenTheModuleCheckedTheDpopRequestOnArrivalThenTheFiltersForwardPassLetsTheUserThrough() throws Exception {
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
        // Arrival at /admin/x, an unprotected resource: Tomcat asks the module, which verifies the token and its proof.
        Exchange exchange = Exchange.get(false, "Authorization", "DPoP " + token, "DPoP", proof);
        when(exchange.request.getDispatcherType()).thenReturn(DispatcherType.REQUEST);
        assertEquals(AuthStatus.SUCCESS, module.validateRequest(exchange, new Subject(), null));
        assertEquals(0, exchange.status);

        // The page forwards to /secure/report; the filter (mapped for FORWARD) sees the request for the first time.
        exchange.attributes.put(RequestDispatcher.FORWARD_REQUEST_URI, "/admin/x");
        exchange.attributes.put(RequestDispatcher.FORWARD_SERVLET_PATH, "/admin");
        exchange.attributes.put(RequestDispatcher.FORWARD_PATH_INFO, "/x");
        when(exchange.request.getDispatcherType()).thenReturn(DispatcherType.FORWARD);
        when(exchange.request.getServletPath()).thenReturn("/secure/report");
        when(exchange.request.getPathInfo()).thenReturn(null);
        when(exchange.request.getRequestURI()).thenReturn("/secure/report");
        boolean[] served = {false};
        filter.doFilter(exchange.request, exchange.response, (req, res) -> served[0] = true);

        assertTrue(served[0], "the forward was refused: " + exchange.status + " " + exchange.headersWritten + " "
                + exchange.bodyText());
    }
}
