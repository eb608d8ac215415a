package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jwtgate.JwtGateException;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.engine.JwtGate;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.http.RawHttp;
import org.jwtgate.testkit.tokens.DpopKey;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * What the filter does with a DPoP request it did not check on arrival (a {@code paths.exclude} page, a page outside its
 * mapping): an excluded page's own check of it is its first use, a slow key server does not hold the page, and a
 * replay dispatched into a protected path is refused. (A first fix spent such proofs on the excluded page: a review
 * found the first two broken by it.) Real Jetty, {@code revocation.store=memory}.
 */
class DpopUncheckedOnArrivalIT {

    private static final DpopKey KEY = DpopKey.es256();
    private JettyApp app;
    private HttpServer jwksServer;
    private CountDownLatch holdJwks;
    private int port;

    /**
     * An excluded path whose servlet checks the DPoP request itself with the public API, as JwtGate's class javadoc
     * shows ({@code gate.verify}, then {@code gate.verifyDpopProof(proof, "GET", uri, token, principal)}).
     */
    static final class SelfVerifying extends HttpServlet {
        /** JwtGate's filter in the application: its instance is the holder's once the application started. */
        private final FilterHolder filter;

        SelfVerifying(FilterHolder filter) {
            this.filter = filter;
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            JwtGate gate = ((JwtAuthFilter) filter.getFilter()).gate();
            String token = request.getHeader("Authorization").substring("DPoP ".length());
            try {
                JwtPrincipal principal = gate.verify(token);
                gate.verifyDpopProof(request.getHeader("DPoP"), request.getMethod(),
                        URI.create(request.getRequestURL().toString()), token, principal);
                response.getWriter().print("verified " + principal.subject());
            } catch (JwtGateException e) {
                response.setStatus(401);
                response.getWriter().print("refused: " + e.getMessage());
            }
        }
    }

    static final class PublicPage extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getWriter().print("public page");
        }
    }

    /** A front controller: a public view, or an async dispatch into the protected /api/account. */
    static final class FrontController extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if ("account-async".equals(request.getParameter("view")) && request.getDispatcherType() == DispatcherType.REQUEST) {
                request.startAsync().dispatch("/api/account");
            } else {
                response.getWriter().print("public page");
            }
        }
    }

    static final class Account extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getWriter().print("account of " + (request.getUserPrincipal() == null ? "nobody"
                    : request.getUserPrincipal().getName()));
        }
    }

    private void start(Map<String, String> params) throws Exception {
        params.put(ConfigKeys.DPOP_MODE, "allowed");
        params.put(ConfigKeys.PATHS_EXCLUDE, "/self/*,/public/*");
        app = JettyApp.startContext(context -> {
            FilterHolder holder = JettyApp.jwtGate(params);
            context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.FORWARD));
            context.addServlet(new ServletHolder(new SelfVerifying(holder)), "/self/orders");
            context.addServlet(new ServletHolder(new PublicPage()), "/public/page");
        });
        port = app.port();
    }

    @AfterEach
    void stop() throws Exception {
        if (holdJwks != null) {
            holdJwks.countDown();
        }
        if (app != null) {
            app.close();
        }
        if (jwksServer != null) {
            jwksServer.stop(0);
        }
    }

    /**
     * The filter reads no token on an excluded path ("public paths: no token is read", docs/configuration.md), so an
     * application checking DPoP there itself gets the proof's first use (a first fix, 21109a1d, recorded the proof on
     * the excluded path before the servlet ran, and every such request was refused as a replay).
     */
    @Test
    void whenTheApplicationVerifiesTheDpopRequestOfAnExcludedPathItselfThenTheProofIsItsFirstUse() throws Exception {
        Map<String, String> params = new LinkedHashMap<>(TestTokens.settings());
        params.put(ConfigKeys.REVOCATION_STORE, "memory");
        start(params);
        String token = TestTokens.hs256(DpopKey.bind(TestTokens.claims("alice", "user"), KEY));
        String proof = KEY.proof("GET", "http://127.0.0.1:" + port + "/self/orders").accessToken(token).sign();

        RawHttp.Response answer = RawHttp.request(port, "GET", "/self/orders", "", "Authorization: DPoP " + token,
                "DPoP: " + proof);

        assertEquals(200, answer.status(), answer.toString());
        assertEquals("verified alice", answer.body());
    }

    /**
     * The same replay as DpopPublicPathReplayIT's, with the front controller outside the filter's mapping (filter on
     * {@code /api/*}, REQUEST and ASYNC; docs/configuration.md "Path rules the filter never sees" calls that mapping
     * supported) instead of in {@code paths.exclude}: the user's request to it is still never recorded, and its replay
     * with another query, async-dispatched into /api/account, is the proof's first use there: 200 as the user.
     */
    @Test
    void whenAPublicPageOutsideTheFilterMappingIsReplayedIntoAProtectedAsyncDispatchThenTheReplayIsRefused()
            throws Exception {
        Map<String, String> params = new LinkedHashMap<>(TestTokens.settings());
        params.put(ConfigKeys.REVOCATION_STORE, "memory");
        params.put(ConfigKeys.DPOP_MODE, "allowed");
        app = JettyApp.startContext(context -> {
            FilterHolder holder = JettyApp.jwtGate(params);
            holder.setAsyncSupported(true);
            context.addFilter(holder, "/api/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC,
                    DispatcherType.ERROR));
            ServletHolder front = new ServletHolder(new FrontController());
            front.setAsyncSupported(true);
            context.addServlet(front, "/front");
            ServletHolder account = new ServletHolder(new Account());
            account.setAsyncSupported(true);
            context.addServlet(account, "/api/account");
        });
        port = app.port();
        String token = TestTokens.hs256(DpopKey.bind(TestTokens.claims("alice", "user"), KEY));
        String proof = KEY.proof("GET", "http://127.0.0.1:" + port + "/front").accessToken(token).sign();

        RawHttp.Response users = RawHttp.request(port, "GET", "/front?view=about", "", "Authorization: DPoP " + token,
                "DPoP: " + proof);
        assertEquals("public page", users.body(), users.toString());
        RawHttp.Response replay = RawHttp.request(port, "GET", "/front?view=account-async", "",
                "Authorization: DPoP " + token, "DPoP: " + proof);

        assertEquals(401, replay.status(), "the replayed proof was accepted: " + replay.status() + " " + replay.body());
    }

    /**
     * A public page answers at once whatever headers come with it: a {@code DPoP} request whose token names a kid the
     * key set lacks does not make it verify the token and refresh the JWKS on the request's thread (the first fix,
     * 21109a1d, did: with the key server slow, the public page waited for the fetch's timeout, 5 s).
     */
    @Test
    void whenTheKeyServerIsSlowThenAPublicPageWithADpopHeaderStillAnswersAtOnce() throws Exception {
        KeyPair rsa = TestTokens.rsaKeyPair();
        PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(rsa.getPublic());
        jwk.setKeyId("k1");
        byte[] set = new JsonWebKeySet(jwk).toJson().getBytes(StandardCharsets.UTF_8);
        jwksServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        jwksServer.createContext("/jwks.json", exchange -> {
            CountDownLatch hold = holdJwks;
            if (hold != null) {
                try {
                    hold.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, set.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(set);
            }
        });
        jwksServer.setExecutor(Executors.newCachedThreadPool());
        jwksServer.start();
        Map<String, String> params = new LinkedHashMap<>();
        params.put(ConfigKeys.JWT_ALGORITHMS, "RS256");
        params.put(ConfigKeys.JWT_ISSUER, TestTokens.ISSUER);
        params.put(ConfigKeys.JWT_AUDIENCE, TestTokens.AUDIENCE);
        params.put(ConfigKeys.JWT_JWKS_URI, "http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/jwks.json");
        params.put(ConfigKeys.JWT_JWKS_MIN_REFRESH_SECONDS, "1");
        params.put(ConfigKeys.REVOCATION_STORE, "memory");
        start(params);
        Thread.sleep(1500); // past the minimum interval since the start-up fetch
        holdJwks = new CountDownLatch(1); // the key server turns slow

        String token = TestTokens.sign(DpopKey.bind(TestTokens.claims("alice", "user"), KEY), "RS256", rsa.getPrivate(),
                jws -> jws.setKeyIdHeaderValue("made-up-kid"));
        long start = System.nanoTime();
        RawHttp.Response page = RawHttp.request(port, "GET", "/public/page", "", "Authorization: DPoP " + token,
                "DPoP: anything");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertEquals(200, page.status(), page.toString());
        assertTrue(millis < 1000, "the public page answered after " + millis + " ms");
    }
}
