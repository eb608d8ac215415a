package org.jwtgate.internal.authentication.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import jakarta.security.auth.message.AuthException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.security.auth.callback.CallbackHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jwtgate.authentication.JwtServerAuthModule;

/**
 * Tomcat's parallel deployment: {@code app##1} and {@code app##2} share the context path, hence the
 * registration ID {@code HttpServlet:<virtual server> <context path>}, and each version's registration
 * replaces the one before — Tomcat then hands the older version's authenticator the newer module too.
 */
class ParallelDeploymentTest {

    private static final String APP_CONTEXT = Deployments.HOST + " /app";
    private static final String ID = "HttpServlet:" + APP_CONTEXT;

    @AfterEach
    void uninstall() {
        FakeFactory.uninstall();
    }

    @Test
    void whenTheOldVersionIsUndeployedThenTheNewVersionKeepsItsRegistration() {
        FakeFactory factory = new FakeFactory(true).install();
        CachingAuthenticator oldVersionsValve = new CachingAuthenticator(APP_CONTEXT);
        CachingAuthenticator newVersionsValve = new CachingAuthenticator(APP_CONTEXT);
        Deployments v1 = Deployments.start("/app");
        v1.request(oldVersionsValve);
        Deployments v2 = Deployments.start("/app");
        DeferredModule newVersion = v2.request(newVersionsValve);

        v1.stopped();

        assertEquals(List.of(), factory.removed);
        assertSame(newVersion, factory.registrations.get(ID).module(), "app##2, still serving /app, keeps its registration");
        assertNotNull(newVersion.module(), "and its module runs");
        assertSame(newVersion, newVersionsValve.module());
        v2.stopped();
    }

    @Test
    void whenTheNewVersionFailsToDeployThenTheOldVersionGetsItsRegistrationBack() {
        FakeFactory factory = new FakeFactory(true).install();
        Deployments v1 = Deployments.start("/app");
        CachingAuthenticator oldVersionsValve = new CachingAuthenticator(APP_CONTEXT);
        DeferredModule oldVersion = v1.request(oldVersionsValve);

        // app##2: a listener of its web.xml fails; Tomcat still runs JwtGate's, then stops the application.
        Deployments.start("/app").stopped();

        assertSame(oldVersion, oldVersionsValve.module(), "app##1's authenticator is told, and finds app##1's module");
        assertSame(oldVersion, factory.registrations.get(ID).module());
        assertNotNull(oldVersion.module());

        Deployments.deploy("/app").stopped(); // app##3: an initializer after JwtGate's fails
        assertSame(oldVersion, oldVersionsValve.module());
        v1.stopped();
    }

    /**
     * Tomcat initializes a registered module once, at the first request that reaches it — here one of
     * app##1's, while app##2 deploys: refused then, app##2's module would never get the callback handler.
     */
    @Test
    void whenTheContainerInitializesTheModuleBeforeItStartedThenTheStartedModuleGetsTheHandler() throws AuthException {
        DeferredModule deferred = new DeferredModule("/app");
        CallbackHandler handler = callbacks -> { };
        deferred.initialize(null, null, handler, Map.of());

        JwtServerAuthModule started = mock(JwtServerAuthModule.class);
        AtomicReference<JwtServerAuthModule> servingWhileInitialized = new AtomicReference<>();
        doAnswer(call -> {
            servingWhileInitialized.set(deferred.module());
            return null;
        }).when(started).initialize(any(), any(), any(), any());
        deferred.started(started);
        verify(started).initialize(null, null, handler, Map.of());
        assertNull(servingWhileInitialized.get(), "no request reaches the module before it has the handler");
        assertSame(started, deferred.module());
    }
}
