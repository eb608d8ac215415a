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
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.Principal;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * A filter after JwtGate wraps the request and presents its own Principal object (as Spring Security's servlet API
 * integration does), FORWARD and INCLUDE mapped: JwtGate wraps and binds again on an include, and a logout() inside it
 * was undone for the page ({@code JwtAuthFilter.currentPrincipal()}) when that nested binding closed.
 */
class AnotherFiltersWrapperOnDispatchesIT {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static JettyApp app;

    @BeforeAll
    static void start() throws Exception {
        app = JettyApp.startContext(context -> {
            Map<String, String> params = new LinkedHashMap<>(TestTokens.settings());
            FilterHolder holder = JettyApp.jwtGate(params);
            context.addFilter(holder, "/*", EnumSet.allOf(DispatcherType.class));
            context.addFilter(new FilterHolder(new FrameworkWrapper()), "/*", EnumSet.of(DispatcherType.REQUEST));
            context.addServlet(new ServletHolder(new Page()), "/app/page");
            context.addServlet(new ServletHolder(new LogoutHere()), "/app/logout-here");
        });
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
    }

    /** Presents its own Principal object for the same user, delegating everything else. */
    static final class FrameworkWrapper implements Filter {
        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest request = (HttpServletRequest) req;
            chain.doFilter(new HttpServletRequestWrapper(request) {
                @Override
                public Principal getUserPrincipal() {
                    Principal inner = super.getUserPrincipal();
                    return inner == null ? null : (Principal) () -> inner.getName();
                }
            }, res);
        }
    }

    static final class Page extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response)
                throws IOException, ServletException {
            request.getRequestDispatcher("/app/logout-here").include(request, response);
            response.getWriter().print("after user=" + request.getRemoteUser() + " current="
                    + JwtAuthFilter.currentPrincipal().map(Principal::getName).orElse(null) + ";");
        }
    }

    static final class LogoutHere extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response)
                throws IOException, ServletException {
            request.logout();
            response.getWriter().print("logged out current="
                    + JwtAuthFilter.currentPrincipal().map(Principal::getName).orElse(null) + ";");
        }
    }

    @Test
    void whenAnIncludedResourceLogsOutBehindAnotherWrapperThenCurrentPrincipalStaysForgotten() throws Exception {
        HttpResponse<String> answer = CLIENT.send(HttpRequest.newBuilder(app.uri("/app/page"))
                .header("Authorization", "Bearer " + TestTokens.hs256("alice")).timeout(Duration.ofSeconds(10)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("logged out current=null;after user=null current=null;", answer.body());
    }
}
