package org.jwtgate.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jose4j.jwt.JwtClaims;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.dpop.DpopProof;
import org.jwtgate.engine.JwtGate;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.tokens.DpopKey;
import org.jwtgate.testkit.tokens.TestTokens;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The in-process cost of DPoP (RFC 9449) on the filter's path, against the same request as a bearer
 * token, in one run: {@code bearerRequest} is {@code JwtGate.verify(token)} + the revocation check (the
 * token is in the verified-token cache, as on every request after the first); {@code dpopRequest} adds
 * {@code JwtGate.verifyDpopProof} — parse the proof, check htm/htu/iat/ath and the key binding, verify
 * its signature with the proof's own key, and record its {@code jti} once (the memory store, or one
 * Redis round trip to a real 3+3 cluster). The access token is HS256 either way; {@code proofAlgorithm}
 * is the client's key.
 *
 * <p>Every proof is used once, so each invocation checks {@value #BATCH} proofs signed beforehand (the
 * signing is not timed) and JMH divides by {@value #BATCH}: the score is per request. Add
 * {@code -prof gc} for bytes: {@code -prof gc} counts all of an iteration's allocation, the untimed
 * signing included, so a DPoP request allocates {@code dpopRequest} minus {@code proofSigning}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(1)
public class DpopBenchmark {

    /** Requests per invocation: proofs are one-time, so a batch is signed before each invocation. */
    static final int BATCH = 256;
    static final URI URI_CALLED = URI.create("https://api.example.com/orders");

    @Param({"ES256", "EdDSA"})
    public String proofAlgorithm;

    /** {@code memory} (no network) or {@code redis-cluster} (near-cache on: the proof record is the one round trip). */
    @Param({"memory", "redis-cluster"})
    public String revocation;

    private RedisCluster cluster;
    private JwtGate gate;
    DpopKey key;
    String boundToken;
    String bearerToken;

    @Setup(Level.Trial)
    public void setUp() {
        RevocationVariant variant = RevocationVariant.byName(revocation);
        try {
            cluster = variant.needsCluster() ? RedisCluster.start() : null;
            TokenSigner signer = TokenSigner.create("HS256");
            Map<String, String> settings = new LinkedHashMap<>(signer.keySettings());
            variant.applyTo(settings, cluster);
            settings.put(ConfigKeys.DPOP_MODE, "allowed");
            gate = JwtGate.start(JwtGateConfig.of(settings));
            key = DpopKey.of(proofAlgorithm);
            JwtClaims bound = DpopKey.bind(TestTokens.claims("dpop-user", "user"), key);
            bound.setExpirationTimeMinutesInTheFuture(TokenSigner.TOKEN_LIFETIME_MINUTES);
            boundToken = TestTokens.hs256(bound);
            bearerToken = signer.mint("bearer-user");
            bearer(bearerToken); // fail here, not in the measurement loop
            dpop(boundToken, key.proof("GET", URI_CALLED.toString()).accessToken(boundToken).sign());
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

    /** {@value #BATCH} fresh proofs for the next invocation (not timed). */
    @State(Scope.Thread)
    public static class Proofs {
        List<String> batch = new ArrayList<>(BATCH);

        @Setup(Level.Invocation)
        public void sign(DpopBenchmark benchmark) {
            batch.clear();
            for (int i = 0; i < BATCH; i++) {
                batch.add(benchmark.key.proof("GET", URI_CALLED.toString()).accessToken(benchmark.boundToken).sign());
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void bearerRequest(Blackhole hole) {
        for (int i = 0; i < BATCH; i++) {
            hole.consume(bearer(bearerToken));
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void dpopRequest(Proofs proofs, Blackhole hole) {
        for (String proof : proofs.batch) {
            hole.consume(dpop(boundToken, proof));
        }
    }

    /**
     * Signing one proof, as {@link Proofs} does before each {@code dpopRequest} invocation: its bytes per
     * operation are what {@code -prof gc} adds to {@code dpopRequest}'s (the revocation store plays no part).
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void proofSigning(Blackhole hole) {
        for (int i = 0; i < BATCH; i++) {
            hole.consume(key.proof("GET", URI_CALLED.toString()).accessToken(boundToken).sign());
        }
    }

    /** What the filter does for a bearer token. */
    JwtPrincipal bearer(String token) {
        JwtPrincipal principal = gate.verify(token);
        if (gate.revocation().isRevoked(principal)) {
            throw new IllegalStateException("a benchmark token is revoked");
        }
        return principal;
    }

    /** What the filter does for {@code Authorization: DPoP} with its proof. */
    DpopProof dpop(String token, String proof) {
        JwtPrincipal principal = gate.verify(token);
        DpopProof verified = gate.verifyDpopProof(proof, "GET", URI_CALLED, token, principal);
        if (gate.revocation().isRevoked(principal)) {
            throw new IllegalStateException("a benchmark token is revoked");
        }
        return verified;
    }
}
