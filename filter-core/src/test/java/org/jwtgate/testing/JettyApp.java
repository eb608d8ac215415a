package org.jwtgate.testing;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
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
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.filter.JwtAuthFilter;

/**
 * A real Jetty 12 (ee10) on a free loopback port with {@link JwtAuthFilter} configured through
 * init-params (the documented names) in front of an echo servlet that reports what the
 * application sees: {@code user=<getUserPrincipal name> admin=<isUserInRole("admin")> auth=<getAuthType>}.
 */
public final class JettyApp implements AutoCloseable {

    private final Server server;
    private final JwtAuthFilter filter;
    private final String filterName;
    private final URI base;
    private final HttpClient client = newClient();

    private JettyApp(Server server, JwtAuthFilter filter, String filterName, URI base) {
        this.server = server;
        this.filter = filter;
        this.filterName = filterName;
        this.base = base;
    }

    /** Starts Jetty with the filter configured by these init-params. */
    public static JettyApp start(Map<String, String> initParams) throws Exception {
        return start(new JwtAuthFilter(), initParams);
    }

    /** Starts Jetty with a given filter instance (e.g. from the builder) and init-params. */
    public static JettyApp start(JwtAuthFilter filter, Map<String, String> initParams) throws Exception {
        return start(filter, initParams, new HttpConfiguration().getRequestHeaderSize());
    }

    /**
     * Like {@link #start(JwtAuthFilter, Map)} with Jetty's request-header limit (default 8 KiB)
     * raised, so oversized tokens reach the filter instead of being answered 431 by Jetty.
     */
    public static JettyApp start(JwtAuthFilter filter, Map<String, String> initParams, int requestHeaderSize)
            throws Exception {
        return start(filter, "jwtgate", initParams, requestHeaderSize);
    }

    /** With the filter named {@code filterName} (the name its MBeans and meters carry). */
    public static JettyApp startNamed(String filterName, Map<String, String> initParams) throws Exception {
        return start(new JwtAuthFilter(), filterName, initParams, new HttpConfiguration().getRequestHeaderSize());
    }

    /**
     * As a Jetty behind a proxy is set up: its {@code ForwardedRequestCustomizer} takes the request's scheme, host
     * and port from the proxy's {@code Forwarded} / {@code X-Forwarded-*} headers.
     */
    public static JettyApp startBehindProxy(JwtAuthFilter filter, Map<String, String> initParams) throws Exception {
        HttpConfiguration httpConfiguration = new HttpConfiguration();
        httpConfiguration.addCustomizer(new ForwardedRequestCustomizer());
        return start(null, filter, "jwtgate", Map.of(), initParams, httpConfiguration, "/*");
    }

    /** With another filter of the application before JwtGate's (one that wraps the request, say). */
    public static JettyApp startAfter(Filter before, JwtAuthFilter filter, Map<String, String> initParams) throws Exception {
        return start(before, filter, "jwtgate", Map.of(), initParams, new HttpConfiguration(), "/*");
    }

    /** In an application whose web.xml has these {@code <context-param>}s, with the filter named {@code filterName}. */
    public static JettyApp startWithContextParams(Map<String, String> contextParams, String filterName,
                                                  Map<String, String> initParams) throws Exception {
        return start(null, new JwtAuthFilter(), filterName, contextParams, initParams, new HttpConfiguration(), "/*");
    }

    /** With the filter named {@code filterName} mapped to {@code urlPattern} only, the echo servlet still on every path. */
    public static JettyApp startMapped(String urlPattern, String filterName, Map<String, String> initParams)
            throws Exception {
        return start(null, new JwtAuthFilter(), filterName, Map.of(), initParams, new HttpConfiguration(), urlPattern);
    }

    private static JettyApp start(JwtAuthFilter filter, String filterName, Map<String, String> initParams,
                                  int requestHeaderSize) throws Exception {
        HttpConfiguration httpConfiguration = new HttpConfiguration();
        httpConfiguration.setRequestHeaderSize(requestHeaderSize);
        return start(null, filter, filterName, Map.of(), initParams, httpConfiguration, "/*");
    }

    private static JettyApp start(Filter before, JwtAuthFilter filter, String filterName, Map<String, String> contextParams,
                                  Map<String, String> initParams, HttpConfiguration httpConfiguration, String mapping)
            throws Exception {
        return serve(httpConfiguration, filter, filterName, context -> {
            contextParams.forEach(context::setInitParameter);
            if (before != null) {
                context.addFilter(new FilterHolder(before), "/*", EnumSet.of(DispatcherType.REQUEST));
            }
            FilterHolder holder = new FilterHolder(filter);
            holder.setName(filterName);
            holder.setInitParameters(initParams);
            context.addFilter(holder, mapping, EnumSet.of(DispatcherType.REQUEST));
            context.addServlet(new ServletHolder(new EchoServlet()), "/*");
        });
    }

    /**
     * An application of the test's own at "/": {@code setup} adds its filters, JwtGate's among them
     * ({@link #jwtGate(Map)}), and its servlets. {@link #filter()} and {@link #filterName()} are then null.
     */
    public static JettyApp startContext(Consumer<ServletContextHandler> setup) throws Exception {
        return serve(new HttpConfiguration(), null, null, setup);
    }

    /** JwtGate's filter named {@code jwtgate}, configured by these init-params alone (no environment, no properties). */
    public static FilterHolder jwtGate(Map<String, String> initParams) {
        FilterHolder holder = new FilterHolder(JwtAuthFilter.builder().sources(ConfigSources.none()).build());
        holder.setName("jwtgate");
        holder.setInitParameters(initParams);
        return holder;
    }

    private static JettyApp serve(HttpConfiguration httpConfiguration, JwtAuthFilter filter, String filterName,
                                  Consumer<ServletContextHandler> setup) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(httpConfiguration));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        setup.accept(context);
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        return new JettyApp(server, filter, filterName, URI.create("http://127.0.0.1:" + connector.getLocalPort()));
    }

    /** The loopback port, for raw-socket requests ({@link org.jwtgate.testkit.http.RawHttp}). */
    public int port() {
        return base.getPort();
    }

    public URI uri(String path) {
        return base.resolve(path);
    }

    public JwtAuthFilter filter() {
        return filter;
    }

    /** The filter's name in the context: the {@code filter} key of its MBeans and tag of its meters. */
    public String filterName() {
        return filterName;
    }

    public HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> getWithToken(String path, String token) throws IOException, InterruptedException {
        return get(path, "Authorization", "Bearer " + token);
    }

    /**
     * Sends {@code request}; one with a body goes on a connection of its own. The filter may refuse such a
     * request before its body has been read, and the server may then close that connection once it has
     * answered; pooled, it could be handed to the next request just as it closes (a POST failed once in a
     * full build with "header parser received no bytes").
     */
    public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        boolean body = request.bodyPublisher().map(publisher -> publisher.contentLength() != 0).orElse(false);
        return (body ? newClient() : client).send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpClient newClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** Reports what the application sees of the authenticated user. */
    static final class EchoServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            String user = request.getUserPrincipal() == null ? "anonymous" : request.getUserPrincipal().getName();
            response.getWriter().print("user=" + user + " admin=" + request.isUserInRole("admin")
                    + " auth=" + request.getAuthType() + " remote=" + request.getRemoteUser()
                    + " claims=" + (request.getAttribute(JwtAuthFilter.CLAIMS_ATTRIBUTE) != null));
        }
    }
}
