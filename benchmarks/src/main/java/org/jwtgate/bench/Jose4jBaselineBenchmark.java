package org.jwtgate.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtContext;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.JwtGateConfig;
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
import org.openjdk.jmh.annotations.Threads;

/**
 * The baseline: jose4j's {@code JwtConsumer.process} alone, with JwtGate's constraints
 * ({@link BaselineConsumer}), no cache and no revocation check. jose4j keeps nothing between calls,
 * so {@code repeatedToken} and {@code firstSight} differ only by CPU-cache effects; both exist so
 * every row of {@link VerificationBenchmark} has its counterpart.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(1)
public class Jose4jBaselineBenchmark {

    @Param({"HS256", "RS256", "ES256", "EdDSA"})
    public String algorithm;

    private TokenSigner signer;
    private JwtConsumer consumer;
    private String repeated;

    @Setup(Level.Trial)
    public void setUp() throws InvalidJwtException {
        signer = TokenSigner.create(algorithm);
        Map<String, String> settings = new LinkedHashMap<>(signer.keySettings());
        settings.put(ConfigKeys.REVOCATION_STORE, "none"); // the baseline checks no revocation
        consumer = BaselineConsumer.like(JwtGateConfig.of(settings));
        repeated = signer.mint("repeated-user");
        consumer.process(repeated); // fail here, not in the loop, when the tokens do not pass
    }

    @Benchmark
    public JwtContext firstSight(TokenPool pool) throws InvalidJwtException {
        return consumer.process(pool.tokens.next());
    }

    @Benchmark
    public JwtContext repeatedToken() throws InvalidJwtException {
        return consumer.process(repeated);
    }

    /** The first-sight tokens: minted only for the benchmark that uses them. */
    @State(Scope.Benchmark)
    public static class TokenPool {
        FirstSight tokens;

        @Setup(Level.Trial)
        public void mint(Jose4jBaselineBenchmark benchmark) {
            tokens = new FirstSight(benchmark.signer);
        }
    }
}
