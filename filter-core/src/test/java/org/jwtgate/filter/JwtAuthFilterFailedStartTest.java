package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.jwtgate.revocation.RevocationStore;
import org.jwtgate.testkit.tokens.TestTokens;

/** What a failed init() leaves running: nothing, since no destroy() follows it. */
class JwtAuthFilterFailedStartTest {

    private final AtomicBoolean storeClosed = new AtomicBoolean();

    private RevocationStore store() {
        return (RevocationStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RevocationStore.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "close" -> {
                        storeClosed.set(true);
                        yield null;
                    }
                    case "nearCacheStats" -> Optional.empty();
                    case "describe" -> "test store";
                    case "isHealthy" -> true;
                    default -> throw new AssertionError("not expected: " + method);
                });
    }

    private static FilterConfig filterConfig() {
        ServletContext context = mock(ServletContext.class);
        when(context.getContextPath()).thenReturn("/app");
        when(context.getResourceAsStream("/WEB-INF/web.xml")).thenAnswer(call -> new ByteArrayInputStream(
                "<web-app><welcome-file-list><welcome-file>index.html</welcome-file></welcome-file-list></web-app>"
                        .getBytes(StandardCharsets.UTF_8)));
        when(context.getAttribute(anyString())).thenReturn(null);
        FilterConfig config = mock(FilterConfig.class);
        when(config.getFilterName()).thenReturn("jwtgate");
        when(config.getServletContext()).thenReturn(context);
        when(config.getInitParameterNames()).thenReturn(Collections.emptyEnumeration());
        return config;
    }

    /**
     * A web application whose JAXP provider cannot be loaded (a stale META-INF/services entry in WEB-INF/lib, simulated
     * by the JAXP system property): reading web.xml's welcome files throws FactoryConfigurationError, an Error, after
     * the gate started. init() fails, the container never calls destroy(), and the gate (its Redis connections,
     * near-cache, discovery and JWKS threads) was left running, pinning the class loader; init() again said "already
     * started".
     */
    @Test
    void whenReadingWelcomeFilesFailsWithAnErrorThenTheStartedGateIsClosed() throws Exception {
        String property = "javax.xml.parsers.DocumentBuilderFactory";
        String before = System.getProperty(property);
        System.setProperty(property, "org.example.MissingDocumentBuilderFactory");
        JwtAuthFilter filter = JwtAuthFilter.builder().settings(TestTokens.settings()).revocationStore(store()).build();
        try {
            assertThrows(javax.xml.parsers.FactoryConfigurationError.class, () -> filter.init(filterConfig()));
        } finally {
            if (before == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, before);
            }
        }
        try {
            assertFalse(filter.isStarted(), "a filter whose init() failed reads as started");
            assertTrue(storeClosed.get(), "the gate started by the failed init() was not closed (its store is open)");
        } finally {
            filter.destroy(); // clean up for the other tests
        }
    }

    /**
     * A bad setting fails init() before the gate starts: the store given to the builder stayed open, though a failure in
     * the start itself closes it, so the caller could not tell whether to close it (found by a probe of the module's
     * builder, which did the same). Closed now, and a second init() says so.
     */
    @Test
    void whenASettingIsBadThenTheStoreGivenIsClosedAsOnAFailedStart() throws Exception {
        java.util.Map<String, String> settings = new java.util.HashMap<>(TestTokens.settings());
        settings.put(org.jwtgate.config.ConfigKeys.JWT_SECRET, "short-k3y");
        JwtAuthFilter filter = JwtAuthFilter.builder().settings(settings).revocationStore(store()).build();
        String message = assertThrows(jakarta.servlet.ServletException.class, () -> filter.init(filterConfig()))
                .getMessage();
        assertTrue(message.contains("[jwt.secret]") && !message.contains("short-k3y"), message);
        assertTrue(storeClosed.get(), "the store given to the builder is open after a failed init()");
        String again = assertThrows(jakarta.servlet.ServletException.class, () -> filter.init(filterConfig()))
                .getMessage();
        assertTrue(again.contains("was closed when the filter was destroyed or failed to start"), again);
    }

    /** Any failure before the start closes it too: the container's context failing to give the init-params (a review). */
    @Test
    void whenReadingTheInitParamsFailsThenTheStoreGivenIsClosed() throws Exception {
        FilterConfig broken = filterConfig();
        when(broken.getInitParameterNames()).thenThrow(new IllegalStateException("context not available"));
        JwtAuthFilter filter = JwtAuthFilter.builder().settings(TestTokens.settings()).revocationStore(store()).build();
        assertThrows(IllegalStateException.class, () -> filter.init(broken));
        assertTrue(storeClosed.get(), "the store given to the builder is open after a failed init()");
    }
}
