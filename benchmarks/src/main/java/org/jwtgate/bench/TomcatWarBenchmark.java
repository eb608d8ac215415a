package org.jwtgate.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.jwtgate.testkit.RedisCluster;

/**
 * What a user measures: JwtGate installed in a WAR, deployed into the official Tomcat distribution, loaded by
 * {@code wrk}. One tiny WAR ({@link BenchWar}): {@code /api/hello} behind the filter (HS256,
 * {@code revocation.store=redis-cluster} on a real 3 masters + 3 replicas cluster started here, near-cache on)
 * and {@code /public/hello}, the same servlet on a path of {@code paths.exclude}. Both receive the same valid
 * {@code Authorization} header, so their difference is the filter's work on an authenticated request.
 *
 * <p>Up to two JwtGate jars are compared in one run: {@code --after-jar} (default: the distribution's) and
 * {@code --before-jar}, each in a WAR of its own in a Tomcat of its own (two JVMs, same CATALINA_HOME, same
 * JDK, same options). After a warm-up of every (jar, path), each round runs every (jar, path) once for
 * {@code --duration} seconds ({@link #roundOrder}: a jar's two paths back to back, their order and the jars'
 * order alternating); the protected / public ratio is taken within a round from two adjacent runs (same
 * seconds, same machine load), and the median and range over the rounds are reported, with the ratio
 * after / before of the protected throughput and Tomcat's CPU time per request.
 *
 * <pre>java -cp benchmarks/target/jwtgate-benchmarks.jar org.jwtgate.bench.TomcatWarBenchmark
 *     --tomcat-home benchmarks/target/containers/apache-tomcat-11.0.24
 *     --webapp-lib benchmarks/target/containers/jwtgate-1.0.0/lib/webapp --before-jar old/jwtgate-filter-core.jar</pre>
 *
 * Exits with 1 when a run had a non-2xx answer or a socket error, 2 on a bad option.
 */
public final class TomcatWarBenchmark {

    static final String CONTEXT = "/app";
    private static final String AUTHORIZATION = "Authorization";
    private static final String FILTER_JAR_PREFIX = "jwtgate-filter-core-";

    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("tomcat-home", "");
        DEFAULTS.put("webapp-lib", "");      // the distribution's lib/webapp
        DEFAULTS.put("after-jar", "");       // default: the jwtgate-filter-core jar of --webapp-lib
        DEFAULTS.put("before-jar", "");      // none: measure one jar
        DEFAULTS.put("threads", "2");
        DEFAULTS.put("connections", "32");
        DEFAULTS.put("duration", "5");       // seconds per measured run
        DEFAULTS.put("warmup", "10");        // seconds of warm-up per (jar, path), before the rounds
        DEFAULTS.put("rounds", "7");
        DEFAULTS.put("catalina-opts", "");   // e.g. -XX:StartFlightRecording=... (both Tomcats)
        DEFAULTS.put("profile-dir", "");     // if set: one JFR recording per (jar, path) before the rounds
        DEFAULTS.put("profile-settings", "profile"); // JFR settings: profile, default, or a .jfc file
        DEFAULTS.put("work-dir", "");        // default: a temporary directory, deleted at the end
        DEFAULTS.put("wrk", "wrk");
    }

    private final Path tomcatHome;
    private final Path webappLib;
    private final Path afterJar;
    private final Path beforeJar;
    private final Wrk wrk;
    private final Duration duration;
    private final Duration warmup;
    private final int rounds;
    private final String catalinaOpts;
    private final String workDir;
    private final String profileDir;
    private final String profileSettings;

    private TomcatWarBenchmark(Options options) {
        this.tomcatHome = existing(options, "tomcat-home");
        this.webappLib = existing(options, "webapp-lib");
        this.afterJar = options.text("after-jar").isEmpty() ? filterJarOf(webappLib) : existing(options, "after-jar");
        this.beforeJar = options.text("before-jar").isEmpty() ? null : existing(options, "before-jar");
        this.wrk = Wrk.of(options);
        this.duration = Duration.ofSeconds(options.integer("duration", 1));
        this.warmup = Duration.ofSeconds(options.integer("warmup", 0));
        this.rounds = options.integer("rounds", 1);
        this.catalinaOpts = options.text("catalina-opts");
        this.workDir = options.text("work-dir");
        this.profileDir = options.text("profile-dir");
        this.profileSettings = options.text("profile-settings");
    }

    public static void main(String[] args) throws Exception {
        Options.main(args, DEFAULTS, options -> new TomcatWarBenchmark(options)::run);
    }

    /** One JwtGate jar under test, in its own Tomcat. */
    private record Variant(String name, Path jar, TomcatInstance tomcat) {
    }

    /** {@code cpuMicrosPerRequest}: Tomcat's JVM CPU time during the run per request completed (-1: unknown). */
    private record Run(int round, String variant, String path, WrkResult result, double redisPerRequest,
                       long revocationReads, double cpuMicrosPerRequest) {
    }

    /** @return false when a run had non-2xx answers or socket errors */
    boolean run(PrintStream out) throws Exception {
        String loadAtStart = Uptime.now();
        TokenSigner signer = TokenSigner.create("HS256");
        WorkFolder temporary = workDir.isEmpty() ? WorkFolder.create("jwtgate-tomcat-bench") : null;
        Path work = temporary != null ? temporary.path() : Files.createDirectories(Path.of(workDir));
        List<Variant> variants = new ArrayList<>();
        try (RedisCluster cluster = RedisCluster.start()) {
            Map<String, String> settings = new LinkedHashMap<>(signer.keySettings());
            RevocationVariant.REDIS_CLUSTER.applyTo(settings, cluster);
            settings.put(org.jwtgate.config.ConfigKeys.PATHS_EXCLUDE, BenchWar.PUBLIC_PATTERN);
            List<Path> libraries = librariesOf(webappLib);
            if (beforeJar != null) {
                variants.add(new Variant("before", beforeJar, new TomcatInstance(tomcatHome, work.resolve("tomcat-before"))));
            }
            variants.add(new Variant("after", afterJar, new TomcatInstance(tomcatHome, work.resolve("tomcat-after"))));
            for (Variant variant : variants) {
                Path war = BenchWar.write(work.resolve("wars").resolve(variant.name()).resolve("app.war"), variant.jar(),
                        libraries, settings);
                variant.tomcat().install(war, CONTEXT.substring(1));
                variant.tomcat().start(catalinaOpts, CONTEXT + BenchWar.PUBLIC);
            }
            String bearer = "Bearer " + signer.mint("tomcat-benchmark-user");
            for (Variant variant : variants) {
                sanityCheck(variant.tomcat(), bearer);
            }
            printHeader(out, cluster, variants, loadAtStart);

            List<String[]> runOrder = roundOrder(variants, 1); // warm-up and profile: each jar's public, then protected path
            if (!warmup.isZero()) {
                for (String[] run : runOrder) {
                    WrkResult w = wrk.run(tomcat(variants, run[0]).uri(CONTEXT + run[1]), warmup, AUTHORIZATION, bearer);
                    out.printf(Locale.ROOT, "warm-up %-7s %-14s %9.0f req/s%s%n", run[0], run[1], w.requestsPerSecond(),
                            w.clean() ? "" : " (" + w.non2xx() + " non-2xx, " + w.socketErrors() + " socket errors: not measured)");
                }
            }
            out.println("uptime after the warm-up: " + Uptime.now());
            if (!profileDir.isEmpty()) {
                profile(out, variants, runOrder, bearer);
            }

            RedisCommandCounter counter = new RedisCommandCounter(cluster);
            List<Run> runs = new ArrayList<>();
            out.printf(Locale.ROOT, "%-6s %-7s %-14s %11s %9s %9s %10s %14s %11s %15s %7s%n", "round", "jar", "path", "requests/s",
                    "p50 ms", "p99 ms", "requests", "redis cmd/req", "GET+MGET", "Tomcat CPU us/req", "load1");
            for (int round = 1; round <= rounds; round++) {
                for (String[] planned : roundOrder(variants, round)) {
                    TomcatInstance tomcat = tomcat(variants, planned[0]);
                    Map<String, Long> before = counter.snapshot();
                    long cpuBefore = tomcat.cpuNanos();
                    WrkResult result = wrk.run(tomcat.uri(CONTEXT + planned[1]), duration, AUTHORIZATION, bearer);
                    long cpuAfter = tomcat.cpuNanos();
                    Map<String, Long> executed = RedisCommandCounter.difference(before, counter.snapshot());
                    long commands = RedisCommandCounter.total(executed);
                    // MGET/GET: revocation checks the near-cache could not answer (it was not fresh), read from Redis.
                    long reads = executed.getOrDefault("mget", 0L) + executed.getOrDefault("get", 0L);
                    double cpu = cpuBefore < 0 || cpuAfter < 0 ? -1 : (cpuAfter - cpuBefore) / 1e3 / Math.max(1, result.requests());
                    Run run = new Run(round, planned[0], planned[1], result, (double) commands / Math.max(1, result.requests()), reads, cpu);
                    runs.add(run);
                    out.printf(Locale.ROOT, "%-6d %-7s %-14s %11.0f %9.3f %9.3f %10d %14.4f %11d %15.1f %7s%s%n", round, run.variant(),
                            run.path(), result.requestsPerSecond(), result.p50Micros() / 1e3, result.p99Micros() / 1e3,
                            result.requests(), run.redisPerRequest(), run.revocationReads(), run.cpuMicrosPerRequest(),
                            Uptime.loadAverage1(),
                            result.clean() ? "" : "  INVALID: " + result.non2xx() + " non-2xx, " + result.socketErrors() + " socket errors");
                }
            }
            WrkResult.invalidSummaryWarning(runs.stream().map(Run::result).toList()).ifPresent(out::println);
            printSummary(out, variants, runs);
            out.println("uptime at the end: " + Uptime.now());
            return runs.stream().allMatch(r -> r.result().clean());
        } finally {
            for (Variant variant : variants) {
                variant.tomcat().close();
            }
            if (temporary != null) {
                temporary.close(); // both CATALINA_BASEs too (the access logs of a long run take hundreds of MB)
            }
        }
    }

    /**
     * One more run of each (jar, path), recorded by JFR (settings {@code --profile-settings}: {@code profile} unless told) in Tomcat's JVM (started and
     * stopped with {@code jcmd}): {@code <profile-dir>/<jar>-<public|protected>.jfr}, for {@link JfrSummary} or
     * {@code jfr print}. Not part of the rounds.
     */
    private void profile(PrintStream out, List<Variant> variants, List<String[]> runOrder, String bearer) throws Exception {
        Path dir = Files.createDirectories(Path.of(profileDir).toAbsolutePath());
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        for (String[] planned : runOrder) {
            TomcatInstance tomcat = tomcat(variants, planned[0]);
            Path file = dir.resolve(planned[0] + "-" + (planned[1].equals(BenchWar.PUBLIC) ? "public" : "protected") + ".jfr");
            jcmd(jcmd, tomcat.pid(), "JFR.start", "name=bench", "settings=" + profileSettings, "filename=" + file);
            WrkResult result = wrk.run(tomcat.uri(CONTEXT + planned[1]), duration, AUTHORIZATION, bearer);
            jcmd(jcmd, tomcat.pid(), "JFR.stop", "name=bench");
            out.printf(Locale.ROOT, "profiled %-7s %-14s %9.0f req/s, %d requests -> %s%n", planned[0], planned[1],
                    result.requestsPerSecond(), result.requests(), file);
        }
    }

    private static void jcmd(String jcmd, long pid, String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(jcmd, Long.toString(pid)));
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", line) + " failed:\n" + output);
        }
    }

    /**
     * The runs of one round. The two runs of a ratio (one jar's public and protected path) are always adjacent, so
     * a load change on a shared machine falls between them as rarely as possible; which path goes first
     * alternates every round, and the order of the jars every other round, so no run has a fixed position.
     */
    static List<String[]> roundOrder(List<?> variants, int round) {
        List<String> names = new ArrayList<>();
        for (Object variant : variants) {
            names.add(variant instanceof Variant v ? v.name() : variant.toString());
        }
        if ((round - 1) / 2 % 2 == 1) {
            java.util.Collections.reverse(names);
        }
        boolean publicFirst = round % 2 == 1;
        List<String[]> order = new ArrayList<>();
        for (String name : names) {
            order.add(new String[] {name, publicFirst ? BenchWar.PUBLIC : BenchWar.PROTECTED});
            order.add(new String[] {name, publicFirst ? BenchWar.PROTECTED : BenchWar.PUBLIC});
        }
        return order;
    }

    private static TomcatInstance tomcat(List<Variant> variants, String name) {
        return variants.stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow().tomcat();
    }

    /** Before measuring: the token opens both paths, the protected path refuses a request without it. */
    private static void sanityCheck(TomcatInstance tomcat, String bearer) throws Exception {
        expect(tomcat, BenchWar.PROTECTED, bearer, 200);
        expect(tomcat, BenchWar.PUBLIC, bearer, 200);
        expect(tomcat, BenchWar.PROTECTED, null, 401);
        expect(tomcat, BenchWar.PUBLIC, null, 200);
    }

    private static void expect(TomcatInstance tomcat, String path, String bearer, int status) throws Exception {
        int actual = tomcat.get(CONTEXT + path, bearer).statusCode();
        if (actual != status) {
            throw new IllegalStateException("GET " + tomcat.uri(CONTEXT + path) + (bearer == null ? " without" : " with")
                    + " a token answered " + actual + ", expected " + status + "\n" + tomcat.logs());
        }
    }

    private void printHeader(PrintStream out, RedisCluster cluster, List<Variant> variants, String loadAtStart) throws IOException {
        out.println("== Tomcat WAR: the official Tomcat " + tomcatHome.getFileName() + ", one WAR per JwtGate jar (each in its own"
                + " Tomcat); " + CONTEXT + BenchWar.PROTECTED + " behind the filter, " + CONTEXT + BenchWar.PUBLIC
                + " in paths.exclude, the same Authorization header on both");
        out.printf(Locale.ROOT, "JDK %s (%s), %d CPUs, %s -d%ds --latency, warm-up %ds per (jar, path), %d alternating rounds,"
                        + " HS256, revocation redis-cluster (%d nodes, %s), near-cache on, CATALINA_OPTS=[%s]%n",
                Runtime.version(), System.getProperty("java.vm.name"), Runtime.getRuntime().availableProcessors(),
                wrk.describe(), duration.toSeconds(), warmup.toSeconds(), rounds, cluster.nodes().size(), cluster.binary(),
                catalinaOpts);
        for (Variant variant : variants) {
            out.printf(Locale.ROOT, "jar %-7s %s (sha256 %s)%n", variant.name(), variant.jar(), sha256(variant.jar()));
        }
        out.println("uptime at start: " + loadAtStart);
    }

    private static void printSummary(PrintStream out, List<Variant> variants, List<Run> runs) {
        out.println("-- per jar over the rounds: median [min - max]");
        Map<String, List<Double>> ratios = new LinkedHashMap<>();
        for (Variant variant : variants) {
            List<Double> open = rates(runs, variant.name(), BenchWar.PUBLIC);
            List<Double> closed = rates(runs, variant.name(), BenchWar.PROTECTED);
            ratios.put(variant.name(), Spread.ratios(closed, open));
            out.printf(Locale.ROOT, "%-7s public requests/s %s; protected requests/s %s; p99 ms public %s, protected %s%n",
                    variant.name(), Spread.of(open, "%.0f"), Spread.of(closed, "%.0f"),
                    Spread.of(latencies(runs, variant.name(), BenchWar.PUBLIC), "%.2f"),
                    Spread.of(latencies(runs, variant.name(), BenchWar.PROTECTED), "%.2f"));
            List<Double> cpuOpen = cpu(runs, variant.name(), BenchWar.PUBLIC);
            List<Double> cpuClosed = cpu(runs, variant.name(), BenchWar.PROTECTED);
            if (cpuOpen.stream().allMatch(c -> c >= 0) && cpuClosed.stream().allMatch(c -> c >= 0)) {
                List<Double> extra = Spread.differences(cpuClosed, cpuOpen);
                out.printf(Locale.ROOT, "%-7s Tomcat CPU us/request: public %s, protected %s, protected - public per round %s%n",
                        variant.name(), Spread.of(cpuOpen, "%.1f"), Spread.of(cpuClosed, "%.1f"), Spread.of(extra, "%.1f"));
            }
        }
        out.println("-- protected / public requests/s, per round (both runs of a ratio in the same round): median [min - max]");
        for (Variant variant : variants) {
            List<Double> ratio = ratios.get(variant.name());
            out.printf(Locale.ROOT, "%-7s %s  (rounds: %s)%n", variant.name(), Spread.of(ratio, "%.3f"), Spread.each(ratio, "%.3f"));
        }
        if (variants.size() == 2) {
            List<Double> before = rates(runs, "before", BenchWar.PROTECTED);
            List<Double> after = rates(runs, "after", BenchWar.PROTECTED);
            List<Double> gain = Spread.ratios(after, before);
            out.printf(Locale.ROOT, "-- after / before, protected requests/s per round: %s  (rounds: %s)%n",
                    Spread.of(gain, "%.3f"), Spread.each(gain, "%.3f"));
        }
    }

    private static List<Double> rates(List<Run> runs, String variant, String path) {
        return runs.stream().filter(r -> r.variant().equals(variant) && r.path().equals(path))
                .map(r -> r.result().requestsPerSecond()).toList();
    }

    private static List<Double> cpu(List<Run> runs, String variant, String path) {
        return runs.stream().filter(r -> r.variant().equals(variant) && r.path().equals(path))
                .map(Run::cpuMicrosPerRequest).toList();
    }

    private static List<Double> latencies(List<Run> runs, String variant, String path) {
        return runs.stream().filter(r -> r.variant().equals(variant) && r.path().equals(path))
                .map(r -> r.result().p99Micros() / 1e3).toList();
    }

    /** Every jar of lib/webapp but JwtGate's own: what the filter needs at run time. */
    static List<Path> librariesOf(Path webappLib) throws IOException {
        try (Stream<Path> files = Files.list(webappLib)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar"))
                    .filter(f -> !f.getFileName().toString().startsWith(FILTER_JAR_PREFIX)).sorted().toList();
        }
    }

    static Path filterJarOf(Path webappLib) {
        try (Stream<Path> files = Files.list(webappLib)) {
            List<Path> jars = files.filter(f -> f.getFileName().toString().startsWith(FILTER_JAR_PREFIX)
                    && f.getFileName().toString().endsWith(".jar")).toList();
            if (jars.size() != 1) {
                throw new IllegalArgumentException("Option [--webapp-lib] must hold exactly one " + FILTER_JAR_PREFIX
                        + "*.jar: [" + webappLib + "] holds " + jars);
            }
            return jars.get(0);
        } catch (IOException e) {
            throw new IllegalArgumentException("Option [--webapp-lib] cannot be read: [" + webappLib + "]", e);
        }
    }

    private static Path existing(Options options, String name) {
        String value = options.text(name);
        if (value.isEmpty()) {
            throw new IllegalArgumentException("Option [--" + name + "] is required");
        }
        Path path = Path.of(value);
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("Option [--" + name + "] names nothing: [" + value + "]");
        }
        return path.toAbsolutePath();
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[65536];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
