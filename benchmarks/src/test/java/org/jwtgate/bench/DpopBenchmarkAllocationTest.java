package org.jwtgate.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * -prof gc counts all of an iteration's allocation, so {@code dpopRequest}'s bytes per operation include signing its
 * proof in the untimed {@code Level.Invocation} set-up. The bytes of a DPoP request are {@code dpopRequest} minus
 * {@code proofSigning} (docs/performance.md): that difference must match the request path measured on its own.
 */
class DpopBenchmarkAllocationTest {

    @Test
    void whenRunUnderGcProfilerThenDpopRequestMinusProofSigningIsTheRequestsBytes() throws Exception {
        double direct = directBytesPerRequest();
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(DpopBenchmark.class.getName() + ".(dpopRequest|proofSigning)$")
                .param("proofAlgorithm", "ES256").param("revocation", "memory")
                .forks(1).warmupIterations(1).warmupTime(TimeValue.seconds(2))
                .measurementIterations(1).measurementTime(TimeValue.seconds(3))
                .addProfiler(GCProfiler.class).build()).run();
        Map<String, Double> bytes = new HashMap<>();
        for (RunResult result : results) {
            String method = result.getParams().getBenchmark().replaceAll(".*\\.", "");
            bytes.put(method, result.getSecondaryResults().get("gc.alloc.rate.norm").getScore());
        }
        double request = bytes.get("dpopRequest") - bytes.get("proofSigning");
        assertTrue(Math.abs(request - direct) < 0.15 * direct, String.format(Locale.ROOT,
                "dpopRequest %.0f B - proofSigning %.0f B = %.0f B per DPoP request under -prof gc; measured on its own"
                        + " the request allocates %.0f B", bytes.get("dpopRequest"), bytes.get("proofSigning"), request,
                direct));
        assertTrue(bytes.get("dpopRequest") > 1.15 * direct, String.format(Locale.ROOT,
                "dpopRequest alone (%.0f B) no longer includes the signing (%.0f B on its own): docs/performance.md"
                        + " subtracts it", bytes.get("dpopRequest"), direct));
    }

    /** The same request path, measured around the requests only. */
    private static double directBytesPerRequest() {
        DpopBenchmark benchmark = new DpopBenchmark();
        benchmark.proofAlgorithm = "ES256";
        benchmark.revocation = "memory";
        benchmark.setUp();
        try {
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long id = Thread.currentThread().getId();
            double perRequest = 0;
            for (int pass = 0; pass < 4; pass++) { // the last pass, once warm
                List<String> proofs = new ArrayList<>();
                for (int i = 0; i < DpopBenchmark.BATCH; i++) {
                    proofs.add(benchmark.key.proof("GET", DpopBenchmark.URI_CALLED.toString())
                            .accessToken(benchmark.boundToken).sign());
                }
                long before = threads.getThreadAllocatedBytes(id);
                for (String proof : proofs) {
                    benchmark.dpop(benchmark.boundToken, proof);
                }
                perRequest = (double) (threads.getThreadAllocatedBytes(id) - before) / proofs.size();
            }
            return perRequest;
        } finally {
            benchmark.tearDown();
        }
    }
}
