package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.jwtgate.revocation.RevocationStore;
import org.jwtgate.testkit.logs.CapturedLog;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * What {@code init()} and {@code destroy()} leave behind. The container never calls {@code destroy()} after a
 * failed {@code init()}, so a failure late in {@code init()} must release what was already started.
 */
class JwtAuthFilterLifecycleTest {

    private static final String NAME = "lifecycle-test";

    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private final AtomicBoolean storeClosed = new AtomicBoolean();
    private final AtomicInteger storeCloses = new AtomicInteger();

    private FilterConfig filterConfig() {
        ServletContext context = mock(ServletContext.class);
        when(context.getContextPath()).thenReturn("/lifecycle");
        when(context.getAttribute(anyString())).thenAnswer(call -> attributes.get(call.<String>getArgument(0)));
        doAnswer(call -> attributes.put(call.getArgument(0), call.getArgument(1)))
                .when(context).setAttribute(anyString(), org.mockito.ArgumentMatchers.any());
        doAnswer(call -> attributes.remove(call.<String>getArgument(0))).when(context).removeAttribute(anyString());
        FilterConfig config = mock(FilterConfig.class);
        when(config.getFilterName()).thenReturn(NAME);
        when(config.getServletContext()).thenReturn(context);
        when(config.getInitParameterNames()).thenReturn(Collections.emptyEnumeration());
        return config;
    }

    /** A store that records close() and fails describe() when asked to. */
    private RevocationStore store(boolean describeFails) {
        return store(describeFails, false);
    }

    /** A store that records close(), and fails describe() or nearCacheStats() (read while the gate is built). */
    private RevocationStore store(boolean describeFails, boolean statsFail) {
        return (RevocationStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RevocationStore.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "close" -> {
                        storeClosed.set(true);
                        storeCloses.incrementAndGet();
                        yield null;
                    }
                    case "nearCacheStats" -> {
                        if (statsFail) {
                            throw new IllegalStateException("stats failed");
                        }
                        yield Optional.empty();
                    }
                    case "describe" -> {
                        if (describeFails) {
                            throw new IllegalStateException("describe failed");
                        }
                        yield "test store";
                    }
                    case "isHealthy" -> true;
                    default -> throw new AssertionError("not expected: " + method);
                });
    }

    private static boolean mbeansRegistered() throws Exception {
        return !ManagementFactory.getPlatformMBeanServer()
                .queryNames(new ObjectName("org.jwtgate:filter=\"" + NAME + "\",*"), null).isEmpty();
    }

    @Test
    void whenInitFailsAfterTheGateStartedThenNothingIsLeftRunningOrPublished() throws Exception {
        JwtAuthFilter filter = JwtAuthFilter.builder().settings(TestTokens.settings()).revocationStore(store(true)).build();
        ServletException refused = assertThrows(ServletException.class, () -> filter.init(filterConfig()));
        assertTrue(refused.getMessage().contains("[" + NAME + "]"), refused.getMessage());
        assertTrue(storeClosed.get(), "the store is closed");
        assertFalse(filter.isStarted());
        assertEquals(Map.of(), attributes, "no context attribute points to the failed filter");
        assertFalse(mbeansRegistered(), "its MBeans are unregistered");
        assertTrue(JwtAuthFilter.firstStarted().isEmpty(), "CDI does not see it");
    }

    @Test
    void whenDestroyedThenItsContextAttributesAndMBeansAreGone() throws Exception {
        JwtAuthFilter filter = JwtAuthFilter.builder().settings(TestTokens.settings()).revocationStore(store(false)).build();
        filter.init(filterConfig());
        assertEquals(4, attributes.size(), attributes.keySet().toString());
        assertTrue(mbeansRegistered());
        filter.destroy();
        assertEquals(Map.of(), attributes, "a destroyed filter is not reachable from the context");
        assertFalse(mbeansRegistered());
        assertTrue(storeClosed.get());
        assertThrows(IllegalStateException.class, filter::health);
    }

    /**
     * Two filters in one application, the first destroyed (its holder stopped) while the second runs, then started
     * again: the application's RevocationService attribute must stay the API that firstStarted() (@Inject
     * RevocationService) names, the first running filter's (sample.md: "the same object as that application's
     * ServletContext attribute"). It was removed while the second filter ran, then became the restarted first one's
     * while injection gave the second's: two stores, a revocation through one not seen by the other filter's checks.
     */
    @Test
    void whenTheFirstOfTwoFiltersIsDestroyedThenTheContextAttributesNameTheOneStillRunning() throws Exception {
        FilterConfig configA = filterConfig();
        FilterConfig configB = filterConfig();
        when(configB.getFilterName()).thenReturn(NAME + "-b");
        jakarta.servlet.ServletContext shared = configA.getServletContext();
        when(configB.getServletContext()).thenReturn(shared);
        JwtAuthFilter a = JwtAuthFilter.builder().settings(TestTokens.settings()).build(); // a memory store each
        JwtAuthFilter b = JwtAuthFilter.builder().settings(TestTokens.settings()).build();
        a.init(configA);
        b.init(configB);
        try {
            assertTrue(attributes.get(org.jwtgate.revocation.RevocationService.CONTEXT_ATTRIBUTE) == a.revocationService());

            a.destroy();
            assertTrue(JwtAuthFilter.firstStarted().orElseThrow() == b);
            assertTrue(attributes.get(org.jwtgate.revocation.RevocationService.CONTEXT_ATTRIBUTE) == b.revocationService(),
                    "while b runs, the application's attribute is its API: " + attributes.keySet());
            assertTrue(attributes.get(JwtAuthFilter.CONTEXT_ATTRIBUTE) == b, "and the health servlet finds b");

            a.init(configA); // started again: b stays the first
            assertTrue(JwtAuthFilter.firstStarted().orElseThrow() == b);
            assertTrue(attributes.get(org.jwtgate.revocation.RevocationService.CONTEXT_ATTRIBUTE) == b.revocationService());
        } finally {
            a.destroy();
            b.destroy();
        }
        assertEquals(Map.of(), attributes);
    }

    /**
     * An application's context-attribute listener that throws when JwtGate's attribute is removed (Jetty calls
     * listeners unguarded): destroy() stopped there, and the gate, its threads and connections ran on, pinning the
     * application's class loader; the next init() was refused as "already started".
     */
    @Test
    void whenAnAttributeListenerThrowsAtDestroyThenTheGateIsClosedAllTheSame() throws Exception {
        FilterConfig config = filterConfig();
        ServletContext context = config.getServletContext();
        doThrow(new IllegalStateException("listener failed")).when(context).removeAttribute(anyString());
        JwtAuthFilter filter = JwtAuthFilter.builder().settings(TestTokens.settings()).revocationStore(store(false)).build();
        filter.init(config);

        CapturedLog log = CapturedLog.during(filter::destroy);

        assertTrue(storeClosed.get(), "the store is closed");
        assertFalse(filter.isStarted());
        assertFalse(mbeansRegistered(), "its MBeans are unregistered");
        assertTrue(JwtAuthFilter.firstStarted().isEmpty(), "CDI does not see it");
        assertTrue(log.text().contains("removing the context attribute org.jwtgate.revocation.RevocationService") && log.text()
                .contains("failed, the filter stops all the same: java.lang.IllegalStateException: listener failed"), log.text());
    }

    @Test
    void whenRestartedAfterDestroyWithTheStoreItClosedThenInitRefusesClearly() throws Exception {
        // Jetty keeps a FilterHolder's instance across a context restart: the store given to the builder is closed.
        JwtAuthFilter filter = JwtAuthFilter.builder().settings(TestTokens.settings()).revocationStore(store(false)).build();
        filter.init(filterConfig());
        filter.destroy();
        assertTrue(storeClosed.get());
        ServletException refused = assertThrows(ServletException.class, () -> filter.init(filterConfig()));
        assertTrue(refused.getMessage().contains("closed when the filter was destroyed"), refused.getMessage());
        assertFalse(filter.isStarted());
    }

    @Test
    void whenBuildingTheGateFailsThenInitNamesTheFilterAndTheGivenStoreIsNotReusedLater() throws Exception {
        JwtAuthFilter filter = JwtAuthFilter.builder().settings(TestTokens.settings())
                .revocationStore(store(false, true)).build();
        ServletException refused = assertThrows(ServletException.class, () -> filter.init(filterConfig()));
        assertTrue(refused.getMessage().contains("[" + NAME + "]") && refused.getMessage().contains("stats failed"),
                refused.getMessage());
        assertTrue(storeClosed.get(), "the failed start closed the store");
        ServletException again = assertThrows(ServletException.class, () -> filter.init(filterConfig()));
        assertTrue(again.getMessage().contains("closed"), again.getMessage());
    }

    @Test
    void whenInitIsCalledAgainWhileRunningThenItIsRefusedAndTheRunningGateIsKept() throws Exception {
        // A second init() without destroy() would start a second gate over the first, which nothing would close.
        JwtAuthFilter filter = JwtAuthFilter.builder().settings(TestTokens.settings()).revocationStore(store(false)).build();
        filter.init(filterConfig());
        ServletException refused = assertThrows(ServletException.class, () -> filter.init(filterConfig()));
        assertTrue(refused.getMessage().contains("[" + NAME + "]") && refused.getMessage().contains("already started"),
                refused.getMessage());
        assertTrue(filter.isStarted());
        assertEquals(0, storeCloses.get(), "the running gate's store stays open");
        filter.destroy();
        assertEquals(1, storeCloses.get());
        assertEquals(Map.of(), attributes);
        assertFalse(mbeansRegistered());
    }

    @Test
    void whenDestroyedFromSeveralThreadsAtOnceThenEverythingIsReleasedOnceWithoutAnError() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 50; round++) {
                storeCloses.set(0);
                JwtAuthFilter filter = JwtAuthFilter.builder().settings(TestTokens.settings())
                        .revocationStore(store(false)).build();
                filter.init(filterConfig());
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> destroys = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    destroys.add(threads.submit(() -> {
                        go.await();
                        filter.destroy();
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> destroy : destroys) {
                    destroy.get(10, TimeUnit.SECONDS); // throws if a destroy() did
                }
                assertEquals(1, storeCloses.get(), "round " + round);
                assertEquals(Map.of(), attributes, "round " + round);
                assertFalse(mbeansRegistered(), "round " + round);
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
