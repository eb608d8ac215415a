package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * The filter mapped as README and conf/web.xml recommend ({@code REQUEST}, {@code ASYNC}, {@code ERROR}), in a real
 * Jetty: what a {@code FORWARD} or {@code INCLUDE}, which the filter then never sees, reaches. docs/security.md
 * ("Dispatches") says so; {@link DispatchIT} shows the same application with every dispatcher type mapped.
 */
class RecommendedMappingDispatchIT {

    private static Server server;
    private static URI base;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        Map<String, String> params = new LinkedHashMap<>(TestTokens.settings());
        params.put(ConfigKeys.PATHS_EXCLUDE, "/public/*");
        params.put(ConfigKeys.PATHS_ROLES, "/admin/*=admin");
        FilterHolder holder = new FilterHolder(JwtAuthFilter.builder().sources(ConfigSources.none()).build());
        holder.setName("jwtgate");
        holder.setInitParameters(params);
        holder.setAsyncSupported(true);
        context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR));
        context.addServlet(new ServletHolder(new DispatchIT.Echo()), "/app/echo");
        context.addServlet(new ServletHolder(new DispatchIT.Echo()), "/admin/echo");
        context.addServlet(new ServletHolder(new DispatchIT.Dispatching()), "/app/*");
        context.addServlet(new ServletHolder(new DispatchIT.Dispatching()), "/public/*");
        server.setHandler(context);
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    private static HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void whenAnAuthenticatedRequestIsForwardedThenTheTargetSeesTheSameUser() throws Exception {
        HttpResponse<String> answer = get("/app/forward", "Authorization", "Bearer " + TestTokens.hs256("alice"));
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("FORWARD user=alice auth=Bearer current=alice;", answer.body());
    }

    /** The hole an application that forwards from public pages closes by mapping FORWARD (and INCLUDE). */
    @Test
    void whenAPublicPageForwardsIntoAProtectedOneThenItRunsWithNobodyNot401() throws Exception {
        HttpResponse<String> answer = get("/public/forward");
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("FORWARD user=null auth=null current=null;", answer.body());
    }

    @Test
    void whenAPublicPageIncludesAProtectedResourceThenItIsIncludedWithNobody() throws Exception {
        HttpResponse<String> answer = get("/public/include");
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("before;INCLUDE user=null auth=null current=null;", answer.body());
    }

    /** paths.roles are checked on the REQUEST pass only: a forward into a path whose role the user lacks runs. */
    @Test
    void whenAnAuthenticatedRequestIsForwardedIntoAPathWhoseRoleItLacksThenItRunsNot403() throws Exception {
        HttpResponse<String> answer = get("/app/forward-admin", "Authorization", "Bearer " + TestTokens.hs256("alice", "user"));
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("FORWARD user=alice auth=Bearer current=alice;", answer.body());
    }
}
