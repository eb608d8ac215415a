package org.jwtgate.bench;

import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jwtgate.engine.JwtGate;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.revocation.RevocationResult;
import org.jwtgate.testkit.RedisCluster;

/**
 * How long a revocation takes to reach another server: two JwtGate instances A and B (each with its
 * own Redis client, as two servers would have) on one Redis Cluster. Per trial, a fresh token is
 * verified by both and B confirms it is not revoked; then a poller thread checks it on B in a tight
 * loop while the main thread revokes it through A. The latency is from the start of A's
 * {@code revoke} call to B's first refusal.
 *
 * <pre>java -cp benchmarks/target/jwtgate-benchmarks.jar org.jwtgate.bench.PropagationBenchmark --trials 500</pre>
 *
 * {@code --revocation memory} makes A and B share one in-process store: the harness's own floor
 * (thread hand-off and timing), not a propagation. Exits with 1 when a trial timed out, 2 on a bad option.
 */
public final class PropagationBenchmark {

    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("trials", "500");
        DEFAULTS.put("warmup-trials", "20");
        DEFAULTS.put("revocation", RevocationVariant.REDIS_CLUSTER.cliName()); // redis-cluster-direct, memory
        DEFAULTS.put("timeout-ms", "2000"); // a trial whose revocation B has not seen by then fails
    }

    private final int trials;
    private final int warmupTrials;
    private final RevocationVariant variant;
    private final long timeoutNanos;

    private PropagationBenchmark(Options options) {
        this.trials = options.integer("trials", 1);
        this.warmupTrials = options.integer("warmup-trials", 0);
        this.variant = RevocationVariant.byName(options.text("revocation"));
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(options.integer("timeout-ms", 1));
    }

    /** @throws IllegalArgumentException on an unknown option or a bad value */
    static PropagationBenchmark create(String[] args) {
        return new PropagationBenchmark(Options.parse(args, DEFAULTS));
    }

    public static void main(String[] args) throws Exception {
        Options.main(args, DEFAULTS, options -> new PropagationBenchmark(options)::run);
    }

    /** @return false when some trial timed out */
    boolean run(PrintStream out) throws Exception {
        TokenSigner signer = TokenSigner.create("HS256");
        RedisCluster cluster = variant.needsCluster() ? RedisCluster.start() : null;
        ExecutorService poller = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "instance-B-poller");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Map<String, String> settings = new LinkedHashMap<>(signer.keySettings());
            variant.applyTo(settings, cluster);
            JwtGateConfig config = JwtGateConfig.of(settings);
            try (JwtGate a = JwtGate.start(config);
                 JwtGate b = variant.needsCluster() ? JwtGate.start(config)
                         : JwtGate.start(config, a.revocation().store(), Clock.systemUTC())) {
                for (int i = 0; i < warmupTrials; i++) {
                    trial(a, b, signer, poller, "warmup-" + i);
                }
                long[] propagation = new long[trials];
                long[] revokeCall = new long[trials];
                int timedOut = 0;
                int notDurable = 0;
                for (int i = 0; i < trials; i++) {
                    Trial t = trial(a, b, signer, poller, "trial-" + i);
                    if (t.propagationNanos() < 0) {
                        timedOut++;
                        propagation[i] = timeoutNanos;
                    } else {
                        propagation[i] = t.propagationNanos();
                    }
                    revokeCall[i] = t.revokeCallNanos();
                    notDurable += t.durable() ? 0 : 1;
                }
                out.println("== Revocation propagation: revoke through instance A, poll instance B until it refuses");
                out.printf(Locale.ROOT, "JDK %s, %d CPUs, revocation %s%s, %d trials (+%d warm-up), timeout %d ms%n",
                        Runtime.version(), Runtime.getRuntime().availableProcessors(), variant.cliName(),
                        cluster == null ? " (A and B share one in-process store: the harness's floor)"
                                : " (" + cluster.nodes().size() + " nodes, " + cluster.binary() + ")",
                        trials, warmupTrials, TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
                out.println("A revoke() start -> B refuses: " + LatencySummary.of(propagation).describeMillis());
                out.println("A revoke() call alone:         " + LatencySummary.of(revokeCall).describeMillis());
                out.printf(Locale.ROOT, "timed out: %d of %d; revocations not confirmed by a replica: %d%n", timedOut, trials, notDurable);
                return timedOut == 0;
            }
        } finally {
            poller.shutdownNow();
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    private Trial trial(JwtGate a, JwtGate b, TokenSigner signer, ExecutorService poller, String subject) throws Exception {
        String token = signer.mint(subject);
        JwtPrincipal onA = a.verify(token);
        JwtPrincipal onB = b.verify(token);
        CountDownLatch armed = new CountDownLatch(1);
        Future<Long> refusedAt = poller.submit(() -> {
            if (b.revocation().isRevoked(onB)) {
                throw new IllegalStateException("B refuses a fresh token before any revocation");
            }
            armed.countDown();
            long deadline = System.nanoTime() + timeoutNanos;
            while (true) {
                if (b.revocation().isRevoked(onB)) {
                    return System.nanoTime();
                }
                if (System.nanoTime() - deadline > 0) {
                    return -1L;
                }
                Thread.onSpinWait();
            }
        });
        long armDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!armed.await(10, TimeUnit.MILLISECONDS)) {
            if (refusedAt.isDone()) {
                refusedAt.get(); // throws the poller's failure
                throw new IllegalStateException("the poller ended before its first check");
            }
            if (System.nanoTime() - armDeadline > 0) {
                refusedAt.cancel(true);
                throw new IllegalStateException("B did not answer its first check within 10 s");
            }
        }
        long start = System.nanoTime();
        RevocationResult result = a.revocation().revoke(onA);
        long revoked = System.nanoTime();
        long seen = refusedAt.get(TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + 10_000, TimeUnit.MILLISECONDS);
        return new Trial(seen < 0 ? -1 : seen - start, revoked - start, result.durable());
    }

    /** @param propagationNanos -1 when B still accepted the token at the timeout */
    private record Trial(long propagationNanos, long revokeCallNanos, boolean durable) {
    }
}
