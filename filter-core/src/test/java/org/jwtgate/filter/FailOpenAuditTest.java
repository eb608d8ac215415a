package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import jakarta.servlet.FilterConfig;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.revocation.RevocationStore;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.testing.CapturedOutput;
import org.jwtgate.testkit.logs.CapturedLog;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * With {@code revocation.failure-mode=open} and the store down, the audit trail records a request that passed
 * unchecked: one that passes, not one the roles or the CSRF check then refuse.
 */
class FailOpenAuditTest {

    private JwtAuthFilter filter;

    /** A store that cannot answer, as Redis when it is down. */
    private static RevocationStore unavailableStore() {
        return (RevocationStore) Proxy.newProxyInstance(FailOpenAuditTest.class.getClassLoader(),
                new Class<?>[] {RevocationStore.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "isRevoked" -> throw new RevocationUnavailableException("store down (test)");
                    case "nearCacheStats" -> Optional.empty();
                    case "describe" -> "unavailable (test)";
                    case "isHealthy" -> false;
                    case "close" -> null;
                    default -> throw new AssertionError("not expected: " + method);
                });
    }

    @BeforeEach
    void start() throws Exception {
        Map<String, String> settings = new LinkedHashMap<>(TestTokens.settings());
        settings.put(ConfigKeys.REVOCATION_FAILURE_MODE, "open");
        settings.put(ConfigKeys.PATHS_ROLES, "/admin/*=admin");
        filter = JwtAuthFilter.builder().settings(settings).sources(ConfigSources.none())
                .revocationStore(unavailableStore()).build();
        FilterConfig config = mock(FilterConfig.class);
        when(config.getFilterName()).thenReturn("fail-open-audit");
        when(config.getInitParameterNames()).thenReturn(Collections.emptyEnumeration());
        filter.init(config);
    }

    @AfterEach
    void stop() {
        filter.destroy();
    }

    /** Serves GET {@code path} with a bearer token of role "user"; returns what was written to standard error. */
    private String serve(String path, HttpServletResponse response, boolean[] passed) throws Exception {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getMethod()).thenReturn("GET");
        when(request.getServletPath()).thenReturn(path);
        when(request.getHeaders("Authorization")).thenReturn(Collections.enumeration(
                List.of("Bearer " + TestTokens.hs256("alice", "user"))));
        return CapturedLog.during(() -> filter.doFilter(request, response, (req, res) -> passed[0] = true)).text();
    }

    private static HttpServletResponse response() throws Exception {
        HttpServletResponse response = mock(HttpServletResponse.class);
        when(response.getOutputStream()).thenReturn(new CapturedOutput());
        return response;
    }

    @Test
    void whenAnUncheckedTokenLacksTheRoleThen403AndNoFailOpenAuditLine() throws Exception {
        HttpServletResponse response = response();
        boolean[] passed = {false};
        String log = serve("/admin/users", response, passed);
        assertFalse(passed[0]);
        verify(response).setStatus(403);
        assertFalse(log.contains("allowed-unchecked"), "a refused request is not audited as a pass: " + log);
        assertEquals(0, filter.metrics().failOpenPassCount());
    }

    @Test
    void whenAnUncheckedTokenPassesThenItIsAuditedOnce() throws Exception {
        boolean[] passed = {false};
        String log = serve("/api/orders", response(), passed);
        assertTrue(passed[0]);
        assertTrue(log.contains("AUDIT fail-open outcome=allowed-unchecked check=revocation sub=alice "), log);
        assertEquals(1, log.split("allowed-unchecked", -1).length - 1, log);
        assertEquals(1, filter.metrics().failOpenPassCount());
    }
}
