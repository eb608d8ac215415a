package org.jwtgate.authentication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.security.auth.message.AuthStatus;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.RequestDispatcher;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import javax.security.auth.Subject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
 * user passes; a proof the module refused on arrival is refused there too. Both were reviews' finds: the first version
 * of the refusal of proofs not checked on arrival answered 401 to the first, and its second, which took the proof
 * record id (set before the check) for "checked", passed the second with the filter's own memory proof record.
 */
class ModuleThenFilterForwardTest {

    private final DpopKey key = DpopKey.es256();
    private final String token = TestTokens.hs256(DpopKey.bind(TestTokens.claims("alice", "user"), key));
    private final String proof = key.proof("GET", "http://127.0.0.1:8080/admin/x").accessToken(token).sign();
    private JwtServerAuthModule module;
    private JwtAuthFilter filter;

    @BeforeEach
    void start() throws Exception {
        Map<String, String> settings = new HashMap<>(TestTokens.settings());
        settings.put(ConfigKeys.DPOP_MODE, "allowed");
        module = JwtServerAuthModule.builder().settings(settings).sources(ConfigSources.none()).build();
        module.initialize(null, null, callbacks -> { }, null);
        filter = JwtAuthFilter.builder().settings(settings).sources(ConfigSources.none()).build();
        FilterConfig config = mock(FilterConfig.class);
        when(config.getFilterName()).thenReturn("jwtgate-forwards");
        when(config.getInitParameterNames()).thenReturn(Collections.emptyEnumeration());
        filter.init(config);
    }

    @AfterEach
    void close() {
        filter.destroy();
        module.close();
    }

    @Test
    void whenTheModuleCheckedTheDpopRequestOnArrivalThenTheFiltersForwardPassLetsTheUserThrough() throws Exception {
        // Arrival at /admin/x, an unprotected resource: Tomcat asks the module, which verifies the token and its proof.
        Exchange exchange = arrival();
        assertEquals(AuthStatus.SUCCESS, module.validateRequest(exchange, new Subject(), null));
        assertEquals(0, exchange.status);

        // The page forwards to /secure/report; the filter (mapped for FORWARD) sees the request for the first time.
        boolean served = forwardedToTheFilter(exchange);

        assertTrue(served, "the forward was refused: " + exchange.status + " " + exchange.headersWritten + " "
                + exchange.bodyText());
    }

    @Test
    void whenTheModuleRefusedAReplayedProofOnArrivalThenAForwardPassMustNotAcceptIt() throws Exception {
        // The client's own request: the module checks and records the proof (it is served, no forward).
        assertEquals(AuthStatus.SUCCESS, module.validateRequest(arrival(), new Subject(), null));

        // The captured request replayed: the module refuses it (jti already used).
        Exchange replay = arrival();
        assertNotEquals(AuthStatus.SUCCESS, module.validateRequest(replay, new Subject(), null));

        // Something lets it go on and the page forwards into the filter's protected path.
        boolean served = forwardedToTheFilter(replay);

        assertFalse(served, "the forward pass accepted a proof the module refused as replayed on arrival (status "
                + replay.status + ")");
    }

    private Exchange arrival() throws Exception {
        Exchange exchange = Exchange.get(false, "Authorization", "DPoP " + token, "DPoP", proof);
        when(exchange.request.getDispatcherType()).thenReturn(DispatcherType.REQUEST);
        return exchange;
    }

    /** The page at /admin/x forwards to /secure/report, which the filter protects: whether the filter let it through. */
    private boolean forwardedToTheFilter(Exchange exchange) throws Exception {
        exchange.attributes.put(RequestDispatcher.FORWARD_REQUEST_URI, "/admin/x");
        exchange.attributes.put(RequestDispatcher.FORWARD_SERVLET_PATH, "/admin");
        exchange.attributes.put(RequestDispatcher.FORWARD_PATH_INFO, "/x");
        when(exchange.request.getDispatcherType()).thenReturn(DispatcherType.FORWARD);
        when(exchange.request.getServletPath()).thenReturn("/secure/report");
        when(exchange.request.getPathInfo()).thenReturn(null);
        when(exchange.request.getRequestURI()).thenReturn("/secure/report");
        boolean[] served = {false};
        filter.doFilter(exchange.request, exchange.response, (req, res) -> served[0] = true);
        return served[0];
    }
}
