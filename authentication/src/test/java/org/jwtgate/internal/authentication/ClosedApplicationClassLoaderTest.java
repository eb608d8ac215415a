package org.jwtgate.internal.authentication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.security.auth.message.AuthStatus;
import jakarta.security.auth.message.MessageInfo;
import jakarta.security.auth.message.config.AuthConfigFactory;
import jakarta.security.auth.message.module.ServerAuthModule;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.callback.CallbackHandler;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;
import org.jwtgate.authentication.Exchange;
import org.jwtgate.authentication.JwtServerAuthModule;
import org.jwtgate.internal.web.BearerErrorResponder;
import org.jwtgate.testkit.tokens.TestTokens;
import org.jwtgate.testkit.webapp.WarClassLoader;

/**
 * Jetty 12 stops a context without waiting for the requests inside it and closes the application's class loader:
 * a request that reaches the stopped module afterwards must still get its 503, from classes loaded before. Before the
 * module loaded them ahead, the first such request on Jetty failed with {@code NoClassDefFoundError: RecordedResponse},
 * which Jetty answered 500 (seen once in JettyRedeployUnderLoadIT).
 */
class ClosedApplicationClassLoaderTest {

    @Test
    void aModuleClosedWithItsApplicationStillAnswers503OnJettyOnceTheClassLoaderIsClosed() throws Exception {
        WarClassLoader application = newApplication();
        ServerAuthModule module = (ServerAuthModule) application.loadClass(JwtServerAuthModule.class.getName())
                .getConstructor().newInstance();
        ((AutoCloseable) module).close(); // the application's stop closes its module,
        application.close(); // then Jetty closes the class loader
        assertThrows(ClassNotFoundException.class, () -> application.loadClass("org.jwtgate.filter.JwtAuthFilter"),
                "the closed class loader loads no class it had not loaded");

        JettyCoreChannelTest.JettyLikeMessage message = new JettyCoreChannelTest.JettyLikeMessage();
        message.setRequestMessage(request());

        assertEquals(AuthStatus.SEND_FAILURE, module.validateRequest(message, new Subject(), null));
        assertEquals(503, message.status);
        assertTrue(message.body.contains("\"error\":\"temporarily_unavailable\""), message.body);
        assertTrue(message.last && message.succeeded, "the exchange completed");
        assertNull(message.failure);
    }

    /**
     * A request that found the module running just before the stop, refused after the class loader closed: where the
     * application had seen only good tokens, an expired one needed {@code Rejection} then.
     */
    @Test
    void aRunningModuleRefusesAnExpiredTokenOnceTheClassLoaderIsClosed() throws Exception {
        WarClassLoader app = newApplication();
        Class<?> moduleType = app.loadClass(JwtServerAuthModule.class.getName());
        Object builder = moduleType.getMethod("builder").invoke(null);
        Map<String, String> settings = new HashMap<>(TestTokens.settings());
        settings.put("metrics.jmx", "false");
        builder.getClass().getMethod("settings", Map.class).invoke(builder, settings);
        ServerAuthModule module = (ServerAuthModule) builder.getClass().getMethod("build").invoke(builder);
        module.initialize(null, null, mock(CallbackHandler.class), Map.of());
        Exchange good = Exchange.get(true, "Authorization", "Bearer " + TestTokens.hs256("alice", "user"));
        assertEquals(AuthStatus.SUCCESS, module.validateRequest(good, new Subject(), new Subject()));
        app.close();

        JwtClaims expired = TestTokens.claims("carol", "user");
        expired.setExpirationTime(TestTokens.secondsFromNow(-600));
        expired.setIssuedAt(TestTokens.secondsFromNow(-1200));
        Exchange refused = Exchange.get(true, "Authorization", "Bearer " + TestTokens.hs256(expired));
        assertEquals(AuthStatus.SEND_CONTINUE, module.validateRequest(refused, new Subject(), new Subject()));
        assertEquals(401, refused.status());
        // Not closed: its memory store holds no thread or connection, and a close after the class loader's would need a
        // class it had no use for before (in Jetty the module closes first).
    }

    /** The stand-in the application registered (context-param {@code jwtgate.authentication}): its own request after the stop. */
    @Test
    void theStandInOfAStoppedApplicationAnswers503OnJettyOnceTheClassLoaderIsClosed() throws Exception {
        WarClassLoader app = newApplication();
        Class<?> deferredType = app.loadClass("org.jwtgate.internal.authentication.registration.DeferredModule");
        Constructor<?> newDeferred = deferredType.getDeclaredConstructor(String.class);
        newDeferred.setAccessible(true);
        ServerAuthModule deferred = (ServerAuthModule) newDeferred.newInstance("/app");
        Object module = app.loadClass(JwtServerAuthModule.class.getName()).getConstructor().newInstance();
        Method started = deferredType.getDeclaredMethod("started", module.getClass());
        started.setAccessible(true);
        started.invoke(deferred, module);

        Class<?> registrationType = app.loadClass("org.jwtgate.internal.authentication.registration.ModuleRegistration");
        Constructor<?> newRegistration = registrationType.getDeclaredConstructors()[0];
        newRegistration.setAccessible(true);
        Object registration = newRegistration.newInstance(mock(AuthConfigFactory.class), "id", "server /app", null, false, null);
        Method stop = deferredType.getDeclaredMethod("stop", registrationType);
        stop.setAccessible(true);
        ((AutoCloseable) stop.invoke(deferred, registration)).close();
        app.close();

        ClassLoader before = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(app); // the stopped application's own request
        try {
            MandatoryMessage message = new MandatoryMessage(request(), false);
            deferred.initialize(null, null, mock(CallbackHandler.class), Map.of()); // Jetty's getAuthContext, per request
            assertEquals(AuthStatus.SEND_FAILURE, deferred.validateRequest(message, new Subject(), null));
            assertEquals(503, message.jetty.status);
            assertTrue(message.jetty.last && message.jetty.succeeded);
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
    }

    /** Jetty's request.authenticate() on an unprotected resource (no request, isMandatory) after the close. */
    @Test
    void authenticateOnAnUnprotectedResourceOfAClosedModuleAnswers503OnceTheClassLoaderIsClosed() throws Exception {
        WarClassLoader app = newApplication();
        ServerAuthModule module = (ServerAuthModule) app.loadClass(JwtServerAuthModule.class.getName())
                .getConstructor().newInstance();
        ((AutoCloseable) module).close();
        app.close();
        MandatoryMessage message = new MandatoryMessage(null, true);
        assertEquals(AuthStatus.SEND_FAILURE, module.validateRequest(message, new Subject(), null));
        assertEquals(503, message.jetty.status);
        assertTrue(message.jetty.last && message.jetty.succeeded);
    }

    private static HttpServletRequest request() {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getMethod()).thenReturn("GET");
        when(request.getServletPath()).thenReturn("/admin/page");
        return request;
    }

    /** Jetty-shaped, with a map that says whether authentication is mandatory. */
    public static final class MandatoryMessage implements MessageInfo {

        final JettyCoreChannelTest.JettyLikeMessage jetty = new JettyCoreChannelTest.JettyLikeMessage();
        private final Map<String, Object> map = new HashMap<>();
        private Object request;

        MandatoryMessage(Object request, boolean mandatory) {
            this.request = request;
            if (mandatory) {
                map.put("jakarta.security.auth.message.MessagePolicy.isMandatory", "true");
            }
        }

        public JettyCoreChannelTest.CoreResponse getBaseResponse() {
            return jetty.getBaseResponse();
        }

        public JettyCoreChannelTest.CoreCallback getCallback() {
            return jetty.getCallback();
        }

        @Override
        public Object getRequestMessage() {
            return request;
        }

        @Override
        public Object getResponseMessage() {
            return request == null ? null : jetty.getResponseMessage();
        }

        @Override
        public void setRequestMessage(Object request) {
            this.request = request;
        }

        @Override
        public void setResponseMessage(Object response) {
        }

        @Override
        public Map<String, Object> getMap() {
            return map;
        }
    }

    /**
     * JwtGate's and jose4j's classes its own (as WEB-INF/lib holds them), everything else from this test's loader, as
     * are the Jetty-shaped messages of the tests ({@link Exchange}, {@link JettyCoreChannelTest}).
     */
    private static WarClassLoader newApplication() {
        return new WarClassLoader(ClosedApplicationClassLoaderTest.class,
                List.of(Exchange.class.getName(), JettyCoreChannelTest.class.getName()),
                JwtServerAuthModule.class, BearerErrorResponder.class, JwtClaims.class);
    }
}
