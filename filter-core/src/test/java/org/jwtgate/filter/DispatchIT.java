package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.servlet.security.ConstraintSecurityHandler;
import org.eclipse.jetty.security.HashLoginService;
import org.eclipse.jetty.security.UserStore;
import org.eclipse.jetty.security.authentication.BasicAuthenticator;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.security.Credential;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.tokens.DpopKey;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * The filter mapped for every dispatcher type, in a real Jetty: a request is decided once, on its REQUEST pass;
 * its forward, include, error and async passes present the same user and verify nothing again (a DPoP proof is
 * one-time and names the original URI, so a second check would refuse the request after the application ran).
 */
class DispatchIT {

    private static final DpopKey KEY = DpopKey.es256();
    /** The user a ServletRequestListener read from the filter's request attribute, by request URI and query. */
    private static final Map<String, String> LISTENER_SAW = new ConcurrentHashMap<>();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Application app;

    @BeforeAll
    static void start() throws Exception {
        app = Application.start(EnumSet.allOf(DispatcherType.class));
    }

    @AfterAll
    static void stop() throws Exception {
        app.server().stop();
    }

    /**
     * The application of this class and {@link RecommendedMappingDispatchIT}, in a real Jetty on a free loopback port:
     * the filter mapped for {@code dispatches}, the servlets below, error pages for 500 and 404.
     */
    record Application(Server server, URI base, JwtAuthFilter filter) {

        static Application start(EnumSet<DispatcherType> dispatches) throws Exception {
            return start(dispatches, "/*");
        }

        /** @param mappings the filter's url-patterns: Jetty runs it once for each one a request matches */
        static Application start(EnumSet<DispatcherType> dispatches, String... mappings) throws Exception {
            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler("/");
            context.addEventListener(new ServletRequestListener() {
                @Override
                public void requestDestroyed(ServletRequestEvent event) {
                    // As docs/operations.md advises an access log or audit listener: the filter's request attribute.
                    if (event.getServletRequest().getAttribute(JwtAuthFilter.PRINCIPAL_ATTRIBUTE) instanceof JwtPrincipal p
                            && event.getServletRequest() instanceof HttpServletRequest request) {
                        LISTENER_SAW.put(request.getRequestURI() + "?" + request.getQueryString(), p.getName());
                    }
                }
            });
            Map<String, String> params = new LinkedHashMap<>(TestTokens.settings());
            params.put(ConfigKeys.DPOP_MODE, "allowed");
            params.put(ConfigKeys.PATHS_EXCLUDE, "/public/*");
            params.put(ConfigKeys.PATHS_OPTIONAL, "/optional/*");
            params.put(ConfigKeys.PATHS_ROLES, "/admin/*=admin");
            JwtAuthFilter filter = JwtAuthFilter.builder().sources(ConfigSources.none()).build();
            FilterHolder holder = new FilterHolder(filter);
            holder.setName("jwtgate");
            holder.setInitParameters(params);
            holder.setAsyncSupported(true);
            for (String mapping : mappings) {
                context.addFilter(holder, mapping, dispatches);
            }
            context.addServlet(new ServletHolder(new Echo()), "/app/echo");
            context.addServlet(new ServletHolder(new Echo()), "/admin/echo");
            context.addServlet(new ServletHolder(new LogoutHere()), "/app/logout-here");
            context.addServlet(new ServletHolder(new Dispatching()), "/app/*");
            context.addServlet(new ServletHolder(new Dispatching()), "/public/*");
            context.addServlet(new ServletHolder(new Dispatching()), "/optional/*");
            context.addServlet(new ServletHolder(new Echo()), "/error");
            for (ServletHolder each : context.getServletHandler().getServlets()) {
                each.setAsyncSupported(true);
            }
            context.addServlet(new ServletHolder(new ForwardingErrorPage()), "/error-forward");
            context.addServlet(new ServletHolder(new IncludingFromAnotherThreadErrorPage()), "/error-thread");
            context.addServlet(new ServletHolder(new Authenticating()), "/error-authenticate");
            context.addServlet(new ServletHolder(new Authenticating()), "/optional/fragment-authenticate");
            FilterHolder keyed = new FilterHolder(new ApiKeyFilter());
            keyed.setAsyncSupported(true);
            context.addFilter(keyed, "/optional/keyed/*", EnumSet.of(DispatcherType.REQUEST));
            ErrorPageErrorHandler errors = new ErrorPageErrorHandler();
            errors.addErrorPage(ViewFailure.class, "/error-forward");
            errors.addErrorPage(ThreadedFailure.class, "/error-thread");
            errors.addErrorPage(AuthenticateFailure.class, "/error-authenticate");
            errors.addErrorPage(500, "/error");
            errors.addErrorPage(404, "/error");
            context.setErrorHandler(errors);
            server.setHandler(context);
            server.start();
            return new Application(server, URI.create("http://127.0.0.1:" + connector.getLocalPort()), filter);
        }

        HttpResponse<String> get(String path, String... headers) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET();
            if (headers.length > 0) {
                request.headers(headers);
            }
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** What the application sees. */
    static final class Echo extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getWriter().print(seen(request) + ";");
        }
    }

    /** What /app/throw-view and /public/throw-view throw: its error page forwards to a view. */
    static final class ViewFailure extends ServletException {
        private static final long serialVersionUID = 1L;

        ViewFailure() {
            super("the application failed, and its error page has a view");
        }
    }

    /** An MVC error page: forwards to its view, here under /admin/ (a role the caller may lack). */
    static final class ForwardingErrorPage extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response)
                throws IOException, ServletException {
            request.getRequestDispatcher("/admin/echo").forward(request, response);
        }
    }

    /** What /…/throw-authenticate throws: its error page calls request.authenticate(). */
    static final class AuthenticateFailure extends ServletException {
        private static final long serialVersionUID = 1L;

        AuthenticateFailure() {
            super("the application failed, and its error page asks for the caller");
        }
    }

    /** Asks request.authenticate() (an application that needs the user from here on) and says what it answered. */
    static final class Authenticating extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response)
                throws IOException, ServletException {
            authenticate(request, response);
        }
    }

    /** True: says who it sees; false: the response is the challenge authenticate() wrote, nothing added. */
    static void authenticate(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        if (request.authenticate(response)) {
            response.getWriter().print("authenticate=true " + seen(request) + ";");
        }
    }

    /** An application's own wrapper whose authenticate() establishes a caller (a mechanism of its own). */
    static final class OwnLogin extends HttpServletRequestWrapper {
        private volatile boolean in;

        OwnLogin(HttpServletRequest request) {
            super(request);
        }

        @Override
        public boolean authenticate(HttpServletResponse response) {
            in = true;
            return true;
        }

        @Override
        public Principal getUserPrincipal() {
            return in ? () -> "own" : null;
        }

        @Override
        public String getRemoteUser() {
            return in ? "own" : null;
        }
    }

    /**
     * An application filter after JwtGate (on /optional/keyed/*) presenting a caller of its own for X-Api-Key: as
     * docs/security.md asks, its wrapper answers authenticate() too (JwtGate's wrappers answer for JwtGate's and the
     * container's caller only).
     */
    static final class ApiKeyFilter implements Filter {
        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
            HttpServletRequest request = (HttpServletRequest) req;
            String key = request.getHeader("X-Api-Key");
            chain.doFilter(key == null ? request : new HttpServletRequestWrapper(request) {
                @Override
                public Principal getUserPrincipal() {
                    return () -> "key-" + key;
                }

                @Override
                public String getRemoteUser() {
                    return "key-" + key;
                }

                @Override
                public String getAuthType() {
                    return "API-KEY";
                }

                @Override
                public boolean authenticate(HttpServletResponse response) {
                    return true;
                }
            }, res);
        }
    }

    /** What /public/throw-threaded throws: its error page has another thread include a protected resource. */
    static final class ThreadedFailure extends ServletException {
        private static final long serialVersionUID = 1L;

        ThreadedFailure() {
            super("the application failed, and another thread writes its error page");
        }
    }

    /**
     * Another thread of the application (as an async request's worker would) includes /admin/echo while the error
     * page runs: it is no error page of its own, so the include is decided as any other.
     */
    static final class IncludingFromAnotherThreadErrorPage extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getWriter().print("error;");
            Thread worker = new Thread(() -> {
                try {
                    request.getRequestDispatcher("/admin/echo").include(request, response);
                } catch (IOException | ServletException e) {
                    throw new IllegalStateException(e);
                }
            });
            worker.start();
            try {
                worker.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Included: logs the caller out (an include sees the including request's path, hence a servlet of its own). */
    static final class LogoutHere extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response)
                throws IOException, ServletException {
            request.logout();
            response.getWriter().print("logged out;");
        }
    }

    static String seen(HttpServletRequest request) {
        return request.getDispatcherType() + " user=" + request.getRemoteUser() + " auth=" + request.getAuthType()
                + " current=" + JwtAuthFilter.currentPrincipal().map(p -> p.getName()).orElse(null);
    }

    /**
     * /app/forward, /app/include, /app/throw, /app/not-found, /app/async-dispatch, /app/async-thread,
     * /app/forward-admin, /app/async-admin, /app/writer-forward-admin, /app/writer-async-admin,
     * /app/utf16-writer-async-admin, /app/include-logout, /app/include-admin, /app/logout-forward,
     * /app/async-restart, /app/authenticate, /app/async-authenticate, /app/throw-authenticate, /app/logout-authenticate,
     * /app/logout-async-authenticate, /app/logout-throw-authenticate; the same under /public/ and /optional/.
     */
    static final class Dispatching extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response)
                throws IOException, ServletException {
            switch (request.getPathInfo()) {
                case "/forward" -> request.getRequestDispatcher("/app/echo").forward(request, response);
                case "/forward-admin" -> request.getRequestDispatcher("/admin/echo").forward(request, response);
                case "/async-admin" -> request.startAsync().dispatch("/admin/echo");
                case "/writer-forward-admin" -> {
                    response.getWriter(); // taken, nothing written: a forward resets the buffer, not Tomcat's writer flag
                    request.getRequestDispatcher("/admin/echo").forward(request, response);
                }
                case "/writer-async-admin" -> {
                    response.getWriter();
                    request.startAsync().dispatch("/admin/echo");
                }
                case "/utf16-writer-async-admin" -> {
                    // Two bytes a character: a Content-Length counted in UTF-8 made Jetty answer 500.
                    response.setCharacterEncoding("UTF-16");
                    response.getWriter();
                    request.startAsync().dispatch("/admin/echo");
                }
                case "/include-logout" -> {
                    request.getRequestDispatcher("/app/logout-here").include(request, response);
                    response.getWriter().print("after " + seen(request) + ";");
                }

                case "/include" -> {
                    response.getWriter().print("before;");
                    request.getRequestDispatcher("/app/echo").include(request, response);
                }
                case "/include-admin" -> {
                    response.getWriter().print("before;");
                    request.getRequestDispatcher("/admin/echo").include(request, response);
                    response.getWriter().print("after;");
                }
                case "/logout-forward" -> {
                    request.logout();
                    request.getRequestDispatcher("/app/echo").forward(request, response);
                }
                case "/throw" -> throw new ServletException("the application failed");
                case "/throw-view" -> throw new ViewFailure();
                case "/throw-threaded" -> throw new ThreadedFailure();
                case "/authenticate", "/own-login-target", "/keyed/authenticate" -> authenticate(request, response);
                case "/page-include-authenticate" -> {
                    // A page whose included fragment asks for the caller (and writes only for one).
                    response.getWriter().print("<p>header</p>");
                    request.getRequestDispatcher("/optional/fragment-authenticate").include(request, response);
                    response.getWriter().print("<p>footer</p>");
                }
                case "/own-login-here" -> authenticate(new OwnLogin(request), response);
                case "/own-login-async" -> request.startAsync(new OwnLogin(request), response).dispatch("/optional/own-login-target");
                case "/authenticate-twice" -> {
                    if (request.authenticate(response) | request.authenticate(response)) {
                        response.getWriter().print("true?");
                    }
                }
                case "/committed-authenticate" -> {
                    response.getWriter().print("partial;");
                    response.flushBuffer();
                    response.getWriter().print("authenticate=" + request.authenticate(response));
                }
                case "/async-authenticate" -> request.startAsync().dispatch("/optional/authenticate");
                case "/throw-authenticate" -> throw new AuthenticateFailure();
                case "/logout-authenticate" -> {
                    request.logout();
                    authenticate(request, response);
                }
                case "/logout-async-authenticate" -> {
                    request.logout();
                    request.startAsync().dispatch("/optional/authenticate");
                }
                case "/logout-throw-authenticate" -> {
                    request.logout();
                    throw new AuthenticateFailure();
                }
                case "/not-found" -> response.sendError(404);
                case "/async-dispatch" -> request.startAsync().dispatch("/app/echo");
                case "/async-restart" -> {
                    // Async twice: dispatched into /app/async-restart, which goes async again and completes in a thread.
                    AsyncContext async = request.startAsync();
                    if (request.getDispatcherType() == DispatcherType.REQUEST) {
                        async.dispatch("/app/async-restart");
                    } else {
                        async.start(() -> {
                            try {
                                async.getResponse().getWriter().print("again user=" + request.getRemoteUser() + ";");
                            } catch (IOException e) {
                                throw new IllegalStateException(e);
                            } finally {
                                async.complete();
                            }
                        });
                    }
                }
                case "/async-thread" -> {
                    // The request this servlet was given: AsyncContext.getRequest() is the container's unwrapped one.
                    AsyncContext async = request.startAsync();
                    async.start(() -> {
                        try {
                            async.getResponse().getWriter().print("thread user=" + request.getRemoteUser() + ";");
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        } finally {
                            async.complete();
                        }
                    });
                }
                default -> response.sendError(400);
            }
        }
    }

    private static HttpResponse<String> get(String path, String... headers) throws Exception {
        return app.get(path, headers);
    }

    private static HttpResponse<String> withDpop(String path) throws Exception {
        String token = TestTokens.hs256(DpopKey.bind(TestTokens.claims("alice", "user"), KEY));
        String proof = KEY.proof("GET", app.base().resolve(path).toString()).accessToken(token).sign();
        return get(path, "Authorization", "DPoP " + token, "DPoP", proof);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/app/forward", "/app/async-dispatch"})
    void whenADpopRequestIsDispatchedAgainThenItIsNotCheckedAgainAndTheUserIsPresented(String path) throws Exception {
        HttpResponse<String> answer = withDpop(path);
        assertEquals(200, answer.statusCode(), answer.body());
        assertTrue(answer.body().endsWith("user=alice auth=DPoP current=alice;"), answer.body());
    }

    @Test
    void whenADpopRequestIncludesAnotherResourceThenTheIncludedOneSeesTheUser() throws Exception {
        HttpResponse<String> answer = withDpop("/app/include");
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("before;INCLUDE user=alice auth=DPoP current=alice;", answer.body());
    }

    @Test
    void whenTheFilterIsMappedTwiceThenADpopRequestIsCheckedOnceAndTheUserIsPresented() throws Exception {
        // Mapped to /* and /app/*, Jetty runs the filter twice on one request: the second pass checked the one-time
        // proof again, found it used, and every DPoP request was refused (401 invalid_dpop_proof).
        Application twice = Application.start(EnumSet.of(DispatcherType.REQUEST), "/*", "/app/*");
        try {
            String token = TestTokens.hs256(DpopKey.bind(TestTokens.claims("alice", "user"), KEY));
            String proof = KEY.proof("GET", twice.base().resolve("/app/echo").toString()).accessToken(token).sign();
            HttpResponse<String> answer = twice.get("/app/echo", "Authorization", "DPoP " + token, "DPoP", proof);
            assertEquals(200, answer.statusCode(), answer.headers().map() + " " + answer.body());
            assertEquals("REQUEST user=alice auth=DPoP current=alice;", answer.body());

            String bearer = TestTokens.hs256("bob", "user");
            HttpResponse<String> notAdmin = twice.get("/admin/echo", "Authorization", "Bearer " + bearer);
            assertEquals(403, notAdmin.statusCode(), notAdmin.body());
            assertEquals(401, twice.get("/app/echo").statusCode(), "no token");
        } finally {
            twice.server().stop();
        }
    }

    @Test
    void whenAnErrorPageForwardsToItsViewThenTheViewIsShownWhateverThePathsRules() throws Exception {
        // The view was decided as a request: 401 for an anonymous caller, 403 without the admin role, in place of the
        // application's 500 (and the request counted twice).
        HttpResponse<String> anonymous = get("/public/throw-view");
        assertEquals(500, anonymous.statusCode(), anonymous.body());
        assertEquals("FORWARD user=null auth=null current=null;", anonymous.body());
        HttpResponse<String> user = get("/app/throw-view", "Authorization", "Bearer " + TestTokens.hs256("alice", "user"));
        assertEquals(500, user.statusCode(), user.body());
        assertEquals("FORWARD user=alice auth=Bearer current=alice;", user.body());
    }

    @Test
    void whenAnotherThreadIncludesAProtectedResourceWhileTheErrorPageRunsThenItIsNotTakenForTheErrorPage() throws Exception {
        // The error page's mark was a flag on the request, which every thread of it sees: an application thread's
        // include of /admin/echo passed as part of the error page.
        HttpResponse<String> answer = get("/public/throw-threaded");
        assertEquals(500, answer.statusCode(), answer.body());
        assertEquals("error;", answer.body(), "the anonymous include is refused: nothing included");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/app/throw", "/app/not-found"})
    void whenTheApplicationFailsThenItsErrorPageIsShownWithTheUser(String path) throws Exception {
        HttpResponse<String> answer = withDpop(path);
        assertEquals(path.endsWith("throw") ? 500 : 404, answer.statusCode(), answer.body());
        assertEquals("ERROR user=alice auth=DPoP current=alice;", answer.body());
    }

    @Test
    void whenAnAsyncThreadReadsTheRequestThenTheUserIsThere() throws Exception {
        HttpResponse<String> answer = get("/app/async-thread", "Authorization", "Bearer " + TestTokens.hs256("alice"));
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("thread user=alice;", answer.body());
    }

    @Test
    void whenAnExcludedPathFailsThenItsErrorPageIsShownNotA401() throws Exception {
        HttpResponse<String> answer = get("/public/throw");
        assertEquals(500, answer.statusCode(), answer.body());
        assertEquals("ERROR user=null auth=null current=null;", answer.body());
    }

    @Test
    void whenAProtectedPathIsRequestedWithoutATokenThenStill401() throws Exception {
        assertEquals(401, get("/app/forward").statusCode());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/public/forward", "/public/async-dispatch"})
    void whenAPublicPathDispatchesIntoAProtectedOneWithoutATokenThen401(String path) throws Exception {
        HttpResponse<String> answer = get(path);
        assertEquals(401, answer.statusCode(), answer.body());
    }

    @Test
    void whenAPublicPathForwardsIntoAProtectedOneWithABearerTokenThenItIsVerifiedThere() throws Exception {
        HttpResponse<String> answer = get("/public/forward", "Authorization", "Bearer " + TestTokens.hs256("alice"));
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("FORWARD user=alice auth=Bearer current=alice;", answer.body());
    }

    /**
     * A DPoP request a public page forwards or dispatches into a protected path is refused, whichever URI its proof
     * names: no one checked the proof where the request arrived, so nothing recorded it there, and a captured request
     * replayed to the public page with another query would pass as the proof's first use (a review's find). A bearer
     * token is verified there as before.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/public/forward", "/public/async-dispatch"})
    void whenAPublicPathDispatchesADpopRequestIntoAProtectedOneThenItIsRefused(String path) throws Exception {
        String token = TestTokens.hs256(DpopKey.bind(TestTokens.claims("alice", "user"), KEY));
        for (String named : List.of(path, "/app/echo")) {
            String proof = KEY.proof("GET", app.base().resolve(named).toString()).accessToken(token).sign();
            HttpResponse<String> refused = get(path, "Authorization", "DPoP " + token, "DPoP", proof);
            assertEquals(401, refused.statusCode(), "a proof naming " + named + " passed on a dispatch of " + path
                    + ": " + refused.body());
            String challenge = refused.headers().firstValue("WWW-Authenticate").orElse("");
            assertTrue(challenge.contains("error=\"invalid_dpop_proof\"")
                    && challenge.contains("The DPoP proof was not checked on arrival"), refused.headers().map().toString());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/app/forward-admin", "/app/async-admin", "/app/writer-forward-admin", "/app/writer-async-admin",
            "/app/utf16-writer-async-admin"})
    void whenADispatchReachesAPathWhoseRoleTheUserLacksThen403(String path) throws Exception {
        HttpResponse<String> answer = get(path, "Authorization", "Bearer " + TestTokens.hs256("alice", "user"));
        assertEquals(403, answer.statusCode(), answer.body());
        assertTrue(answer.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"insufficient_scope\""),
                answer.headers().map().toString());
        // The body in the writer's charset, which the container may not declare once the writer is taken.
        assertTrue(answer.body().replace("\0", "").contains("insufficient_scope"), answer.body());
        assertEquals(200, get(path, "Authorization", "Bearer " + TestTokens.hs256("root", "admin")).statusCode());
    }

    @Test
    void whenAnIncludedResourceLogsOutThenTheCallerStaysForgottenAfterTheInclude() throws Exception {
        HttpResponse<String> answer = get("/app/include-logout", "Authorization", "Bearer " + TestTokens.hs256("alice"));
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("logged out;after REQUEST user=null auth=null current=null;", answer.body());
    }

    @Test
    void whenAnIncludedResourceNeedsARoleTheUserLacksThenNothingIsIncluded() throws Exception {
        // The include's own path decides (not the including page's), and a refusal cannot set a status there.
        HttpResponse<String> lacking = get("/app/include-admin", "Authorization", "Bearer " + TestTokens.hs256("alice", "user"));
        assertEquals(200, lacking.statusCode(), lacking.body());
        assertEquals("before;after;", lacking.body());
        HttpResponse<String> admin = get("/app/include-admin", "Authorization", "Bearer " + TestTokens.hs256("root", "admin"));
        assertEquals("before;INCLUDE user=root auth=Bearer current=root;after;", admin.body());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/public/include", "/public/include-admin"})
    void whenAPublicPageIncludesAProtectedResourceThenNothingIsIncluded(String path) throws Exception {
        HttpResponse<String> answer = get(path);
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals(path.endsWith("admin") ? "before;after;" : "before;", answer.body());
    }

    /**
     * request.authenticate() with nobody authenticated (an anonymous request on a paths.optional path, or after
     * logout()), on the request's own pass, an async dispatch and an error page, Jetty without a login-config (its
     * "Authentication failed"): the filter's 401 challenge, the status and WWW-Authenticate a request without a token
     * gets on a protected path, no body, and false. What the client receives when the application then just returns.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/optional/authenticate", "/optional/async-authenticate", "/optional/throw-authenticate",
            "/app/logout-authenticate", "/app/logout-async-authenticate", "/app/logout-throw-authenticate"})
    void whenNobodyIsAuthenticatedThenAuthenticateAnswersTheFiltersChallenge(String path) throws Exception {
        HttpResponse<String> answer = path.startsWith("/app/")
                ? get(path, "Authorization", "Bearer " + TestTokens.hs256("alice")) : get(path);
        HttpResponse<String> missing = get("/app/echo");
        assertEquals(401, answer.statusCode(), answer.body());
        assertEquals(missing.headers().allValues("WWW-Authenticate"), answer.headers().allValues("WWW-Authenticate"));
        assertEquals("", answer.body());
    }

    /**
     * An included fragment asking authenticate() for an anonymous request: false, and the page keeps its content and
     * status (the container ignores an include's status and headers; nothing is written to the body). The 401's JSON
     * landed in the 200 page before.
     */
    @Test
    void whenAnIncludedFragmentAsksAuthenticateThenThePageIsUnchanged() throws Exception {
        HttpResponse<String> answer = get("/optional/page-include-authenticate");
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("<p>header</p><p>footer</p>", answer.body());
        assertEquals(List.of(), answer.headers().allValues("WWW-Authenticate"));
    }

    /**
     * The application's own wrapper, whose authenticate() establishes its caller, answers on the request's own pass
     * and when handed to an async dispatch (startAsync(wrapper, response)): the filter's pass does not wrap it again.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/optional/own-login-here", "/optional/own-login-async"})
    void whenTheApplicationsOwnWrapperAnswersAuthenticateThenItsAnswerStands(String path) throws Exception {
        HttpResponse<String> answer = get(path);
        assertEquals(200, answer.statusCode(), answer.body());
        assertTrue(answer.body().startsWith("authenticate=true ") && answer.body().contains(" user=own "), answer.body());
    }

    /** A later filter presenting its own caller, its wrapper answering authenticate() as docs/security.md asks. */
    @Test
    void whenALaterFiltersWrapperAnswersAuthenticateThenItsCallerStands() throws Exception {
        HttpResponse<String> answer = get("/optional/keyed/authenticate", "X-Api-Key", "k1");
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("authenticate=true REQUEST user=key-k1 auth=API-KEY current=null;", answer.body());
    }

    /** authenticate() twice: one challenge; on a committed response: false, nothing added, no exception. */
    @Test
    void whenAuthenticateIsCalledTwiceOrAfterCommitThenOneAnswer() throws Exception {
        HttpResponse<String> missing = get("/app/echo");
        HttpResponse<String> twice = get("/optional/authenticate-twice");
        HttpResponse<String> committed = get("/optional/committed-authenticate");
        assertEquals(401, twice.statusCode());
        assertEquals(missing.headers().allValues("WWW-Authenticate"), twice.headers().allValues("WWW-Authenticate"));
        assertEquals("", twice.body());
        assertEquals(200, committed.statusCode());
        assertEquals("partial;authenticate=false", committed.body());
    }

    /** dpop.mode=required: the challenge is the missing-token 401's, DPoP only, with its algs. */
    @Test
    void whenDpopIsRequiredThenAuthenticatesChallengeIsTheMissingTokenOne() throws Exception {
        try (JettyApp required = JettyApp.startContext(context -> {
            Map<String, String> params = new LinkedHashMap<>(TestTokens.settings());
            params.put(ConfigKeys.DPOP_MODE, "required");
            params.put(ConfigKeys.PATHS_OPTIONAL, "/optional/*");
            context.addFilter(JettyApp.jwtGate(params), "/*", EnumSet.of(DispatcherType.REQUEST));
            context.addServlet(new ServletHolder(new Authenticating()), "/");
        })) {
            HttpResponse<String> missing = required.get("/protected");
            HttpResponse<String> answer = required.get("/optional/authenticate");
            assertEquals(401, missing.statusCode());
            assertEquals(401, answer.statusCode(), answer.body());
            assertEquals(missing.headers().allValues("WWW-Authenticate"), answer.headers().allValues("WWW-Authenticate"));
            assertTrue(answer.headers().allValues("WWW-Authenticate").stream().allMatch(v -> v.startsWith("DPoP ")
                    && v.contains(" algs=")), answer.headers().allValues("WWW-Authenticate").toString());
            assertEquals("", answer.body());
        }
    }

    /**
     * An application with a login-config of its own (BASIC, realm "app"): authenticate() runs the container's
     * mechanism first, on paths.optional anonymous and after logout(): its Basic challenge, or its caller when the
     * request carries the credentials; no Bearer challenge of the filter's.
     */
    @Test
    void whenTheApplicationHasALoginConfigThenAuthenticateRunsTheContainersLogin() throws Exception {
        try (JettyApp basic = JettyApp.startContext(context -> {
            UserStore store = new UserStore();
            store.addUser("bob", Credential.getCredential("pw"), new String[] {"clerk"});
            HashLoginService users = new HashLoginService("app");
            users.setUserStore(store);
            ConstraintSecurityHandler security = new ConstraintSecurityHandler();
            security.setLoginService(users);
            security.setAuthenticator(new BasicAuthenticator());
            security.setRealmName("app");
            context.setSecurityHandler(security);
            Map<String, String> params = new LinkedHashMap<>(TestTokens.settings());
            params.put(ConfigKeys.PATHS_OPTIONAL, "/optional/*");
            context.addFilter(JettyApp.jwtGate(params), "/*", EnumSet.of(DispatcherType.REQUEST));
            context.addServlet(new ServletHolder(new HttpServlet() {
                @Override
                protected void service(HttpServletRequest request, HttpServletResponse response)
                        throws IOException, ServletException {
                    if (request.getServletPath().startsWith("/api/logout")) {
                        request.logout();
                    }
                    if (request.authenticate(response)) {
                        response.getWriter().print("authenticate=true user=" + request.getRemoteUser());
                    }
                }
            }), "/");
        })) {
            String bobsPassword = "Basic " + Base64.getEncoder().encodeToString("bob:pw".getBytes(StandardCharsets.UTF_8));
            String alice = "Bearer " + TestTokens.hs256("alice");
            HttpResponse<String> anonymous = basic.get("/optional/login");
            HttpResponse<String> loggedOut = basic.get("/api/logout-login", "Authorization", alice);
            HttpResponse<String> withPassword = basic.get("/optional/login", "Authorization", bobsPassword);
            assertEquals(401, anonymous.statusCode());
            List<String> challenges = anonymous.headers().allValues("WWW-Authenticate");
            String basicChallenge = "basic realm=\"app\"";
            assertTrue(!challenges.isEmpty() && challenges.stream()
                    .allMatch(v -> v.regionMatches(true, 0, basicChallenge, 0, basicChallenge.length())), challenges.toString());
            assertEquals(401, loggedOut.statusCode());
            assertEquals(anonymous.headers().allValues("WWW-Authenticate"), loggedOut.headers().allValues("WWW-Authenticate"));
            assertEquals("authenticate=true user=bob", withPassword.body());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "/app/authenticate, REQUEST",
            "/optional/authenticate, REQUEST",
            "/app/async-authenticate, ASYNC",
            "/optional/async-authenticate, ASYNC",
            "/app/throw-authenticate, ERROR",
    })
    void whenTheTokensCallerStandsThenAuthenticateIsTrue(String path, String dispatch) throws Exception {
        HttpResponse<String> answer = get(path, "Authorization", "Bearer " + TestTokens.hs256("alice"));
        assertEquals("authenticate=true " + dispatch + " user=alice auth=Bearer current=alice;", answer.body());
    }

    /** docs/operations.md: a ServletRequestListener (an access log) sees no user, but the filter's request attribute. */
    @Test
    void whenARequestListenerReadsThePrincipalAttributeThenItHasTheUser() throws Exception {
        HttpResponse<String> answer = get("/app/echo?listener", "Authorization", "Bearer " + TestTokens.hs256("alice"));
        assertEquals(200, answer.statusCode(), answer.body());
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!LISTENER_SAW.containsKey("/app/echo?listener") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals("alice", LISTENER_SAW.get("/app/echo?listener"));
    }

    @Test
    void whenTheApplicationLogsOutAndForwardsThenTheTokenIsNotReadAgain() throws Exception {
        HttpResponse<String> answer = get("/app/logout-forward", "Authorization", "Bearer " + TestTokens.hs256("alice"));
        assertEquals(401, answer.statusCode(), answer.body());
        assertFalse(answer.body().contains("alice"), answer.body());
    }

    @Test
    void whenAnOptionalPageIncludesAProtectedResourceThenItsCallerDecides() throws Exception {
        // docs/security.md: a page that includes a user's fragment is made paths.optional, so its REQUEST pass reads
        // the token.
        HttpResponse<String> admin = get("/optional/include-admin", "Authorization", "Bearer " + TestTokens.hs256("root", "admin"));
        assertEquals("before;INCLUDE user=root auth=Bearer current=root;after;", admin.body());
        HttpResponse<String> anonymous = get("/optional/include-admin");
        assertEquals(200, anonymous.statusCode(), anonymous.body());
        assertEquals("before;after;", anonymous.body());
    }

    /**
     * docs/monitoring.md: jwtgate.requests (JMX Requests*, FilterMetrics) counts requests by how they ended. A client
     * request whose dispatch is decided again (a public page forwarding into a protected one, a forward into a path
     * whose role the user lacks, a forward after logout()) counts once, with the decision it ended with.
     */
    @ParameterizedTest(name = "{0} {1}: {2}")
    @CsvSource({
            "/app/forward, user, authenticated",
            "/app/async-dispatch, user, authenticated",
            "/app/async-thread, user, authenticated",
            "/app/async-restart, user, authenticated",
            "/public/async-restart, user, authenticated",
            "/app/include-admin, user, authenticated",
            "/app/throw, user, authenticated",
            "/public/throw, none, public",
            "/public/throw-view, none, public",
            "/app/throw-view, user, authenticated",
            "/public/include, none, public",
            "/public/forward, user, authenticated",
            "/public/forward, none, refused/missing",
            "/public/async-dispatch, none, refused/missing",
            "/optional/forward, none, refused/missing",
            "/app/forward-admin, user, refused/insufficient-scope",
            "/app/async-admin, user, refused/insufficient-scope",
            "/app/logout-forward, user, refused/missing",
            "/optional/authenticate, none, anonymous",
            "/app/logout-authenticate, user, authenticated",
    })
    void whenARequestIsDispatchedThenItIsCountedOnceByHowItEnded(String path, String caller, String ended)
            throws Exception {
        Map<String, Long> before = counts();
        HttpResponse<String> answer = caller.equals("user")
                ? get(path, "Authorization", "Bearer " + TestTokens.hs256("alice", "user")) : get(path);
        Map<String, Long> moved = movedSince(before);
        Map<String, Long> expected = new LinkedHashMap<>();
        String[] outcomeAndReason = ended.split("/");
        expected.put("outcome." + outcomeAndReason[0], 1L);
        if (outcomeAndReason.length > 1) {
            expected.put("reason." + outcomeAndReason[1], 1L);
        }
        assertEquals(expected, moved, "status " + answer.statusCode() + ", counters moved");
    }

    private static Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        app.filter().metrics().requestsByOutcome().forEach((name, n) -> counts.put("outcome." + name, n));
        app.filter().metrics().refusalsByReason().forEach((name, n) -> counts.put("reason." + name, n));
        return counts;
    }

    /** The counters that moved since {@code before}, once a request was counted (an async one may count after its answer). */
    private static Map<String, Long> movedSince(Map<String, Long> before) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        Map<String, Long> moved;
        do {
            Thread.sleep(20);
            moved = new LinkedHashMap<>();
            for (Map.Entry<String, Long> now : counts().entrySet()) {
                long by = now.getValue() - before.get(now.getKey());
                if (by != 0) {
                    moved.put(now.getKey(), by);
                }
            }
        } while (moved.keySet().stream().noneMatch(name -> name.startsWith("outcome.")) && System.nanoTime() < deadline);
        return moved;
    }
}
