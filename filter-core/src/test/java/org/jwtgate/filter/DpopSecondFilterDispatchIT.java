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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.http.RawHttp;
import org.jwtgate.testkit.tokens.DpopKey;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * Two JwtGate filters on one request, each verifying for itself (docs/security.md): the first ({@code /api/*}) checks
 * and records the DPoP request on arrival; the page forwards or async-dispatches it into {@code /admin/*}, which the
 * second guards. Its first look at the request is the dispatch: it checks the proof again against the client's URI,
 * under the request's proof record id, the same first use, and the user passes (a review's find: the first version of
 * the refusal of proofs not checked on arrival answered 401 here). Real Jetty, {@code revocation.store=memory}.
 */
class DpopSecondFilterDispatchIT {

    private static final DpopKey KEY = DpopKey.es256();
    private JettyApp app;
    private int port;

    /** A page of the first filter's: forwards or async-dispatches into the second filter's /admin/report. */
    static final class Front extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response)
                throws IOException, ServletException {
            String to = request.getParameter("to");
            if ("forward".equals(to)) {
                request.getRequestDispatcher("/admin/report").forward(request, response);
            } else if ("async".equals(to) && request.getDispatcherType() == DispatcherType.REQUEST) {
                request.startAsync().dispatch("/admin/report");
            } else {
                response.getWriter().print("front of " + name(request));
            }
        }
    }

    static final class Report extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getWriter().print("report of " + name(request));
        }
    }

    static String name(HttpServletRequest request) {
        return request.getUserPrincipal() == null ? "nobody" : request.getUserPrincipal().getName();
    }

    private static FilterHolder filter(String name) {
        Map<String, String> params = new LinkedHashMap<>(TestTokens.settings());
        params.put(ConfigKeys.DPOP_MODE, "allowed");
        FilterHolder holder = JettyApp.jwtGate(params);
        holder.setName(name);
        holder.setAsyncSupported(true);
        return holder;
    }

    @BeforeEach
    void start() throws Exception {
        EnumSet<DispatcherType> passes = EnumSet.of(DispatcherType.REQUEST, DispatcherType.FORWARD, DispatcherType.ASYNC);
        app = JettyApp.startContext(context -> {
            context.addFilter(filter("jwtgate-api"), "/api/*", passes);
            context.addFilter(filter("jwtgate-admin"), "/admin/*", passes);
            ServletHolder front = new ServletHolder(new Front());
            front.setAsyncSupported(true);
            context.addServlet(front, "/api/front");
            ServletHolder report = new ServletHolder(new Report());
            report.setAsyncSupported(true);
            context.addServlet(report, "/admin/report");
        });
        port = app.port();
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    private RawHttp.Response send(String query) throws IOException {
        String token = TestTokens.hs256(DpopKey.bind(TestTokens.claims("alice", "user"), KEY));
        String proof = KEY.proof("GET", "http://127.0.0.1:" + port + "/api/front").accessToken(token).sign();
        return RawHttp.request(port, "GET", "/api/front" + query, "", "Authorization: DPoP " + token, "DPoP: " + proof);
    }

    /** Control: the first filter checks the DPoP request on arrival and passes it. */
    @Test
    void whenTheFirstFilterChecksTheDpopRequestThenTheFrontPageServesTheUser() throws Exception {
        RawHttp.Response answer = send("");

        assertEquals(200, answer.status(), answer.toString());
        assertEquals("front of alice", answer.body());
    }

    @Test
    void whenAPageTheFirstFilterCheckedForwardsIntoTheSecondFiltersPathThenTheUserPasses() throws Exception {
        RawHttp.Response answer = send("?to=forward");

        assertEquals(200, answer.status(), answer.toString());
        assertEquals("report of alice", answer.body());
    }

    @Test
    void whenAPageTheFirstFilterCheckedAsyncDispatchesIntoTheSecondFiltersPathThenTheUserPasses() throws Exception {
        RawHttp.Response answer = send("?to=async");

        assertEquals(200, answer.status(), answer.toString());
        assertEquals("report of alice", answer.body());
    }
}
