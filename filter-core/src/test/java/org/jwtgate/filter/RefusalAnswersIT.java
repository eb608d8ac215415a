package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * RFC 6750 / 7235 / 9110 answers and docs/security.md's table, on embedded Jetty 12: the application's error pages
 * for 401/403, HEAD, two challenges in allowed mode, and refusals of dispatches after the application touched the response.
 */
class RefusalAnswersIT {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String JSON_401 =
            "{\"error\":\"unauthorized\",\"error_description\":\"Authentication with a bearer token is required\"}";
    private static final String JSON_403 = "{\"error\":\"insufficient_scope\","
            + "\"error_description\":\"The access token lacks a role this resource requires\"}";
    private static JettyApp app;

    @BeforeAll
    static void start() throws Exception {
        app = JettyApp.startContext(context -> {
            Map<String, String> params = new LinkedHashMap<>(TestTokens.settings());
            params.put(ConfigKeys.DPOP_MODE, "allowed");
            params.put(ConfigKeys.PATHS_EXCLUDE, "/public/*");
            params.put(ConfigKeys.PATHS_ROLES, "/admin/*=admin");
            FilterHolder holder = JettyApp.jwtGate(params);
            holder.setAsyncSupported(true);
            context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.FORWARD, DispatcherType.ASYNC,
                    DispatcherType.ERROR));
            ServletHolder servlet = new ServletHolder(new App());
            servlet.setAsyncSupported(true);
            context.addServlet(servlet, "/");
            context.addServlet(new ServletHolder(new HtmlErrorPage()), "/error-page");
            ErrorPageErrorHandler errors = new ErrorPageErrorHandler();
            errors.addErrorPage(401, "/error-page");
            errors.addErrorPage(403, "/error-page");
            context.setErrorHandler(errors);
        });
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
    }

    static final class App extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
            switch (request.getRequestURI()) {
                case "/public/gzip-forward-admin" -> {
                    // A page about to send a compressed download, then deciding to forward.
                    response.setHeader("Content-Encoding", "gzip");
                    response.setHeader("Content-Disposition", "attachment; filename=\"report.csv.gz\"");
                    request.getRequestDispatcher("/admin/x").forward(request, response);
                }
                default -> {
                    response.setContentType("text/plain");
                    response.getWriter().print("app " + request.getRemoteUser());
                }
            }
        }
    }

    static final class HtmlErrorPage extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/html");
            response.getWriter().print("<html>custom error page</html>");
        }
    }

    private static HttpResponse<byte[]> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.uri(path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String utf8(HttpResponse<byte[]> answer) {
        return new String(answer.body(), StandardCharsets.UTF_8);
    }

    @Test
    void theApplicationsErrorPagesFor401And403DoNotReplaceTheAnswerNorItsChallenges() throws Exception {
        HttpResponse<byte[]> missing = send("GET", "/api/x");
        assertAll(() -> assertEquals(401, missing.statusCode()),
                () -> assertEquals(List.of("Bearer realm=\"jwtgate\"", "DPoP realm=\"jwtgate\", algs=\"ES256 EdDSA RS256 PS256\""),
                        missing.headers().allValues("WWW-Authenticate")),
                () -> assertEquals(JSON_401, utf8(missing)),
                () -> assertEquals("no-store", missing.headers().firstValue("Cache-Control").orElse(null)));
        HttpResponse<byte[]> lacking = send("GET", "/admin/x", "Authorization", "Bearer " + TestTokens.hs256("alice", "user"));
        assertAll(() -> assertEquals(403, lacking.statusCode()),
                () -> assertEquals(JSON_403, utf8(lacking)),
                () -> assertTrue(lacking.headers().firstValue("WWW-Authenticate").orElse("").contains("scope=\"admin\"")));
    }

    /**
     * RFC 6750 §3: scope lists the scope values the resource needs. A role that a scope token cannot hold as it is
     * ("Domain Admins", from a JSON array claim) is left out: cut down it was scope="DomainAdmins", a role nobody has.
     */
    @Test
    void aRequiredRoleThatNoScopeTokenCanHoldIsLeftOutOfTheScope() throws Exception {
        Map<String, String> settings = TestTokens.settings();
        settings.put(ConfigKeys.PATHS_ROLES, "/admin/*=Domain Admins|auditor");
        try (JettyApp spaced = JettyApp.start(settings)) {
            HttpResponse<String> answer = spaced.getWithToken("/admin/x", TestTokens.hs256("alice", "dev"));
            assertAll(() -> assertEquals(403, answer.statusCode()),
                    () -> assertEquals("Bearer realm=\"jwtgate\", error=\"insufficient_scope\", "
                            + "error_description=\"The access token lacks a role this resource requires\", scope=\"auditor\"",
                            answer.headers().firstValue("WWW-Authenticate").orElse("")));
        }
    }

    @Test
    void aHeadRequestGetsTheChallengeWithoutABody() throws Exception {
        HttpResponse<byte[]> head = send("HEAD", "/api/x");
        assertAll(() -> assertEquals(401, head.statusCode()),
                () -> assertEquals(2, head.headers().allValues("WWW-Authenticate").size()),
                () -> assertEquals(0, head.body().length));
    }

    /** A refusal is the filter's own representation: the page's representation headers must not describe it. */
    @Test
    void aRefusedForwardDoesNotKeepThePagesRepresentationHeaders() throws Exception {
        HttpResponse<byte[]> answer = send("GET", "/public/gzip-forward-admin");
        assertAll(() -> assertEquals(401, answer.statusCode()),
                () -> assertEquals(JSON_401, utf8(answer)),
                () -> assertEquals(List.of(), answer.headers().allValues("Content-Encoding"), answer.headers().map().toString()),
                () -> assertEquals(List.of(), answer.headers().allValues("Content-Disposition")));
    }
}
