package org.jwtgate.bench;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jwtgate.testkit.RedisCluster;

/**
 * What binding JwtGate's meters to Micrometer costs a request, over HTTP and in one run: one Jetty
 * serves the same servlet at {@code /open} (no filter), {@code /off} (the filter, {@code metrics.micrometer=off}),
 * {@code /simple} (meters in a {@link SimpleMeterRegistry}) and {@code /prometheus} (meters in a
 * {@link PrometheusMeterRegistry}, scraped once a second as a Prometheus server would — harsher than
 * the usual 15–60 s). HS256, redis-cluster revocation with the near-cache on, the same token every
 * time (the repeated-token path). {@code wrk} loads each endpoint in turn for {@code --rounds}
 * alternating rounds, {@code /open}, {@code /simple}, {@code /off}, {@code /prometheus} then backward
 * ({@link RoundOrder}: {@code /off} beside each registry's path, each first in turn), and the per-round
 * ratios simple/off and prometheus/off are summarised as median [min–max].
 *
 * <p>Allocation: the bytes the Jetty request threads allocated during each run (the JVM's per-thread
 * allocation counters), divided by the requests wrk counted; the filter's own share is the endpoint's
 * figure minus {@code /open}'s in the same round.
 *
 * <pre>java -cp benchmarks/target/jwtgate-benchmarks.jar org.jwtgate.bench.MetricsBenchmark --rounds 7 --duration 5</pre>
 *
 * Exits with 1 when an endpoint answered anything but 2xx, 2 on a bad option.
 */
public final class MetricsBenchmark {

    static final String OFF = "/off";
    static final String SIMPLE = "/simple";
    static final String PROMETHEUS = "/prometheus";
    private static final List<String> PATHS = List.of(BenchServer.OPEN, OFF, SIMPLE, PROMETHEUS);
    /** {@code /off}, the baseline of the ratios, between the two registries' paths. */
    private static final List<String> RUN_ORDER = List.of(BenchServer.OPEN, SIMPLE, OFF, PROMETHEUS);
    private static final String REGISTRY_ATTRIBUTE = "io.micrometer.core.instrument.MeterRegistry";
    private static final String AUTHORIZATION = "Authorization";

    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("threads", "2");
        DEFAULTS.put("connections", "32");
        DEFAULTS.put("rounds", "7");
        DEFAULTS.put("duration", "5");   // seconds per measured run
        DEFAULTS.put("warmup", "5");     // seconds of warm-up per endpoint
        DEFAULTS.put("wrk", "wrk");
    }

    private final Wrk wrk;
    private final int rounds;
    private final Duration duration;
    private final Duration warmup;

    private MetricsBenchmark(Options options) {
        this.wrk = Wrk.of(options);
        this.rounds = options.integer("rounds", 1);
        this.duration = Duration.ofSeconds(options.integer("duration", 1));
        this.warmup = Duration.ofSeconds(options.integer("warmup", 0));
    }

    /** @throws IllegalArgumentException on a bad option */
    static MetricsBenchmark create(String... args) {
        return new MetricsBenchmark(Options.parse(args, DEFAULTS));
    }

    public static void main(String[] args) throws Exception {
        Options.main(args, DEFAULTS, options -> new MetricsBenchmark(options)::run);
    }

    /** @return false when a run answered anything but 2xx */
    boolean run(PrintStream out) throws Exception {
        TokenSigner signer = TokenSigner.create("HS256");
        SimpleMeterRegistry simple = new SimpleMeterRegistry();
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ScheduledExecutorService scraper = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "scraper"));
        AtomicLong scrapes = new AtomicLong();
        try (RedisCluster cluster = RedisCluster.start()) {
            Map<String, Map<String, String>> contexts = new LinkedHashMap<>();
            contexts.put(OFF, settings(signer, cluster, "off"));
            contexts.put(SIMPLE, settings(signer, cluster, "auto"));
            contexts.put(PROMETHEUS, settings(signer, cluster, "auto"));
            Map<String, Map<String, Object>> attributes = Map.of(
                    SIMPLE, Map.of(REGISTRY_ATTRIBUTE, simple), PROMETHEUS, Map.of(REGISTRY_ATTRIBUTE, prometheus));
            try (BenchServer server = BenchServer.start(contexts, attributes, 0)) {
                String bearer = "Bearer " + signer.mint("metrics-benchmark-user");
                sanityCheck(server, bearer, simple, prometheus);
                scraper.scheduleAtFixedRate(() -> {
                    prometheus.scrape();
                    simple.getMeters().forEach(Meter::measure);
                    scrapes.incrementAndGet();
                }, 1, 1, TimeUnit.SECONDS);
                printHeader(out, cluster, meterCount(prometheus));
                for (String path : PATHS) {
                    if (!warmup.isZero()) {
                        wrk.run(server.hello(path), warmup, AUTHORIZATION, bearer);
                    }
                }
                return measure(out, server, bearer, scrapes);
            }
        } finally {
            scraper.shutdownNow();
            prometheus.close();
            simple.close();
        }
    }

    private boolean measure(PrintStream out, BenchServer server, String bearer, AtomicLong scrapes) {
        Map<String, List<Double>> rps = new LinkedHashMap<>();
        Map<String, List<Double>> bytes = new LinkedHashMap<>();
        PATHS.forEach(path -> {
            rps.put(path, new ArrayList<>());
            bytes.put(path, new ArrayList<>());
        });
        List<WrkResult> results = new ArrayList<>();
        out.printf(Locale.ROOT, "%-6s %-12s %12s %10s %10s %14s%n", "round", "endpoint", "requests/s", "p50 ms", "p99 ms",
                "bytes/request");
        for (int round = 1; round <= rounds; round++) {
            for (String path : RoundOrder.of(RUN_ORDER, round)) {
                long allocatedBefore = requestThreadsAllocatedBytes();
                WrkResult result = wrk.run(server.hello(path), duration, AUTHORIZATION, bearer);
                double perRequest = (double) (requestThreadsAllocatedBytes() - allocatedBefore) / Math.max(1, result.requests());
                rps.get(path).add(result.requestsPerSecond());
                bytes.get(path).add(perRequest);
                out.printf(Locale.ROOT, "%-6d %-12s %12.0f %10.3f %10.3f %14.0f%n", round, path + BenchServer.HELLO,
                        result.requestsPerSecond(), result.p50Micros() / 1e3, result.p99Micros() / 1e3, perRequest);
                results.add(result);
                if (!result.clean()) {
                    out.printf(Locale.ROOT, "INVALID %s: %d non-2xx answers, %d socket errors%n", path,
                            result.non2xx(), result.socketErrors());
                }
            }
        }
        out.println();
        WrkResult.invalidSummaryWarning(results).ifPresent(out::println);
        out.printf(Locale.ROOT, "Summary over %d rounds (median [min-max]); %d scrapes of both registries during the runs%n",
                rounds, scrapes.get());
        for (String path : PATHS) {
            out.printf(Locale.ROOT, "%-12s requests/s %s   bytes/request %s   filter's bytes/request (minus /open) %s%n",
                    path, summary(rps.get(path), "%.0f"), summary(bytes.get(path), "%.0f"),
                    path.equals(BenchServer.OPEN) ? "-" : summary(Spread.differences(bytes.get(path), bytes.get(BenchServer.OPEN)), "%.0f"));
        }
        for (String path : List.of(SIMPLE, PROMETHEUS)) {
            out.printf(Locale.ROOT, "ratio %s/off (requests/s, per round): %s%n", path.substring(1),
                    summary(Spread.ratios(rps.get(path), rps.get(OFF)), "%.3f"));
        }
        out.printf(Locale.ROOT, "ratio off/open (requests/s, per round): %s%n",
                summary(Spread.ratios(rps.get(OFF), rps.get(BenchServer.OPEN)), "%.3f"));
        return results.stream().allMatch(WrkResult::clean);
    }

    private static Map<String, String> settings(TokenSigner signer, RedisCluster cluster, String micrometer) {
        Map<String, String> settings = new LinkedHashMap<>(signer.keySettings());
        RevocationVariant.REDIS_CLUSTER.applyTo(settings, cluster);
        settings.put("metrics.micrometer", micrometer);
        return settings;
    }

    /** The token opens every path, the filters protect theirs, and the meters are where they should be. */
    private static void sanityCheck(BenchServer server, String bearer, SimpleMeterRegistry simple,
                                    PrometheusMeterRegistry prometheus) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (String path : PATHS) {
            expect(client, server.hello(path), bearer, 200);
        }
        for (String path : List.of(OFF, SIMPLE, PROMETHEUS)) {
            expect(client, server.hello(path), null, 401);
        }
        requireMeters(simple, "jwtgate-simple");
        requireMeters(prometheus, "jwtgate-prometheus");
        if (!prometheus.scrape().contains("jwtgate_requests_total")) {
            throw new IllegalStateException("the Prometheus scrape has no jwtgate_requests_total");
        }
    }

    private static void requireMeters(MeterRegistry registry, String filter) {
        if (registry.find("jwtgate.requests").tag("filter", filter).meters().isEmpty()) {
            throw new IllegalStateException("no jwtgate.requests meters for filter " + filter + " in " + registry);
        }
        long foreign = registry.getMeters().stream().filter(m -> !filter.equals(m.getId().getTag("filter"))).count();
        if (foreign > 0) {
            throw new IllegalStateException(foreign + " meters of another filter in the registry of " + filter);
        }
    }

    private static void expect(HttpClient client, URI uri, String bearer, int status) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
        if (bearer != null) {
            request.header(AUTHORIZATION, bearer);
        }
        int actual = client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        if (actual != status) {
            throw new IllegalStateException("GET " + uri + " answered " + actual + ", expected " + status);
        }
    }

    private void printHeader(PrintStream out, RedisCluster cluster, long meters) {
        out.println("== Micrometer: /open = no filter, /off = filter with metrics.micrometer=off, /simple and /prometheus"
                + " = filter with its meters in that registry");
        out.printf(Locale.ROOT, "JDK %s (%s), %d CPUs, %s -d%ds, %d alternating rounds, warm-up %ds per endpoint, HS256,"
                        + " redis-cluster revocation (%d nodes, %s) with the near-cache, %d meters per filter%n",
                Runtime.version(), System.getProperty("java.vm.name"), Runtime.getRuntime().availableProcessors(),
                wrk.describe(), duration.toSeconds(), rounds, warmup.toSeconds(), cluster.nodes().size(), cluster.binary(),
                meters);
    }

    private static long meterCount(MeterRegistry registry) {
        return registry.getMeters().size();
    }

    /** Bytes allocated so far by Jetty's request threads (its pool's threads are named qtp…). */
    private static long requestThreadsAllocatedBytes() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("qtp")).mapToLong(Thread::getId).toArray();
        return Arrays.stream(threads.getThreadAllocatedBytes(ids)).filter(b -> b > 0).sum();
    }

    /** Like {@link Spread#of}, in this summary's tighter {@code median [min-max]} form. */
    static String summary(List<Double> values, String format) {
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return String.format(Locale.ROOT, format + " [" + format + "-" + format + "]", Spread.median(values), min, max);
    }
}
