package org.jwtgate.filter;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.jwtgate.JwtGateException;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.config.PathRules;
import org.jwtgate.config.RevocationSettings;
import org.jwtgate.dpop.InvalidDpopProofException;
import org.jwtgate.engine.Health;
import org.jwtgate.engine.JwtGate;
import org.jwtgate.internal.export.Exporters;
import org.jwtgate.internal.metrics.GateMetrics;
import org.jwtgate.internal.token.ResolvedToken;
import org.jwtgate.internal.web.AnonymousRequest;
import org.jwtgate.internal.web.AuthenticatedRequest;
import org.jwtgate.internal.web.BearerErrorResponder;
import org.jwtgate.internal.web.CallerRecord;
import org.jwtgate.internal.web.Challenge;
import org.jwtgate.internal.web.ModuleContextParams;
import org.jwtgate.internal.web.TokenAuthentication;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.revocation.RevocationService;
import org.jwtgate.revocation.RevocationStore;
import org.jwtgate.revocation.RevocationUnavailableException;
import org.jwtgate.verify.InvalidTokenException;
import org.jwtgate.verify.KeysUnavailableException;
import org.jwtgate.internal.log.AuditSource;
import org.jwtgate.internal.log.Log;

/**
 * Authenticates every request by a JWT: resolve the token → verify it (and, for the DPoP scheme,
 * its DPoP proof) → check revocation → check CSRF and roles → wrap the request → continue the
 * chain. Each step is its own class; this one only coordinates.
 *
 * <p>Use it from web.xml (public no-arg constructor, init-params named by {@link ConfigKeys}), as
 * the superclass of an {@code @WebFilter} class, or build it with {@link #builder()} for an
 * embedded server:
 *
 * <pre>{@code
 * JwtAuthFilter filter = JwtAuthFilter.builder()
 *         .set(ConfigKeys.JWT_ISSUER, "https://login.example.com")
 *         .set(ConfigKeys.JWT_AUDIENCE, "my-app")
 *         .set(ConfigKeys.JWT_PUBLIC_KEY, "/etc/app/issuer.pem")
 *         .set(ConfigKeys.REVOCATION_STORE, "redis-cluster")
 *         .set(ConfigKeys.REDIS_NODES, "10.0.0.1:7000,10.0.0.2:7000")
 *         .build();
 * context.addFilter(new FilterHolder(filter), "/*",
 *         EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR));
 * }</pre>
 *
 * <p>It authenticates on a request's {@code REQUEST} pass; on its other passes (when mapped for them) it
 * presents the same user without verifying the token again, and still checks the target's
 * {@code paths.roles} (docs/security.md, "Dispatches"). Declared in web.xml or by annotation, it must be
 * async-supported for the application to use {@code startAsync()}.
 *
 * <p>Behind the filter, the application sees the user through {@code getUserPrincipal()} (a
 * {@link JwtPrincipal}), {@code getRemoteUser()}, {@code isUserInRole()}, the request attributes
 * {@link #PRINCIPAL_ATTRIBUTE} and {@link #CLAIMS_ATTRIBUTE}, and {@link #currentPrincipal()}; it
 * revokes through {@link #revocationService()} (also the ServletContext attribute
 * {@link RevocationService#CONTEXT_ATTRIBUTE}).
 *
 * @since 1.0.0
 */
public class JwtAuthFilter implements Filter {

    /** Request attribute holding the verified {@link JwtPrincipal}. */
    public static final String PRINCIPAL_ATTRIBUTE = CallerRecord.PRINCIPAL_ATTRIBUTE;
    /** Request attribute holding the verified claims, an immutable {@code Map<String,Object>}. */
    public static final String CLAIMS_ATTRIBUTE = CallerRecord.CLAIMS_ATTRIBUTE;
    /**
     * The ServletContext attribute holding the application's first started filter (and, with
     * {@code "." + filterName} appended, each filter by name): how {@link JwtGateHealthServlet} finds it.
     */
    public static final String CONTEXT_ATTRIBUTE = "org.jwtgate.filter.JwtAuthFilter";

    private static final Log LOG = Log.of(JwtAuthFilter.class);

    private final Map<String, String> presetParams;
    private final ConfigSources presetSources;
    private final RevocationStore presetStore;
    /**
     * Whether a destroy() or a failed init() closed {@link #presetStore}: a container that restarts this instance must
     * not reuse it.
     */
    private volatile boolean presetStoreClosed;
    private final Clock clock;

    /** init() and destroy() one at a time: two destroy() calls at once would release the gate twice. */
    private final Object lifecycle = new Object();
    /** Volatile: health() and the accessors may run on another thread than init() and destroy(). */
    private volatile JwtGate gate;
    /** Where {@link #publish} put this filter's attributes, and under which filter name; null when nowhere. */
    private ServletContext published;
    private String filterName;
    private PathRules paths;
    /** What a directory URL is served, whose rules apply to it too (Jetty serves it under the directory's path). */
    private WelcomeFiles welcomeFiles = WelcomeFiles.of(null);
    private TokenAuthentication steps;
    private BearerErrorResponder responder;
    private GateMetrics counters = new GateMetrics();
    /** Counts each client request once, by the decision it ended with (a dispatch may decide it again). */
    private RequestOutcomes outcomes;
    private AutoCloseable exporters;
    private final FilterMetrics metrics = new FilterMetrics();
    /**
     * The caller this instance authenticated on a request's REQUEST pass: later passes (dispatches) trust only
     * its own record, never a principal another filter or the application put in the public attribute.
     */
    private final CallerRecord callers = new CallerRecord(this);
    /**
     * Set on a request, to the thread running it, while this filter's error-page pass runs; named for this instance,
     * as its caller record is.
     */
    private final String errorPageAttribute = getClass().getName() + ".errorPage@" + UUID.randomUUID();
    /**
     * request.authenticate()'s answer for a request without a caller when the container's mechanism has none: the
     * status and WWW-Authenticate of a request without a token on a protected path, no body (the container's own was
     * true with nobody on Tomcat, an exception on Jetty).
     */
    private final Challenge challenge = response -> responder.missingTokenChallenge(response);
    /** What request.logout() forgets besides the wrapper's own answers. */
    private final Consumer<HttpServletRequest> forget = request -> {
        callers.forget(request);
        CurrentPrincipal.forget();
    };

    /** For web.xml and {@code @WebFilter}: everything comes from init-params and the environment. */
    public JwtAuthFilter() {
        this(Map.of(), null, null, Clock.systemUTC());
    }

    private JwtAuthFilter(Map<String, String> presetParams, ConfigSources presetSources, RevocationStore presetStore,
                          Clock clock) {
        this.presetParams = Map.copyOf(presetParams);
        this.presetSources = presetSources;
        this.presetStore = presetStore;
        this.clock = clock;
    }

    /**
     * A builder for embedded servers and tests, where the filter is made in code rather than by the container.
     *
     * @return a new builder with no settings
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void init(FilterConfig filterConfig) throws ServletException {
        synchronized (lifecycle) {
            if (gate != null) {
                // A second gate over the first would leave the first's connections and threads to nobody.
                throw new ServletException("JwtGate filter [" + filterConfig.getFilterName() + "] not started again: it "
                        + "is already started; destroy() it before init() again");
            }
            initStopped(filterConfig);
        }
    }

    private void initStopped(FilterConfig filterConfig) throws ServletException {
        if (presetStoreClosed) {
            // Jetty keeps a FilterHolder's instance across a context's stop() and start(), and init()s it again.
            throw new ServletException("JwtGate filter [" + filterConfig.getFilterName() + "] not started: the "
                    + "RevocationStore given to its builder was closed when the filter was destroyed or failed to start;"
                    + " build a new filter (with a new store) to start again");
        }
        JwtGateConfig config;
        try {
            Map<String, String> params = new LinkedHashMap<>();
            for (String name : Collections.list(filterConfig.getInitParameterNames())) {
                params.put(name, filterConfig.getInitParameter(name));
            }
            params.putAll(presetParams);
            warnOfModuleContextParams(filterConfig);
            config = JwtGateConfig.load(params, presetSources != null ? presetSources : ConfigSources.system());
        } catch (JwtGateException e) {
            closePresetStore(e); // as a failed start does: no destroy() follows, and the caller cannot tell the two apart
            throw new ServletException("JwtGate filter [" + filterConfig.getFilterName() + "] not started: "
                    + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            closePresetStore(e);
            throw e;
        }
        try {
            start(config);
            welcomeFiles = WelcomeFiles.of(filterConfig.getServletContext());
        } catch (RuntimeException | Error e) {
            presetStoreClosed = presetStore != null; // a failed JwtGate.start closes the store it was given
            JwtGate started = gate;
            if (started != null) {
                // The gate started and a later step failed (reading web.xml's welcome files can throw an Error, such
                // as a JAXP FactoryConfigurationError): no destroy() follows a failed init(), so close it here.
                gate = null;
                try {
                    started.close();
                } catch (RuntimeException | Error closing) {
                    e.addSuppressed(closing);
                }
            }
            if (e instanceof Error error) {
                throw error;
            }
            throw new ServletException("JwtGate filter [" + filterConfig.getFilterName() + "] not started: "
                    + (e instanceof JwtGateException ? e.getMessage() : e.toString()), e);
        }
        try {
            announce(filterConfig);
        } catch (RuntimeException | Error e) {
            // The container does not call destroy() after a failed init(): release what was started here (not
            // through destroy(), which a subclass may override expecting its own init() to have run).
            try {
                release();
            } catch (RuntimeException | Error closing) {
                e.addSuppressed(closing); // the cause stays the failure to report
            }
            throw new ServletException("JwtGate filter [" + filterConfig.getFilterName() + "] not started: " + e, e);
        }
    }

    private void closePresetStore(Throwable failure) {
        if (presetStore == null) {
            return;
        }
        presetStoreClosed = true;
        try {
            presetStore.close();
        } catch (RuntimeException | Error closing) {
            failure.addSuppressed(closing);
        }
    }

    /**
     * Settings written as the module's {@code jwtgate.<key>} context-params are not the filter's: a required one then
     * fails as missing, but an optional one (jwt.audience) would be left out with nothing said. Before the start, so
     * the WARN also precedes a start that fails for want of them.
     */
    private static void warnOfModuleContextParams(FilterConfig filterConfig) {
        List<String> unread = ModuleContextParams.unreadByTheFilter(filterConfig.getServletContext());
        if (!unread.isEmpty()) {
            LOG.warn("JwtGate filter [{}]: the context-params [{}] are not read by the filter: they are the Jakarta"
                    + " Authentication module's settings, and this application does not switch the module on (context-param"
                    + " {}=enabled). The filter reads its init-params, the properties file named by config.file, jwtgate.<key>"
                    + " system properties and JWTGATE_<KEY> environment variables: give them as init-params, without the"
                    + " {} prefix", filterConfig.getFilterName(), String.join("], [", unread),
                    ModuleContextParams.ENABLE_PARAM, ModuleContextParams.SETTING_PREFIX);
        }
    }

    /** Makes the started gate reachable (context attributes, MBeans, meters, CDI) and logs how it runs. */
    private void announce(FilterConfig filterConfig) {
        ServletContext servletContext = filterConfig.getServletContext();
        this.published = servletContext;
        this.filterName = filterConfig.getFilterName();
        // Before the application can reach the service: its audit lines name the application as its MBeans do.
        AuditSource.of(gate.revocation()).identify(filterConfig.getFilterName(),
                servletContext == null ? null : servletContext.getContextPath());
        publish(servletContext, filterConfig.getFilterName());
        exporters = Exporters.start(gate.config(), counters, gate::health, filterConfig.getFilterName(),
                servletContext == null ? null : servletContext::getAttribute,
                servletContext == null ? null : servletContext.getContextPath());
        StartedFilters.started(this, servletContext); // for @Inject RevocationService (org.jwtgate.cdi)
        LOG.info("JwtGate filter [{}] started: {}", filterConfig.getFilterName(), gate.describe());
        gate.config().jvmWideOverridesWarning().ifPresent(
                warning -> LOG.warn("JwtGate filter [{}]: {}", filterConfig.getFilterName(), warning));
        gate.config().ineffectiveSettingsWarning().ifPresent(
                warning -> LOG.warn("JwtGate filter [{}]: {}", filterConfig.getFilterName(), warning));
        UnseenPathRules.warning(filterConfig, paths).ifPresent(
                warning -> LOG.warn("JwtGate filter [{}]: {}", filterConfig.getFilterName(), warning));
        if (gate.config().dpop().enabled() && gate.config().revocation().store() == RevocationSettings.StoreType.MEMORY) {
            LOG.warn("JwtGate filter [{}]: dpop.mode={} with revocation.store=memory: a DPoP proof is one-time on this "
                    + "instance only; use redis-cluster when several instances serve the same clients",
                    filterConfig.getFilterName(), gate.config().dpop().mode().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (gate.config().revocation().store() == RevocationSettings.StoreType.NONE) {
            LOG.warn("JwtGate filter [{}]: revocation.store=none: revoked tokens stay valid until they expire",
                    filterConfig.getFilterName());
        }
    }

    private void start(JwtGateConfig config) {
        this.gate = JwtGate.start(config, presetStore, clock);
        this.paths = config.paths();
        this.steps = new TokenAuthentication(gate);
        this.responder = steps.responder();
        this.counters = steps.metrics();
        this.outcomes = new RequestOutcomes(this, counters);
        metrics.use(counters);
        // Jetty 12 destroys the filter without waiting for the requests inside it, and closes the class loader.
        steps.loadRefusalClasses();
    }

    /**
     * Removes the attributes {@link #publish} set that still point to this filter. Each on its own: the application's
     * attribute listeners run inside removeAttribute, and Jetty lets what they throw through.
     */
    private void unpublish() {
        ServletContext context = published;
        published = null;
        if (context == null) {
            return;
        }
        RevocationService revocation = gate.revocation();
        for (String name : new String[] {RevocationService.CONTEXT_ATTRIBUTE + "." + filterName,
                RevocationService.CONTEXT_ATTRIBUTE}) {
            removeIfStill(context, name, revocation);
        }
        for (String name : new String[] {CONTEXT_ATTRIBUTE + "." + filterName, CONTEXT_ATTRIBUTE}) {
            removeIfStill(context, name, this);
        }
        // Another filter of the application still runs: the application's attributes now name it, the one
        // firstStarted() (@Inject RevocationService) names, not nothing (nor this one once started again).
        stepOfRelease("handing the context attributes to the next filter", () ->
                StartedFilters.firstIn(context).ifPresent(next -> next.publishDefaults(context)));
    }

    /** Sets the application's default attributes to this filter's, where none is set; nothing when it has stopped. */
    private void publishDefaults(ServletContext context) {
        JwtGate running = gate;
        if (running == null) {
            return;
        }
        if (context.getAttribute(RevocationService.CONTEXT_ATTRIBUTE) == null) {
            context.setAttribute(RevocationService.CONTEXT_ATTRIBUTE, running.revocation());
        }
        if (context.getAttribute(CONTEXT_ATTRIBUTE) == null) {
            context.setAttribute(CONTEXT_ATTRIBUTE, this);
        }
    }

    /** Removes the attribute {@code name} while it still holds {@code value}, as one step of the stop. */
    private void removeIfStill(ServletContext context, String name, Object value) {
        stepOfRelease("removing the context attribute " + name, () -> {
            if (context.getAttribute(name) == value) {
                context.removeAttribute(name);
            }
        });
    }

    private void publish(ServletContext context, String filterName) {
        if (context == null) {
            return;
        }
        context.setAttribute(RevocationService.CONTEXT_ATTRIBUTE + "." + filterName, gate.revocation());
        context.setAttribute(CONTEXT_ATTRIBUTE + "." + filterName, this);
        publishDefaults(context);
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
            chain.doFilter(req, res);
            return;
        }
        // While the chain runs, @Inject RevocationService means this application's (org.jwtgate.cdi).
        ServletContext outer = StartedFilters.serve(published);
        try {
            filter(request, response, chain);
        } finally {
            StartedFilters.served(outer);
        }
    }

    private void filter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        DispatcherType dispatch = request.getDispatcherType();
        if (dispatch != DispatcherType.REQUEST && dispatch != null) { // null: a test double, taken as a request
            passAgain(request, response, chain, dispatch);
            return;
        }
        CallerRecord.Entry own = callers.read(request);
        if (own.caller() != null || own.loggedOut()) {
            // This filter again on the same pass (mapped to /* and /api/*: Jetty runs it once per mapping): decided as
            // a dispatch is, as a second check would refuse the one-time DPoP proof the first accepted.
            passAgain(request, response, chain, DispatcherType.REQUEST);
            return;
        }
        String path = pathInApplication(request);
        PathRules.Access access = access(request, path);
        if (access == PathRules.Access.PUBLIC) {
            boolean opened = outcomes.letThrough(request, GateMetrics.Outcome.PUBLIC);
            try {
                chain.doFilter(request, response);
            } finally {
                ended(opened, request, response);
            }
            return;
        }
        decide(request, response, chain, path, access);
    }

    /** A path that needs a look at the token: find it, verify it, check the path's roles, present the user. */
    private void decide(HttpServletRequest request, HttpServletResponse response, FilterChain chain, String path,
                        PathRules.Access access) throws IOException, ServletException {
        ResolvedToken resolved = steps.resolve(request);
        switch (resolved.kind()) {
            case MALFORMED -> {
                outcomes.answered(request, GateMetrics.Reason.MALFORMED);
                LOG.debug("Refused {} {}: malformed bearer token request", request.getMethod(), path);
                responder.invalidRequest(response, resolved.scheme());
            }
            case ABSENT -> {
                if (access == PathRules.Access.OPTIONAL && anonymousRoles(request, path).isEmpty()) {
                    boolean opened = outcomes.letThrough(request, GateMetrics.Outcome.ANONYMOUS);
                    try {
                        chain.doFilter(anonymous(request), response);
                    } finally {
                        ended(opened, request, response);
                    }
                } else {
                    outcomes.answered(request, GateMetrics.Reason.MISSING);
                    LOG.debug("Refused {} {}: no token", request.getMethod(), path);
                    responder.missingToken(response);
                }
            }
            case PRESENT -> authenticate(request, response, chain, path, resolved);
            default -> throw new IllegalStateException(resolved.kind().name());
        }
    }

    private void authenticate(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
                              String path, ResolvedToken resolved) throws IOException, ServletException {
        TokenAuthentication.Verified verified;
        try {
            verified = steps.verify(request, resolved);
            if (verified.dpopNonce() != null) {
                response.setHeader(BearerErrorResponder.DPOP_NONCE_HEADER, verified.dpopNonce());
            }
        } catch (InvalidTokenException e) {
            outcomes.answered(request, TokenAuthentication.reasonOf(e.rejection()));
            LOG.debug("Refused {} {}: token {}", request.getMethod(), path, e.rejection().detail());
            responder.invalidToken(response, resolved.scheme(), e.rejection().publicDescription());
            return;
        } catch (InvalidDpopProofException e) {
            outcomes.answered(request, GateMetrics.Reason.DPOP);
            LOG.debug("Refused {} {}: DPoP proof {}", request.getMethod(), path, e.rejection().detail());
            responder.invalidDpopProof(response, e.rejection(), e.freshNonce().orElse(null));
            return;
        } catch (RevocationUnavailableException | KeysUnavailableException e) {
            outcomes.answered(request, GateMetrics.Outcome.UNAVAILABLE);
            steps.warnUnavailable(LOG, request.getMethod(), path, e.getMessage());
            responder.unavailable(response, steps.retryAfterSeconds());
            return;
        }
        JwtPrincipal principal = verified.principal();
        // Cross-site first, as the Jakarta Authentication module does (the container checks roles after it): a forged
        // request is counted as csrf, whatever roles its victim holds.
        if (steps.refusesCrossSite(request, resolved)) {
            outcomes.answered(request, GateMetrics.Reason.CSRF);
            LOG.debug("Refused {} {}: cross-site request authenticated by cookie", request.getMethod(), path);
            responder.crossSiteRefused(response);
            return;
        }
        if (refusedForRoles(request, response, path, principal, resolved.scheme())) {
            return;
        }
        verified.auditUncheckedPasses();
        boolean opened = outcomes.letThrough(request,
                verified.passedUnchecked() ? GateMetrics.Outcome.FAIL_OPEN : GateMetrics.Outcome.AUTHENTICATED);
        try {
            callers.establish(request, principal);
            present(request, response, chain, principal);
        } finally {
            ended(opened, request, response);
        }
    }

    /** Counts the request once its chain returned, when this pass opened its count. */
    private void ended(boolean opened, HttpServletRequest request, HttpServletResponse response) {
        if (opened) {
            outcomes.ended(request, response);
        }
    }

    /** Runs the rest of the chain as {@code principal}. */
    private void present(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
                         JwtPrincipal principal) throws IOException, ServletException {
        // Bound for the rest of the chain: backs currentPrincipal() and @Inject JwtPrincipal.
        CurrentPrincipal.Binding binding = CurrentPrincipal.bind(principal);
        try {
            chain.doFilter(new AuthenticatedRequest(request, principal, forget, challenge), response);
        } finally {
            binding.close();
        }
    }

    /**
     * A forward, include, error or async pass of a request. The token is not verified again when this filter
     * authenticated the request on its REQUEST pass: a DPoP proof is one-time and names the original URI, so a
     * second check would refuse the request after the application ran. That user is presented again (an error
     * or async dispatch gets the unwrapped request), and the target path's roles still apply, except on an
     * error page, which shows whatever happened. A request this filter did not authenticate is decided on the
     * target path as a request to it would be.
     */
    private void passAgain(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
                           DispatcherType dispatch) throws IOException, ServletException {
        CallerRecord.Entry own = callers.read(request);
        JwtPrincipal known = own.caller();
        if (dispatch == DispatcherType.ERROR) {
            // The error page shows whatever happened, and so does a view it forwards to or includes: decided as a
            // request, such a pass answered 401 or 403 in place of the 500 and counted the request twice.
            // The thread, not a flag: an application thread of the same async request must not pass as the error page.
            Object outer = request.getAttribute(errorPageAttribute);
            request.setAttribute(errorPageAttribute, Thread.currentThread());
            try {
                presentOnErrorPage(request, response, chain, own);
            } finally {
                request.setAttribute(errorPageAttribute, outer);
            }
            return;
        }
        if (request.getAttribute(errorPageAttribute) == Thread.currentThread()) {
            presentOnErrorPage(request, response, chain, own);
            return;
        }
        String path = dispatch == DispatcherType.INCLUDE ? includedPath(request) : pathInApplication(request);
        PathRules.Access access = access(request, path);
        if (access == PathRules.Access.PUBLIC) {
            presentOnPublicPath(request, response, chain, own);
        } else if (dispatch == DispatcherType.INCLUDE || own.loggedOut()) {
            // Decided on what this filter already knows, the token not read again: an include cannot answer with a
            // status of its own, and after request.logout() the caller is anonymous for the rest of the request.
            passKnown(request, response, chain, path, access, known, dispatch);
        } else if (known == null) {
            decide(request, response, chain, path, access);
        } else if (!refusedForRoles(request, response, path, known,
                known.isSenderConstrained() ? ResolvedToken.Scheme.DPOP : ResolvedToken.Scheme.BEARER)) {
            presentAgain(request, response, chain, known);
        }
    }

    /**
     * Lets a dispatch through as {@code known} (null: anonymous) when the target path allows that caller; else
     * refuses it: an include by including nothing (its status and headers would be ignored, and a refusal's body
     * would land in the page), a forward or async dispatch as a request would be refused.
     */
    private void passKnown(HttpServletRequest request, HttpServletResponse response, FilterChain chain, String path,
                           PathRules.Access access, JwtPrincipal known, DispatcherType dispatch)
            throws IOException, ServletException {
        Set<String> roles = known == null ? anonymousRoles(request, path) : unmetRoles(request, known, path);
        boolean allowed = known == null ? access == PathRules.Access.OPTIONAL && roles.isEmpty() : roles == null;
        if (allowed) {
            presentAgain(request, response, chain, known);
        } else if (dispatch == DispatcherType.INCLUDE) {
            LOG.debug("Refused {} {} (INCLUDE): {}; nothing included", request.getMethod(), path,
                    known == null ? "no authenticated caller" : "none of roles " + roles);
        } else {
            // Only a logged-out request gets here (known is null): any other non-include pass is decided by passAgain.
            outcomes.answered(request, GateMetrics.Reason.MISSING);
            LOG.debug("Refused {} {} ({}): no caller after logout()", request.getMethod(), path, dispatch);
            responder.missingToken(response);
        }
    }

    /**
     * Whether {@code principal} (null: anonymous, who holds no role) may enter a path that requires one of {@code roles}
     * (none: anyone), each asked as the request's {@code isUserInRole} answers ({@code **}: any authenticated caller).
     */
    private static boolean holdsOneOf(JwtPrincipal principal, Set<String> roles) {
        return roles.isEmpty()
                || principal != null && roles.stream().anyMatch(role -> AuthenticatedRequest.isInRole(principal, role));
    }

    /**
     * The roles {@code path} requires of which {@code principal} holds none, or null when it holds one of each set: the
     * path's, for a path the container left unnormalized its normal form's, which the container may serve, for a
     * path with a trailing slash an exact rule's for the path without it, and for a directory URL a file servlet may
     * serve those of its welcome file.
     */
    private Set<String> unmetRoles(HttpServletRequest request, JwtPrincipal principal, String path) {
        Set<String> roles = paths.requiredRoles(path);
        if (!holdsOneOf(principal, roles)) {
            return roles;
        }
        Set<String> normalForm = paths.requiredRolesOfNormalForm(path);
        if (!holdsOneOf(principal, normalForm)) {
            return normalForm;
        }
        // /api/admin/ is /api/admin to JAX-RS and Spring MVC 5: an exact rule for the latter applies too.
        Set<String> withoutSlash = paths.requiredRolesWithoutTrailingSlash(path);
        if (!holdsOneOf(principal, withoutSlash)) {
            return withoutSlash;
        }
        return unmetWelcomeFileRoles(request, principal, path);
    }

    /** The roles an anonymous caller lacks for {@code path}: empty when none is required. */
    private Set<String> anonymousRoles(HttpServletRequest request, String path) {
        Set<String> roles = paths.requiredRoles(path);
        if (roles.isEmpty()) {
            roles = paths.requiredRolesWithoutTrailingSlash(path);
        }
        if (!roles.isEmpty()) {
            return roles;
        }
        Set<String> welcome = unmetWelcomeFileRoles(request, null, path);
        return welcome == null ? Set.of() : welcome;
    }

    /**
     * For a directory URL ({@code /reports/}) a file servlet may serve, the roles of the rule for the welcome file it
     * serves ({@code /reports/index.html}) that {@code principal} (null: anonymous) lacks; null when it lacks none.
     * Jetty's default servlet serves that file by a forward the filter's recommended mapping does not see (see
     * {@link WelcomeFiles}). The roles of every welcome file the application holds there are required (which one the
     * container serves is its own choice), looked up only for a caller lacking a candidate's roles; for an unnormalized
     * directory URL ({@code //reports/}), or one a file servlet finding its welcome file its own way serves, none is,
     * and every candidate's roles are required. An application's servlet on a path of its own ({@code /reports/*})
     * serves the URL itself: nothing is asked.
     */
    private Set<String> unmetWelcomeFileRoles(HttpServletRequest request, JwtPrincipal principal, String path) {
        List<String> candidates = welcomeFiles.candidatesFor(path);
        if (candidates.isEmpty()) {
            return null;
        }
        WelcomeFiles.Server server = welcomeFiles.serverOf(request);
        if (server == WelcomeFiles.Server.APPLICATION) {
            return null; // the application's servlet on a path of its own serves the URL itself
        }
        for (String file : candidates) {
            Set<String> normalForm = paths.requiredRolesOfNormalForm(file);
            if (!holdsOneOf(principal, normalForm)) {
                return normalForm; // which file the container finds under an unnormalized path is not asked
            }
        }
        // Which one the container serves is its own decision (its own list, a file it cannot read, a name in a
        // subdirectory): every welcome file the application holds must admit the caller; every candidate when the
        // servlet finds its files its own way. A file is looked up only for a caller its rule does not admit.
        boolean everyCandidate = server == WelcomeFiles.Server.OWN_FILES;
        for (String file : candidates) {
            Set<String> roles = paths.requiredRoles(file);
            if (!holdsOneOf(principal, roles) && (everyCandidate || welcomeFiles.exists(file))) {
                return roles;
            }
        }
        return null;
    }

    /**
     * The included resource's path: on an include the request's own paths stay the including page's (Servlet
     * 9.3), the target's are in the include attributes. A named dispatcher sets none: the including page's path.
     */
    private static String includedPath(HttpServletRequest request) {
        Object servletPath = request.getAttribute(RequestDispatcher.INCLUDE_SERVLET_PATH);
        Object pathInfo = request.getAttribute(RequestDispatcher.INCLUDE_PATH_INFO);
        if (servletPath == null && pathInfo == null) {
            return pathInApplication(request);
        }
        String path = (servletPath instanceof String s ? s : "") + (pathInfo instanceof String i ? i : "");
        return path.isEmpty() ? "/" : path;
    }

    /** Answers 403 when {@code principal} has none of the roles {@code path} requires; @return whether it did */
    private boolean refusedForRoles(HttpServletRequest request, HttpServletResponse response, String path,
                                    JwtPrincipal principal, ResolvedToken.Scheme scheme) throws IOException {
        Set<String> roles = unmetRoles(request, principal, path);
        if (roles == null) {
            return false;
        }
        outcomes.answered(request, GateMetrics.Reason.INSUFFICIENT_SCOPE);
        LOG.debug("Refused {} {} ({}): none of roles {}", request.getMethod(), path, request.getDispatcherType(), roles);
        responder.insufficientScope(response, scheme, roles);
        return true;
    }

    /**
     * An error page (or what it dispatches to) shows whatever happened: as the caller this filter presented, or, with
     * none, as a request to its path would run.
     */
    private void presentOnErrorPage(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
                                    CallerRecord.Entry own) throws IOException, ServletException {
        if (own.caller() == null && !own.loggedOut()
                && access(request, pathInApplication(request)) == PathRules.Access.PUBLIC) {
            chain.doFilter(request, response);
        } else {
            presentAgain(request, response, chain, own.caller());
        }
    }

    /**
     * A public path runs as the request is, the caller this filter presented included; after {@code logout()} as an
     * anonymous one ({@code authenticate()} answers as on a paths.optional path there too).
     */
    private void presentOnPublicPath(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
                                     CallerRecord.Entry own) throws IOException, ServletException {
        if (own.caller() == null && !own.loggedOut()) {
            chain.doFilter(request, response);
        } else {
            presentAgain(request, response, chain, own.caller());
        }
    }

    /**
     * Runs the chain as {@code known} (null: anonymous, as {@link #anonymous} presents it), wrapping and binding only
     * what is not yet so.
     */
    private void presentAgain(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
                              JwtPrincipal known) throws IOException, ServletException {
        if (known == null) {
            chain.doFilter(anonymous(request), response);
        } else if (request.getUserPrincipal() != known) {
            present(request, response, chain, known);
        } else if (CurrentPrincipal.get().orElse(null) == known) {
            // Still wrapped and bound (a forward or include): a nested binding would undo a logout() made inside.
            chain.doFilter(request, response);
        } else {
            try (CurrentPrincipal.Binding binding = CurrentPrincipal.bind(known)) {
                chain.doFilter(request, response);
            }
        }
    }

    /**
     * The request an anonymous caller's chain runs with: wrapped in an {@link AnonymousRequest}, unless this filter's
     * wrapper is already in it (a forward of the request the application was given, or an application's own wrapper
     * of it handed to {@code startAsync(request, response)}, whose {@code authenticate()} must still answer first).
     */
    private HttpServletRequest anonymous(HttpServletRequest request) {
        boolean answers = request instanceof AnonymousRequest || request instanceof AuthenticatedRequest
                || request instanceof ServletRequestWrapper wrapper
                && (wrapper.isWrapperFor(AnonymousRequest.class) || wrapper.isWrapperFor(AuthenticatedRequest.class));
        return answers ? request : new AnonymousRequest(request, challenge);
    }

    /** The path's access; only a path the rules open asks the container how it routes it (a protected one never does). */
    private PathRules.Access access(HttpServletRequest request, String path) {
        PathRules.Access access = paths.access(path);
        return access == PathRules.Access.PROTECTED || extensionRulesApply(request) ? access : paths.access(path, false);
    }

    /**
     * Whether {@code *.ext} rules of paths.exclude and paths.optional may apply: not when the container serves the
     * request by a servlet's exact or prefix mapping, which the Servlet specification prefers over any extension
     * mapping ({@code /admin/users.css} reaches the {@code /admin/*} servlet, not a stylesheet). A servlet on
     * {@code /*} or {@code /} takes every path, stylesheets included, so they apply there (documented). An include is
     * judged by the included resource's mapping; a request without a mapping (a test double) lets them apply.
     */
    private static boolean extensionRulesApply(HttpServletRequest request) {
        HttpServletMapping mapping = request.getDispatcherType() == DispatcherType.INCLUDE
                && request.getAttribute(RequestDispatcher.INCLUDE_MAPPING) instanceof HttpServletMapping included
                ? included : request.getHttpServletMapping();
        if (mapping == null || mapping.getMappingMatch() == null) {
            return true;
        }
        return switch (mapping.getMappingMatch()) {
            case EXACT, CONTEXT_ROOT -> false;
            case PATH -> "/*".equals(mapping.getPattern());
            default -> true;
        };
    }

    /** The container's decoded, normalized path inside the application; never the raw URI. */
    private static String pathInApplication(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        // No concatenation when there is no path info (an exact or extension mapping): nothing to allocate.
        String path = servletPath == null ? "" : servletPath;
        if (pathInfo != null) {
            path = path + pathInfo;
        }
        return path.isEmpty() ? "/" : path;
    }

    @Override
    public void destroy() {
        release();
    }

    /**
     * Stops what init() started; nothing when it is not running. The gate is closed whatever a step before fails: its
     * threads and connections would otherwise outlive the application, and pin its class loader.
     */
    private void release() {
        synchronized (lifecycle) {
            JwtGate started = gate;
            if (started != null) {
                try {
                    stepOfRelease("unregistering it for CDI", () -> StartedFilters.stopped(this));
                    AutoCloseable running = exporters;
                    exporters = null;
                    stepOfRelease("stopping its JMX and Micrometer exports", () -> Exporters.stop(running));
                    unpublish();
                } finally {
                    gate = null;
                    presetStoreClosed = presetStore != null;
                    started.close();
                }
            }
        }
    }

    /** Runs one step of the stop; a RuntimeException is logged and the stop goes on (an Error is not caught). */
    private void stepOfRelease(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.warn("JwtGate filter [{}]: {} failed, the filter stops all the same: {}", filterName, what, e.toString());
        }
    }

    /**
     * The principal of the request the current thread is serving, while a {@code JwtAuthFilter}
     * runs the rest of its chain; empty outside an authenticated request (a public path, an
     * optional path without a token, another thread).
     *
     * @return the current request's verified caller, or empty
     */
    public static Optional<JwtPrincipal> currentPrincipal() {
        return CurrentPrincipal.get();
    }

    /**
     * The first filter started, and not yet destroyed, in the web application whose request the current
     * thread is serving: the one whose revocation API that application's ServletContext attribute
     * {@link RevocationService#CONTEXT_ATTRIBUTE} holds. Outside a request that passes through one of that
     * application's filters (start-up, another thread, a path no {@code JwtAuthFilter} is mapped to), the
     * first of this class loader: an embedded server may run several applications in one class loader. For
     * integrations such as CDI that cannot reach the ServletContext.
     *
     * @return that filter, or empty when none is started
     */
    public static Optional<JwtAuthFilter> firstStarted() {
        return StartedFilters.first();
    }

    /**
     * The revocation API of this filter; available after {@code init}.
     *
     * @return the running gate's revocation service
     * @throws IllegalStateException before {@code init} or after {@code destroy}
     */
    public RevocationService revocationService() {
        return requireStarted().revocation();
    }

    /**
     * The running parts (verifier, revocation), for applications that issue or inspect tokens; available after
     * {@code init}. The filter closes it on {@code destroy}: do not close it yourself.
     *
     * @return the running gate
     * @throws IllegalStateException before {@code init} or after {@code destroy}
     */
    public JwtGate gate() {
        return requireStarted();
    }

    /**
     * Whether this filter can do its job now: UP, DEGRADED or DOWN, with details (see {@link Health});
     * for a readiness probe. Available after {@code init}.
     *
     * @return the gate's current health
     * @throws IllegalStateException before {@code init} or after {@code destroy}
     */
    public Health health() {
        return requireStarted().health();
    }

    /**
     * Whether {@code init} ran and {@code destroy} did not yet.
     *
     * @return {@code true} while the filter runs
     */
    public boolean isStarted() {
        return gate != null;
    }

    /**
     * Requests this filter authenticated, refused, answered 503 or let through unchecked.
     *
     * @return this filter's counters; available before {@code init} too (all zero)
     */
    public FilterMetrics metrics() {
        return metrics;
    }

    /** The running gate, read once (a concurrent destroy() cannot turn it null between a check and a use). */
    private JwtGate requireStarted() {
        JwtGate started = gate;
        if (started == null) {
            throw new IllegalStateException("JwtAuthFilter is not initialized (init() not called, or destroyed)");
        }
        return started;
    }

    /**
     * Builds a filter for embedded servers. Settings given here take the place of init-params
     * (the container's init-params, if any, still count below them); environment variables and
     * system properties still win unless {@link #sources(ConfigSources)} says otherwise.
     */
    public static final class Builder {

        private final Map<String, String> params = new LinkedHashMap<>();
        private ConfigSources sources;
        private RevocationStore store;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Any key of {@link ConfigKeys}, e.g. {@code set(ConfigKeys.JWT_ISSUER, "https://issuer")}; an unknown key
         * fails at {@code init}, naming it.
         *
         * @param key   a setting's name
         * @param value its value, as an init-param would give it ({@code ${env:…}} references allowed)
         * @return this builder
         * @throws NullPointerException     when {@code key} is null
         * @throws IllegalArgumentException when {@code value} is null
         */
        public Builder set(String key, String value) {
            Objects.requireNonNull(key, "key");
            if (value == null) {
                // An init-param cannot be null either: name the setting now, not fail later without a name.
                throw new IllegalArgumentException("Setting [" + key + "] given no value (null); leave it out instead");
            }
            params.put(key, value);
            return this;
        }

        /**
         * {@link #set(String, String)} for each entry: a null value fails, naming its key.
         *
         * @param settings values by key
         * @return this builder
         */
        public Builder settings(Map<String, String> settings) {
            settings.forEach(this::set);
            return this;
        }

        /**
         * Where environment variables and system properties come from; {@link ConfigSources#none()} ignores them.
         *
         * @param sources the sources; unless given, the JVM's real ones
         * @return this builder
         */
        public Builder sources(ConfigSources sources) {
            this.sources = sources;
            return this;
        }

        /**
         * Use this store instead of the one {@code revocation.store} would build (the filter closes it on destroy, and
         * so does a failed {@code init});
         * {@code revocation.store} must then not be {@code none}, or the start fails naming it. A store serves one
         * filter: give each filter this builder builds a store of its own, a failed one's too (another one would run on
         * a closed store, its health {@code DOWN}).
         *
         * @param store the store to check and write revocations in
         * @return this builder
         */
        public Builder revocationStore(RevocationStore store) {
            this.store = store;
            return this;
        }

        /**
         * The clock DPoP proofs' times and nonces are checked against, verified-token cache entries expire by and
         * revocations are dated by; the system's (UTC) unless given, e.g. a fixed one in tests. The signature
         * check's {@code exp}, {@code nbf} and {@code iat} are compared with the system clock whatever is given here.
         *
         * @param clock the clock
         * @return this builder
         * @throws NullPointerException when {@code clock} is null
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The filter, not started yet: the container's {@code init} reads the settings and starts it, and throws a
         * {@code ServletException} naming a bad setting there.
         *
         * @return a new filter holding this builder's settings, source, store and clock
         */
        public JwtAuthFilter build() {
            return new JwtAuthFilter(params, sources, store, clock);
        }
    }
}
