package org.jwtgate.internal.authentication.registration;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import jakarta.security.auth.message.AuthStatus;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jwtgate.authentication.JwtServerAuthModule;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.revocation.RevocationService;
import org.jwtgate.testkit.tokens.TestTokens;

/** A WAR's deployment as the initializer sees it: its context-params, the container's factory, its stop. */
class AuthenticationInitializerTest {

    private final Map<String, Object> attributes = new HashMap<>();
    private final List<Object> listeners = new ArrayList<>();

    @AfterEach
    void uninstall() {
        FakeFactory.uninstall();
    }

    private ServletContext context(Map<String, String> params) {
        ServletContext context = mock(ServletContext.class);
        when(context.getInitParameterNames()).thenAnswer(call -> Collections.enumeration(params.keySet()));
        when(context.getInitParameter(anyString())).thenAnswer(call -> params.get(call.getArgument(0, String.class)));
        when(context.getContextPath()).thenReturn("/secured");
        when(context.getVirtualServerName()).thenReturn("Catalina/localhost");
        when(context.getClassLoader()).thenReturn(getClass().getClassLoader());
        when(context.getAttribute(anyString())).thenAnswer(call -> attributes.get(call.getArgument(0, String.class)));
        doAnswer(call -> attributes.put(call.getArgument(0), call.getArgument(1))).when(context).setAttribute(anyString(), any());
        doAnswer(call -> attributes.remove(call.getArgument(0, String.class))).when(context).removeAttribute(anyString());
        doAnswer(call -> listeners.add(call.getArgument(0))).when(context).addListener(any(ServletContextListener.class));
        return context;
    }

    /** A WAR that switches the module on, with TestTokens' settings as context-params. */
    private static Map<String, String> enabled() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put(JwtServerAuthModule.ENABLE_PARAM, "enabled");
        TestTokens.settings().forEach((key, value) -> params.put(JwtServerAuthModule.SETTING_PARAM_PREFIX + key, value));
        return params;
    }

    @Test
    void whenWarDoesNotAskForTheModuleThenNothingHappens() throws ServletException {
        FakeFactory factory = new FakeFactory(true).install();
        ServletContext context = context(Map.of("jwtgate.jwt.isuer", "not even read"));
        new AuthenticationInitializer().onStartup(Set.of(), context);
        assertTrue(factory.registrations.isEmpty());
        verify(context, never()).addListener(any(ServletContextListener.class));
    }

    /** A misspelt switch left the module off without a word, and the WAR's own login-config (BASIC) guarded it. */
    @Test
    void whenTheSwitchIsMisspeltThenDeploymentFailsNamingItAndTheSwitch() {
        for (String misspelt : List.of("jwtgate.authentification", "JWTGATE.AUTHENTICATION", "jwtgate_authentication",
                "jwtgate.auth", "jwtgate-authenticate", " jwtgate.authentication", "jwtgate.autentication", "jwtgate.athentication",
                "jwtgate.authenication")) {
            FakeFactory factory = new FakeFactory(true).install();
            try {
                Map<String, String> params = new LinkedHashMap<>(enabled());
                params.put(misspelt, params.remove(JwtServerAuthModule.ENABLE_PARAM));
                ServletException e = assertThrows(ServletException.class,
                        () -> new AuthenticationInitializer().onStartup(Set.of(), context(params)), misspelt);
                assertEquals("JwtGate authentication module for [/secured] not started: Unknown context-param [" + misspelt
                        + "]; did you mean [jwtgate.authentication]? Without it the module is off and the application's own"
                        + " <login-config> guards its security-constraints", e.getMessage());
                assertTrue(factory.registrations.isEmpty());
            } finally {
                FakeFactory.uninstall();
            }
        }
        // Another application's own parameters, with the module's jar in the container: left alone.
        FakeFactory factory = new FakeFactory(true).install();
        ServletContext other = context(Map.of("jwtgate.auth-url", "https://login.example", "jwtgate-autoconfig", "on"));
        assertDoesNotThrow(() -> new AuthenticationInitializer().onStartup(Set.of(), other));
        assertTrue(factory.registrations.isEmpty());
    }

    @Test
    void whenSwitchHasAnotherValueThenDeploymentFailsNamingTheParam() {
        new FakeFactory(true).install();
        Map<String, String> params = enabled();
        params.put(JwtServerAuthModule.ENABLE_PARAM, "yes");
        ServletException e = assertThrows(ServletException.class,
                () -> new AuthenticationInitializer().onStartup(Set.of(), context(params)));
        assertEquals("JwtGate authentication module for [/secured] not started: Illegal value for context-param"
                + " [jwtgate.authentication]: [yes]; the only value is [enabled] (remove the context-param to leave the"
                + " module off)", e.getMessage());
    }

    /** Jetty reads {@code <param-name>jwtgate.authentication</param-name>} without its {@code <param-value>} as null. */
    @Test
    void whenSwitchHasNoValueThenDeploymentFailsNamingTheParamRatherThanLeavingTheModuleOff() {
        FakeFactory factory = new FakeFactory(true).install();
        Map<String, String> params = enabled();
        params.put(JwtServerAuthModule.ENABLE_PARAM, null);
        ServletException e = assertThrows(ServletException.class,
                () -> new AuthenticationInitializer().onStartup(Set.of(), context(params)));
        assertEquals("JwtGate authentication module for [/secured] not started: Illegal value for context-param"
                + " [jwtgate.authentication]: []; the only value is [enabled] (remove the context-param to leave the"
                + " module off)", e.getMessage());
        assertTrue(factory.registrations.isEmpty());
    }

    @Test
    void whenUnknownParamOrBadValueThenDeploymentFailsNamingItButNeverTheSecret() {
        new FakeFactory(true).install();
        Map<String, String> typo = enabled();
        typo.put("jwtgate.jwt.isuer", "x");
        assertTrue(assertThrows(ServletException.class, () -> new AuthenticationInitializer().onStartup(Set.of(), context(typo)))
                .getMessage().endsWith("Unknown context-param [jwtgate.jwt.isuer]; did you mean [jwtgate.jwt.issuer]?"));

        Map<String, String> shortSecret = enabled();
        shortSecret.put("jwtgate.jwt.secret", "short-k3y");
        String message = assertThrows(ServletException.class,
                () -> new AuthenticationInitializer().onStartup(Set.of(), context(shortSecret))).getMessage();
        assertTrue(message.contains("Invalid setting [jwt.secret]: the secret has 9 bytes; HS256 needs at least 32 (from context-param)"),
                message);
        assertTrue(!message.contains("short-k3y"), message);

        Map<String, String> paths = enabled();
        paths.put("jwtgate.paths.roles", "/admin/*=admin");
        assertTrue(assertThrows(ServletException.class, () -> new AuthenticationInitializer().onStartup(Set.of(), context(paths)))
                .getMessage().contains("Setting [paths.roles] is not used by the Jakarta Authentication module (from context-param)"));
    }

    @Test
    void whenEnabledThenRegisteredAtOnceStartedByTheListenerAndUndoneWhenTheApplicationStops() throws ServletException {
        FakeFactory factory = new FakeFactory(true).install();
        ServletContext context = context(enabled());
        new AuthenticationInitializer().onStartup(Set.of(), context);

        FakeFactory.Registration registration = factory.registrations.get("HttpServlet:Catalina/localhost /secured");
        DeferredModule deferred = assertInstanceOf(DeferredModule.class, registration.module());
        assertNull(deferred.module(), "nothing started before the application's listeners run");
        assertNull(attributes.get(RevocationService.CONTEXT_ATTRIBUTE));

        ServletContextListener lifecycle = assertInstanceOf(ServletContextListener.class, listeners.get(0));
        lifecycle.contextInitialized(new ServletContextEvent(context));
        JwtServerAuthModule module = deferred.module();
        assertEquals(module.revocationService(), attributes.get(RevocationService.CONTEXT_ATTRIBUTE));
        assertEquals(TestTokens.ISSUER, module.gate().config().settings().get("jwt.issuer"));

        lifecycle.contextDestroyed(new ServletContextEvent(context));
        assertEquals(List.of("HttpServlet:Catalina/localhost /secured"), factory.removed, "it served no request (ContextReloadTest)");
        assertNull(deferred.module());
        assertNull(attributes.get(RevocationService.CONTEXT_ATTRIBUTE));
        assertThrows(IllegalStateException.class, module::gate, "closed");
    }

    /** Tomcat stops a failed application, calling contextDestroyed on listeners whose contextInitialized never ran. */
    @Test
    void whenDeploymentFailsBeforeTheListenerRanThenNothingStartedAndTheRegistrationIsUndone() throws Exception {
        FakeFactory factory = new FakeFactory(true).install();
        ServletContext context = context(enabled());
        new AuthenticationInitializer().onStartup(Set.of(), context);
        DeferredModule deferred = (DeferredModule) factory.registrations.values().iterator().next().module();

        ((ServletContextListener) listeners.get(0)).contextDestroyed(new ServletContextEvent(context));
        assertTrue(factory.registrations.isEmpty());
        assertNull(deferred.module());
        assertNull(attributes.get(RevocationService.CONTEXT_ATTRIBUTE));
        assertEquals(AuthStatus.SEND_FAILURE, deferred.validateRequest(null, null, null), "a stray request is refused, not a pass");
    }

    /** Jetty calls no contextDestroyed on a listener whose contextInitialized threw: it undoes its own start. */
    @Test
    void whenTheStartFailsInContextInitializedThenTheModuleIsClosedAndUnregisteredAtOnce() throws ServletException {
        FakeFactory factory = new FakeFactory(true).install();
        ServletContext context = context(enabled());
        new AuthenticationInitializer().onStartup(Set.of(), context);
        DeferredModule deferred = (DeferredModule) factory.registrations.values().iterator().next().module();
        List<JwtServerAuthModule> started = new ArrayList<>();
        doAnswer(call -> {
            started.add(deferred.module());
            throw new IllegalStateException("an attribute listener failed");
        }).when(context).setAttribute(anyString(), any());

        ServletContextListener lifecycle = (ServletContextListener) listeners.get(0);
        assertThrows(IllegalStateException.class, () -> lifecycle.contextInitialized(new ServletContextEvent(context)));
        assertTrue(factory.registrations.isEmpty(), "a start that failed leaves nothing for a reload");
        assertNull(deferred.module());
        assertThrows(IllegalStateException.class, started.get(0)::gate, "closed");
    }

    /**
     * The container initialized the stand-in before the start (on Tomcat, an older version's request of a parallel
     * deployment) without a callback handler, which the started module refuses: the start fails, and the module it
     * built is closed too (its Redis and JWKS clients, threads and MBeans), not only the registration undone.
     */
    @Test
    void whenTheStartedModuleRefusesTheEarlyInitializationThenTheModuleBuiltIsClosed() throws Exception {
        FakeFactory factory = new FakeFactory(true).install();
        ServletContext context = context(enabled());
        new AuthenticationInitializer().onStartup(Set.of(), context);
        DeferredModule deferred = (DeferredModule) factory.registrations.values().iterator().next().module();
        deferred.initialize(null, null, null, Map.of());
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        javax.management.ObjectName requests = new javax.management.ObjectName("org.jwtgate:type=Requests,filter=\""
                + JwtServerAuthModule.METRICS_NAME + "\",context=\"/secured\"");

        ServletContextListener lifecycle = (ServletContextListener) listeners.get(0);
        assertThrows(IllegalStateException.class, () -> lifecycle.contextInitialized(new ServletContextEvent(context)));
        assertTrue(factory.registrations.isEmpty(), "a start that failed leaves nothing for a reload");
        assertNull(deferred.module());
        assertFalse(server.isRegistered(requests), "the module built for the start is left running");
    }

    @Test
    void whenContainerIsJettyThenRegisteredAsAProvider() throws ServletException {
        FakeFactory factory = new FakeFactory(false).install();
        ServletContext context = context(enabled());
        when(context.getVirtualServerName()).thenReturn(null);
        new AuthenticationInitializer().onStartup(Set.of(), context);
        assertEquals(Set.of("HttpServlet/server /secured"), factory.registrations.keySet());
        ((ServletContextListener) listeners.get(0)).contextDestroyed(new ServletContextEvent(context));
    }

    @Test
    void whenContainerHasNoFactoryThenDeploymentFailsAndNothingStaysOpen() {
        FakeFactory.uninstall();
        ServletException e = assertThrows(ServletException.class,
                () -> new AuthenticationInitializer().onStartup(Set.of(), context(enabled())));
        assertTrue(e.getMessage().contains("no Jakarta Authentication factory"), e.getMessage());
        assertTrue(listeners.isEmpty());
    }

    @Test
    void whenApplicationCannotSeeTheApiThenDeploymentFailsSayingWhatToDo() {
        ServletContext context = context(enabled());
        when(context.getClassLoader()).thenReturn(new ClassLoader(null) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.startsWith("jakarta.security.auth.message.")) {
                    throw new ClassNotFoundException(name); // hidden, as Jetty's ee10-jaspi does
                }
                return super.loadClass(name, resolve);
            }
        });
        ServletException e = assertThrows(ServletException.class, () -> new AuthenticationInitializer().onStartup(Set.of(), context));
        assertTrue(e.getMessage().contains("the application cannot see the container's Jakarta Authentication API"), e.getMessage());
    }

    @Test
    void whenDeployedWithChosenSourcesThenTheyCompleteTheContextParams() {
        FakeFactory factory = new FakeFactory(true).install();
        Map<String, String> settings = new HashMap<>(TestTokens.settings());
        settings.remove("jwt.issuer");
        ServletContext context = context(Map.of());
        ModuleDeployment.deploy(context, "/secured", settings,
                ConfigSources.of(Map.of("JWTGATE_JWT_ISSUER", "https://from-env.example"), Map.of()));
        ServletContextListener lifecycle = (ServletContextListener) listeners.get(0);
        lifecycle.contextInitialized(new ServletContextEvent(context));
        DeferredModule deferred = (DeferredModule) factory.registrations.values().iterator().next().module();
        assertEquals("https://from-env.example", deferred.module().gate().config().settings().get("jwt.issuer"));
        lifecycle.contextDestroyed(new ServletContextEvent(context));
    }
}
