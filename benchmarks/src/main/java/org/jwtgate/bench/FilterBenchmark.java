package org.jwtgate.bench;

import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.filter.JwtAuthFilter;
import org.jwtgate.testkit.RedisCluster;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The whole filter in process: {@code JwtAuthFilter.doFilter} on an authenticated request (HS256 token in the
 * {@code Authorization} header, a verified-token cache hit, the revocation check, request attributes, the
 * principal bound to the thread, the request wrapper) and on a request to a {@code paths.exclude} path with the
 * same header; the chain behind it does nothing. The difference of the two is what the filter adds to a
 * request besides the container's work — what {@link VerificationBenchmark} measures plus finding the token,
 * the path rules and handing the principal to the application. The request is a minimal one (headers and
 * attributes in hash maps, no cookie, as a container recycles it between requests), so the container's own
 * costs (such as decoding the header into a String) are not in it: {@link TomcatWarBenchmark} has those.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Fork(1)
public class FilterBenchmark {

    static final String PUBLIC_PATH = "/public/hello";
    static final String PROTECTED_PATH = "/api/hello";

    /** {@link RevocationVariant} names. */
    @Param({"redis-cluster", "memory"})
    public String revocation;

    private RedisCluster cluster;
    private JwtAuthFilter filter;
    private BenchRequest protectedRequest;
    private BenchRequest publicRequest;
    private HttpServletResponse response;

    @Setup(Level.Trial)
    public void setUp() throws ServletException, IOException {
        TokenSigner signer = TokenSigner.create("HS256");
        RevocationVariant variant = RevocationVariant.byName(revocation);
        try {
            cluster = variant.needsCluster() ? RedisCluster.start() : null;
            Map<String, String> settings = new LinkedHashMap<>(signer.keySettings());
            variant.applyTo(settings, cluster);
            settings.put(ConfigKeys.PATHS_EXCLUDE, "/public/*");
            filter = JwtAuthFilter.builder().sources(ConfigSources.none()).settings(settings).build();
            filter.init(new BenchFilterConfig());
            String bearer = "Bearer " + signer.mint("filter-benchmark-user");
            protectedRequest = new BenchRequest(PROTECTED_PATH, bearer);
            publicRequest = new BenchRequest(PUBLIC_PATH, bearer);
            response = new HttpServletResponseWrapper(unsupported(HttpServletResponse.class));
            // Fail here, not in the measurement loop, when the filter refuses its own token or guards the public path.
            if (run(protectedRequest, null) == null) {
                throw new IllegalStateException("the filter did not authenticate the benchmark's token");
            }
            if (run(publicRequest, null) != null) {
                throw new IllegalStateException("the filter authenticated a request to an excluded path");
            }
        } catch (RuntimeException | ServletException | IOException e) {
            tearDown();
            throw e;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (filter != null) {
            // How the revocation checks were answered: from the near-cache, or from Redis while it was not fresh.
            filter.revocationService().nearCacheStats().ifPresent(stats -> System.out.println("near-cache: " + stats));
            filter.destroy();
            filter = null;
        }
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    /** An authenticated request through the filter; returns the principal the application saw. */
    @Benchmark
    public Object authenticated(Blackhole blackhole) throws IOException, ServletException {
        return run(protectedRequest, blackhole);
    }

    /** The same request to an excluded path: the filter only matches the path. */
    @Benchmark
    public Object excluded(Blackhole blackhole) throws IOException, ServletException {
        return run(publicRequest, blackhole);
    }

    private Object run(BenchRequest request, Blackhole blackhole) throws IOException, ServletException {
        request.recycle();
        Chain chain = new Chain(blackhole);
        filter.doFilter(request, response, chain);
        return chain.seen;
    }

    private static final class Chain implements FilterChain {
        private final Blackhole blackhole;
        Object seen;

        Chain(Blackhole blackhole) {
            this.blackhole = blackhole;
        }

        @Override
        public void doFilter(ServletRequest request, ServletResponse response) {
            HttpServletRequest http = (HttpServletRequest) request;
            seen = http.getUserPrincipal();
            if (blackhole != null) {
                blackhole.consume(request);
            }
        }
    }

    /**
     * A request as a container hands it to a filter: a header map, the servlet path, attributes; nothing else
     * is used by the filter on these paths (any other call fails loudly).
     */
    static final class BenchRequest extends HttpServletRequestWrapper {
        private final String servletPath;
        private final Map<String, String> headers = new HashMap<>();
        private final Map<String, Object> attributes = new HashMap<>();

        BenchRequest(String servletPath, String authorization) {
            super(unsupported(HttpServletRequest.class));
            this.servletPath = servletPath;
            headers.put("authorization", authorization);
        }

        void recycle() {
            attributes.clear();
        }

        @Override
        public String getHeader(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            String value = getHeader(name);
            return value == null ? Collections.emptyEnumeration() : Collections.enumeration(java.util.List.of(value));
        }

        @Override
        public Cookie[] getCookies() {
            return null;
        }

        @Override
        public String getServletPath() {
            return servletPath;
        }

        @Override
        public String getPathInfo() {
            return null;
        }

        @Override
        public String getMethod() {
            return "GET";
        }

        @Override
        public Object getAttribute(String name) {
            return attributes.get(name);
        }

        @Override
        public void setAttribute(String name, Object value) {
            attributes.put(name, value);
        }

        @Override
        public void removeAttribute(String name) {
            attributes.remove(name);
        }

        @Override
        public java.security.Principal getUserPrincipal() {
            return null; // no container authentication: the filter's wrapper answers for an authenticated request
        }

        @Override
        public boolean isAsyncSupported() {
            return false;
        }

        @Override
        public boolean isAsyncStarted() {
            return false; // the filter asks once its chain returned, to count the request when it ends
        }

        @Override
        public jakarta.servlet.http.HttpServletMapping getHttpServletMapping() {
            return DEFAULT_SERVLET; // asked for the excluded path only: a file the container's default servlet serves
        }

        @Override
        public jakarta.servlet.DispatcherType getDispatcherType() {
            return jakarta.servlet.DispatcherType.REQUEST; // a request's first pass, which the filter decides
        }
    }

    private static final jakarta.servlet.http.HttpServletMapping DEFAULT_SERVLET = new jakarta.servlet.http.HttpServletMapping() {
        @Override
        public String getMatchValue() {
            return "";
        }

        @Override
        public String getPattern() {
            return "/";
        }

        @Override
        public String getServletName() {
            return "default";
        }

        @Override
        public jakarta.servlet.http.MappingMatch getMappingMatch() {
            return jakarta.servlet.http.MappingMatch.DEFAULT;
        }
    };

    @SuppressWarnings("unchecked")
    static <T> T unsupported(Class<T> type) {
        return (T) Proxy.newProxyInstance(FilterBenchmark.class.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            throw new UnsupportedOperationException(type.getSimpleName() + "." + method.getName() + " is not part of the benchmark");
        });
    }

    private static final class BenchFilterConfig implements FilterConfig {
        @Override
        public String getFilterName() {
            return "jwtgate-benchmark";
        }

        @Override
        public ServletContext getServletContext() {
            return null;
        }

        @Override
        public String getInitParameter(String name) {
            return null;
        }

        @Override
        public Enumeration<String> getInitParameterNames() {
            return Collections.emptyEnumeration();
        }
    }
}
