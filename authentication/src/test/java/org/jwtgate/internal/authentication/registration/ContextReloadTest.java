package org.jwtgate.internal.authentication.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.security.auth.message.AuthException;
import jakarta.security.auth.message.AuthStatus;
import java.util.List;
import java.util.Map;
import javax.security.auth.Subject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jwtgate.authentication.Exchange;
import org.jwtgate.authentication.JwtServerAuthModule;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * An application stopped and started again while the container's authenticator stays (Tomcat's reload:
 * Manager "Reload", {@code reloadable="true"}, a touched {@code WEB-INF/web.xml}), and an application
 * stopped for good. The authenticator is {@link CachingAuthenticator}: Tomcat's, which looks again only
 * when the factory tells it.
 */
class ContextReloadTest {

    private static final String APP_CONTEXT = Deployments.HOST + " /secured";
    private static final String ID = "HttpServlet:" + APP_CONTEXT;

    @AfterEach
    void uninstall() {
        FakeFactory.uninstall();
    }

    @Test
    void whenTheContextIsReloadedThenItsAuthenticatorIsToldOfTheNewModule() {
        FakeFactory factory = new FakeFactory(true).install();
        CachingAuthenticator valve = new CachingAuthenticator(APP_CONTEXT);
        Deployments first = Deployments.start("/secured");
        DeferredModule before = assertInstanceOf(DeferredModule.class, first.request(valve));

        first.stopped();
        Deployments second = Deployments.start("/secured");

        DeferredModule after = assertInstanceOf(DeferredModule.class, second.request(valve),
                "after the reload the valve falls back to the application's login-config: tokens are ignored");
        assertNotSame(before, after);
        assertNotNull(after.module(), "the reloaded application's module, started");
        assertEquals(List.of(), factory.removed);
        second.stopped();
    }

    @Test
    void whenStoppedThenTheRegistrationStaysWithAStandInThatHoldsNoModule() throws Exception {
        FakeFactory factory = new FakeFactory(true).install();
        Deployments deployment = Deployments.start("/secured");
        DeferredModule deferred = deployment.request(new CachingAuthenticator(APP_CONTEXT));
        JwtServerAuthModule module = deferred.module();

        deployment.stopped();

        assertSame(deferred, factory.registrations.get(ID).module(), "left for the reload's registration to replace");
        assertNull(deferred.module(), "the module is let go: its clients closed, nothing of it pinned by the factory");
        assertThrows(IllegalStateException.class, module::gate, "closed");
        assertEquals(AuthStatus.SEND_SUCCESS, deferred.secureResponse(null, null), "what the module answers");
    }

    /** Undeployed for good, then another application (without JwtGate) at the path, or this one without the module. */
    @Test
    void whenNoStartTookTheRegistrationOverThenTheFirstRequestRemovesItAndTheAuthenticatorFallsBack() {
        FakeFactory factory = new FakeFactory(true).install();
        CachingAuthenticator valve = new CachingAuthenticator(APP_CONTEXT);
        Deployments gone = Deployments.start("/secured");
        gone.request(valve);
        gone.stopped();
        DeferredModule left = assertInstanceOf(DeferredModule.class, valve.module());

        Thread thread = Thread.currentThread();
        ClassLoader own = thread.getContextClassLoader();
        thread.setContextClassLoader(new java.net.URLClassLoader(new java.net.URL[0], null)); // the next application's
        AuthException refused;
        try {
            refused = assertThrows(AuthException.class, () -> left.validateRequest(null, null, null));
        } finally {
            thread.setContextClassLoader(own);
        }
        assertTrue(refused.getMessage().contains("the application has stopped"), refused.getMessage());
        assertEquals(List.of(ID), factory.removed);
        assertNull(valve.module(), "told of the removal: the application's own login-config from the next request on");
    }

    /** A reload whose start fails (a bad web.xml), then a good one: the valve is still told. */
    @Test
    void whenAReloadFailsThenTheNextReloadIsStillSeen() {
        FakeFactory factory = new FakeFactory(true).install();
        CachingAuthenticator valve = new CachingAuthenticator(APP_CONTEXT);
        Deployments first = Deployments.start("/secured");
        DeferredModule firstModule = first.request(valve);
        first.stopped();

        Deployments.start("/secured").stopped(); // its module started, but a listener of its web.xml failed
        assertSame(firstModule, valve.module(), "the registration it replaced is given back");

        Deployments fixed = Deployments.start("/secured");
        assertNotNull(fixed.request(valve).module());
        assertEquals(List.of(), factory.removed);
        fixed.stopped();
    }

    /** Nothing can hold it: the deployment failed (Tomcat ran the listener all the same), or no request came. */
    @Test
    void whenStoppedBeforeServingThenTheRegistrationIsRemoved() {
        FakeFactory factory = new FakeFactory(true).install();
        Deployments.start("/secured").stopped();
        assertTrue(factory.registrations.isEmpty());
        assertEquals(List.of(ID), factory.removed);
    }

    /** Jetty's authenticator looks the provider up again on its next request: removing is right there. */
    @Test
    void whenJettyThenTheRegistrationIsRemovedAtTheStop() {
        FakeFactory factory = new FakeFactory(false).install();
        Deployments jetty = Deployments.start("/secured");
        jetty.served();
        jetty.stopped();
        assertTrue(factory.registrations.isEmpty());
        assertEquals(List.of("HttpServlet/" + APP_CONTEXT), factory.removed);
    }

    /**
     * A request of the stopping application itself (a servlet still running past the unload delay, an async
     * dispatch, a request Jetty's stop overtook) reaches the stopped stand-in during the reload: it is answered 503, as
     * by a module that is not started (before: an AuthException, 500), and must not remove the kept registration, or
     * the valve would cache "no provider" and miss the reload's registration.
     */
    @Test
    void whenTheStoppingApplicationsOwnRequestReachesTheStandInThenItIs503AndTheReloadIsStillSeen() throws Exception {
        new FakeFactory(true).install();
        CachingAuthenticator valve = new CachingAuthenticator(APP_CONTEXT);
        Deployments first = Deployments.start("/secured");
        DeferredModule before = first.request(valve);
        first.stopped();
        // This thread: the application's loader.
        before.initialize(null, null, callbacks -> { }, Map.of());
        Exchange exchange = Exchange.get(true, "Authorization", "Bearer " + TestTokens.hs256("alice"));
        assertEquals(AuthStatus.SEND_FAILURE, before.validateRequest(exchange, new Subject(), null));
        assertEquals(503, exchange.status());
        assertEquals("5", exchange.writtenHeader("Retry-After"));

        Deployments second = Deployments.start("/secured");
        assertNotNull(second.request(valve), "after the reload the valve has the new module");
    }
}
