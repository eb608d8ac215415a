package org.jwtgate.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.jose4j.jwt.JwtClaims;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.tokens.DpopKey;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * DPoP over HTTP against the same request as a bearer token, in one run, in alternating rounds: one
 * JVM, one Jetty, one protected path ({@code /api/hello}: HS256 access tokens, {@code redis-cluster}
 * revocation with the near-cache on, {@code dpop.mode=allowed}), loaded by {@code wrk} in turn with
 * <ul>
 *   <li>{@code bearer}: {@code Authorization: Bearer <token>};</li>
 *   <li>{@code dpop-ES256}, {@code dpop-EdDSA}: {@code Authorization: DPoP <bound token>} and a
 *       {@code DPoP} proof signed by a P-256 or Ed25519 key — a different proof for every request.</li>
 * </ul>
 * Proofs are one-time, so each run's proofs are signed before it starts (not timed) and fed to
 * {@code wrk} by a Lua script (the bearer runs go through the same script, so the client side costs the
 * same); {@code dpop.proof-max-age-seconds=600} keeps them valid until used. The variants run
 * {@code dpop-ES256}, {@code bearer}, {@code dpop-EdDSA} (the bearer run second, beside each ratio's
 * other run), then backward, round by round ({@link RoundOrder}). Prints each run (requests/s, p50/p99
 * latency, Redis round trips per request), then per variant the median and range over the rounds, and
 * the per-round ratio DPoP / bearer with its median and range.
 *
 * <p>Round trips are counted on the masters with {@code INFO commandstats}: the commands a request can
 * send ({@code EVAL} — the proof record —, {@code MGET}/{@code GET} — a revocation check the near-cache
 * could not answer). The near-cache's heartbeat is an {@code EXISTS}, not among them. Every command a
 * script runs ({@code SET} inside the proof record) and every replica's copy of a write is left out: none
 * is a round trip.
 *
 * <pre>java -cp benchmarks/target/jwtgate-benchmarks.jar org.jwtgate.bench.DpopHttpBenchmark --rounds 5 --duration 10</pre>
 *
 * Exits with 1 when a run had any non-2xx answer or socket error, 2 on a bad option.
 */
public final class DpopHttpBenchmark {

    static final String CONTEXT = "/api";
    static final String BEARER = "bearer";

    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("threads", "2");
        DEFAULTS.put("connections", "32");
        DEFAULTS.put("duration", "10");   // seconds per measured run
        DEFAULTS.put("warmup", "5");      // seconds of warm-up per variant, before the rounds
        DEFAULTS.put("rounds", "5");
        DEFAULTS.put("proofs", "ES256,EdDSA");
        DEFAULTS.put("wrk", "wrk");
        DEFAULTS.put("port", "0");
    }

    /** Feeds wrk one pre-built request per line of the file: thread i takes the lines i, i+t, i+2t… */
    static final String SCRIPT = """
            local counter = 0
            function setup(thread)
              thread:set("id", counter)
              counter = counter + 1
            end
            function init(args)
              local threads = tonumber(args[2])
              requests = {}
              local n, line_no = 0, 0
              for line in io.lines(args[1]) do
                if line_no % threads == id then
                  local auth, proof = line:match("^([^\\t]*)\\t(.*)$")
                  local headers = { ["Authorization"] = auth }
                  if proof ~= "" then headers["DPoP"] = proof end
                  n = n + 1
                  requests[n] = wrk.format("GET", nil, headers)
                end
                line_no = line_no + 1
              end
              count, index = n, 0
            end
            function request()
              index = index % count + 1
              return requests[index]
            end
            """;

    private final Wrk wrk;
    private final Duration duration;
    private final Duration warmup;
    private final int rounds;
    private final List<String> proofAlgorithms;
    private final int port;

    private DpopHttpBenchmark(Options options) {
        this.wrk = Wrk.of(options);
        this.duration = Duration.ofSeconds(options.integer("duration", 1));
        this.warmup = Duration.ofSeconds(options.integer("warmup", 1));
        this.rounds = options.integer("rounds", 1);
        this.port = options.integer("port", 0);
        this.proofAlgorithms = Arrays.stream(options.text("proofs").split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String algorithm : proofAlgorithms) {
            if (!List.of("ES256", "EdDSA", "RS256", "PS256").contains(algorithm)) {
                throw new IllegalArgumentException("Option [--proofs] takes ES256, EdDSA, RS256, PS256: [" + algorithm + "]");
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Options.main(args, DEFAULTS, options -> new DpopHttpBenchmark(options)::run);
    }

    /** One variant: how its requests are made. */
    private record Variant(String name, DpopKey key, String token) {
        boolean dpop() {
            return key != null;
        }
    }

    private record Run(int round, String variant, WrkResult result, Map<String, Long> commands) {
        /** Request-path round trips per request: proof records ({@code EVAL}) and revocation reads. */
        double roundTripsPerRequest() {
            long trips = commands.getOrDefault("eval", 0L) + commands.getOrDefault("mget", 0L)
                    + commands.getOrDefault("get", 0L);
            return (double) trips / Math.max(1, result.requests());
        }
    }

    boolean run(PrintStream out) throws Exception {
        String loadAtStart = Uptime.now();
        TokenSigner signer = TokenSigner.create("HS256");
        try (WorkFolder folder = WorkFolder.create("jwtgate-dpop-bench"); RedisCluster cluster = RedisCluster.start()) {
            Path work = folder.path();
            Path script = Files.writeString(work.resolve("dpop.lua"), SCRIPT);
            Map<String, String> settings = new LinkedHashMap<>(signer.keySettings());
            RevocationVariant.REDIS_CLUSTER.applyTo(settings, cluster);
            settings.put(ConfigKeys.DPOP_MODE, "allowed");
            settings.put(ConfigKeys.DPOP_PROOF_MAX_AGE_SECONDS, "600");
            try (BenchServer server = BenchServer.start(Map.of(CONTEXT, settings), port)) {
                URI url = server.hello(CONTEXT);
                List<Variant> variants = new ArrayList<>();
                for (String algorithm : proofAlgorithms) {
                    DpopKey key = DpopKey.of(algorithm);
                    JwtClaims claims = DpopKey.bind(TestTokens.claims("dpop-user-" + algorithm, "user"), key);
                    claims.setExpirationTimeMinutesInTheFuture(TokenSigner.TOKEN_LIFETIME_MINUTES);
                    variants.add(new Variant("dpop-" + algorithm, key, TestTokens.hs256(claims)));
                }
                // The bearer run, every ratio's baseline, second: beside each DPoP variant's run in every round.
                variants.add(Math.min(1, variants.size()), new Variant(BEARER, null, signer.mint("bearer-user")));
                sanityCheck(url, variants);
                printHeader(out, cluster, loadAtStart);

                Map<String, Double> rate = new LinkedHashMap<>();
                for (Variant variant : variants) {
                    Path file = requests(work, url, variant, 4_000 * (int) warmup.toSeconds());
                    WrkResult w = wrk.runScript(url, warmup, script, file.toString(), Integer.toString(wrk.threads()));
                    rate.put(variant.name(), w.requestsPerSecond());
                    out.printf(Locale.ROOT, "warm-up %-12s %9.0f req/s%s%n", variant.name(), w.requestsPerSecond(),
                            w.clean() ? "" : " (" + w.non2xx() + " non-2xx answers, " + w.socketErrors()
                                    + " socket errors: warm-up only, not measured)");
                    Files.delete(file);
                }

                RedisCommandCounter counter = new RedisCommandCounter(cluster);
                List<Run> runs = new ArrayList<>();
                out.printf(Locale.ROOT, "%-6s %-12s %11s %9s %9s %10s  %s%n", "round", "variant", "requests/s", "p50 ms",
                        "p99 ms", "requests", "Redis commands on the masters during the run");
                for (int round = 1; round <= rounds; round++) {
                    for (Variant variant : RoundOrder.of(variants, round)) {
                        // Three times the best rate seen so far: a pool that runs out would replay proofs (401s).
                        int needed = (int) Math.max(6_000, Math.ceil(rate.get(variant.name()) * duration.toSeconds() * 3));
                        Path file = requests(work, url, variant, needed);
                        Map<String, Long> before = counter.snapshotMasters();
                        WrkResult result = wrk.runScript(url, duration, script, file.toString(), Integer.toString(wrk.threads()));
                        Run run = new Run(round, variant.name(), result,
                                RedisCommandCounter.difference(before, counter.snapshotMasters()));
                        runs.add(run);
                        rate.put(variant.name(), Math.max(rate.get(variant.name()), result.requestsPerSecond()));
                        Files.delete(file);
                        out.printf(Locale.ROOT, "%-6d %-12s %11.0f %9.3f %9.3f %10d  %s%s%n", round, variant.name(),
                                result.requestsPerSecond(), result.p50Micros() / 1e3, result.p99Micros() / 1e3,
                                result.requests(), RedisCommandCounter.describe(run.commands()),
                                result.clean() ? "" : "  INVALID: " + result.non2xx() + " non-2xx, " + result.socketErrors() + " socket errors");
                    }
                }
                WrkResult.invalidSummaryWarning(runs.stream().map(Run::result).toList()).ifPresent(out::println);
                printSummary(out, variants, runs);
                return runs.stream().allMatch(r -> r.result().clean());
            }
        }
    }

    /** A file of {@code count} request lines: the same bearer header, or a fresh proof per line. */
    private static Path requests(Path work, URI url, Variant variant, int count) throws IOException {
        Path file = work.resolve(variant.name() + ".requests");
        String[] lines = new String[count];
        String scheme = variant.dpop() ? "DPoP " : "Bearer ";
        // Signing is not measured, but takes seconds for tens of thousands of ES256 proofs: use every core.
        IntStream.range(0, count).parallel().forEach(i -> lines[i] = scheme + variant.token() + "\t"
                + (variant.dpop() ? variant.key().proof("GET", url.toString()).accessToken(variant.token()).sign() : ""));
        try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            for (String line : lines) {
                writer.write(line);
                writer.write('\n');
            }
        }
        return file;
    }

    /** Before measuring: each variant is accepted, a replayed proof and a missing token are not. */
    private static void sanityCheck(URI url, List<Variant> variants) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (Variant variant : variants) {
            String proof = variant.dpop() ? variant.key().proof("GET", url.toString()).accessToken(variant.token()).sign() : null;
            expect(client, url, variant, proof, 200);
            if (proof != null) {
                expect(client, url, variant, proof, 401);
                expect(client, url, new Variant(BEARER, null, variant.token()), null, 401);
            }
        }
        expect(client, url, null, null, 401);
    }

    private static void expect(HttpClient client, URI url, Variant variant, String proof, int status) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).GET();
        if (variant != null) {
            request.header("Authorization", (proof != null ? "DPoP " : "Bearer ") + variant.token());
        }
        if (proof != null) {
            request.header("DPoP", proof);
        }
        int actual = client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        if (actual != status) {
            throw new IllegalStateException("GET " + url + " as " + (variant == null ? "anonymous" : variant.name())
                    + (proof != null ? " with a proof" : "") + " answered " + actual + ", expected " + status);
        }
    }

    private void printHeader(PrintStream out, RedisCluster cluster, String loadAtStart) {
        out.println("== DPoP over HTTP: one Jetty, /api/hello (HS256 token, redis-cluster revocation, near-cache on, dpop.mode=allowed)");
        out.printf(Locale.ROOT, "JDK %s (%s), %d CPUs, %s -d%ds --latency (Lua-fed, the same script for every variant), "
                        + "warm-up %ds per variant, %d alternating rounds, redis-cluster (%d nodes, %s)%n",
                Runtime.version(), System.getProperty("java.vm.name"), Runtime.getRuntime().availableProcessors(),
                wrk.describe(), duration.toSeconds(), warmup.toSeconds(), rounds, cluster.nodes().size(), cluster.binary());
        out.println("uptime at start: " + loadAtStart);
    }

    private static void printSummary(PrintStream out, List<Variant> variants, List<Run> runs) {
        out.println("-- per variant over the rounds: median [min - max]; round trips per request: EVAL (proof records),"
                + " MGET and GET (revocation reads)");
        for (Variant variant : variants) {
            List<Run> mine = runs.stream().filter(r -> r.variant().equals(variant.name())).toList();
            out.printf(Locale.ROOT, "%-12s requests/s %s; p50 ms %s; p99 ms %s; Redis round trips/request %s%n", variant.name(),
                    spread(mine.stream().map(r -> r.result().requestsPerSecond()).toList(), "%.0f"),
                    spread(mine.stream().map(r -> r.result().p50Micros() / 1e3).toList(), "%.3f"),
                    spread(mine.stream().map(r -> r.result().p99Micros() / 1e3).toList(), "%.3f"),
                    spread(mine.stream().map(Run::roundTripsPerRequest).toList(), "%.4f"));
        }
        out.println("-- DPoP / bearer requests/s, per round (each ratio within one round): median [min - max]");
        for (Variant variant : variants) {
            if (!variant.dpop()) {
                continue;
            }
            List<Double> ratios = new ArrayList<>();
            for (Run run : runs) {
                if (run.variant().equals(variant.name())) {
                    runs.stream().filter(r -> r.round() == run.round() && r.variant().equals(BEARER)).findFirst()
                            .ifPresent(bearer -> ratios.add(run.result().requestsPerSecond() / bearer.result().requestsPerSecond()));
                }
            }
            out.printf(Locale.ROOT, "%-12s %s  (rounds: %s)%n", variant.name(), spread(ratios, "%.3f"),
                    String.join(" ", ratios.stream().map(r -> String.format(Locale.ROOT, "%.3f", r)).toList()));
        }
    }

    static String spread(List<Double> values, String format) {
        return Spread.of(values, format);
    }
}
