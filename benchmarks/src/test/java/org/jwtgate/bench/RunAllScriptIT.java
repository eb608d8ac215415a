package org.jwtgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/performance.md's {@code benchmarks/run-all.sh --quick}, run as documented on the jar this build
 * made (so {@code --no-build}), narrowed to one JMH benchmark: JMH with {@code -prof gc}, the HTTP
 * comparison under wrk through {@code run-http.sh}, and the propagation harness all run, and the
 * summary file holds each part. Measures nothing: it proves the documented commands work.
 */
class RunAllScriptIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void whenRunAllQuickThenEveryPartRunsAndTheSummaryHoldsIt() throws Exception {
        Path results = Files.createDirectories(Path.of("target", "run-all-smoke").toAbsolutePath());
        try (Stream<Path> old = Files.list(results)) {
            for (Path file : old.toList()) {
                Files.delete(file); // an earlier build's run, in an uncleaned target/
            }
        }
        Path output = results.resolve("script-output.txt");
        ProcessBuilder builder = new ProcessBuilder("benchmarks/run-all.sh", "--quick", "--no-build",
                System.getProperty("java.home"))
                .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("RESULTS_DIR", results.toString());
        builder.environment().put("JMH_ARGS", "VerificationBenchmark.repeatedToken -p algorithm=HS256 -p revocation=memory");
        // wrk runs of 1 s, not --quick's 3 s: the 2 rounds still alternate every endpoint, after a 1 s warm-up of each.
        builder.environment().put("HTTP_ARGS", "--store memory --connections 4 --rounds 2 --duration 1");
        builder.environment().put("PROPAGATION_ARGS", "--trials 20 --warmup-trials 2");
        Process script = builder.start();
        boolean finished = script.waitFor(10, TimeUnit.MINUTES);
        if (!finished) { // its Tomcats, Redis nodes and wrk must not run on into the next tests
            script.descendants().forEach(ProcessHandle::destroyForcibly);
            script.destroyForcibly();
        }
        assertTrue(finished, "run-all.sh did not finish: " + Files.readString(output));
        String log = Files.readString(output);
        assertEquals(0, script.exitValue(), log);

        Path summary;
        try (Stream<Path> files = Files.list(results)) {
            List<Path> summaries = files.filter(f -> f.getFileName().toString().matches("jdk\\d+-.*\\.txt")).toList();
            assertEquals(1, summaries.size(), summaries.toString());
            summary = summaries.get(0);
        }
        String text = Files.readString(summary);
        assertTrue(text.contains("QUICK SMOKE RUN"), text);
        assertTrue(text.contains("VerificationBenchmark.repeatedToken") && text.contains("gc.alloc.rate.norm"), text);
        assertTrue(text.contains("== HTTP:") && text.contains("/nc/hello"), text);
        assertTrue(text.contains("requests/s relative to /open, per round"), text); // --rounds: alternating rounds
        assertTrue(text.contains("== Revocation propagation:"), text);
        assertTrue(new File(summary.toString().replace(".txt", ".log")).isFile());
    }

    /**
     * VirtualThreadBenchmark needs virtual threads: below JDK 21 its configurations could only fail, so run-all.sh
     * leaves it out and says so, in its output and the results file; from JDK 21 on it runs. Read on the build's JDK,
     * with JMH given nothing to run: it gets the script's settings and stops at once, measuring nothing.
     */
    @Test
    void whenTheJdkIsBelow21ThenRunAllLeavesVirtualThreadBenchmarkOutAndSaysSo(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results");
        BenchmarkArgumentsIT.Result result = BenchmarkArgumentsIT.runBeforeJmh("benchmarks/run-all.sh", Map.of(), results, dir);
        assertEquals(1, result.status(), result.output()); // JMH failed: nothing to run
        Path summary;
        try (Stream<Path> files = Files.list(results)) {
            summary = files.filter(f -> f.toString().endsWith(".txt")).findFirst().orElseThrow();
        }
        assertTrue(Files.readString(Path.of(summary.toString().replace(".txt", ".log"))).contains("No matching benchmarks"));
        String text = Files.readString(summary);
        String leftOut = "VirtualThreadBenchmark left out: it needs JDK 21 or later, this is JDK " + Runtime.version().feature();
        if (Runtime.version().feature() < 21) {
            assertTrue(result.output().startsWith(leftOut + "\n"), result.output());
            assertTrue(text.contains(" -e VirtualThreadBenchmark -prof gc\n" + leftOut + "\n"), text);
        } else {
            assertFalse(result.output().contains("VirtualThreadBenchmark"), result.output());
            assertFalse(text.contains("VirtualThreadBenchmark"), text);
        }
    }
}
