package org.jwtgate.sample;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import java.io.PrintStream;
import java.net.BindException;
import java.util.EnumSet;
import java.util.stream.Collectors;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.jwtgate.JwtGateException;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.filter.JwtAuthFilter;
import org.jwtgate.sample.account.DemoAccounts;
import org.jwtgate.sample.web.AdminRevokeServlet;
import org.jwtgate.sample.web.AdminStatusServlet;
import org.jwtgate.sample.web.HealthServlet;
import org.jwtgate.sample.web.JsonErrorHandler;
import org.jwtgate.sample.web.LoginServlet;
import org.jwtgate.sample.web.LogoutServlet;
import org.jwtgate.sample.web.MeServlet;
import org.jwtgate.sample.web.RefreshServlet;
import org.jwtgate.sample.web.SecurityHeadersFilter;
import org.jwtgate.sample.web.StaticFilesServlet;
import org.jwtgate.sample.settings.SampleSettings;

/**
 * The JwtGate sample: login, refresh, logout and revocation on embedded Jetty 12 (ee10), wired
 * with Weld SE and protected by {@link JwtAuthFilter}.
 *
 * <pre>./mvnw -q -pl sample-webapp -am compile exec:java        # http://localhost:8080</pre>
 */
public final class SampleApp {

    private SampleApp() {
    }

    /** The app on {@code port} (0: any free port), configured from the real environment and system properties. */
    public static Server createServer(int port) {
        return createServer(port, ConfigSources.system());
    }

    /**
     * The app on {@code port}, configured from {@code sources} (tests pass their own). Nothing runs
     * until {@link Server#start()}: starting brings up Redis (a local cluster unless
     * {@code JWTGATE_REDIS_NODES} is set), the CDI container and Jetty; {@link Server#stop()}
     * takes all of it down.
     */
    public static Server createServer(int port, ConfigSources sources) {
        SampleSettings settings = SampleSettings.from(sources);
        Server server = new Server();
        // Jetty's defaults (8 KiB of request headers, no Forwarded handling) but for the Server header: every answer
        // named Jetty and its exact version, which tells a scanner which advisories apply.
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(settings.host());
        connector.setPort(port);
        server.addConnector(connector);
        server.setErrorHandler(new JsonErrorHandler());

        // Added before the handler, so it starts before the servlet context and stops after it.
        SampleRuntime runtime = new SampleRuntime(sources, settings);
        server.addBean(runtime, true);

        ServletContextHandler context = new ServletContextHandler("/");
        context.setBaseResource(ResourceFactory.of(context).newClassLoaderResource("org/jwtgate/sample/static/"));
        context.setWelcomeFiles(new String[] {"index.html"});
        context.addFilter(SecurityHeadersFilter.class, "/*", EnumSet.of(DispatcherType.REQUEST));
        FilterHolder jwtGate = new FilterHolder(JwtAuthFilter.class) {
            @Override
            protected Filter createInstance() {
                return runtime.filter();
            }
        };
        jwtGate.setName("jwtgate");
        context.addFilter(jwtGate, "/*", EnumSet.of(DispatcherType.REQUEST));
        addCdiServlet(context, runtime, LoginServlet.class, "/login");
        addCdiServlet(context, runtime, RefreshServlet.class, "/refresh");
        addCdiServlet(context, runtime, LogoutServlet.class, "/logout");
        addCdiServlet(context, runtime, MeServlet.class, "/api/me");
        addCdiServlet(context, runtime, AdminRevokeServlet.class, "/admin/revoke");
        addCdiServlet(context, runtime, AdminStatusServlet.class, "/admin/status");
        addCdiServlet(context, runtime, HealthServlet.class, "/health");
        ServletHolder files = new ServletHolder("static", StaticFilesServlet.class);
        files.setInitParameter("dirAllowed", "false");
        context.addServlet(files, "/");
        server.setHandler(context);
        return server;
    }

    /** A servlet whose instance comes from the CDI container (so it gets @Inject), created when the context starts. */
    private static void addCdiServlet(ServletContextHandler context, SampleRuntime runtime,
                                      Class<? extends Servlet> type, String path) {
        ServletHolder holder = new ServletHolder(type) {
            @Override
            protected Servlet createInstance() {
                return runtime.bean(type);
            }
        };
        holder.setName(type.getSimpleName());
        context.addServlet(holder, path);
    }

    public static void main(String[] args) throws Exception {
        // Weld logs through JBoss Logging; send it to SLF4J so the console shows one format and level.
        if (System.getProperty("org.jboss.logging.provider") == null) {
            System.setProperty("org.jboss.logging.provider", "slf4j");
        }
        SystemLoggerToSlf4j.routeIfSentToJul(); // JwtGate's lines too, under exec:java
        ConfigSources sources = ConfigSources.system();
        Server server;
        try {
            SampleSettings.requireKnownNames(System.getenv().keySet(), System.getProperties().stringPropertyNames());
            server = createServer(SampleSettings.port(sources), sources);
        } catch (JwtGateException e) {
            System.err.println("JwtGate sample not started: " + e.getMessage());
            System.exit(2);
            return;
        }
        // Ctrl-C or SIGTERM stops Jetty (the servlet context and with it the filter), then the runtime: Weld, then the
        // local Redis Cluster. This is the only shutdown hook: hooks run at once, so another would race this order.
        server.setStopAtShutdown(true);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            ServerConnector connector = (ServerConnector) server.getConnectors()[0];
            System.err.println("JwtGate sample not started: " + startFailure(e, connector.getHost(), connector.getPort()));
            System.exit(2);
            return;
        }
        printBanner(System.out, server);
        server.join();
    }

    private static void printBanner(PrintStream out, Server server) {
        SampleRuntime runtime = server.getBean(SampleRuntime.class);
        ServerConnector connector = (ServerConnector) server.getConnectors()[0];
        out.println();
        out.println("JwtGate sample is running at " + url(connector.getHost(), connector.getLocalPort()));
        out.println(runtime.startedLocalCluster()
                ? "  Redis Cluster: started here (" + runtime.redisNodes() + "), stopped on exit"
                : "  Redis: " + runtime.redisNodes());
        if (runtime.demoAccountsSeeded()) {
            out.println("  Demo accounts: " + DemoAccounts.ACCOUNTS.stream().map(Object::toString)
                    .collect(Collectors.joining(", ")));
        }
        out.println("  Press Ctrl-C to stop.");
        out.println();
    }

    /** The URL to open: localhost for the loopback or wildcard address the sample listens on. */
    static String url(String host, int port) {
        if (host == null || host.equals("127.0.0.1") || host.equals("0.0.0.0") || host.equals("::")) {
            host = "localhost";
        } else if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host.replace("%", "%25") + "]"; // an IPv6 literal, as a URL must write it (RFC 3986 §3.2.2)
        }
        return "http://" + host + ":" + port + "/";
    }

    /**
     * Why the start failed: a port Jetty cannot listen on (in use, or privileged) names {@code PORT} and its value, as
     * the settings' own errors do; else {@link #rootMessage}.
     */
    static String startFailure(Throwable e, String host, int port) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof BindException) {
                return "Illegal value for [" + SampleSettings.PORT + "]: [" + port + "] (cannot listen on " + host
                        + ": " + t.getMessage() + ")";
            }
        }
        return rootMessage(e);
    }

    /** The configuration error's own words when there is one (it names the key), else the root cause. */
    private static String rootMessage(Throwable e) {
        Throwable root = e;
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof JwtGateException) {
                return t.getMessage();
            }
            root = t;
        }
        return root.toString();
    }
}
