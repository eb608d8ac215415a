package org.jwtgate.bench;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.filter.JwtAuthFilter;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.testkit.RedisCluster;

/**
 * The filter in an embedded Jetty 12 that runs every request on a new virtual thread ({@link VirtualThreadPool}, as
 * an administrator turns them on), against a real Redis Cluster with the near-cache on. {@code --users} users each
 * send {@code --requests} requests with their own token, {@code --concurrency} at a time; then half the users are
 * revoked ("log out everywhere") and every user asks once more. Checks that each request ran on a virtual thread, that
 * {@code JwtAuthFilter.currentPrincipal()} named the token's user, that revoked users get 401 and the others 200,
 * that nothing was logged at WARNING or above, and counts the JFR {@code jdk.VirtualThreadPinned} events of the run.
 * Needs JDK 21+ (JDK 25 for no pinning on monitors, JEP 491): {@code benchmarks/run-vthreads.sh} runs it.
 *
 * <p>Exits with 1 when a check fails, 2 on a bad option or a JDK without virtual threads.
 */
public final class VirtualThreadRun {

    private static final String WHO = "/who";
    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("users", "200");
        DEFAULTS.put("requests", "20");       // per user, before the revocation
        DEFAULTS.put("concurrency", "64");    // client requests in flight
    }

    private final int users;
    private final int requests;
    private final int concurrency;

    private VirtualThreadRun(Options options) {
        this.users = options.integer("users", 2);
        this.requests = options.integer("requests", 1);
        this.concurrency = options.integer("concurrency", 1);
    }

    public static void main(String[] args) throws Exception {
        if (VirtualThreads.getDefaultVirtualThreadsExecutor() == null) {
            System.err.println("virtual threads need JDK 21 or later; this is " + Runtime.version());
            System.exit(2);
        }
        Options.main(args, DEFAULTS, options -> new VirtualThreadRun(options)::run);
    }

    /** Answers the user {@code currentPrincipal()} names and whether the request runs on a virtual thread. */
    public static final class WhoServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String user = JwtAuthFilter.currentPrincipal().map(JwtPrincipal::subject).orElse("-");
            String remote = String.valueOf(request.getRemoteUser());
            response.setContentType("text/plain");
            response.getOutputStream().write((user + " " + remote + " virtual=" + VirtualThreads.isVirtualThread())
                    .getBytes(StandardCharsets.US_ASCII));
        }
    }

    boolean run(PrintStream out) throws Exception {
        try (LoggedWarnings warnings = LoggedWarnings.start()) {
            return run(out, warnings);
        }
    }

    private boolean run(PrintStream out, LoggedWarnings warnings) throws Exception {
        TokenSigner signer = TokenSigner.create("HS256");
        List<String> tokens = new ArrayList<>();
        List<String> subjects = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            subjects.add("vt-user-" + i);
            tokens.add(signer.mint("vt-user-" + i));
        }
        Thread.sleep(1100); // revokeUser refuses tokens issued before it, by the second: let a second pass
        Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        java.time.Instant[] secondPass = {java.time.Instant.MAX};
        java.nio.file.Path jfr = java.nio.file.Files.createTempFile("vthreads", ".jfr");
        try (RedisCluster cluster = RedisCluster.start(); Recording recording = new Recording()) {
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            Map<String, String> settings = new LinkedHashMap<>(signer.keySettings());
            RevocationVariant.REDIS_CLUSTER.applyTo(settings, cluster);
            JwtAuthFilter filter = JwtAuthFilter.builder().sources(ConfigSources.none()).settings(settings).build();
            Server server = new Server(new VirtualThreadPool());
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler("/");
            context.addServlet(new ServletHolder(new WhoServlet()), WHO);
            context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
            server.setHandler(context);
            server.start();
            recording.start();
            ExecutorService clients = Executors.newFixedThreadPool(concurrency);
            try {
                URI who = URI.create("http://127.0.0.1:" + connector.getLocalPort() + WHO);
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                long began = System.nanoTime();
                askAll(clients, http, who, tokens, subjects, requests, i -> false, failures);
                long millis = (System.nanoTime() - began) / 1_000_000;
                out.printf("before revocation: %d users x %d requests in %d ms (%d ms per 1000)%n",
                        users, requests, millis, millis * 1000 / Math.max(1, (long) users * requests));
                secondPass[0] = java.time.Instant.now();
                for (int i = 0; i < users; i += 2) {
                    filter.revocationService().revokeUser(subjects.get(i));
                }
                askAll(clients, http, who, tokens, subjects, 1, i -> i % 2 == 0, failures);
                out.printf("after revoking %d of %d users: each asked once more%n", (users + 1) / 2, users);
                boolean unauthenticatedRefused = ask(http, who, null).statusCode() == 401;
                if (!unauthenticatedRefused) {
                    failures.computeIfAbsent("a request without a token was not refused", k -> new AtomicInteger()).incrementAndGet();
                }
            } finally {
                clients.shutdownNow();
                recording.stop();
                server.stop();
            }
            recording.dump(jfr);
        }
        List<RecordedEvent> pinned = RecordingFile.readAllEvents(jfr);
        java.nio.file.Files.deleteIfExists(jfr);
        out.println("jdk.VirtualThreadPinned events during the run: " + pinned.size() + ", with a JwtGate frame on the stack: "
                + pinned.stream().filter(event -> frames(event).anyMatch(frame -> frame.startsWith("org.jwtgate."))).count());
        out.println("  of which after the first pass (the first refusals load their classes then): "
                + pinned.stream().filter(event -> event.getStartTime().isAfter(secondPass[0])).count());
        pinned.stream().filter(event -> frames(event).anyMatch(frame -> frame.startsWith("org.jwtgate.")))
                .forEach(event -> out.println("  with JwtGate: pinned at " + frames(event).findFirst().orElse("?") + " under "
                        + frames(event).filter(frame -> frame.startsWith("org.jwtgate.")).findFirst().orElse("?")));
        pinned.stream().collect(java.util.stream.Collectors.groupingBy(event -> frames(event).findFirst().orElse("?"),
                        java.util.stream.Collectors.counting()))
                .entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(5)
                .forEach(top -> out.println("  " + top.getValue() + " x pinned at " + top.getKey()));
        List<String> problems = warnings.lines();
        out.println("log records at WARNING or above: " + problems.size());
        problems.stream().limit(10).forEach(line -> out.println("  " + line));
        failures.forEach((what, count) -> out.println("FAILED: " + what + " (" + count.get() + " times)"));
        boolean ok = failures.isEmpty() && problems.isEmpty();
        out.println(ok ? "OK: every request on a virtual thread, right principal, revoked users refused"
                : "FAILED");
        return ok;
    }

    /** The stack of a pinned event, top first, as {@code class.method}. */
    private static java.util.stream.Stream<String> frames(RecordedEvent event) {
        return event.getStackTrace() == null ? java.util.stream.Stream.empty() : event.getStackTrace().getFrames().stream()
                .map(frame -> frame.getMethod().getType().getName() + "." + frame.getMethod().getName());
    }

    /** Each user asks {@code times} times; {@code revoked.test(i)}: user i must now get 401. */
    private static void askAll(ExecutorService clients, HttpClient http, URI who, List<String> tokens,
                               List<String> subjects, int times, java.util.function.IntPredicate revoked,
                               Map<String, AtomicInteger> failures) throws Exception {
        List<Future<?>> calls = new ArrayList<>();
        for (int n = 0; n < times; n++) {
            for (int i = 0; i < tokens.size(); i++) {
                int user = i;
                calls.add(clients.submit(() -> {
                    HttpResponse<String> answer = ask(http, who, tokens.get(user));
                    String failure = revoked.test(user)
                            ? (answer.statusCode() == 401 ? null : "a revoked user got " + answer.statusCode())
                            : check(answer, subjects.get(user));
                    if (failure != null) {
                        failures.computeIfAbsent(failure, k -> new AtomicInteger()).incrementAndGet();
                    }
                    return null;
                }));
            }
        }
        for (Future<?> call : calls) {
            call.get();
        }
    }

    private static String check(HttpResponse<String> answer, String subject) {
        if (answer.statusCode() != 200) {
            return "a valid token got " + answer.statusCode();
        }
        String expected = subject + " " + subject + " virtual=true";
        return answer.body().equals(expected) ? null : "expected [" + expected + "], got [" + answer.body() + "]";
    }

    private static HttpResponse<String> ask(HttpClient http, URI who, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(who).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
