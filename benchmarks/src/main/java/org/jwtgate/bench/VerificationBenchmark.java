package org.jwtgate.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jwtgate.engine.JwtGate;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.principal.JwtPrincipal;
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

/**
 * JwtGate's whole in-process path for one request, as the filter runs it:
 * {@code JwtGate.verify(token)} (verified-token cache, then jose4j) plus
 * {@code revocation().isRevoked(principal)} against the configured store — a real 3+3 Redis Cluster
 * started in {@link #setUp()}, or the memory store to separate the cost of Redis.
 *
 * <p>{@code firstSight}: every token is new to the cache (see {@link FirstSight}).
 * {@code repeatedToken}: the same token every time (a cache hit). Compare with
 * {@link Jose4jBaselineBenchmark}; add {@code -prof gc} for bytes per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(1)
public class VerificationBenchmark {

    @Param({"HS256", "RS256", "ES256", "EdDSA"})
    public String algorithm;

    /** {@link RevocationVariant} names. */
    @Param({"redis-cluster", "redis-cluster-direct", "memory"})
    public String revocation;

    private TokenSigner signer;
    private RedisCluster cluster;
    private JwtGate gate;
    private String repeated;

    @Setup(Level.Trial)
    public void setUp() {
        signer = TokenSigner.create(algorithm);
        RevocationVariant variant = RevocationVariant.byName(revocation);
        try {
            cluster = variant.needsCluster() ? RedisCluster.start() : null;
            Map<String, String> settings = new LinkedHashMap<>(signer.keySettings());
            settings.put(ConfigKeys.TOKEN_CACHE_SIZE, Integer.toString(FirstSight.CACHE_SIZE));
            variant.applyTo(settings, cluster);
            gate = JwtGate.start(JwtGateConfig.of(settings));
            repeated = signer.mint("repeated-user");
            check(repeated); // fail here, not in the measurement loop, when the path refuses its own tokens
        } catch (RuntimeException e) {
            tearDown();
            throw e;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (gate != null) {
            gate.close();
            gate = null;
        }
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    @Benchmark
    public JwtPrincipal firstSight(TokenPool pool) {
        return check(pool.tokens.next());
    }

    @Benchmark
    public JwtPrincipal repeatedToken() {
        return check(repeated);
    }

    /** The first-sight tokens: minted only for the benchmark that uses them (JMH sets this up after the gate). */
    @State(Scope.Benchmark)
    public static class TokenPool {
        FirstSight tokens;

        @Setup(Level.Trial)
        public void mint(VerificationBenchmark benchmark) {
            tokens = new FirstSight(benchmark.signer);
            benchmark.check(tokens.next());
        }
    }

    /** What the filter does between finding the token and calling the application. */
    JwtPrincipal check(String token) {
        JwtPrincipal principal = gate.verify(token);
        if (gate.revocation().isRevoked(principal)) {
            throw new IllegalStateException("a benchmark token is revoked: the store is not empty");
        }
        return principal;
    }
}
