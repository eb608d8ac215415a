package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * {@code *.css} excluded and a servlet on {@code /admin/*}, the filter mapped for every dispatch type (embedded Jetty 12):
 * {@code /admin/users.css} is that servlet's, not a stylesheet, however it is reached, as it is on a direct request.
 */
class ExtensionRulesOnDispatchesIT {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static JettyApp app;

    /** The protected resource: says who it served. */
    static final class Admin extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getWriter().print("ADMIN " + request.getDispatcherType() + " user=" + request.getRemoteUser()
                    + " mapping=" + request.getHttpServletMapping().getMappingMatch() + ";");
        }
    }

    /** A public page (/public/*) dispatching to /admin/users.css in each way. */
    static final class Dispatching extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response)
                throws IOException, ServletException {
            switch (request.getPathInfo()) {
                case "/forward" -> request.getRequestDispatcher("/admin/users.css").forward(request, response);
                case "/include" -> {
                    response.getWriter().print("before;");
                    request.getRequestDispatcher("/admin/users.css").include(request, response);
                }
                case "/async" -> request.startAsync().dispatch("/admin/users.css");
                default -> response.sendError(400);
            }
        }
    }

    @BeforeAll
    static void start() throws Exception {
        app = JettyApp.startContext(context -> {
            Map<String, String> params = new LinkedHashMap<>(TestTokens.settings());
            params.put(ConfigKeys.PATHS_EXCLUDE, "/public/*,*.css");
            params.put(ConfigKeys.PATHS_ROLES, "/admin/*=admin");
            FilterHolder holder = JettyApp.jwtGate(params);
            holder.setAsyncSupported(true);
            context.addFilter(holder, "/*", EnumSet.allOf(DispatcherType.class));
            context.addServlet(new ServletHolder(new Admin()), "/admin/*");
            context.addServlet(new ServletHolder(new Dispatching()), "/public/*");
            for (ServletHolder each : context.getServletHandler().getServlets()) {
                each.setAsyncSupported(true);
            }
        });
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(app.uri(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void whenAPublicPageDispatchesToAPrefixMappedCssPathThenTheTargetIsNotPublic() throws Exception {
        HttpResponse<String> direct = get("/admin/users.css");
        HttpResponse<String> forward = get("/public/forward");
        HttpResponse<String> include = get("/public/include");
        HttpResponse<String> async = get("/public/async");
        assertAll(
                () -> assertEquals(401, direct.statusCode(), "direct: " + direct.body()),
                () -> assertEquals(401, forward.statusCode(), "forward: " + forward.body()),
                () -> assertFalse(include.body().contains("ADMIN"), "include: " + include.body()),
                () -> assertEquals(401, async.statusCode(), "async: " + async.body()));
    }
}
