package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.Test;
import org.jwtgate.internal.jmx.JmxExporter;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.logs.CapturedLog;
import org.jwtgate.testkit.tokens.TestTokens;

/** several JwtGate filters in one JVM, and in one application. Real Jetty, memory store. */
class ApplicationsInOneJvmIT {

    private static Map<String, String> memory(String... extra) {
        Map<String, String> settings = new LinkedHashMap<>(TestTokens.settings());
        settings.put("revocation.store", "memory");
        for (int i = 0; i < extra.length; i += 2) {
            settings.put(extra[i], extra[i + 1]);
        }
        return settings;
    }

    static final class Who extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getWriter().print("user=" + (request.getUserPrincipal() == null ? "anonymous"
                    : request.getUserPrincipal().getName()) + " admin=" + request.isUserInRole("admin"));
        }
    }

    /**
     * Two applications in one JVM (as two WARs of one Tomcat writing to one catalina.log, or two contexts of one Jetty),
     * each with its own revocation store, revoke the same user: the two audit lines must tell which application's store
     * the revocation went to. docs/monitoring.md: "who revoked what, when".
     */
    @Test
    void whenTwoApplicationsOfOneJvmRevokeTheSameUserThenTheirAuditLinesTellThemApart() throws Exception {
        try (JettyApp shop = JettyApp.startNamed("shop", memory());
             JettyApp billing = JettyApp.startNamed("billing", memory())) {
            String log = CapturedLog.during(() -> {
                shop.filter().revocationService().revokeUser("alice");
                billing.filter().revocationService().revokeUser("alice");
            }).text();
            List<String> lines = log.lines().filter(l -> l.contains("AUDIT revocation kind=user sub=alice"))
                    .map(l -> l.substring(l.indexOf("AUDIT"))).toList();
            assertEquals(2, lines.size(), log);
            assertNotEquals(lines.get(0), lines.get(1),
                    "the audit lines of two applications' revocations cannot be told apart: " + lines);
        }
    }

    /**
     * One filter mapped twice ({@code /*} and {@code /api/*}: Jetty runs it once per mapping): one request verifies
     * and counts once (docs/security.md: "its second run on the REQUEST pass verifies nothing again").
     */
    @Test
    void whenOneFilterIsMappedTwiceThenARequestIsVerifiedAndCountedOnce() throws Exception {
        try (JettyApp app = JettyApp.startContext(context -> {
            FilterHolder gate = JettyApp.jwtGate(memory());
            context.addFilter(gate, "/*", EnumSet.of(DispatcherType.REQUEST));
            context.addFilter(gate, "/api/*", EnumSet.of(DispatcherType.REQUEST));
            context.addServlet(new ServletHolder(new Who()), "/*");
        })) {
            var response = app.getWithToken("/api/x", TestTokens.hs256("alice", "admin"));
            assertEquals(200, response.statusCode());
            assertEquals("user=alice admin=true", response.body());
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            assertEquals(1L, server.getAttribute(JmxExporter.name("Requests", "jwtgate", "/"), "Authenticated"));
            assertEquals(1L, server.getAttribute(JmxExporter.name("Verification", "jwtgate", "/"), "Verifications"));
        }
    }

    /**
     * Two JwtGate filters with different settings in one application: an outer one on {@code /*} and an inner one on
     * {@code /admin/*} requiring role {@code admin} and naming the principal by another claim. The inner one decides
     * roles and names the principal; each filter counts the request in its own MBeans.
     */
    @Test
    void whenTwoFiltersOfOneApplicationBothSeeARequestThenTheInnerOneNamesThePrincipalAndEachCountsOnce()
            throws Exception {
        try (JettyApp app = JettyApp.startContext(context -> {
            FilterHolder outer = JettyApp.jwtGate(memory());
            outer.setName("outer");
            FilterHolder inner = JettyApp.jwtGate(memory("paths.roles", "/admin/*=admin", "claims.principal", "jti"));
            inner.setName("inner");
            context.addFilter(outer, "/*", EnumSet.of(DispatcherType.REQUEST));
            context.addFilter(inner, "/admin/*", EnumSet.of(DispatcherType.REQUEST));
            context.addServlet(new ServletHolder(new Who()), "/*");
        })) {
            var admin = app.getWithToken("/admin/x", TestTokens.hs256("alice", "admin"));
            assertEquals(200, admin.statusCode());
            assertTrue(admin.body().startsWith("user=") && !admin.body().startsWith("user=alice"), admin.body());
            assertEquals(403, app.getWithToken("/admin/x", TestTokens.hs256("bob")).statusCode());
            assertEquals(200, app.getWithToken("/other", TestTokens.hs256("bob")).statusCode());
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            assertEquals(3L, server.getAttribute(JmxExporter.name("Requests", "outer", "/"), "Authenticated"));
            assertEquals(1L, server.getAttribute(JmxExporter.name("Requests", "inner", "/"), "Authenticated"));
        }
    }
}
