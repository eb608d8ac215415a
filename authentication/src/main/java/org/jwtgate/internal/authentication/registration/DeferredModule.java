package org.jwtgate.internal.authentication.registration;

import jakarta.security.auth.message.AuthException;
import jakarta.security.auth.message.AuthStatus;
import jakarta.security.auth.message.MessageInfo;
import jakarta.security.auth.message.MessagePolicy;
import jakarta.security.auth.message.config.AuthConfigFactory;
import jakarta.security.auth.message.config.ServerAuthContext;
import jakarta.security.auth.message.module.ServerAuthModule;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.callback.CallbackHandler;
import org.jwtgate.authentication.JwtServerAuthModule;
import org.jwtgate.internal.authentication.ResponseChannel;

/**
 * What is registered with the factory: a stand-in for the {@link JwtServerAuthModule} that
 * {@link ModuleLifecycle} starts once the application's listeners run, so that a deployment failing
 * before then leaves no Redis or JWKS client, thread or MBean behind (Jetty never tells the
 * application's listeners about such a failure). Registration cannot wait: Jetty's authenticator looks
 * the provider up when the context's security handler starts, before any listener runs.
 *
 * <p>Before the start the application serves no request, but on Tomcat the older version of a parallel
 * deployment shares its registration and may ask: a request is then an error ({@link AuthException}),
 * and the container's {@code initialize} is kept for the module, since Tomcat initializes a registered
 * module once. After the application's stop the module is let go — a registration left in the factory
 * (see {@link ModuleRegistration#withdraw()}) holds this stand-in only. Another application's request is then an
 * error that also removes that registration; the stopped application's own (one in flight over the stop: Jetty
 * stops a context without waiting for its requests) is answered 503, as a module that is not started answers.
 *
 * <p>On Jetty, whose deployer starts a redeployed application before it stops the old one, the old one's
 * requests reach this stand-in as soon as it is registered: they go back to the old one's module until this
 * application serves ({@link ModuleRegistration#replacedContext(CallbackHandler, Map)}).
 */
final class DeferredModule implements ServerAuthModule {

    private static final Class<?>[] SUPPORTED_MESSAGE_TYPES = {HttpServletRequest.class, HttpServletResponse.class};

    private final String application;
    private final Object transitions = new Object();
    private volatile JwtServerAuthModule module;
    /** Guarded by {@link #transitions}: what the container passed to initialize before the start. */
    private Initialization early;
    private volatile ModuleRegistration stoppedWith;
    /** This stand-in's registration, once made: requests of the application it replaced go back there. */
    private volatile ModuleRegistration registration;
    /**
     * The replaced application's context {@link #initialize} chose for this thread's request, for the calls Jetty makes
     * next on the same thread: {@code validateRequest} or {@code secureResponse} takes it ({@code cleanSubject}, which
     * Jetty may call between {@code initialize} and {@code secureResponse}, reads it): decided once per request,
     * whatever this application does meanwhile, and kept no longer.
     */
    private final ThreadLocal<ServerAuthContext> handedBack = new ThreadLocal<>();

    DeferredModule(String application) {
        this.application = application;
    }

    /** The factory holds this stand-in now, by {@code registration}. */
    void registeredAs(ModuleRegistration ownRegistration) {
        synchronized (transitions) {
            registration = ownRegistration;
            transitions.notifyAll();
        }
    }

    /** How long a request that reached this stand-in while it was being registered waits for {@link #registeredAs}. */
    private static final long REGISTRATION_WAIT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

    /**
     * This stand-in's registration; for a request that reached it between the factory's taking it and
     * {@link #registeredAs} (Jetty's old application is told of the new registration at once), once it is known.
     */
    private ModuleRegistration ownRegistration() throws AuthException {
        ModuleRegistration own = registration;
        if (own != null || module != null || stoppedWith != null) {
            return own;
        }
        synchronized (transitions) {
            long deadline = System.nanoTime() + REGISTRATION_WAIT_NANOS;
            for (long left = REGISTRATION_WAIT_NANOS; registration == null && left > 0; left = deadline - System.nanoTime()) {
                try {
                    java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(transitions, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AuthException("Interrupted while the JwtGate authentication module for [" + application
                            + "] was being registered");
                }
            }
            return registration;
        }
    }

    /**
     * Hands over the started module; the requests go to it from now on.
     *
     * @throws IllegalStateException when the container's early {@code initialize} is refused by the module
     */
    void started(JwtServerAuthModule startedModule) {
        synchronized (transitions) {
            Initialization pending = early;
            early = null;
            if (pending != null) {
                pending.applyTo(startedModule); // before any request can reach it
            }
            module = startedModule;
        }
    }

    /**
     * The application stopped: from now on requests are refused, and one that reaches {@code initialize}
     * or {@code validateRequest} removes {@code registration} if it was left in the factory.
     *
     * @return the module that was running, for the caller to close; null if none
     */
    JwtServerAuthModule stop(ModuleRegistration registration) {
        synchronized (transitions) {
            JwtServerAuthModule running = module;
            stoppedWith = registration; // first: a request that reads no module then reads why
            module = null;
            early = null;
            return running;
        }
    }

    /** The started module, or null before {@link #started} and after {@link #stop}. */
    JwtServerAuthModule module() {
        return module;
    }

    @Override
    public Class<?>[] getSupportedMessageTypes() {
        return SUPPORTED_MESSAGE_TYPES.clone();
    }

    @Override
    public void initialize(MessagePolicy requestPolicy, MessagePolicy responsePolicy, CallbackHandler handler,
                           Map<String, Object> options) throws AuthException {
        handedBack.remove();
        boolean another = isAnotherApplicationsRequest();
        ModuleRegistration own = another ? ownRegistration() : registration;
        if (own != null && another) {
            ServerAuthContext replaced = own.replacedContext(handler, options);
            if (replaced != null) {
                handedBack.set(replaced); // the replaced application's request, initialized by its own module
                return;
            }
        }
        JwtServerAuthModule current = module;
        if (current == null) {
            synchronized (transitions) {
                current = module;
                if (current == null && stoppedWith == null) {
                    early = new Initialization(requestPolicy, responsePolicy, handler, options);
                    return;
                }
            }
        }
        if (current == null && !another) {
            return; // the stopped application's own request: validateRequest answers it
        }
        runningOrWithdrawn(current).initialize(requestPolicy, responsePolicy, handler, options);
    }

    @Override
    public AuthStatus validateRequest(MessageInfo messageInfo, Subject clientSubject, Subject serviceSubject)
            throws AuthException {
        ServerAuthContext replaced = replacedApplications();
        if (replaced != null) {
            return replaced.validateRequest(messageInfo, clientSubject, serviceSubject);
        }
        JwtServerAuthModule current = module;
        if (current == null && stoppedWith != null && !isAnotherApplicationsRequest()) {
            return ResponseChannel.notStarted(messageInfo); // a 503, never an error (500)
        }
        return runningOrWithdrawn(current).validateRequest(messageInfo, clientSubject, serviceSubject);
    }

    @Override
    public AuthStatus secureResponse(MessageInfo messageInfo, Subject serviceSubject) throws AuthException {
        ServerAuthContext replaced = replacedApplications();
        if (replaced != null) {
            return replaced.secureResponse(messageInfo, serviceSubject);
        }
        JwtServerAuthModule current = module;
        if (current == null && stoppedWith != null) {
            return AuthStatus.SEND_SUCCESS; // what the module answers: it adds nothing to a response
        }
        return running(current).secureResponse(messageInfo, serviceSubject);
    }

    @Override
    public void cleanSubject(MessageInfo messageInfo, Subject subject) throws AuthException {
        // Read, not taken: Jetty's secureResponse path asks for the context once, then cleans, then secures.
        ServerAuthContext replaced = handedBack.get();
        if (replaced != null) {
            replaced.cleanSubject(messageInfo, subject);
            return;
        }
        running(module).cleanSubject(messageInfo, subject);
    }

    /**
     * For a request of the application whose registration this one replaced and which still serves (Jetty's
     * redeploy): the context of its own module, which this request's {@link #initialize} chose; else null.
     */
    private ServerAuthContext replacedApplications() {
        ServerAuthContext replaced = handedBack.get();
        if (replaced != null) {
            handedBack.remove();
        }
        return replaced;
    }

    /** A request starting after the stop: the registration left for a reload was not taken over. */
    private JwtServerAuthModule runningOrWithdrawn(JwtServerAuthModule current) throws AuthException {
        ModuleRegistration left = stoppedWith;
        if (current == null && left != null && isAnotherApplicationsRequest()) {
            left.removeLeftOver();
        }
        return running(current);
    }

    /**
     * A request of the stopped application itself (still running past the container's unload delay, or an
     * async dispatch during the stop) runs with this application's class loader, or the container's once that
     * loader stopped; only another application's request proves that no start took the registration over.
     */
    private static boolean isAnotherApplicationsRequest() {
        ClassLoader current = Thread.currentThread().getContextClassLoader();
        return current != null && current != DeferredModule.class.getClassLoader()
                && current != AuthConfigFactory.class.getClassLoader();
    }

    private JwtServerAuthModule running(JwtServerAuthModule current) throws AuthException {
        if (current != null) {
            return current;
        }
        throw new AuthException("The JwtGate authentication module for [" + application + "] is not started: "
                + (stoppedWith != null ? "the application has stopped" : "the application has not finished deploying"));
    }

    private record Initialization(MessagePolicy requestPolicy, MessagePolicy responsePolicy, CallbackHandler handler,
                                  Map<String, Object> options) {

        /** The options' names only: their values may be jwt.secret or redis.password. */
        @Override
        public String toString() {
            return "Initialization[options=" + (options == null ? "none" : options.keySet()) + "]";
        }

        void applyTo(JwtServerAuthModule target) {
            try {
                target.initialize(requestPolicy, responsePolicy, handler, options);
            } catch (AuthException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
    }
}
