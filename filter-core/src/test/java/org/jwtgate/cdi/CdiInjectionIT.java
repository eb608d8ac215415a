package org.jwtgate.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.filter.JwtAuthFilter;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.revocation.RevocationService;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * Weld SE plus an embedded Jetty, the way an application without servlet-CDI integration wires
 * them: the servlet is a CDI bean, JwtAuthFilter guards it, and the servlet's injected
 * principal and revocation API are the filter's.
 */
class CdiInjectionIT {

    /** Reports the injected principal; revokes the caller's token on POST through the injected API. */
    @ApplicationScoped
    public static class WhoAmIServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Inject
        transient Provider<JwtPrincipal> principal;
        @Inject
        transient Provider<RevocationService> revocation;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            JwtPrincipal current = principal.get();
            response.getWriter().print(current == null ? "anonymous" : current.getName() + " " + current.roles());
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            boolean durable = revocation.get().revoke(principal.get()).durable();
            response.getWriter().print("revoked durable=" + durable + " sameAsContext="
                    + (revocation.get() == request.getServletContext().getAttribute(RevocationService.CONTEXT_ATTRIBUTE)));
        }
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void whenRequestAuthenticatedThenCdiBeanSeesPrincipalAndFilterRevocationApi() throws Exception {
        try (WeldContainer weld = new Weld().disableDiscovery().addBeanClass(WhoAmIServlet.class)
                .addExtension(new JwtGateExtension()).initialize()) {
            JwtAuthFilter filter = JwtAuthFilter.builder().settings(TestTokens.settings())
                    .set(ConfigKeys.PATHS_OPTIONAL, "/optional/*").sources(ConfigSources.none()).build();
            Server server = start(filter, weld.select(WhoAmIServlet.class).get());
            try {
                URI base = server.getURI();
                String token = TestTokens.hs256("alice", "admin");

                HttpResponse<String> me = send(HttpRequest.newBuilder(base.resolve("/api/me"))
                        .header("Authorization", "Bearer " + token).GET());
                assertEquals(200, me.statusCode(), me.body());
                assertEquals("alice [admin]", me.body());

                HttpResponse<String> anonymous = send(HttpRequest.newBuilder(base.resolve("/optional/x")).GET());
                assertEquals("anonymous", anonymous.body(), "nothing may linger on the pooled thread");

                HttpResponse<String> revoke = send(HttpRequest.newBuilder(base.resolve("/api/me"))
                        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()));
                assertEquals("revoked durable=true sameAsContext=true", revoke.body());
                assertEquals(401, send(HttpRequest.newBuilder(base.resolve("/api/me"))
                        .header("Authorization", "Bearer " + token).GET()).statusCode());
                assertTrue(JwtAuthFilter.currentPrincipal().isEmpty());
            } finally {
                server.stop();
            }
            // The destroyed filter's API is withdrawn: injecting it now explains why it fails.
            assertThrows(IllegalStateException.class, () -> weld.select(RevocationService.class).get());
        }
    }

    @Test
    void whenTwoContextsShareOneCdiContainerThenEachRevokesThroughItsOwnFilter() throws Exception {
        try (WeldContainer weld = new Weld().disableDiscovery().addBeanClass(WhoAmIServlet.class)
                .addExtension(new JwtGateExtension()).initialize()) {
            ContextHandlerCollection contexts = new ContextHandlerCollection();
            for (String path : new String[] {"/one", "/two"}) { // each with its own filter, its own memory store
                contexts.addHandler(context(path, JwtAuthFilter.builder().settings(TestTokens.settings())
                        .sources(ConfigSources.none()).build(), weld.select(WhoAmIServlet.class).get()));
            }
            Server server = start(contexts);
            try {
                URI base = server.getURI();
                String token = TestTokens.hs256("alice", "admin");

                HttpResponse<String> revoke = send(HttpRequest.newBuilder(base.resolve("/two/me"))
                        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()));
                assertEquals("revoked durable=true sameAsContext=true", revoke.body(),
                        "the injected API is the one of the application serving the request");
                assertEquals(401, send(HttpRequest.newBuilder(base.resolve("/two/me"))
                        .header("Authorization", "Bearer " + token).GET()).statusCode(), "revoked where it was revoked");
                assertEquals(200, send(HttpRequest.newBuilder(base.resolve("/one/me"))
                        .header("Authorization", "Bearer " + token).GET()).statusCode(), "the other application untouched");
            } finally {
                server.stop();
            }
        }
    }

    /**
     * Two filters in one application, each with its own store: the injected API is the first started one's, whichever
     * filter authenticated the request (docs/sample.md, CDI); the second is reached by its name.
     */
    @Test
    void whenTwoFiltersGuardOneApplicationThenInjectionIsTheFirstStartedAndTheOtherIsByName() throws Exception {
        try (WeldContainer weld = new Weld().disableDiscovery().addBeanClass(WhoAmIServlet.class)
                .addExtension(new JwtGateExtension()).initialize()) {
            JwtAuthFilter first = JwtAuthFilter.builder().settings(TestTokens.settings()).sources(ConfigSources.none()).build();
            JwtAuthFilter second = JwtAuthFilter.builder().settings(TestTokens.settings()).sources(ConfigSources.none()).build();
            ServletContextHandler context = new ServletContextHandler("/");
            FilterHolder a = new FilterHolder(first);
            a.setName("a");
            context.addFilter(a, "/a/*", EnumSet.of(DispatcherType.REQUEST));
            FilterHolder b = new FilterHolder(second);
            b.setName("b");
            context.addFilter(b, "/b/*", EnumSet.of(DispatcherType.REQUEST));
            context.addServlet(new ServletHolder(weld.select(WhoAmIServlet.class).get()), "/*");
            Server server = start(context);
            try {
                URI base = server.getURI();
                String token = TestTokens.hs256("alice", "admin");
                assertSame(second.revocationService(),
                        context.getServletContext().getAttribute(RevocationService.CONTEXT_ATTRIBUTE + ".b"));

                HttpResponse<String> revoke = send(HttpRequest.newBuilder(base.resolve("/b/me"))
                        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()));
                assertEquals("revoked durable=true sameAsContext=true", revoke.body(), "the first filter's API");
                assertEquals(401, send(HttpRequest.newBuilder(base.resolve("/a/me"))
                        .header("Authorization", "Bearer " + token).GET()).statusCode(), "revoked in the first filter's store");
                assertEquals(200, send(HttpRequest.newBuilder(base.resolve("/b/me"))
                        .header("Authorization", "Bearer " + token).GET()).statusCode(), "not in the second's own store");
            } finally {
                server.stop();
            }
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Server start(JwtAuthFilter filter, HttpServlet servlet) throws Exception {
        return start(context("/", filter, servlet));
    }

    /** A started server on a free loopback port. */
    private static Server start(Handler handler) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(handler);
        server.start();
        return server;
    }

    private static ServletContextHandler context(String path, JwtAuthFilter filter, HttpServlet servlet) {
        ServletContextHandler context = new ServletContextHandler(path);
        FilterHolder holder = new FilterHolder(filter);
        holder.setName("jwtgate");
        context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(servlet), "/*");
        return context;
    }
}
