package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.testkit.tokens.DpopKey;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * A DPoP request a public page dispatches into a protected one, through chains of forwards or of async dispatches, in a
 * real Jetty: refused whichever URI its proof names, since no one checked it where the request arrived. An include
 * inside such a chain includes nothing.
 */
class DpopDispatchChainIT {

    private static final DpopKey KEY = DpopKey.es256();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Server server;
    private static URI base;

    @BeforeAll
    static void start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        Map<String, String> params = new LinkedHashMap<>(TestTokens.settings());
        params.put(ConfigKeys.DPOP_MODE, "allowed");
        params.put(ConfigKeys.PATHS_EXCLUDE, "/public/*");
        JwtAuthFilter filter = JwtAuthFilter.builder().sources(ConfigSources.none()).build();
        FilterHolder holder = new FilterHolder(filter);
        holder.setName("jwtgate");
        holder.setInitParameters(params);
        holder.setAsyncSupported(true);
        context.addFilter(holder, "/*", EnumSet.allOf(DispatcherType.class));
        ServletHolder echo = new ServletHolder(new DispatchIT.Echo());
        echo.setAsyncSupported(true);
        context.addServlet(echo, "/app/echo");
        ServletHolder steps = new ServletHolder(new Steps());
        steps.setAsyncSupported(true);
        context.addServlet(steps, "/public/*");
        server.setHandler(context);
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    static final class Steps extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response)
                throws IOException, ServletException {
            String p = request.getPathInfo();
            if (p.endsWith("/fwd")) {
                request.getRequestDispatcher("/app/echo").forward(request, response);
            } else if (p.equals("/n1")) {
                request.getRequestDispatcher("/public/n2").forward(request, response);
            } else if (p.equals("/n2")) {
                request.getRequestDispatcher("/app/echo").forward(request, response);
            } else if (p.equals("/fa1")) {
                request.getRequestDispatcher("/public/fa2").forward(request, response);
            } else if (p.equals("/fa2")) {
                request.startAsync(request, response).dispatch("/app/echo");
            } else if (p.equals("/fb1")) {
                request.getRequestDispatcher("/public/fb2").forward(request, response);
            } else if (p.equals("/fb2")) {
                request.startAsync().dispatch("/app/echo");
            } else if (p.equals("/af1")) {
                if (request.getDispatcherType() == DispatcherType.REQUEST) {
                    request.startAsync().dispatch("/public/af2");
                }
            } else if (p.equals("/af2")) {
                request.getRequestDispatcher("/app/echo").forward(request, response);
            } else if (p.equals("/fi1")) {
                request.getRequestDispatcher("/public/fi2").forward(request, response);
            } else if (p.equals("/fi2")) {
                response.getWriter().print("before;");
                request.getRequestDispatcher("/app/echo").include(request, response);
                response.getWriter().print("after;");
            } else if (p.equals("/set-fwd")) {
                request.setAttribute(RequestDispatcher.FORWARD_REQUEST_URI, "/public/other");
                request.getRequestDispatcher("/app/echo").forward(request, response);
            } else if (p.equals("/setfwd-async")) {
                // An application exposing the forward attribute itself (the client's URI), then one async dispatch.
                request.setAttribute(RequestDispatcher.FORWARD_REQUEST_URI, request.getRequestURI());
                request.startAsync().dispatch("/app/echo");
            } else if (p.equals("/set-async")) {
                request.setAttribute(AsyncContext.ASYNC_REQUEST_URI, "/public/other");
                request.startAsync().dispatch("/app/echo");
            } else {
                response.sendError(400);
            }
        }
    }

    private static HttpResponse<String> send(String requested, String named) throws Exception {
        String token = TestTokens.hs256(DpopKey.bind(TestTokens.claims("alice", "user"), KEY));
        String proof = KEY.proof("GET", base.resolve(named).toString()).accessToken(token).sign();
        HttpRequest request = HttpRequest.newBuilder(base.resolve(requested)).timeout(Duration.ofSeconds(10)).GET()
                .headers("Authorization", "DPoP " + token, "DPoP", proof).build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Refused, whichever URI the proof names (the client's, an intermediate one, the target's): no one checked the
     * proof where the request arrived, so a captured request replayed to the public page with another query would
     * pass here as the proof's first use.
     */
    @ParameterizedTest(name = "{0} named {1}")
    @CsvSource({"/public/n1,/public/n1", "/public/fb1,/public/fb1", "/public/set-fwd,/public/set-fwd",
            "/public/set-async,/public/set-async", "/public/setfwd-async,/public/setfwd-async",
            "/public/a%20b/fwd,/public/a%20b/fwd", "/public/%C3%A9/fwd,/public/%C3%A9/fwd",
            "/public/n1?x=1&y=/app/echo,/public/n1?x=1&y=/app/echo", "/public/n1,/public/n2", "/public/fb1,/public/fb2",
            "/public/set-fwd,/public/other", "/public/set-async,/public/other", "/public/fa1,/public/fa1",
            "/public/fa1,/public/fa2", "/public/fa1,/app/echo", "/public/af1,/public/af1", "/public/af1,/public/af2",
            "/public/af1,/app/echo", "/public/n1,/app/echo"})
    void whenADpopRequestIsDispatchedFromAPublicPageThenItIsRefused(String requested, String named) throws Exception {
        HttpResponse<String> answer = send(requested, named);
        assertEquals(401, answer.statusCode(), requested + " with a proof for " + named + " -> " + answer.body());
        String challenge = answer.headers().firstValue("WWW-Authenticate").orElse("");
        assertEquals(true, challenge.contains("invalid_dpop_proof")
                && challenge.contains("The DPoP proof was not checked on arrival"), answer.headers().map().toString());
    }

    /** An include inside a forward from a public page: decided on what the filter knows (nobody), nothing included. */
    @org.junit.jupiter.api.Test
    void whenAForwardedPublicPageIncludesAProtectedOneThenNothingIsIncluded() throws Exception {
        HttpResponse<String> answer = send("/public/fi1", "/public/fi1");
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("before;after;", answer.body());
    }
}
