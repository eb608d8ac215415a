package org.jwtgate.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.TimeUnit;
import org.jwtgate.internal.verify.VerifiedTokenCache;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The verified-token cache's key on platform threads: {@link VerifiedTokenCache#sha256} against the {@code ThreadLocal}
 * digest JwtGate 1.0.0 kept per thread, on the same HS256 token. Run with {@code -t 1} and {@code -t 2} (two request
 * threads at once): whatever the filter's way costs beyond the per-thread digest shows as the difference of the two
 * methods in one run. (Digests lent from a shared array to platform threads too, as between two commits of 1.1.0,
 * cost up to twice the hash with two threads; they are lent to virtual threads only now.)
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class DigestBenchmark {

    /** JwtGate 1.0.0's way: one digest per thread, built on the thread's first request. */
    private static final ThreadLocal<MessageDigest> PER_THREAD = ThreadLocal.withInitial(DigestBenchmark::newDigest);

    private String token;

    @Setup
    public void setUp() {
        token = TokenSigner.create("HS256").mint("digest-benchmark-user");
    }

    /** What the filter runs. */
    @Benchmark
    public byte[] cacheKey() {
        return VerifiedTokenCache.sha256(token);
    }

    /** The baseline: the same bytes through a per-thread digest. */
    @Benchmark
    public byte[] perThread() {
        return PER_THREAD.get().digest(token.getBytes(StandardCharsets.US_ASCII));
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
