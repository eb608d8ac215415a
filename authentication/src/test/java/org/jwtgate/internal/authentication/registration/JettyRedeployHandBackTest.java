package org.jwtgate.internal.authentication.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.security.auth.message.AuthException;
import jakarta.security.auth.message.AuthStatus;
import jakarta.security.auth.message.MessageInfo;
import jakarta.security.auth.message.config.ServerAuthConfig;
import jakarta.security.auth.message.callback.CallerPrincipalCallback;
import jakarta.security.auth.message.config.ServerAuthContext;
import jakarta.servlet.ServletContextEvent;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jwtgate.authentication.Exchange;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * Jetty's hot redeploy ({@code jetty.deploy.atomicRedeploy}, on by default): the new context registers its stand-in
 * and starts before the old one stops, and the old one's authenticator, told of the new registration, asks it from
 * then on. The old application's requests (another class loader than the stand-in's) must still be authenticated by
 * the old module until the new application serves.
 */
class JettyRedeployHandBackTest {

    private static final String JETTY_APP_CONTEXT = Deployments.HOST + " /secured";

    @AfterEach
    void uninstall() {
        FakeFactory.uninstall();
    }

    /** The context the old application's authenticator gets from the registration the factory holds now. */
    private static ServerAuthContext asked(FakeFactory factory, CallbackHandler handler) throws AuthException {
        String id = factory.getRegistrationIDs(null)[0];
        ServerAuthConfig config = factory.registrations.get(id).provider()
                .getServerAuthConfig(ModuleRegistration.LAYER, JETTY_APP_CONTEXT, handler);
        return config.getAuthContext(config.getAuthContextID(null), null, Map.of());
    }

    /** A message of an unprotected resource without a request (Jetty asks so): a started module answers SUCCESS. */
    private static MessageInfo anonymous() {
        MessageInfo message = mock(MessageInfo.class);
        when(message.getMap()).thenReturn(new HashMap<>());
        return message;
    }

    /** Runs {@code call} as a request of another application: its class loader, not the stand-in's. */
    private static <T> T asTheOldApplication(Call<T> call) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader own = thread.getContextClassLoader();
        thread.setContextClassLoader(new URLClassLoader(new URL[0], null));
        try {
            return call.run();
        } finally {
            thread.setContextClassLoader(own);
        }
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws Exception;
    }

    /** A context's container handler: counts the callers it was handed. */
    private static final class Recording implements CallbackHandler {
        final List<String> callers = new CopyOnWriteArrayList<>();

        @Override
        public void handle(Callback[] callbacks) {
            for (Callback callback : callbacks) {
                if (callback instanceof CallerPrincipalCallback caller) {
                    callers.add(caller.getName() != null ? caller.getName() : caller.getPrincipal().getName());
                }
            }
        }
    }

    /** A protected request with alice's token, as the context whose handler is {@code handler} sends it. */
    private static AuthStatus aliceAsked(FakeFactory factory, CallbackHandler handler) throws Exception {
        return aliceValidatedBy(asked(factory, handler));
    }

    /** A protected request with alice's token, validated by {@code context}. */
    private static AuthStatus aliceValidatedBy(ServerAuthContext context) throws Exception {
        return context.validateRequest(Exchange.get(true, "Authorization", "Bearer " + TestTokens.hs256("alice")),
                new Subject(), null);
    }

    @Test
    void whileTheRedeployedApplicationStartsThenTheOldOnesRequestsAreStillAuthenticatedByItsModule() throws Exception {
        // Before: from the new registration on, each of the old application's protected requests was an AuthException
        // (Jetty: 500) until the new one started; then the new module took them, with the contexts' handlers in turns.
        FakeFactory factory = new FakeFactory(false).install();
        Recording oldHandler = new Recording();
        Recording newHandler = new Recording();
        Deployments old = Deployments.start("/secured");
        old.served();

        Deployments redeployed = Deployments.deploy("/secured"); // registered, its listeners not run yet
        assertEquals(AuthStatus.SUCCESS, asTheOldApplication(() -> aliceAsked(factory, oldHandler)));
        assertEquals(List.of("alice"), oldHandler.callers, "the old application's handler got the caller");

        redeployed.lifecycle().contextInitialized(new ServletContextEvent(redeployed.context()));
        assertEquals(AuthStatus.SUCCESS, asTheOldApplication(() -> aliceAsked(factory, oldHandler)));
        assertEquals(List.of("alice", "alice"), oldHandler.callers);
        assertEquals(List.of(), newHandler.callers, "the new module never had the old context's request");

        // Decided once per request: the new application serves between this request's two calls.
        ServerAuthContext chosen = asTheOldApplication(() -> asked(factory, oldHandler));
        redeployed.served();
        assertEquals(AuthStatus.SUCCESS, asTheOldApplication(() -> aliceValidatedBy(chosen)));
        assertEquals(3, oldHandler.callers.size(), "still the old module, with the old context's handler");

        // The new application's own requests: its module.
        assertEquals(AuthStatus.SUCCESS, aliceAsked(factory, newHandler));
        assertEquals(List.of("alice"), newHandler.callers);
        old.stopped();
        redeployed.stopped();
    }

    /**
     * The old application's request that reaches the new stand-in the moment the factory holds it, before the
     * registration is handed to it: before, an AuthException (Jetty: 500; JettyRedeployUnderLoadIT saw 3 of 46,000).
     */
    @Test
    void whenTheOldApplicationsRequestComesWhileTheNewStandInIsBeingRegisteredThenItIsStillAuthenticated() throws Exception {
        FakeFactory factory = new FakeFactory(false).install();
        Recording oldHandler = new Recording();
        Deployments old = Deployments.start("/secured");
        old.served();
        java.util.concurrent.CompletableFuture<AuthStatus> answer = new java.util.concurrent.CompletableFuture<>();
        factory.afterRegistration = () -> {
            Thread request = new Thread(() -> {
                try {
                    answer.complete(asTheOldApplication(() -> aliceAsked(factory, oldHandler)));
                } catch (Exception | Error e) {
                    answer.completeExceptionally(e);
                }
            });
            request.start();
            // Until the request waits for the registration (or, before, has been answered): then register() returns.
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
            while (!answer.isDone() && request.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
        };
        Deployments redeployed = Deployments.deploy("/secured");
        factory.afterRegistration = null;

        assertEquals(AuthStatus.SUCCESS, answer.get(5, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(List.of("alice"), oldHandler.callers, "the old application's module, with its handler");
        old.stopped();
        redeployed.stopped();
    }

    @Test
    void whenBothContextsReachTheNewModuleThenEachRequestsCallerGoesToItsOwnContextsHandler() throws Exception {
        // After the new application served, the old one's last requests reach the new module too. Jetty initializes
        // the module with the request's context's handler, then validates: before, a request of the other context
        // initialized in between took the caller to its handler (the old context saw none: a spurious refusal).
        FakeFactory factory = new FakeFactory(false).install();
        Recording oldHandler = new Recording();
        Recording newHandler = new Recording();
        Deployments old = Deployments.start("/secured");
        old.served();
        Deployments redeployed = Deployments.start("/secured");
        redeployed.served();

        ServerAuthContext oldRequest = asTheOldApplication(() -> asked(factory, oldHandler));
        ServerAuthContext newRequest = asked(factory, newHandler); // initialized after the old context's request
        assertEquals(AuthStatus.SUCCESS, asTheOldApplication(() -> aliceValidatedBy(oldRequest)));
        assertEquals(AuthStatus.SUCCESS, newRequest.validateRequest(
                Exchange.get(true, "Authorization", "Bearer " + TestTokens.hs256("bob")), new Subject(), null));

        assertEquals(List.of("alice"), oldHandler.callers, "the old context's request, to the old context's handler");
        assertEquals(List.of("bob"), newHandler.callers, "the new context's request, to the new context's handler");
        old.stopped();
        redeployed.stopped();
    }

    @Test
    void whenJettyCleansTheSubjectBeforeSecuringTheResponseThenBothGoToTheOldModule() throws Exception {
        // Jetty's secureResponse path asks for the context once, then calls cleanSubject, then secureResponse: before,
        // cleanSubject took the hand-back and secureResponse reached the new, unstarted module (AuthException).
        FakeFactory factory = new FakeFactory(false).install();
        Deployments old = Deployments.start("/secured");
        old.served();
        Deployments.deploy("/secured");

        AuthStatus secured = asTheOldApplication(() -> {
            ServerAuthContext context = asked(factory, new Recording());
            context.cleanSubject(anonymous(), new Subject());
            return context.secureResponse(anonymous(), null);
        });
        assertEquals(AuthStatus.SEND_SUCCESS, secured);
        old.stopped();
    }

    @Test
    void whenTheRedeployedApplicationFailsThenTheOldOneGetsItsRegistrationBackAndKeepsServing() throws Exception {
        FakeFactory factory = new FakeFactory(false).install();
        Recording oldHandler = new Recording();
        Deployments old = Deployments.start("/secured");
        old.served();

        Deployments.deploy("/secured").stopped(); // a listener before JwtGate's failed: Jetty stops the context

        assertEquals(1, factory.registrations.size());
        assertEquals(AuthStatus.SUCCESS, asTheOldApplication(() -> aliceAsked(factory, oldHandler)));
        assertEquals(List.of("alice"), oldHandler.callers);
        old.stopped();
    }

    /**
     * Jetty stops the old context without waiting for its requests: one handed back to the old module, then validated
     * after the old application stopped, on its own thread (the stand-in's class loader). Before: an AuthException
     * (Jetty: 500); now the 503 of a module that is not started.
     */
    @Test
    void whenTheOldApplicationStopsUnderAHandedBackRequestThenItIsAnswered503() throws Exception {
        FakeFactory factory = new FakeFactory(false).install();
        Deployments old = Deployments.start("/secured");
        old.served();
        Deployments redeployed = Deployments.start("/secured");
        ServerAuthContext chosen = asTheOldApplication(() -> asked(factory, new Recording()));
        old.stopped();

        Exchange exchange = Exchange.get(true, "Authorization", "Bearer " + TestTokens.hs256("alice"));
        assertEquals(AuthStatus.SEND_FAILURE, chosen.validateRequest(exchange, new Subject(), null));
        assertEquals(503, exchange.status());
        assertEquals("5", exchange.writtenHeader("Retry-After"));
        redeployed.stopped();
    }

    /**
     * A redeployment that fails gives the registration back; an old request that found the failed one's registration
     * before Jetty's authenticator was told (its cached configuration) reaches the failed stand-in during the give-back
     * or after it. Before: "has not finished deploying" (Jetty: 500), the replaced registration being let go first.
     */
    @Test
    void whenAFailedRedeploymentGivesTheRegistrationBackThenAnOldRequestHoldingItsConfigurationIsStillHandedBack()
            throws Exception {
        FakeFactory factory = new FakeFactory(false).install();
        Recording oldHandler = new Recording();
        Deployments old = Deployments.start("/secured");
        old.served();
        Deployments failing = Deployments.deploy("/secured"); // its listeners never run: a listener before JwtGate's failed
        String failingId = factory.getRegistrationIDs(null)[0];
        ServerAuthConfig cached = factory.registrations.get(failingId).provider()
                .getServerAuthConfig(ModuleRegistration.LAYER, JETTY_APP_CONTEXT, oldHandler);
        java.util.concurrent.atomic.AtomicReference<Object> during = new java.util.concurrent.atomic.AtomicReference<>();
        factory.afterRegistration = () -> {
            try {
                during.set(asTheOldApplication(() -> aliceValidatedBy(cached.getAuthContext("jwtgate", null, Map.of()))));
            } catch (Exception e) {
                during.set(e);
            }
        };
        failing.stopped();
        factory.afterRegistration = null;

        assertEquals(AuthStatus.SUCCESS, during.get(), "during the give-back");
        assertEquals(AuthStatus.SUCCESS, asTheOldApplication(() -> aliceValidatedBy(cached.getAuthContext("jwtgate", null,
                Map.of()))), "after it");
        assertEquals(List.of("alice", "alice"), oldHandler.callers, "the old module, with the old context's handler");
        old.stopped();
    }

    /**
     * Redeployed twice without a request between: the second redeploy stops a version that never served, whose
     * registration the third one replaced. Before, that stopped version kept the first one's provider (and class
     * loader) until the third served.
     */
    @Test
    void whenAVersionThatNeverServedStopsAfterANewerRegisteredThenItKeepsNothingOfTheOneBefore() throws Exception {
        new FakeFactory(false).install();
        Deployments first = Deployments.start("/secured");
        first.served();
        Deployments second = Deployments.start("/secured"); // never serves
        first.stopped();
        Deployments third = Deployments.start("/secured");
        second.stopped();

        assertNull(replacedOf(second), "the stopped second version lets the first one's provider go");
        assertNotNull(replacedOf(third), "the third still hands the second one's requests back until it serves");
        third.stopped();
    }

    /** What a deployment's registration keeps of the one it replaced (its private field: nothing else shows it). */
    private static Object replacedOf(Deployments deployment) throws ReflectiveOperationException {
        java.lang.reflect.Field registration = ModuleLifecycle.class.getDeclaredField("registration");
        registration.setAccessible(true);
        java.lang.reflect.Field replaced = ModuleRegistration.class.getDeclaredField("replaced");
        replaced.setAccessible(true);
        return replaced.get(registration.get(deployment.lifecycle()));
    }

    @Test
    void whenTheFactoryIsTomcatsThenNothingIsHandedBackAndTheVersionsShareTheNewestModuleAsDocumented() throws Exception {
        FakeFactory factory = new FakeFactory(true).install();
        CachingAuthenticator valve = new CachingAuthenticator(Deployments.HOST + " /secured");
        Deployments old = Deployments.start("/secured");
        old.request(valve);
        Deployments.deploy("/secured");

        AuthException refused = assertThrows(AuthException.class, () -> asTheOldApplication(
                () -> valve.module().validateRequest(anonymous(), new Subject(), null)));
        assertTrue(refused.getMessage().contains("has not finished deploying"), refused.getMessage());
        assertEquals(1, factory.registrations.size());
        old.stopped();
    }
}
