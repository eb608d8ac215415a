package org.jwtgate.bench;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jwtgate.testkit.RedisCluster;

/**
 * The HTTP comparison: one JVM, one Jetty, the same servlet at three paths — {@code /open/hello}
 * (no filter), {@code /nc/hello} (filter, HS256, redis-cluster revocation, near-cache on) and
 * {@code /direct/hello} (the same with the near-cache off) — loaded in turn by {@code wrk} with fixed
 * threads, connections and duration, after a warm-up run of each. Prints requests/s, latency
 * percentiles, the ratios to the open endpoint, and the Redis commands (round trips) per request
 * counted with {@code INFO commandstats} on every node of the cluster.
 *
 * <pre>java -cp benchmarks/target/jwtgate-benchmarks.jar org.jwtgate.bench.HttpBenchmark --duration 10</pre>
 *
 * Exits with 1 when a protected endpoint answered anything but 2xx (its numbers would be those of
 * refusals), 2 on a bad option.
 */
public final class HttpBenchmark {

    static final String NEAR_CACHE = "/nc";
    static final String DIRECT = "/direct";
    private static final String AUTHORIZATION = "Authorization";

    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("threads", "2");
        DEFAULTS.put("connections", "32");
        DEFAULTS.put("duration", "10");   // seconds per measured run
        DEFAULTS.put("warmup", "5");      // seconds of warm-up per endpoint, before any measured run
        DEFAULTS.put("rounds", "1");      // more: alternating rounds, per-round ratios to /open, median and range
        DEFAULTS.put("store", "redis-cluster"); // or memory: the same three paths without Redis
        DEFAULTS.put("wrk", "wrk");
        DEFAULTS.put("port", "0");
    }

    private final Wrk wrk;
    private final Duration duration;
    private final Duration warmup;
    private final boolean redis;
    private final int port;
    private final int rounds;

    private HttpBenchmark(Options options) {
        this.wrk = Wrk.of(options);
        this.duration = Duration.ofSeconds(options.integer("duration", 1));
        this.warmup = Duration.ofSeconds(options.integer("warmup", 0));
        this.port = options.integer("port", 0);
        this.rounds = options.integer("rounds", 1);
        String store = options.text("store");
        if (!store.equals("redis-cluster") && !store.equals("memory")) {
            throw new IllegalArgumentException("Option [--store] must be redis-cluster or memory: [" + store + "]");
        }
        this.redis = store.equals("redis-cluster");
    }

    public static void main(String[] args) throws Exception {
        Options.main(args, DEFAULTS, options -> new HttpBenchmark(options)::run);
    }

    /** @return false when a run is invalid (non-2xx answers or socket errors) */
    boolean run(PrintStream out) throws Exception {
        TokenSigner signer = TokenSigner.create("HS256");
        RedisCluster cluster = redis ? RedisCluster.start() : null;
        try {
            Map<String, Map<String, String>> contexts = new LinkedHashMap<>();
            contexts.put(NEAR_CACHE, settings(signer, redis ? RevocationVariant.REDIS_CLUSTER : RevocationVariant.MEMORY, cluster));
            contexts.put(DIRECT, settings(signer, redis ? RevocationVariant.REDIS_CLUSTER_DIRECT : RevocationVariant.MEMORY, cluster));
            try (BenchServer server = BenchServer.start(contexts, port)) {
                String bearer = "Bearer " + signer.mint("http-benchmark-user");
                List<String> paths = List.of(BenchServer.OPEN, NEAR_CACHE, DIRECT);
                sanityCheck(server, bearer);
                printHeader(out, cluster);
                if (!warmup.isZero()) {
                    for (String path : paths) {
                        WrkResult w = wrk.run(server.hello(path), warmup, AUTHORIZATION, bearer);
                        out.printf(Locale.ROOT, "warm-up %-15s %10.0f req/s%n", path + BenchServer.HELLO, w.requestsPerSecond());
                    }
                }
                RedisCommandCounter counter = cluster == null ? null : new RedisCommandCounter(cluster);
                if (rounds > 1) {
                    return runRounds(out, server, paths, bearer, counter);
                }
                List<Row> rows = new ArrayList<>();
                for (String path : paths) {
                    Map<String, Long> before = counter == null ? null : counter.snapshot();
                    WrkResult result = wrk.run(server.hello(path), duration, AUTHORIZATION, bearer);
                    Map<String, Long> commands = counter == null ? null : RedisCommandCounter.difference(before, counter.snapshot());
                    rows.add(new Row(path + BenchServer.HELLO, result, commands));
                }
                return printTable(out, rows);
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    /**
     * The order of round {@code round} (from 1): the baseline (the first path) and the measured path (the second) back
     * to back, which first alternating from round to round, then the others. The rotation before put another path
     * between the pair in two rounds of three, and the measured path after the baseline in most.
     */
    static List<String> roundOrder(List<String> paths, int round) {
        List<String> order = new ArrayList<>(paths.size());
        boolean baselineFirst = round % 2 == 1;
        order.add(paths.get(baselineFirst ? 0 : 1));
        order.add(paths.get(baselineFirst ? 1 : 0));
        order.addAll(paths.subList(2, paths.size()));
        return order;
    }

    /**
     * Every path once per round ({@link #roundOrder}); the ratio of each protected path to {@code /open} is taken
     * within a round (same minute, same machine load). Also the CPU time this JVM (Jetty, the filters, their Redis
     * clients; not wrk, not Redis) used per request.
     */
    private boolean runRounds(PrintStream out, BenchServer server, List<String> paths, String bearer,
                              RedisCommandCounter counter) {
        out.printf(Locale.ROOT, "%-6s %-15s %11s %9s %9s %10s %14s %14s%n", "round", "endpoint", "requests/s", "p50 ms",
                "p99 ms", "requests", "redis cmd/req", "JVM CPU us/req");
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        Map<String, List<Double>> cpuPerRequest = new LinkedHashMap<>();
        List<WrkResult> results = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (String path : roundOrder(paths, round)) {
                Map<String, Long> before = counter == null ? null : counter.snapshot();
                long cpuBefore = ProcessCpu.nanos();
                WrkResult r = wrk.run(server.hello(path), duration, AUTHORIZATION, bearer);
                long cpuAfter = ProcessCpu.nanos();
                Map<String, Long> commands = counter == null ? null : RedisCommandCounter.difference(before, counter.snapshot());
                double cpuMicros = cpuBefore < 0 ? -1 : (cpuAfter - cpuBefore) / 1e3 / Math.max(1, r.requests());
                rates.computeIfAbsent(path, p -> new ArrayList<>()).add(r.requestsPerSecond());
                cpuPerRequest.computeIfAbsent(path, p -> new ArrayList<>()).add(cpuMicros);
                out.printf(Locale.ROOT, "%-6d %-15s %11.0f %9.3f %9.3f %10d %14s %14.1f%s%n", round, path + BenchServer.HELLO,
                        r.requestsPerSecond(), r.p50Micros() / 1e3, r.p99Micros() / 1e3, r.requests(),
                        commands == null ? "-" : String.format(Locale.ROOT, "%.4f",
                                (double) RedisCommandCounter.total(commands) / Math.max(1, r.requests())), cpuMicros,
                        r.clean() ? "" : "  INVALID: " + r.non2xx() + " non-2xx, " + r.socketErrors() + " socket errors");
                results.add(r);
            }
        }
        WrkResult.invalidSummaryWarning(results).ifPresent(out::println);
        out.println("-- per endpoint over the rounds: median [min - max]");
        for (String path : paths) {
            out.printf(Locale.ROOT, "%-15s requests/s %s; JVM CPU us/request %s%n", path + BenchServer.HELLO,
                    Spread.of(rates.get(path), "%.0f"), Spread.of(cpuPerRequest.get(path), "%.1f"));
        }
        out.println("-- requests/s relative to /open, per round (both runs of a ratio in the same round): median [min - max]");
        List<Double> open = rates.get(BenchServer.OPEN);
        for (String path : paths) {
            if (path.equals(BenchServer.OPEN)) {
                continue;
            }
            List<Double> ratios = Spread.ratios(rates.get(path), open);
            out.printf(Locale.ROOT, "%-15s %s  (rounds: %s)%n", path + BenchServer.HELLO, Spread.of(ratios, "%.3f"),
                    Spread.each(ratios, "%.3f"));
        }
        return results.stream().allMatch(WrkResult::clean);
    }

    private static Map<String, String> settings(TokenSigner signer, RevocationVariant variant, RedisCluster cluster) {
        Map<String, String> settings = new LinkedHashMap<>(signer.keySettings());
        variant.applyTo(settings, cluster);
        return settings;
    }

    /** Before measuring: the token opens every path, and the protected paths really are protected. */
    private static void sanityCheck(BenchServer server, String bearer) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (String path : List.of(BenchServer.OPEN, NEAR_CACHE, DIRECT)) {
            expect(client, server.hello(path), bearer, 200);
        }
        for (String path : List.of(NEAR_CACHE, DIRECT)) {
            expect(client, server.hello(path), null, 401);
        }
    }

    private static void expect(HttpClient client, URI uri, String bearer, int status) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
        if (bearer != null) {
            request.header(AUTHORIZATION, bearer);
        }
        int actual = client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        if (actual != status) {
            throw new IllegalStateException("GET " + uri + (bearer == null ? " without" : " with") + " a token answered "
                    + actual + ", expected " + status);
        }
    }

    private void printHeader(PrintStream out, RedisCluster cluster) {
        out.println("== HTTP: one Jetty, same servlet; /open = no filter, /nc = filter + near-cache, /direct = filter, near-cache off");
        out.println("uptime at start: " + Uptime.now());
        out.printf(Locale.ROOT, "JDK %s (%s), %d CPUs, %s -d%ds --latency, warm-up %ds per endpoint, %s, HS256, revocation %s%n",
                Runtime.version(), System.getProperty("java.vm.name"), Runtime.getRuntime().availableProcessors(),
                wrk.describe(), duration.toSeconds(), warmup.toSeconds(),
                rounds == 1 ? "one run per endpoint" : rounds + " alternating rounds",
                cluster == null ? "memory" : "redis-cluster (" + cluster.nodes().size() + " nodes, " + cluster.binary() + ")");
    }

    /** @return whether every run was clean */
    private static boolean printTable(PrintStream out, List<Row> rows) {
        WrkResult.invalidSummaryWarning(rows.stream().map(Row::result).toList()).ifPresent(out::println);
        Row open = rows.get(0);
        out.printf(Locale.ROOT, "%-15s %12s %10s %10s %10s %9s %9s %9s %14s%n",
                "endpoint", "requests/s", "p50 ms", "p90 ms", "p99 ms", "rps/open", "p50/open", "p99/open", "redis cmd/req");
        boolean clean = true;
        for (Row row : rows) {
            WrkResult r = row.result();
            out.printf(Locale.ROOT, "%-15s %12.0f %10.3f %10.3f %10.3f %9.3f %9.2f %9.2f %14s%n",
                    row.endpoint(), r.requestsPerSecond(), r.p50Micros() / 1e3, r.p90Micros() / 1e3, r.p99Micros() / 1e3,
                    r.requestsPerSecond() / open.result().requestsPerSecond(),
                    r.p50Micros() / open.result().p50Micros(), r.p99Micros() / open.result().p99Micros(),
                    row.commands() == null ? "-" : String.format(Locale.ROOT, "%.4f",
                            (double) RedisCommandCounter.total(row.commands()) / Math.max(1, r.requests())));
        }
        for (Row row : rows) {
            WrkResult r = row.result();
            out.printf(Locale.ROOT, "%-15s %d requests in %.2f s; Redis commands during the run: %s%n", row.endpoint(),
                    r.requests(), r.seconds(), row.commands() == null ? "-" : RedisCommandCounter.describe(row.commands()));
            if (!r.clean()) {
                clean = false;
                out.printf(Locale.ROOT, "INVALID %s: %d non-2xx answers, %d socket errors%n", row.endpoint(), r.non2xx(), r.socketErrors());
            }
        }
        return clean;
    }

    private record Row(String endpoint, WrkResult result, Map<String, Long> commands) {
    }
}
