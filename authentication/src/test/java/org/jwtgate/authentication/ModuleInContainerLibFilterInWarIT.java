package org.jwtgate.authentication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.security.auth.message.AuthStatus;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.RequestDispatcher;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.security.auth.Subject;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.filter.JwtAuthFilter;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.tokens.DpopKey;
import org.jwtgate.testkit.tokens.TestTokens;
import org.jwtgate.testkit.webapp.WarClassLoader;

/**
 * Review: the module registered by the administrator, its jars in the container's {@code lib} (this test's class
 * loader), and the application's own {@code jwtgate-filter-core} in {@code WEB-INF/lib} with the filter mapped (a
 * {@link WarClassLoader}, child-first for JwtGate and jose4j, as Tomcat's and Jetty's application loaders are). The
 * module checks a DPoP request on arrival; the filter, of the other class loader, then sees the same request:
 * <ul>
 * <li>on a forward (the filter mapped for FORWARD, as docs/operations.md suggests with the module), it must check the
 * proof again as the same first use, as {@link ModuleThenFilterForwardTest} shows with one class loader;</li>
 * <li>on the request's own pass, sharing the module's Redis Cluster, both must accept it (docs/security.md: "sharing a
 * Redis, both accept it").</li>
 * </ul>
 * Both failed while the request attributes telling one front end another checked the proof held a JwtGate class's
 * instance (401 "The DPoP proof was not checked on arrival", and 401 "The DPoP proof has already been used"): they now
 * hold Strings.
 */
class ModuleInContainerLibFilterInWarIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    private final DpopKey key = DpopKey.es256();
    private final String token = TestTokens.hs256(DpopKey.bind(TestTokens.claims("alice", "user"), key));
    private final String proof = key.proof("GET", "http://127.0.0.1:8080/admin/x").accessToken(token).sign();

    @Test
    void whenTheContainersModuleCheckedTheProofOnArrivalThenTheWarsFilterLetsTheForwardThrough() throws Exception {
        Map<String, String> settings = dpopSettings();
        try (WarClassLoader war = webInfLib()) {
            JwtServerAuthModule module = module(settings);
            Filter filter = warFilter(war, settings);
            try {
                Exchange exchange = arrival();
                assertEquals(AuthStatus.SUCCESS, module.validateRequest(exchange, new Subject(), null));

                boolean served = forwarded(filter, exchange);

                assertTrue(served, "the WAR's filter refused the forward of a DPoP request the container's module checked"
                        + " on arrival: " + exchange.status + " " + exchange.headersWritten + " " + exchange.bodyText());
            } finally {
                filter.destroy();
                module.close();
            }
        }
    }

    @Test
    void whenTheContainersModuleAndTheWarsFilterShareARedisThenBothAcceptTheDpopRequest() throws Exception {
        Map<String, String> settings = dpopSettings();
        settings.put("revocation.store", "redis-cluster");
        settings.put("redis.nodes", REDIS.cluster().nodesSpec());
        try (WarClassLoader war = webInfLib()) {
            JwtServerAuthModule module = module(settings);
            Filter filter = warFilter(war, settings);
            try {
                Exchange exchange = arrival();
                assertEquals(AuthStatus.SUCCESS, module.validateRequest(exchange, new Subject(), null),
                        exchange.status + " " + exchange.headersWritten);

                boolean[] served = {false};
                filter.doFilter(exchange.request, exchange.response, (req, res) -> served[0] = true);

                assertTrue(served[0], "the WAR's filter refused, on the request's own pass, a DPoP request the"
                        + " container's module accepted: " + exchange.status + " " + exchange.headersWritten + " "
                        + exchange.bodyText());
            } finally {
                filter.destroy();
                module.close();
            }
        }
    }

    private static Map<String, String> dpopSettings() {
        Map<String, String> settings = new HashMap<>(TestTokens.settings());
        settings.put(ConfigKeys.DPOP_MODE, "allowed");
        return settings;
    }

    /** The WAR's class loader: filter-core and jose4j of its own {@code WEB-INF/lib}. */
    private static WarClassLoader webInfLib() {
        return new WarClassLoader(ModuleInContainerLibFilterInWarIT.class, List.of(), JwtAuthFilter.class,
                JwtClaims.class);
    }

    /** The module as the container's configuration builds it, from the container's class loader. */
    private static JwtServerAuthModule module(Map<String, String> settings) throws Exception {
        JwtServerAuthModule module = JwtServerAuthModule.builder().settings(settings).sources(ConfigSources.none()).build();
        module.initialize(null, null, callbacks -> { }, null);
        return module;
    }

    /** The filter of the WAR's {@code WEB-INF/lib}, of the WAR's class loader. */
    private static Filter warFilter(WarClassLoader war, Map<String, String> settings) throws Exception {
        Class<?> filterType = war.loadClass(JwtAuthFilter.class.getName());
        assertTrue(filterType != JwtAuthFilter.class, "the WAR's filter must be its own class");
        Object builder = filterType.getMethod("builder").invoke(null);
        builder.getClass().getMethod("settings", Map.class).invoke(builder, settings);
        Filter filter = (Filter) builder.getClass().getMethod("build").invoke(builder);
        FilterConfig config = mock(FilterConfig.class);
        when(config.getFilterName()).thenReturn("jwtgate-in-war");
        when(config.getInitParameterNames()).thenReturn(Collections.emptyEnumeration());
        filter.init(config);
        return filter;
    }

    private Exchange arrival() throws Exception {
        Exchange exchange = Exchange.get(false, "Authorization", "DPoP " + token, "DPoP", proof);
        when(exchange.request.getDispatcherType()).thenReturn(DispatcherType.REQUEST);
        return exchange;
    }

    /** The page at /admin/x forwards to /secure/report, which the filter protects: whether the filter let it through. */
    private static boolean forwarded(Filter filter, Exchange exchange) throws Exception {
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
