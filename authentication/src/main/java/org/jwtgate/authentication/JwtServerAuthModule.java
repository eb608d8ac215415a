package org.jwtgate.authentication;

import static org.jwtgate.internal.authentication.ResponseChannel.refuse;

import jakarta.security.auth.message.AuthException;
import jakarta.security.auth.message.AuthStatus;
import jakarta.security.auth.message.MessageInfo;
import jakarta.security.auth.message.MessagePolicy;
import jakarta.security.auth.message.callback.CallerPrincipalCallback;
import jakarta.security.auth.message.callback.GroupPrincipalCallback;
import jakarta.security.auth.message.module.ServerAuthModule;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.UnsupportedCallbackException;
import org.jwtgate.JwtGateException;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.config.Settings;
import org.jwtgate.dpop.InvalidDpopProofException;
import org.jwtgate.engine.Health;
import org.jwtgate.engine.JwtGate;
import org.jwtgate.filter.JwtAuthFilter;
import org.jwtgate.internal.authentication.ModuleSettings;
import org.jwtgate.internal.authentication.RequestCallbackHandler;
import org.jwtgate.internal.authentication.ResponseChannel;
import org.jwtgate.internal.export.Exporters;
import org.jwtgate.internal.log.AuditSource;
import org.jwtgate.internal.log.Log;
import org.jwtgate.internal.metrics.GateMetrics;
import org.jwtgate.internal.revocation.redis.RedisUserRefusedException;
import org.jwtgate.internal.token.ResolvedToken;
import org.jwtgate.internal.web.AuthenticatedRequest;
import org.jwtgate.internal.web.BearerErrorResponder;
import org.jwtgate.internal.web.CallerRecord;
import org.jwtgate.internal.web.ModuleContextParams;
import org.jwtgate.internal.web.TokenAuthentication;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.revocation.RevocationService;
import org.jwtgate.revocation.RevocationStore;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.verify.InvalidTokenException;
import org.jwtgate.verify.KeysUnavailableException;

/**
 * JwtGate as a Jakarta Authentication {@link ServerAuthModule} (Servlet Container Profile): the
 * container asks it who the caller is before its own authorization runs, so web.xml
 * {@code <security-constraint>}s, {@code @ServletSecurity}, {@code getUserPrincipal()} and
 * {@code isUserInRole()} all see the JWT's user (a {@link JwtPrincipal}) and roles. It takes the same
 * settings as {@link JwtAuthFilter} (same keys, same sources and precedence, same fail-fast errors) and
 * runs the filter's own steps: token extraction, verification, revocation (near-cache included),
 * the CSRF rule and the RFC 6750 answers. Only the container's constraints replace {@code paths.*},
 * which the module refuses.
 *
 * <p>Per request: no token on a resource a constraint protects → 401 with the {@code Bearer} challenge;
 * a malformed request → 400; a refused, expired or revoked token → 401 {@code invalid_token}; the
 * revocation store unreachable → 503 (or, with {@code revocation.failure-mode=open}, an audited pass); the key
 * server unreachable → 503; a cookie-authenticated cross-site unsafe request or WebSocket handshake → 403. A valid
 * token: the container gets the caller ({@code CallerPrincipalCallback}) and its roles
 * ({@code GroupPrincipalCallback}) and checks the constraint itself (a missing role → the container's
 * 403). On an unprotected resource a token is verified if present, and absence is fine; Jetty 12 does not
 * ask the module there, so such a request stays anonymous whatever token it carries.
 *
 * <p>Three ways to use it. A WAR switches it on with the context-param {@link #ENABLE_PARAM} =
 * {@link #ENABLED} and its settings as {@code jwtgate.<key>} context-params (the jar's
 * {@code ServletContainerInitializer} registers it). An administrator registers it for the container
 * by its class name (Tomcat's {@code conf/jaspic-providers.xml}: settings are the provider's
 * properties, read when the container first initializes the module). Or code builds and registers it:
 *
 * <pre>{@code
 * JwtServerAuthModule module = JwtServerAuthModule.builder()
 *         .set(ConfigKeys.JWT_ISSUER, "https://login.example.com")
 *         .set(ConfigKeys.JWT_JWKS_URI, "https://login.example.com/jwks.json")
 *         .set(ConfigKeys.REVOCATION_STORE, "redis-cluster")
 *         .set(ConfigKeys.REDIS_NODES, "10.0.0.1:7000,10.0.0.2:7000")
 *         .build();                                       // ConfigurationException naming the key
 * AuthConfigFactory.getFactory().registerServerAuthModule(module, servletContext);   // Tomcat
 * // … when the application stops:
 * module.close();                                         // releases the Redis and JWKS clients
 * }</pre>
 * Leave the registration for the next start to replace: Tomcat's authenticator outlives a reload and, told of a
 * removal, keeps "no provider" until Tomcat restarts. Until replaced it answers with the closed module (503).
 * Jetty 12's factory does not implement {@code registerServerAuthModule}; there the context-param or Jetty XML
 * registers the module.
 *
 * <p>{@code request.logout()} ends nothing: the token stays valid until it expires. Revoke it through
 * {@link #revocationService()} (also the ServletContext attribute {@link RevocationService#CONTEXT_ATTRIBUTE}
 * when the context-param registered the module) or the admin CLI.
 *
 * @since 1.0.0
 */
public final class JwtServerAuthModule implements ServerAuthModule, AutoCloseable {

    /** The context-param that switches the module on for a WAR; its only value is {@link #ENABLED}. */
    public static final String ENABLE_PARAM = ModuleContextParams.ENABLE_PARAM;
    /** The value of {@link #ENABLE_PARAM} that switches the module on. */
    public static final String ENABLED = "enabled";
    /** Context-params named {@code jwtgate.<key>} carry the settings, e.g. {@code jwtgate.jwt.issuer}. */
    public static final String SETTING_PARAM_PREFIX = ModuleContextParams.SETTING_PREFIX;
    /** What {@code getAuthType()} answers for a caller the module established, as under the filter. */
    public static final String AUTH_TYPE = AuthenticatedRequest.AUTH_TYPE;

    /** MessageInfo map keys of the Servlet Container Profile. */
    static final String MANDATORY_KEY = "jakarta.security.auth.message.MessagePolicy.isMandatory";
    static final String AUTH_TYPE_KEY = "jakarta.servlet.http.authType";

    private static final Log LOG = Log.of(JwtServerAuthModule.class);
    private static final Class<?>[] SUPPORTED_MESSAGE_TYPES = {HttpServletRequest.class, HttpServletResponse.class};

    static {
        // Jetty stops a context without waiting for its requests, and closes its class loader: the 503 the stopped
        // module answers them must need no class that is not loaded by then.
        try {
            ResponseChannel.loadNotStartedAnswer();
        } catch (RuntimeException | LinkageError e) {
            // not expected; thrown from here, it would leave this class unusable, every request then a 500
            LOG.warn("Could not load ahead the classes of the module's 503", e);
        }
    }

    /** What the module runs on once started. */
    private record Running(JwtGate gate, TokenAuthentication steps, GateMetrics counters, AutoCloseable exporters) {

        void close() {
            Exporters.stop(exporters);
            gate.close();
        }
    }

    /** The name of the module's MBeans ({@code filter=} key) and Micrometer meters ({@code filter} tag). */
    public static final String METRICS_NAME = "JwtServerAuthModule";

    /** How often a start from the container's options that Redis refused ({@code redis.user}) is tried again. */
    static final long START_RETRY_SECONDS = 5;

    /** Held while the module starts or closes; a lock, not a monitor: a start connects to Redis (JDK 21–23 pin). */
    private final ReentrantLock startLock = new ReentrantLock();
    /** Where settings from {@code initialize()}'s options are completed from; null when started at construction. */
    private final Supplier<ConfigSources> optionSources;
    private volatile Running running;
    /** Why the module could not start from its options, or that it was closed: it then answers 503. */
    private volatile NotStarted notStarted;
    /** The options of a start Redis refused, tried again on a later request; null when there is nothing to try again. */
    private volatile Map<Object, Object> retryOptions;
    /** When ({@link System#nanoTime()}) a request may try {@link #retryOptions} again. */
    private volatile long nextRetry;
    private final long retryNanos;
    /** The last refusal logged (under startLock): each distinct one is logged once. */
    private String loggedRefusal;
    private volatile CallbackHandler handler;
    /**
     * The handler {@code initialize} gave on this thread, taken by the next {@code validateRequest} on it: Jetty
     * initializes the module for every request, on the thread that then validates it, with that request's context's
     * handler; the field is whichever context's came last, which another context may have replaced meanwhile. Held
     * weakly: an initialize no validation follows on its thread (a start replaying the one a container made before it,
     * on the deploying thread) keeps the container's handler, and its context, alive for no one. While a request runs,
     * its context's authenticator holds the handler (Jetty's JaspiAuthenticator and Tomcat's do, in a field).
     */
    private final ThreadLocal<WeakReference<CallbackHandler>> initializedOnThisThread = new ThreadLocal<>();
    /** The caller this instance established on a request: asked again for that request, it hands it back. */
    private final CallerRecord callers = new CallerRecord(this);
    /** Set on a request this instance counted: a later pass of it (Tomcat's authenticate(), an async dispatch) is not counted again. */
    private final String countedAttribute = JwtServerAuthModule.class.getName() + ".counted@" + UUID.randomUUID();

    /**
     * For a container that instantiates the module by its class name: the settings are the options
     * of {@link #initialize}, completed by environment variables, system properties and {@code config.file}
     * as for the filter. A configuration error is logged once, naming the key, and every request is then
     * answered 503 (fail closed) until it is fixed and the server restarted; Redis refusing {@code redis.user} /
     * {@code redis.password} is tried again every {@value #START_RETRY_SECONDS} seconds, on a request, until it
     * accepts them.
     */
    public JwtServerAuthModule() {
        this(ConfigSources::system);
    }

    /** As {@link #JwtServerAuthModule()}, with the sources given (tests). */
    JwtServerAuthModule(Supplier<ConfigSources> optionSources) {
        this(optionSources, TimeUnit.SECONDS.toNanos(START_RETRY_SECONDS));
    }

    /** As {@link #JwtServerAuthModule()}, with the sources given and the interval between tries of a refused start (tests). */
    JwtServerAuthModule(Supplier<ConfigSources> optionSources, long retryNanos) {
        this.optionSources = optionSources;
        this.retryNanos = retryNanos;
    }

    /**
     * A module started now from these settings (keys of {@link ConfigKeys}), completed by environment
     * variables, system properties and {@code config.file} as for the filter.
     *
     * @param settings keys of {@link ConfigKeys} and their values; the caller closes the module ({@link #close()})
     * @throws org.jwtgate.config.ConfigurationException naming the key of a bad setting
     * @throws IllegalArgumentException naming the key of a setting whose value is null
     */
    public JwtServerAuthModule(Map<String, String> settings) {
        this(builder().settings(settings).start());
        ModuleSettings.logStarted(LOG, "built from settings", running.gate());
    }

    private JwtServerAuthModule(Running running) {
        this.optionSources = null;
        this.retryNanos = 0;
        this.running = running;
    }

    /**
     * A module started from settings given in code, a store or a clock of the caller's own.
     *
     * @return a new builder; {@link Builder#build()} starts the module
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Class<?>[] getSupportedMessageTypes() {
        return SUPPORTED_MESSAGE_TYPES.clone();
    }

    /**
     * Takes the container's callback handler. A module built with its settings ignores {@code options};
     * one the container instantiated starts from them the first time (Jetty calls this for every request).
     */
    @Override
    public void initialize(MessagePolicy requestPolicy, MessagePolicy responsePolicy, CallbackHandler handler,
                           Map<String, Object> options) throws AuthException {
        if (handler == null) {
            throw new AuthException("The container passed no CallbackHandler to the JwtGate authentication module");
        }
        this.handler = handler;
        initializedOnThisThread.set(new WeakReference<>(handler));
        if (optionSources == null || running != null || notStarted != null) {
            return;
        }
        startLock.lock();
        try {
            if (running != null || notStarted != null) {
                return;
            }
            startFromOptions(options);
        } finally {
            startLock.unlock();
        }
    }

    /**
     * Starts from the container's options, under {@link #startLock}. When Redis refuses the user, the start is tried
     * again on a later request ({@link #retryStart()}): a node restarted without the user, or an ACL applied late,
     * is fixed on Redis's side. Any other error stays until the server restarts.
     */
    private void startFromOptions(Map<?, ?> options) {
        try {
            JwtGateConfig config = ModuleSettings.load(ModuleSettings.fromOptions(options),
                    ModuleSettings.MODULE_OPTION, optionSources.get());
            running = start(config, null, Clock.systemUTC(), null);
            notStarted = null;
            retryOptions = null;
            ModuleSettings.logStarted(LOG, "registered for the container", running.gate());
        } catch (RedisUserRefusedException e) {
            notStarted = new NotStarted(e.getMessage(), "not started: Redis refused redis.user / redis.password (the log"
                    + " says which; tried again every " + TimeUnit.NANOSECONDS.toSeconds(retryNanos) + " s)");
            retryOptions = options == null ? new HashMap<>() : new HashMap<>(options);
            nextRetry = System.nanoTime() + retryNanos;
            if (!e.getMessage().equals(loggedRefusal)) {
                loggedRefusal = e.getMessage();
                LOG.error("JwtGate authentication module not started ({}); every request is answered 503, and the start"
                        + " is tried again every {} seconds until Redis accepts the user", e.getMessage(),
                        TimeUnit.NANOSECONDS.toSeconds(retryNanos));
            }
        } catch (JwtGateException e) {
            notStarted = new NotStarted(e.getMessage(), "not started: its settings were refused (the log names the setting)");
            retryOptions = null;
            LOG.error("JwtGate authentication module not started ({}); every request is answered 503 until the"
                    + " configuration is fixed and the server restarted", e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            // A jar missing beside the module in the server's lib (jedis, jose4j: NoClassDefFoundError) or a defect:
            // escaping, it left the module neither started nor refused, and Tomcat, which caches no module whose
            // initialize() threw, started a new one on every request, each answered 500.
            String reason = e.getClass().getName() + (e.getMessage() != null ? ": " + e.getMessage() : "");
            notStarted = new NotStarted(reason, "not started: its start failed (the log says why)");
            retryOptions = null;
            LOG.error("JwtGate authentication module not started; every request is answered 503 until the server"
                    + " restarts. Is a jar it needs missing from the server's lib?", e);
        }
    }

    /**
     * Tries again a start Redis refused, once its interval has passed and on one request at a time (the others answer
     * 503 meanwhile, they do not wait); the module it started, or null.
     */
    private Running retryStart() {
        if (retryOptions == null || System.nanoTime() - nextRetry < 0 || !startLock.tryLock()) {
            return running;
        }
        try {
            Map<Object, Object> options = retryOptions;
            if (running == null && options != null && System.nanoTime() - nextRetry >= 0) {
                nextRetry = System.nanoTime() + retryNanos; // whatever this try ends in
                startFromOptions(options);
            }
            return running;
        } finally {
            startLock.unlock();
        }
    }

    private static Running start(JwtGateConfig config, RevocationStore store, Clock clock, ServletContext context) {
        JwtGate gate = JwtGate.start(config, store, clock);
        try {
            // Its audit lines name the application as its MBeans do: filter=JwtServerAuthModule context=<path>.
            AuditSource.of(gate.revocation()).identify(METRICS_NAME, context == null ? null : context.getContextPath());
            TokenAuthentication steps = new TokenAuthentication(gate);
            steps.loadRefusalClasses(); // Jetty closes the class loader with requests still inside
            AutoCloseable exporters = Exporters.start(config, steps.metrics(), gate::health, METRICS_NAME,
                    context == null ? null : context::getAttribute, context == null ? null : context.getContextPath());
            return new Running(gate, steps, steps.metrics(), exporters);
        } catch (RuntimeException | Error e) {
            try {
                gate.close(); // its Redis clients and threads would outlive the failed start
            } catch (RuntimeException | Error closing) {
                e.addSuppressed(closing); // the start's own failure says what to fix
            }
            throw e;
        }
    }

    @Override
    public AuthStatus validateRequest(MessageInfo messageInfo, Subject clientSubject, Subject serviceSubject)
            throws AuthException {
        try {
            return validate(messageInfo, clientSubject);
        } finally {
            initializedOnThisThread.remove(); // one request's: a later one on this thread is initialized again, or uses the field
        }
    }

    private AuthStatus validate(MessageInfo messageInfo, Subject clientSubject) throws AuthException {
        if (!(messageInfo.getRequestMessage() instanceof HttpServletRequest request)) {
            // Jetty 12 asks again, with no request at hand, when an unprotected resource calls
            // getUserPrincipal(): nothing to read, so the caller stays anonymous. Where authentication is
            // mandatory, no request means no caller: refused, never let through.
            if (!isMandatory(messageInfo)) {
                return AuthStatus.SUCCESS;
            }
            // Jetty's request.authenticate() on an unprotected resource: Jetty waits on its callback until the
            // refusal is sent, so it is sent (the challenge, as Tomcat answers), never only announced.
            Running started = running;
            ResponseChannel channel = ResponseChannel.of(messageInfo);
            if (channel == null) {
                return AuthStatus.SEND_FAILURE; // no response to answer on: refused, never let through
            }
            if (channel.committed()) {
                // The page already sent its start: a challenge can no longer be the answer, and must not be appended
                // to the page. Tomcat's request.authenticate() throws IllegalStateException before asking the module;
                // Jetty asks, and throws IllegalStateException("Response committed") when the module sent nothing and
                // named no caller, which this exception makes it do. Nothing is written, the caller stays unknown.
                throw new AuthException("The response is committed: no challenge can be sent");
            }
            return started == null ? channel.send(AuthStatus.SEND_FAILURE, ResponseChannel.NOT_STARTED)
                    : channel.send(AuthStatus.SEND_CONTINUE, started.steps().responder()::missingToken);
        }
        Running current = running;
        if (current == null) {
            current = retryStart();
        }
        if (current == null) {
            NotStarted why = notStarted;
            LOG.debug("Answering 503 to {} {}: the module is not started ({})", request.getMethod(),
                    pathInApplication(request), why == null ? null : why.reason());
            return ResponseChannel.notStarted(messageInfo);
        }
        TokenAuthentication steps = current.steps();
        BearerErrorResponder responder = steps.responder();
        CallerRecord.Entry own = callers.read(request);
        JwtPrincipal known = own.caller();
        if (known != null) {
            // Asked again for a request this module authenticated (Tomcat's request.authenticate()): a DPoP
            // proof is one-time, so verifying again would refuse the request while the application runs.
            establishCaller(messageInfo, clientSubject != null ? clientSubject : new Subject(), known);
            recordAuthType(messageInfo, authTypeOf(known));
            return AuthStatus.SUCCESS;
        }
        // After request.logout() the caller is gone for the rest of the request: the token is not read again.
        ResolvedToken resolved = own.loggedOut() ? ResolvedToken.absent() : steps.resolve(request);
        switch (resolved.kind()) {
            case MALFORMED -> {
                countOnce(request, current.counters(), GateMetrics.Reason.MALFORMED);
                LOG.debug("Refused {} {}: malformed bearer token request", request.getMethod(), pathInApplication(request));
                return refuse(messageInfo, AuthStatus.SEND_FAILURE, response -> responder.invalidRequest(response, resolved.scheme()));
            }
            case ABSENT -> {
                if (!isMandatory(messageInfo)) {
                    countOnce(request, current.counters(), GateMetrics.Outcome.ANONYMOUS);
                    return AuthStatus.SUCCESS; // an unprotected resource: anonymous is fine
                }
                countOnce(request, current.counters(), GateMetrics.Reason.MISSING);
                LOG.debug("Refused {} {}: no token", request.getMethod(), pathInApplication(request));
                return refuse(messageInfo, AuthStatus.SEND_CONTINUE, responder::missingToken);
            }
            case PRESENT -> {
                return authenticate(messageInfo, request, clientSubject, current, resolved);
            }
            default -> throw new IllegalStateException(resolved.kind().name());
        }
    }

    private AuthStatus authenticate(MessageInfo messageInfo, HttpServletRequest request, Subject clientSubject,
                                    Running current, ResolvedToken resolved) throws AuthException {
        TokenAuthentication steps = current.steps();
        GateMetrics counters = current.counters();
        BearerErrorResponder responder = steps.responder();
        TokenAuthentication.Verified verified;
        try {
            // The filter's verification, DPoP included (the proof of a DPoP-scheme token, the downgrade refusal).
            verified = steps.verify(request, resolved);
            if (verified.dpopNonce() != null && messageInfo.getResponseMessage() instanceof HttpServletResponse response) {
                response.setHeader(BearerErrorResponder.DPOP_NONCE_HEADER, verified.dpopNonce());
            }
        } catch (InvalidTokenException e) {
            countOnce(request, counters, TokenAuthentication.reasonOf(e.rejection()));
            LOG.debug("Refused {} {}: token {}", request.getMethod(), pathInApplication(request), e.rejection().detail());
            // SEND_CONTINUE: a 401 challenge the client answers with another token (or proof, or nonce), which a
            // runtime must pass on as written; SEND_FAILURE lets it send "an analogous" answer without its headers.
            return refuse(messageInfo, AuthStatus.SEND_CONTINUE,
                    response -> responder.invalidToken(response, resolved.scheme(), e.rejection().publicDescription()));
        } catch (InvalidDpopProofException e) {
            countOnce(request, counters, GateMetrics.Reason.DPOP);
            LOG.debug("Refused {} {}: DPoP proof {}", request.getMethod(), pathInApplication(request), e.rejection().detail());
            return refuse(messageInfo, AuthStatus.SEND_CONTINUE,
                    response -> responder.invalidDpopProof(response, e.rejection(), e.freshNonce().orElse(null)));
        } catch (RevocationUnavailableException | KeysUnavailableException e) {
            countOnce(request, counters, GateMetrics.Outcome.UNAVAILABLE);
            steps.warnUnavailable(LOG, request.getMethod(), pathInApplication(request), e.getMessage());
            return refuse(messageInfo, AuthStatus.SEND_FAILURE,
                    response -> responder.unavailable(response, steps.retryAfterSeconds()));
        }
        if (steps.refusesCrossSite(request, resolved)) {
            countOnce(request, counters, GateMetrics.Reason.CSRF);
            LOG.debug("Refused {} {}: cross-site request authenticated by cookie", request.getMethod(), pathInApplication(request));
            return refuse(messageInfo, AuthStatus.SEND_FAILURE, responder::crossSiteRefused);
        }
        JwtPrincipal principal = verified.principal();
        recordAuthType(messageInfo, authTypeOf(principal));
        establishCaller(messageInfo, clientSubject != null ? clientSubject : new Subject(), principal);
        verified.auditUncheckedPasses(); // the container's role check comes after: its 403 is its own
        countOnce(request, counters, verified.passedUnchecked() ? GateMetrics.Outcome.FAIL_OPEN : GateMetrics.Outcome.AUTHENTICATED);
        callers.establish(request, principal);
        return AuthStatus.SUCCESS;
    }

    /**
     * Counts the request as refused for {@code reason} if this instance has not counted it yet: each client request
     * counts once, by the module's first decision on it. Tomcat asks the module again for {@code
     * request.authenticate()} (on a request let through as anonymous, or after {@code request.logout()}) and for an
     * async dispatch; those answers are not counted again.
     */
    private void countOnce(HttpServletRequest request, GateMetrics counters, GateMetrics.Reason reason) {
        if (firstDecision(request)) {
            counters.refused(reason);
        }
    }

    /** As {@link #countOnce(HttpServletRequest, GateMetrics, GateMetrics.Reason)}, for an outcome. */
    private void countOnce(HttpServletRequest request, GateMetrics counters, GateMetrics.Outcome outcome) {
        if (firstDecision(request)) {
            counters.outcome(outcome);
        }
    }

    /** Whether this instance decides on {@code request} for the first time; marks it decided. */
    private boolean firstDecision(HttpServletRequest request) {
        if (request.getAttribute(countedAttribute) != null) {
            return false;
        }
        request.setAttribute(countedAttribute, Boolean.TRUE);
        return true;
    }

    private static String authTypeOf(JwtPrincipal principal) {
        return principal.isSenderConstrained() ? AuthenticatedRequest.AUTH_TYPE_DPOP : AUTH_TYPE;
    }

    /**
     * Both callbacks in one call: Tomcat makes its principal when it sees the caller, from the groups
     * passed with it.
     */
    private void establishCaller(MessageInfo messageInfo, Subject clientSubject, JwtPrincipal principal)
            throws AuthException {
        // The request's own context's handler, where the container's context carries it or initialized the module
        // on this thread: another context's initialize may have replaced the field since (see RequestCallbackHandler).
        WeakReference<CallbackHandler> given = initializedOnThisThread.get();
        CallbackHandler initialized = given == null ? null : given.get();
        CallbackHandler current = RequestCallbackHandler.of(messageInfo, initialized != null ? initialized : handler);
        if (current == null) {
            throw new AuthException("The JwtGate authentication module was not initialized by the container");
        }
        try {
            // Not "*": isUserInRole("*") is false whatever the caller holds (the servlet API, and the filter), and
            // Jetty 12 answers it true for a caller given that group (Tomcat special-cases it).
            String[] groups = principal.roles().stream().filter(role -> !"*".equals(role)).toArray(String[]::new);
            current.handle(new Callback[] {
                new CallerPrincipalCallback(clientSubject, principal),
                new GroupPrincipalCallback(clientSubject, groups)});
        } catch (IOException | UnsupportedCallbackException e) {
            throw new AuthException("The container refused the caller principal", e);
        }
    }

    /**
     * Tells the container the scheme {@code getAuthType()} answers. A container that gives no map, or one it keeps to
     * itself, answers its own: the caller stands all the same, as a read-only map must not turn a valid token into a
     * 500 (Tomcat and Jetty give a map of the module's to write).
     */
    private static void recordAuthType(MessageInfo messageInfo, String authType) {
        Map<String, Object> map = messageInfo.getMap();
        if (map != null) {
            try {
                map.put(AUTH_TYPE_KEY, authType);
            } catch (UnsupportedOperationException e) {
                LOG.debug("The container's message map is read-only: getAuthType() is the container's own");
            }
        }
    }

    private static boolean isMandatory(MessageInfo messageInfo) {
        Map<?, ?> map = messageInfo.getMap();
        Object mandatory = map == null ? null : map.get(MANDATORY_KEY);
        return mandatory != null && Boolean.parseBoolean(mandatory.toString());
    }

    /** The container's decoded, normalized path inside the application, for log lines. */
    private static String pathInApplication(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        String path = (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
        return path.isEmpty() ? "/" : path;
    }

    /** Nothing to secure: a servlet response needs no wrapping. */
    @Override
    public AuthStatus secureResponse(MessageInfo messageInfo, Subject serviceSubject) {
        return AuthStatus.SEND_SUCCESS;
    }

    /**
     * Removes the caller this module established ({@code request.logout()} on Tomcat), with the request attributes
     * the filter's logout removes too; the token itself stays valid (revoke it to end it). For the rest of the
     * request the caller stays anonymous: asked again, the module does not read the token again.
     */
    @Override
    public void cleanSubject(MessageInfo messageInfo, Subject subject) {
        if (subject != null) {
            subject.getPrincipals().removeIf(JwtPrincipal.class::isInstance);
        }
        if (messageInfo != null && messageInfo.getRequestMessage() instanceof HttpServletRequest request) {
            callers.forget(request);
        }
    }

    /**
     * The revocation API of this module: revoke a token or a user ("log out everywhere").
     *
     * @return the running module's revocation service
     * @throws IllegalStateException naming why when the module is not started: not initialized yet, its start
     *                               failed, or closed
     */
    public RevocationService revocationService() {
        return requireRunning().gate().revocation();
    }

    /**
     * UP, DEGRADED or DOWN with the reasons, for a readiness probe; DOWN when the module is not started.
     *
     * @return the health now, never null; for a module not started, DOWN with fixed words that name no setting's value
     */
    public Health health() {
        Running current = running;
        NotStarted why = notStarted;
        return current != null ? current.gate().health()
                : new Health(Health.Status.DOWN, Map.of("module", why != null ? why.inHealth() : "not initialized"));
    }

    /**
     * Why the module is not started: the reason for the log and {@link #gate()}, which may name settings' values (hosts,
     * redis.user), and the fixed words of {@link #health()}, which may be shown on a public path. One value, so a reader
     * never sees one without the other.
     */
    private record NotStarted(String reason, String inHealth) {
    }

    /**
     * The running parts (verifier, revocation), for code that verifies tokens outside a request.
     *
     * @return the running parts the module answers requests with
     * @throws IllegalStateException as {@link #revocationService()} does
     */
    public JwtGate gate() {
        return requireRunning().gate();
    }

    private Running requireRunning() {
        Running current = running;
        if (current == null) {
            NotStarted why = notStarted;
            throw new IllegalStateException("JwtServerAuthModule is not started"
                    + (why != null ? ": " + why.reason() : " (not initialized yet)"));
        }
        return current;
    }

    /** Releases the Redis and JWKS clients; the module answers 503 afterwards. */
    @Override
    public void close() {
        Running current;
        startLock.lock();
        try {
            current = running;
            running = null;
            notStarted = new NotStarted("closed", "not started: closed");
            retryOptions = null;
        } finally {
            startLock.unlock();
        }
        if (current != null) {
            current.close();
        }
    }

    /**
     * Builds a started module from settings given in code. Settings given here take the place of
     * context-params; environment variables and system properties still win unless
     * {@link #sources(ConfigSources)} says otherwise.
     */
    public static final class Builder {

        private final Map<String, String> params = new LinkedHashMap<>();
        private ConfigSources sources;
        private JwtGateConfig config;
        private RevocationStore store;
        private Clock clock = Clock.systemUTC();
        private ServletContext context;

        private Builder() {
        }

        /**
         * Any key of {@link ConfigKeys}, e.g. {@code set(ConfigKeys.JWT_ISSUER, "https://issuer")}.
         *
         * @param key   the setting's key
         * @param value its value, as in a context-param
         * @return this builder
         * @throws IllegalArgumentException naming the key when {@code value} is null
         */
        public Builder set(String key, String value) {
            Objects.requireNonNull(key, "key");
            if (value == null) {
                // Dropped, it would leave the setting at its default: jwt.audience or dpop.mode unset switches a check off.
                throw new IllegalArgumentException("Setting [" + key + "] given no value (null); leave it out instead");
            }
            params.put(key, value);
            return this;
        }

        /**
         * {@link #set(String, String)} for each entry: a null value fails, naming its key.
         *
         * @param settings keys of {@link ConfigKeys} and their values
         * @return this builder
         */
        public Builder settings(Map<String, String> settings) {
            settings.forEach(this::set);
            return this;
        }

        /**
         * Where environment variables and system properties come from; {@link ConfigSources#none()} ignores them.
         *
         * @param sources the sources; null (the default) for {@link ConfigSources#system()}
         * @return this builder
         */
        public Builder sources(ConfigSources sources) {
            this.sources = sources;
            return this;
        }

        /**
         * A configuration loaded already, e.g. with {@link Settings#load(Map, String, ConfigSources)}; no settings
         * then.
         *
         * @param config the configuration, used as it is ({@link #sources} is then not read)
         * @return this builder
         */
        public Builder config(JwtGateConfig config) {
            this.config = config;
            return this;
        }

        /**
         * Use this store instead of the one {@code revocation.store} would build (the module closes it, and so does a
         * failed {@link #build()});
         * {@code revocation.store} must then not be {@code none}, or the start fails naming it. A store serves one
         * module: give each build a store of its own, after a failed one too (another one would run on a closed store,
         * its health {@code DOWN}).
         *
         * @param store the store the module's revocation checks and revocations use
         * @return this builder
         */
        public Builder revocationStore(RevocationStore store) {
            this.store = store;
            return this;
        }

        /**
         * The application the module serves: its context path names the module's MBeans
         * ({@code org.jwtgate:type=…,filter="JwtServerAuthModule",context=…}), and a Micrometer
         * {@code MeterRegistry} in its attribute {@code io.micrometer.core.instrument.MeterRegistry}
         * receives the {@code jwtgate.*} meters.
         *
         * @param context the application's context; null (the default) outside a servlet container
         * @return this builder
         */
        public Builder servletContext(ServletContext context) {
            this.context = context;
            return this;
        }

        /**
         * The clock DPoP proofs' times and nonces are checked against, verified-token cache entries expire by and
         * revocations are dated by; the system's (UTC) unless given, e.g. a fixed one in tests. The signature
         * check's {@code exp}, {@code nbf} and {@code iat} are compared with the system clock whatever is given here.
         *
         * @param clock where "now" comes from, e.g. {@code Clock.fixed(…)}
         * @return this builder
         * @throws NullPointerException when {@code clock} is null
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Checks the settings and starts the module: the verifier (fetching a JWKS now) and the store.
         *
         * @return the started module; the caller closes it ({@link JwtServerAuthModule#close()}), which releases its
         *         Redis and JWKS clients and the store
         * @throws org.jwtgate.config.ConfigurationException naming the key of a bad setting, or a {@code paths.*} key
         * @throws JwtGateException when a part cannot be built
         * @throws IllegalStateException when both settings and a {@link #config(JwtGateConfig) configuration} were given
         */
        public JwtServerAuthModule build() {
            JwtServerAuthModule module = new JwtServerAuthModule(start());
            try {
                // The start-up line and its WARNs (revocation.store=none, settings that take no effect), as every module's.
                String path = context == null ? null : context.getContextPath();
                ModuleSettings.logStarted(LOG, context == null ? "built in code"
                        : "for [" + (path == null || path.isEmpty() ? "/" : path) + "]", module.running.gate());
            } catch (RuntimeException | Error e) {
                module.close(); // not handed to the caller, who could not close it
                throw e;
            }
            return module;
        }

        private Running start() {
            JwtGateConfig effective;
            try {
                if (config != null && !params.isEmpty()) {
                    throw new IllegalStateException("Give the module either settings or a loaded configuration, not both");
                }
                if (config != null) {
                    ModuleSettings.requireNoPathRules(config);
                    effective = config;
                } else {
                    effective = ModuleSettings.from(Settings.load(params, ModuleSettings.MODULE_SETTING,
                            sources != null ? sources : ConfigSources.system()));
                }
            } catch (RuntimeException | Error e) {
                // As a failed JwtGate.start does: the caller cannot tell where the build failed, so whether to close it.
                if (store != null) {
                    try {
                        store.close();
                    } catch (RuntimeException | Error closing) {
                        e.addSuppressed(closing);
                    }
                }
                throw e;
            }
            return JwtServerAuthModule.start(effective, store, clock, context);
        }
    }
}
