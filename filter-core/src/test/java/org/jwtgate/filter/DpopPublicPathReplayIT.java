package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jose4j.jwt.JwtClaims;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.http.RawHttp;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.tokens.DpopKey;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * A DPoP request (token + proof) sent to a {@code paths.exclude} page is not checked there, so nothing records its
 * proof: whoever captured it replayed it with another query (a proof's {@code htu} does not cover the query) to the
 * same page, which dispatched the replay into a protected path (a front controller: an async dispatch, which the
 * recommended mapping REQUEST/ASYNC/ERROR covers, or a forward), where the filter verified the proof for the first time,
 * and accepted it. A dispatch's DPoP proof is refused now; a {@code paths.optional} front page checks it on arrival.
 * Real Jetty, real 3+3 Redis Cluster.
 */
class DpopPublicPathReplayIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    private static final DpopKey KEY = DpopKey.es256();
    private static JettyApp app;
    private static int port;

    /** A front controller on a public path: shows a public page, or dispatches into the protected /api/account. */
    static final class FrontController extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response)
                throws IOException, ServletException {
            String view = request.getParameter("view");
            if ("account-async".equals(view) && request.getDispatcherType() == DispatcherType.REQUEST) {
                request.startAsync().dispatch("/api/account");
            } else if ("account-forward".equals(view)) {
                request.getRequestDispatcher("/api/account").forward(request, response);
            } else {
                response.getWriter().print("public page");
            }
        }
    }

    static final class Account extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getWriter().print("account of " + (request.getUserPrincipal() == null ? "nobody"
                    : request.getUserPrincipal().getName()) + " auth=" + request.getAuthType());
        }
    }

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> params = new LinkedHashMap<>(TestTokens.settings());
        params.put(ConfigKeys.REVOCATION_STORE, "redis-cluster");
        params.put(ConfigKeys.REDIS_NODES, REDIS.cluster().nodesSpec());
        params.put(ConfigKeys.DPOP_MODE, "allowed");
        params.put(ConfigKeys.PATHS_EXCLUDE, "/public/*");
        params.put(ConfigKeys.PATHS_OPTIONAL, "/optional/*");
        app = JettyApp.startContext(context -> {
            FilterHolder holder = JettyApp.jwtGate(params);
            holder.setAsyncSupported(true);
            context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC,
                    DispatcherType.ERROR, DispatcherType.FORWARD));
            ServletHolder front = new ServletHolder(new FrontController());
            front.setAsyncSupported(true);
            context.addServlet(front, "/public/front");
            context.addServlet(front, "/optional/front");
            ServletHolder account = new ServletHolder(new Account());
            account.setAsyncSupported(true);
            context.addServlet(account, "/api/account");
        });
        port = app.port();
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
    }

    private static RawHttp.Response send(String target, String token, String proof) {
        return RawHttp.request(port, "GET", target, "", "Authorization: DPoP " + token, "DPoP: " + proof);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"account-async", "account-forward"})
    void whenARequestToAPublicPageIsReplayedWithAQueryThatDispatchesIntoAProtectedPathThenTheReplayIsRefused(String view) {
        String token = TestTokens.hs256(DpopKey.bind(TestTokens.claims("alice", "user"), KEY));
        String proof = KEY.proof("GET", "http://127.0.0.1:" + port + "/public/front").accessToken(token).sign();

        // The user's request: a public view, served without a look at the token.
        RawHttp.Response users = send("/public/front?view=about", token, proof);
        assertEquals(200, users.status(), users.toString());
        assertEquals("public page", users.body());

        // Captured (token and proof) and replayed with another query, inside the proof's window.
        RawHttp.Response replay = send("/public/front?view=" + view, token, proof);
        assertEquals(401, replay.status(), "the replayed proof was accepted: " + replay.status() + " " + replay.body());
    }

    /** The page is public all the same: a proof that would be refused is not looked at there. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"garbage", "expired token"})
    void whenTheProofIsRefusedThenThePublicPageIsServedAllTheSame(String kind) {
        String token = TestTokens.hs256(DpopKey.bind(TestTokens.claims("alice", "user"), KEY));
        String proof = KEY.proof("GET", "http://127.0.0.1:" + port + "/public/front").accessToken(token).sign();
        switch (kind) {
            case "garbage" -> proof = "e30.e30.e30";
            default -> {
                JwtClaims claims = DpopKey.bind(TestTokens.claims("alice", "user"), KEY);
                claims.setExpirationTime(TestTokens.secondsFromNow(-3600));
                token = TestTokens.hs256(claims);
                proof = KEY.proof("GET", "http://127.0.0.1:" + port + "/public/front").accessToken(token).sign();
            }
        }
        RawHttp.Response page = send("/public/front?view=about", token, proof);
        assertEquals(200, page.status(), page.toString());
        assertEquals("public page", page.body());
    }

    /** A front page on a {@code paths.optional} path checks the proof on arrival: its dispatch passes, a replay not. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"account-async", "account-forward"})
    void whenTheFrontPageChecksTheProofOnArrivalThenItsDispatchPassesAndItsReplayIsRefused(String view) {
        String token = TestTokens.hs256(DpopKey.bind(TestTokens.claims("alice", "user"), KEY));
        String proof = KEY.proof("GET", "http://127.0.0.1:" + port + "/optional/front").accessToken(token).sign();
        RawHttp.Response first = send("/optional/front?view=" + view, token, proof);
        assertEquals(200, first.status(), first.toString());
        assertEquals("account of alice auth=DPoP", first.body());
        RawHttp.Response replay = send("/optional/front?view=about", token, proof);
        assertEquals(401, replay.status(), replay.toString());
    }
}
