package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.http.RawHttp;
import org.jwtgate.testkit.tokens.DpopKey;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * The request attributes {@code org.jwtgate.internal.proof-record-id} and {@code proof-checked} cross between JwtGate
 * front ends of two class loaders, so they cannot hold a JwtGate class; a review found that as Strings (as aa7561d7 had
 * them) they let a replay pass, 200, as a String is made by anything that sets request attributes from what the client
 * sent: a container mapping the proxy's attributes
 * (Tomcat's AJP connector with {@code allowedRequestAttributesPattern}, fed by mod_proxy_ajp's {@code AJP_*} variables a
 * rewrite rule fills from headers), or application code copying input into attributes. {@link ClientAttributes} stands
 * for either: it sets, before JwtGate runs, each attribute a {@code X-Attr: name=value} header names. Real Jetty,
 * {@code revocation.store=memory}.
 */
class DpopForgedProofAttributesIT {

    private static final DpopKey KEY = DpopKey.es256();
    private static final String RECORD_ID = "org.jwtgate.internal.proof-record-id";
    private static final String CHECKED = "org.jwtgate.internal.proof-checked";
    private JettyApp app;

    /** Request attributes the client names (a container's attribute mapping, or an application's). */
    static final class ClientAttributes implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            if (((HttpServletRequest) request).getHeader("X-Foreign") != null) {
                // What an older JwtGate of another class loader leaves: an instance of its own ProofRecordId class.
                Object foreign = new Object();
                request.setAttribute(RECORD_ID, foreign);
                request.setAttribute(CHECKED, foreign);
            }
            for (String field : Collections.list(((HttpServletRequest) request).getHeaders("X-Attr"))) {
                int equals = field.indexOf('=');
                request.setAttribute(field.substring(0, equals).trim(), field.substring(equals + 1).trim());
            }
            chain.doFilter(request, response);
        }
    }

    /** A front controller outside the filter's mapping: a public view, or an async dispatch into /api/account. */
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

    /** The account, and (as a debug view listing the request's attributes would) the proof's record id. */
    static final class Account extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setHeader("X-Record-Id", String.valueOf(request.getAttribute(RECORD_ID)));
            response.getWriter().print("account of " + (request.getUserPrincipal() == null ? "nobody"
                    : request.getUserPrincipal().getName()));
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    private void start(String jwtGateMapping, EnumSet<DispatcherType> dispatches) throws Exception {
        Map<String, String> params = new LinkedHashMap<>(TestTokens.settings());
        params.put(ConfigKeys.REVOCATION_STORE, "memory");
        params.put(ConfigKeys.DPOP_MODE, "allowed");
        app = JettyApp.startContext(context -> {
            FilterHolder attributes = new FilterHolder(new ClientAttributes());
            attributes.setAsyncSupported(true);
            context.addFilter(attributes, "/*", EnumSet.of(DispatcherType.REQUEST));
            FilterHolder holder = JettyApp.jwtGate(params);
            holder.setAsyncSupported(true);
            context.addFilter(holder, jwtGateMapping, dispatches);
            ServletHolder front = new ServletHolder(new FrontController());
            front.setAsyncSupported(true);
            context.addServlet(front, "/front");
            ServletHolder account = new ServletHolder(new Account());
            account.setAsyncSupported(true);
            context.addServlet(account, "/api/account");
        });
    }

    /**
     * DpopUncheckedOnArrivalIT's replay (the user's request to the public front page never recorded; its replay with
     * another query async-dispatched into /api/account), with two equal 22-character strings in the two attributes: the
     * filter takes the proof as checked on arrival, and the replay passes as the proof's first use.
     */
    @Test
    void whenTheRequestArrivesWithForgedProofCheckedAttributesThenTheUncheckedReplayIsStillRefused() throws Exception {
        start("/api/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR));
        int port = app.port();
        String token = TestTokens.hs256(DpopKey.bind(TestTokens.claims("alice", "user"), KEY));
        String proof = KEY.proof("GET", "http://127.0.0.1:" + port + "/front").accessToken(token).sign();
        RawHttp.Response users = RawHttp.request(port, "GET", "/front?view=about", "", "Authorization: DPoP " + token,
                "DPoP: " + proof);
        assertEquals("public page", users.body(), users.toString());

        String forged = "AAAAAAAAAAAAAAAAAAAAAA";
        RawHttp.Response replay = RawHttp.request(port, "GET", "/front?view=account-async", "",
                "Authorization: DPoP " + token, "DPoP: " + proof, "X-Attr: " + RECORD_ID + "=" + forged,
                "X-Attr: " + CHECKED + "=" + forged);

        assertEquals(401, replay.status(), "the replayed proof was accepted: " + replay.status() + " " + replay.body());
    }

    /**
     * A proof used once on a protected path, replayed there with its record id (which the request showed as text, as a
     * debug view or an attribute-logging access log would, and which Redis keeps as the record's value) in the
     * attribute: the replay is taken as the same request's second check, the same first use, and passes.
     */
    @Test
    void whenAReplayCarriesTheFirstRequestsRecordIdThenItIsStillRefusedAsAlreadyUsed() throws Exception {
        start("/*", EnumSet.of(DispatcherType.REQUEST));
        int port = app.port();
        String token = TestTokens.hs256(DpopKey.bind(TestTokens.claims("alice", "user"), KEY));
        String proof = KEY.proof("GET", "http://127.0.0.1:" + port + "/api/account").accessToken(token).sign();
        RawHttp.Response users = RawHttp.request(port, "GET", "/api/account", "", "Authorization: DPoP " + token,
                "DPoP: " + proof);
        assertEquals(200, users.status(), users.toString());
        String recordId = users.header("X-Record-Id");

        RawHttp.Response replay = RawHttp.request(port, "GET", "/api/account", "", "Authorization: DPoP " + token,
                "DPoP: " + proof, "X-Attr: " + RECORD_ID + "=" + recordId);

        assertEquals(401, replay.status(), "the replayed proof was accepted: " + replay.status() + " " + replay.body()
                + " (record id " + recordId + ")");
    }

    /**
     * An older module (another class loader) leaves its own class's instances in the attributes: the filter of this
     * release does not take them for a check, and refuses the dispatch cleanly (401 invalid_dpop_proof, not a 500).
     * Passes: stated for the report.
     */
    @Test
    void whenAnOlderFrontEndLeftItsOwnObjectsInTheAttributesThenTheDispatchIsRefusedWith401() throws Exception {
        start("/api/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR));
        int port = app.port();
        String token = TestTokens.hs256(DpopKey.bind(TestTokens.claims("alice", "user"), KEY));
        String proof = KEY.proof("GET", "http://127.0.0.1:" + port + "/front").accessToken(token).sign();

        RawHttp.Response answer = RawHttp.request(port, "GET", "/front?view=account-async", "",
                "Authorization: DPoP " + token, "DPoP: " + proof, "X-Foreign: yes");

        assertEquals(401, answer.status(), answer.toString());
        assertEquals(true, String.valueOf(answer.header("WWW-Authenticate")).contains("not checked on arrival"),
                answer.toString());
    }
}
