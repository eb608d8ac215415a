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
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * A filter BEFORE JwtGate (a reverse-proxy SSO header filter) presents its own user and is mapped on FORWARD/INCLUDE
 * too. On REQUEST JwtGate's wrapper is outermost, so the page runs as the token's user; on a dispatch the earlier
 * filter wraps again, outside JwtGate's old wrapper: JwtGate wraps again, so the include runs as its page does.
 */
class EarlierFiltersWrapperOnDispatchesIT {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static JettyApp app;

    @BeforeAll
    static void start() throws Exception {
        app = JettyApp.startContext(context -> {
            context.addFilter(new FilterHolder(new ProxyUser()), "/*",
                    EnumSet.of(DispatcherType.REQUEST, DispatcherType.FORWARD, DispatcherType.INCLUDE));
            FilterHolder holder = JettyApp.jwtGate(TestTokens.settings());
            context.addFilter(holder, "/*", EnumSet.allOf(DispatcherType.class));
            context.addServlet(new ServletHolder(new Page()), "/page");
            context.addServlet(new ServletHolder(new Echo()), "/echo");
        });
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
    }

    /** Presents the user a reverse proxy authenticated (X-Proxy-User), whatever the request it wraps says. */
    static final class ProxyUser implements Filter {
        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest request = (HttpServletRequest) req;
            String user = request.getHeader("X-Proxy-User");
            chain.doFilter(new HttpServletRequestWrapper(request) {
                @Override
                public Principal getUserPrincipal() {
                    return () -> user;
                }

                @Override
                public String getRemoteUser() {
                    return user;
                }
            }, res);
        }
    }

    static final class Page extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response)
                throws IOException, ServletException {
            response.getWriter().print("page=" + request.getRemoteUser() + ";");
            request.getRequestDispatcher("/echo").include(request, response);
        }
    }

    static final class Echo extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getWriter().print("include=" + request.getRemoteUser() + " current="
                    + JwtAuthFilter.currentPrincipal().map(Principal::getName).orElse(null) + ";");
        }
    }

    @Test
    void anIncludeRunsAsTheSameUserAsItsPageWhenAnEarlierFilterWrapsAgain() throws Exception {
        HttpResponse<String> answer = CLIENT.send(HttpRequest.newBuilder(app.uri("/page"))
                .header("Authorization", "Bearer " + TestTokens.hs256("alice"))
                .header("X-Proxy-User", "carol").timeout(Duration.ofSeconds(10)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("page=alice;include=alice current=alice;", answer.body());
    }
}
