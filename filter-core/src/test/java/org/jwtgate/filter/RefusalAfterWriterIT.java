package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * A refusal after the page took its writer (an async dispatch or a forward into a path the caller may not use): the
 * headers of the filters before JwtGate stay (CORS, security headers), and a response wrapper that tracks its own
 * writer still gets the refusal, not a 500. A reset() of the response once broke both.
 */
class RefusalAfterWriterIT {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String JSON_403 = "{\"error\":\"insufficient_scope\","
            + "\"error_description\":\"The access token lacks a role this resource requires\"}";
    private static JettyApp app;

    @BeforeAll
    static void start() throws Exception {
        app = JettyApp.startContext(context -> {
            context.addFilter(new FilterHolder(new Cors()), "/*", EnumSet.of(DispatcherType.REQUEST));
            context.addFilter(new FilterHolder(new TrackingWrapper()), "/wrapped/*", EnumSet.of(DispatcherType.REQUEST));
            Map<String, String> params = new LinkedHashMap<>(TestTokens.settings());
            params.put(ConfigKeys.PATHS_EXCLUDE, "/public/*,/wrapped/*");
            params.put(ConfigKeys.PATHS_ROLES, "/admin/*=admin");
            FilterHolder holder = JettyApp.jwtGate(params);
            holder.setAsyncSupported(true);
            context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.FORWARD, DispatcherType.ASYNC));
            ServletHolder servlet = new ServletHolder(new App());
            servlet.setAsyncSupported(true);
            context.addServlet(servlet, "/");
        });
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
    }

    /** A CORS filter before JwtGate, as usual: the browser reads a cross-origin 401/403 only with these. */
    static final class Cors implements Filter {
        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                throws IOException, ServletException {
            HttpServletResponse response = (HttpServletResponse) res;
            response.setHeader("Access-Control-Allow-Origin", "https://app.example");
            response.setHeader("Vary", "Origin");
            response.setHeader("X-Content-Type-Options", "nosniff");
            chain.doFilter(req, res);
        }
    }

    /** The usual response wrapper that refuses the stream once its writer was taken, as the servlet API says. */
    static final class TrackingWrapper implements Filter {
        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                throws IOException, ServletException {
            chain.doFilter(req, new HttpServletResponseWrapper((HttpServletResponse) res) {
                private PrintWriter writer;

                @Override
                public PrintWriter getWriter() throws IOException {
                    if (writer == null) {
                        writer = super.getWriter();
                    }
                    return writer;
                }

                @Override
                public ServletOutputStream getOutputStream() throws IOException {
                    if (writer != null) {
                        throw new IllegalStateException("getWriter() was called");
                    }
                    return super.getOutputStream();
                }
            });
        }
    }

    static final class App extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response)
                throws IOException, ServletException {
            switch (request.getRequestURI()) {
                case "/public/writer-async-admin" -> {
                    response.getWriter();
                    request.startAsync().dispatch("/admin/x");
                }
                case "/wrapped/writer-forward-admin" -> {
                    response.getWriter();
                    request.getRequestDispatcher("/admin/x").forward(request, response);
                }
                default -> response.getWriter().print("app " + request.getRemoteUser());
            }
        }
    }

    private static HttpResponse<byte[]> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(app.uri(path)).timeout(Duration.ofSeconds(10))
                .header("Origin", "https://app.example")
                .header("Authorization", "Bearer " + TestTokens.hs256("alice", "user")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aRefusalAfterATakenWriterKeepsTheCorsAndSecurityHeadersSetBeforeJwtGate() throws Exception {
        HttpResponse<byte[]> answer = get("/public/writer-async-admin");
        assertAll(() -> assertEquals(403, answer.statusCode()),
                () -> assertEquals(JSON_403, new String(answer.body(), StandardCharsets.UTF_8)),
                () -> assertEquals("https://app.example",
                        answer.headers().firstValue("Access-Control-Allow-Origin").orElse(null), answer.headers().map().toString()),
                () -> assertEquals("Origin", answer.headers().firstValue("Vary").orElse(null)),
                () -> assertEquals("nosniff", answer.headers().firstValue("X-Content-Type-Options").orElse(null)));
    }

    @Test
    void aRefusalBehindAResponseWrapperThatTookItsWriterIsStillTheRefusal() throws Exception {
        HttpResponse<byte[]> answer = get("/wrapped/writer-forward-admin");
        assertAll(() -> assertEquals(403, answer.statusCode(), new String(answer.body(), StandardCharsets.UTF_8)),
                () -> assertEquals(JSON_403, new String(answer.body(), StandardCharsets.UTF_8)));
    }
}
