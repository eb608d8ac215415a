package org.jwtgate.bench;

import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.util.EnumSet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.filter.JwtAuthFilter;

/**
 * One Jetty, one connector, three web applications serving the same tiny servlet at
 * {@code /<context>/hello}: {@code /open} without any filter, and one context per filter
 * configuration given (e.g. {@code /nc} and {@code /direct}). Everything but the filter is shared,
 * so the difference between the endpoints is the filter's cost.
 */
final class BenchServer implements AutoCloseable {

    static final String OPEN = "/open";
    static final String HELLO = "/hello";

    private final Server server;
    private final URI base;

    private BenchServer(Server server, URI base) {
        this.server = server;
        this.base = base;
    }

    /**
     * @param protectedContexts context path (e.g. {@code /nc}) to the filter settings of that context;
     *                          environment variables and system properties are ignored
     * @param port              0 for a free port
     */
    static BenchServer start(Map<String, Map<String, String>> protectedContexts, int port) throws Exception {
        return start(protectedContexts, Map.of(), port);
    }

    /**
     * As {@link #start(Map, int)}, with ServletContext attributes per protected context (e.g. a Micrometer
     * registry under {@code io.micrometer.core.instrument.MeterRegistry}).
     */
    static BenchServer start(Map<String, Map<String, String>> protectedContexts,
                             Map<String, Map<String, Object>> attributes, int port) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ContextHandlerCollection contexts = new ContextHandlerCollection();
        contexts.addHandler(context(OPEN));
        protectedContexts.forEach((path, settings) -> {
            ServletContextHandler context = context(path);
            attributes.getOrDefault(path, Map.of()).forEach(context::setAttribute);
            JwtAuthFilter filter = JwtAuthFilter.builder().sources(ConfigSources.none()).settings(settings).build();
            FilterHolder holder = new FilterHolder(filter);
            holder.setName("jwtgate" + path.replace('/', '-'));
            context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
            contexts.addHandler(context);
        });
        server.setHandler(contexts);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        return new BenchServer(server, URI.create("http://127.0.0.1:" + connector.getLocalPort()));
    }

    private static ServletContextHandler context(String path) {
        ServletContextHandler context = new ServletContextHandler(path);
        context.addServlet(new ServletHolder(new HelloServlet()), HELLO);
        return context;
    }

    URI hello(String contextPath) {
        return base.resolve(contextPath + HELLO);
    }

    /** Stops Jetty, which destroys the filters, which close their Redis clients. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping Jetty", e);
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not stop cleanly", e);
        }
    }
}
