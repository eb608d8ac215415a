package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.DefaultServlet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * A directory URL on Jetty 12: its default servlet serves the welcome file itself, so the filter sees {@code /reports/},
 * never {@code /reports/index.html}. The rules written for the welcome file apply to the directory URL too, as on
 * Tomcat, whose mapper makes the welcome file the servlet path (the request-path review's find: 200 with the report).
 */
class WelcomeFileRulesIT {

    @TempDir
    Path root;
    private Server server;
    private URI base;
    private final HttpClient client = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    /** Jetty's DefaultServlet on {@code /}, named "default" as in a WAR. */
    private static final Consumer<ServletContextHandler> DEFAULT_SERVLET =
            context -> context.addServlet(new ServletHolder("default", DefaultServlet.class), "/");

    /** Jetty's default servlet on {@code /} over {@code root}, with these welcome files, and the filter on {@code /*}. */
    private void start(String[] welcomeFiles, String... settings) throws Exception {
        start(false, DEFAULT_SERVLET, welcomeFiles, settings);
    }

    /**
     * A context over {@code root} with the servlets {@code servlets} adds, these welcome files and the filter on
     * {@code /*}; {@code encodedSlashes}: a Jetty that decodes {@code %2F} (handing {@code /%2Freports/} over as
     * {@code //reports/}).
     */
    private void start(boolean encodedSlashes, Consumer<ServletContextHandler> servlets, String[] welcomeFiles,
                       String... settings) throws Exception {
        server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        if (encodedSlashes) {
            http.setUriCompliance(UriCompliance.DEFAULT.with("encoded slashes",
                    UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
        }
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.getServletHandler().setDecodeAmbiguousURIs(encodedSlashes);
        context.setBaseResource(ResourceFactory.of(server).newResource(root));
        if (welcomeFiles != null) {
            context.setWelcomeFiles(welcomeFiles); // else Jetty's own list
        }
        Map<String, String> params = TestTokens.settings();
        for (int i = 0; i < settings.length; i += 2) {
            params.put(settings[i], settings[i + 1]);
        }
        FilterHolder holder = new FilterHolder(JwtAuthFilter.builder().sources(ConfigSources.none()).build());
        holder.setInitParameters(params);
        context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR));
        servlets.accept(context);
        server.setHandler(context);
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    /** A servlet of the application's, answering its path info (and handing over to {@code forwardTo} when set). */
    private static ServletHolder ownServlet(String name, String forwardTo) {
        return new ServletHolder(name, new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response)
                    throws IOException, jakarta.servlet.ServletException {
                if (forwardTo != null) {
                    // As Spring MVC's default-servlet handling does: a named dispatch, which no filter sees.
                    getServletContext().getNamedDispatcher(forwardTo).forward(request, response);
                    return;
                }
                response.getWriter().print("FROM-SERVLET " + request.getPathInfo());
            }
        });
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code path} refused (403) to the caller of {@code lacking}, and served {@code content} to that of {@code holding}. */
    private void assertRefusedThenServed(String path, String lacking, String holding, String content) throws Exception {
        HttpResponse<String> refused = get(path, lacking);
        assertEquals(403, refused.statusCode(), refused.body());
        assertEquals(content, get(path, holding).body());
    }

    /** A base of a file servlet's own, beside the context's, holding {@code reports/index.html}. */
    private Path reportOutsideTheContext(String name) throws IOException {
        Path base = Files.createDirectories(root.resolveSibling(root.getFileName() + "-" + name));
        Files.createDirectories(base.resolve("reports"));
        Files.writeString(base.resolve("reports/index.html"), "SECRET-REPORT");
        return base;
    }

    private void file(String path, String content) throws Exception {
        Files.createDirectories(root.resolve(path).getParent());
        Files.writeString(root.resolve(path), content);
    }

    @Test
    void whenADirectoryUrlIsServedItsWelcomeFileThenThatFilesExactAndExtensionRulesApply() throws Exception {
        file("reports/index.html", "SECRET-REPORT");
        file("pages/index.html", "SECRET-PAGE");
        file("open/readme.txt", "open");
        start(new String[] {"index.html"}, ConfigKeys.PATHS_ROLES, "/reports/index.html=analyst;*.html=admin");
        String user = TestTokens.hs256("alice", "user");

        assertEquals(403, get("/reports/index.html", user).statusCode());
        HttpResponse<String> reports = get("/reports/", user);
        assertEquals(403, reports.statusCode(), reports.body());
        assertTrue(reports.headers().firstValue("WWW-Authenticate").orElse("").contains("scope=\"analyst\""),
                reports.headers().map().toString());
        assertEquals(403, get("/pages/", user).statusCode(), "*.html's rule, for the index.html it is served");

        assertEquals("SECRET-REPORT", get("/reports/", TestTokens.hs256("carol", "analyst")).body());
        assertEquals("SECRET-PAGE", get("/pages/", TestTokens.hs256("bob", "admin")).body());
        assertEquals("open", get("/open/readme.txt", user).body(), "no rule: any authenticated caller");
    }

    @Test
    void whenTheContextRootIsServedItsWelcomeFileThenThatFilesRulesApply() throws Exception {
        file("index.html", "SECRET-HOME");
        start(new String[] {"index.html"}, ConfigKeys.PATHS_ROLES, "*.html=admin");
        assertEquals(403, get("/", TestTokens.hs256("alice", "user")).statusCode());
        assertEquals("SECRET-HOME", get("/", TestTokens.hs256("bob", "admin")).body());
    }

    @Test
    void whenJettyHandsOverAnUnnormalizedDirectoryUrlThenItsWelcomeFilesRulesStillApply() throws Exception {
        // /%2Freports/ reaches the filter as //reports/, whose welcome file no rule is written for as such: the diff
        // review's run of the first version of this check, 200 with the report.
        file("reports/index.html", "SECRET-REPORT");
        start(true, DEFAULT_SERVLET, new String[] {"index.html"}, ConfigKeys.PATHS_ROLES,
                "/reports/index.html=analyst;/reports/*=user");
        String user = TestTokens.hs256("alice", "user");
        HttpResponse<String> encoded = get("/%2Freports/", user);
        assertEquals(403, encoded.statusCode(), encoded.body());
        assertEquals(403, get("/reports/", user).statusCode());
        assertEquals("SECRET-REPORT", get("/%2Freports/", TestTokens.hs256("carol", "analyst", "user")).body());
    }

    @Test
    void whenAFileServletOnAPrefixServesTheDirectoryUrlThenTheWelcomeFilesRuleApplies() throws Exception {
        // A DefaultServlet on /docs/* with pathInfoOnly serves /docs/reports/ from reports/index.html: its mapping is a
        // prefix's, and the second diff review's run of the second version of this check got the report (200).
        file("reports/index.html", "SECRET-REPORT");
        start(false, DEFAULT_SERVLET.andThen(context -> {
            ServletHolder files = new ServletHolder("files", DefaultServlet.class);
            files.setInitParameter("pathInfoOnly", "true");
            files.setInitParameter("dirAllowed", "false");
            context.addServlet(files, "/docs/*");
        }), new String[] {"index.html"}, ConfigKeys.PATHS_ROLES, "/docs/reports/index.html=analyst");
        String user = TestTokens.hs256("alice", "user");
        assertEquals(403, get("/docs/reports/index.html", user).statusCode());
        HttpResponse<String> directory = get("/docs/reports/", user);
        assertEquals(403, directory.statusCode(), directory.body());
        assertEquals("SECRET-REPORT", get("/docs/reports/", TestTokens.hs256("carol", "analyst")).body());
    }

    @Test
    void whenTheApplicationsServletOnTheRootHandsTheRequestToTheDefaultServletThenTheWelcomeFilesRuleApplies()
            throws Exception {
        // Spring MVC on / with default-servlet handling forwards by name to "default", which serves the welcome file:
        // the third review's scenario against the version that took any application servlet to serve the URL itself.
        file("reports/index.html", "SECRET-REPORT");
        start(false, context -> {
            context.addServlet(new ServletHolder("default", DefaultServlet.class), "/static-unused/*");
            context.addServlet(ownServlet("dispatcher", "default"), "/");
        }, new String[] {"index.html"}, ConfigKeys.PATHS_ROLES, "/reports/index.html=analyst");
        assertRefusedThenServed("/reports/", TestTokens.hs256("alice", "user"), TestTokens.hs256("carol", "analyst"), "SECRET-REPORT");
    }

    @Test
    void whenTheDefaultServletHasABaseOfItsOwnThenEveryWelcomeFilesRuleApplies() throws Exception {
        // Its files are not the application's: a lookup among those found none, and the report went out (the third
        // review's scenario).
        Path elsewhere = reportOutsideTheContext("static");
        start(false, context -> {
            ServletHolder files = new ServletHolder("default", DefaultServlet.class);
            files.setInitParameter("baseResource", elsewhere.toUri().toString());
            context.addServlet(files, "/");
        }, new String[] {"index.html"}, ConfigKeys.PATHS_ROLES, "/reports/index.html=analyst");
        assertRefusedThenServed("/reports/", TestTokens.hs256("alice", "user"), TestTokens.hs256("carol", "analyst"), "SECRET-REPORT");
    }

    @Test
    void whenADirectoryIsNamedLikeTheFirstWelcomeFileThenTheFileServedDecides() throws Exception {
        // reports/index.html/ is a directory: Jetty passes over it and serves index.htm (the fourth review's run of
        // the version that took any resource for the welcome file: 200 with index.htm's content).
        Files.createDirectories(root.resolve("reports/index.html"));
        file("reports/index.htm", "SECRET-HTM");
        start(false, context -> context.addServlet(new ServletHolder("default", DefaultServlet.class), "/"),
                new String[] {"index.html", "index.htm"}, ConfigKeys.PATHS_ROLES, "*.htm=admin");
        assertRefusedThenServed("/reports/", TestTokens.hs256("alice", "user"), TestTokens.hs256("bob", "admin"), "SECRET-HTM");
    }

    @Test
    void whenJettyForwardsToAServletMappedToAWelcomeFileThenThatFilesRuleAppliesWithoutAFile() throws Exception {
        // welcomeServlets: Jetty forwards /reports/ to a servlet mapped to /reports/index.jsp (a precompiled JSP, no
        // file) or to *.jsp; the filter, not mapped for FORWARD, saw only /reports/ (the fourth review's runs: 200).
        for (String welcomeServlets : new String[] {"exact", "true"}) {
            start(false, context -> {
                ServletHolder files = new ServletHolder("default", DefaultServlet.class);
                files.setInitParameter("welcomeServlets", welcomeServlets);
                context.addServlet(files, "/");
                context.addServlet(ownServlet("jsp", null), welcomeServlets.equals("exact") ? "/reports/index.jsp" : "*.jsp");
            }, new String[] {"index.html", "index.jsp"}, ConfigKeys.PATHS_ROLES, "/reports/index.jsp=admin;*.jsp=admin");
            Files.createDirectories(root.resolve("reports"));
            HttpResponse<String> user = get("/reports/", TestTokens.hs256("alice", "user"));
            assertEquals(403, user.statusCode(), welcomeServlets + ": " + user.body());
            assertEquals(200, get("/reports/", TestTokens.hs256("bob", "admin")).statusCode(), welcomeServlets);
            server.stop();
            server = null;
        }
    }

    @Test
    void whenTheDefaultServletsBaseIsAContextInitParamThenEveryWelcomeFilesRuleApplies() throws Exception {
        // Jetty's file servlet reads org.eclipse.jetty.servlet.Default.* context init-params before its own (the fourth
        // review's run: 200 with the report).
        Path elsewhere = reportOutsideTheContext("context-base");
        start(false, context -> {
            context.setInitParameter("org.eclipse.jetty.servlet.Default.baseResource", elsewhere.toUri().toString());
            context.addServlet(new ServletHolder("default", DefaultServlet.class), "/");
        }, new String[] {"index.html"}, ConfigKeys.PATHS_ROLES, "/reports/index.html=analyst");
        assertRefusedThenServed("/reports/", TestTokens.hs256("alice", "user"), TestTokens.hs256("carol", "analyst"), "SECRET-REPORT");
    }

    @Test
    void whenTheContainerMayServeALaterWelcomeFileThenEveryWelcomeFileItHoldsMustAdmitTheCaller() throws Exception {
        // The fifth review's runs of the version that asked only the first welcome file found: 200 each time.
        // Jetty's own list when the application sets none is index.html, index.jsp (not index.htm).
        file("own-list/index.htm", "plain");
        file("own-list/index.jsp", "SECRET-JSP");
        start(false, DEFAULT_SERVLET, null, ConfigKeys.PATHS_ROLES, "*.jsp=admin");
        assertRefusedThenServed("/own-list/", TestTokens.hs256("alice", "user"), TestTokens.hs256("bob", "admin"), "SECRET-JSP");
        server.stop();
        // A dangling link first: Jetty passes over it and serves index.htm.
        file("dangling/index.htm", "SECRET-HTM");
        Files.createSymbolicLink(root.resolve("dangling/index.html"), root.resolve("dangling/missing.html"));
        start(false, DEFAULT_SERVLET, new String[] {"index.html", "index.htm"}, ConfigKeys.PATHS_ROLES,
                "*.html=analyst;*.htm=admin");
        assertRefusedThenServed("/dangling/", TestTokens.hs256("carol", "analyst"), TestTokens.hs256("dave", "analyst", "admin"), "SECRET-HTM");
    }

    @Test
    void whenAWelcomeFileIsNamedInASubdirectoryThenItsRuleApplies() throws Exception {
        file("WEB-INF/web.xml", "<web-app><welcome-file-list><welcome-file>home/index.html</welcome-file>"
                + "</welcome-file-list></web-app>");
        file("reports/home/index.html", "SECRET-REPORT");
        start(false, DEFAULT_SERVLET, new String[] {"home/index.html"}, ConfigKeys.PATHS_ROLES,
                "/reports/home/index.html=analyst");
        assertRefusedThenServed("/reports/", TestTokens.hs256("alice", "user"), TestTokens.hs256("carol", "analyst"), "SECRET-REPORT");
    }

    @Test
    void whenAServletOfTheApplicationServesTheDirectoryUrlThenTheWelcomeFilesRuleDoesNot() throws Exception {
        // /reports/* is the servlet's, on Tomcat as on Jetty: the welcome file is never served for /reports/, so its
        // rule must not refuse the servlet's callers (the diff review's run of the first version: 403).
        file("reports/index.html", "not served");
        start(false, DEFAULT_SERVLET.andThen(context -> context.addServlet(ownServlet("own", null), "/reports/*")),
                new String[] {"index.html"}, ConfigKeys.PATHS_ROLES, "/reports/index.html=analyst");
        assertEquals("FROM-SERVLET /", get("/reports/", TestTokens.hs256("alice", "user")).body());
    }

    @Test
    void whenTheApplicationDeclaresItsWelcomeFilesThenThoseAreTheOnesAsked() throws Exception {
        // The list of WEB-INF/web.xml replaces the containers' default (index.html, index.htm, index.jsp), here as a
        // 2.3 descriptor naming its DTD by URL, which is not fetched.
        file("WEB-INF/web.xml", """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE web-app PUBLIC "-//Sun Microsystems, Inc.//DTD Web Application 2.3//EN"
                    "http://java.sun.com/dtd/web-app_2_3.dtd">
                <web-app>
                  <welcome-file-list>
                    <welcome-file>home.html</welcome-file>
                  </welcome-file-list>
                </web-app>
                """);
        file("area/home.html", "SECRET-HOME");
        file("area/index.html", "not served: not a welcome file here");
        start(new String[] {"home.html"}, ConfigKeys.PATHS_ROLES, "/area/home.html=analyst",
                ConfigKeys.PATHS_OPTIONAL, "/area/*");

        assertEquals(403, get("/area/", TestTokens.hs256("alice", "user")).statusCode());
        assertEquals(401, get("/area/", null).statusCode(), "an optional path: anonymous, but its welcome file needs a role");
        assertEquals("SECRET-HOME", get("/area/", TestTokens.hs256("carol", "analyst")).body());
    }
}
