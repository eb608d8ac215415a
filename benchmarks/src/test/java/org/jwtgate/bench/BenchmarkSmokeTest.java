package org.jwtgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.jose4j.jwt.consumer.JwtContext;
import org.junit.jupiter.api.Test;
import org.jwtgate.principal.JwtPrincipal;

/**
 * Runs each benchmark's body once, outside JMH, so `./mvnw verify` exercises the benchmark code
 * without measuring anything. Only the memory store and HS256 here: minting the first-sight pools
 * of the slower algorithms and starting Redis Cluster belong to real runs.
 */
class BenchmarkSmokeTest {

    @Test
    void whenVerificationBenchmarkRunsOnceThenBothCasesReturnTheirPrincipals() {
        VerificationBenchmark benchmark = new VerificationBenchmark();
        benchmark.algorithm = "HS256";
        benchmark.revocation = RevocationVariant.MEMORY.cliName();
        benchmark.setUp();
        try {
            VerificationBenchmark.TokenPool pool = new VerificationBenchmark.TokenPool();
            pool.mint(benchmark);
            JwtPrincipal first = benchmark.firstSight(pool);
            JwtPrincipal second = benchmark.firstSight(pool);
            assertTrue(first.subject().startsWith("user-"), first.subject());
            assertNotEquals(first.subject(), second.subject(), "first sight must see a new token each time");
            assertEquals("repeated-user", benchmark.repeatedToken().subject());
        } finally {
            benchmark.tearDown();
        }
    }

    @Test
    void whenFilterBenchmarkSetsUpThenTheFilterAuthenticatesTheTokenAndLeavesTheExcludedPathAlone() throws Exception {
        FilterBenchmark benchmark = new FilterBenchmark();
        benchmark.revocation = RevocationVariant.MEMORY.cliName();
        benchmark.setUp(); // runs both requests once and fails unless the first is authenticated and the second is not
        benchmark.tearDown();
    }

    @Test
    void whenBaselineBenchmarkRunsOnceThenBothCasesReturnVerifiedClaims() throws Exception {
        Jose4jBaselineBenchmark benchmark = new Jose4jBaselineBenchmark();
        benchmark.algorithm = "HS256";
        benchmark.setUp();
        Jose4jBaselineBenchmark.TokenPool pool = new Jose4jBaselineBenchmark.TokenPool();
        pool.mint(benchmark);
        JwtContext first = benchmark.firstSight(pool);
        assertTrue(first.getJwtClaims().getSubject().startsWith("user-"));
        assertEquals("repeated-user", benchmark.repeatedToken().getJwtClaims().getSubject());
    }

    @Test
    void whenFirstSightPoolIsCycledThenEveryTokenIsDistinctUntilItWraps() {
        FirstSight pool = new FirstSight(TokenSigner.create("HS256"));
        Set<String> seen = new HashSet<>();
        String first = pool.next();
        seen.add(first);
        for (int i = 1; i < FirstSight.POOL_SIZE; i++) {
            assertTrue(seen.add(pool.next()), "token " + i + " repeats before the pool wraps");
        }
        assertEquals(first, pool.next());
    }

    @Test
    void whenPropagationHarnessRunsOnTheMemoryStoreThenEveryTrialIsRefusedAndReported() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        boolean ok;
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            PropagationBenchmark harness = PropagationBenchmark.create(new String[] {
                    "--trials", "5", "--warmup-trials", "1", "--revocation", "memory"});
            ok = harness.run(out);
        }
        String report = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(ok, report);
        assertTrue(report.contains("timed out: 0 of 5"), report);
        assertTrue(report.contains("A revoke() start -> B refuses: p50"), report);
    }

    @Test
    void whenDpopBenchmarkRunsOnceThenBothRequestsPassOnTheMemoryStore() {
        DpopBenchmark benchmark = new DpopBenchmark();
        benchmark.proofAlgorithm = "EdDSA";
        benchmark.revocation = RevocationVariant.MEMORY.cliName();
        benchmark.setUp();
        try {
            DpopBenchmark.Proofs proofs = new DpopBenchmark.Proofs();
            proofs.sign(benchmark);
            assertEquals(DpopBenchmark.BATCH, new HashSet<>(proofs.batch).size(), "every proof of a batch is new");
            org.openjdk.jmh.infra.Blackhole hole = new org.openjdk.jmh.infra.Blackhole(
                    "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
            benchmark.bearerRequest(hole);
            benchmark.dpopRequest(proofs, hole);
            assertEquals(benchmark.key.thumbprint(), benchmark.dpop(benchmark.boundToken,
                    benchmark.key.proof("GET", DpopBenchmark.URI_CALLED.toString()).accessToken(benchmark.boundToken).sign())
                    .thumbprint());
        } finally {
            benchmark.tearDown();
        }
    }

    @Test
    void whenDigestBenchmarkRunsOnceThenBothWaysGiveTheTokensSha256() {
        DigestBenchmark benchmark = new DigestBenchmark();
        benchmark.setUp();
        byte[] cacheKey = benchmark.cacheKey();
        assertEquals(32, cacheKey.length);
        assertTrue(java.util.Arrays.equals(cacheKey, benchmark.perThread()), "the two ways hash the same token");
        assertTrue(java.util.Arrays.equals(cacheKey, benchmark.cacheKey()), "a digest used again is reset");
    }

    @Test
    void whenRoundsAreSummarisedThenTheMedianAndRangeAreShown() {
        assertEquals("2.000 [1.000 - 9.000]", DpopHttpBenchmark.spread(java.util.List.of(9.0, 1.0, 2.0), "%.3f"));
        assertEquals("2.500 [1.000 - 9.000]", DpopHttpBenchmark.spread(java.util.List.of(9.0, 1.0, 2.0, 3.0), "%.3f"));
    }
}
