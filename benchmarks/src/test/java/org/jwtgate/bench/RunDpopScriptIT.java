package org.jwtgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/performance.md's {@code benchmarks/run-dpop.sh --quick}, run as documented on the jar this build
 * made ({@code --no-build}): JMH's DpopBenchmark with {@code -prof gc} and the DPoP HTTP comparison both
 * run, every request of every variant is accepted, and the summary holds both parts and the machine's
 * load. Measures nothing: it proves the documented command works.
 */
class RunDpopScriptIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void whenRunDpopQuickThenJmhAndTheHttpRoundsRunAndTheSummaryHoldsThem() throws Exception {
        Path results = Files.createDirectories(Path.of("target", "run-dpop-smoke").toAbsolutePath());
        try (Stream<Path> old = Files.list(results)) {
            for (Path file : old.toList()) {
                Files.delete(file); // an earlier run's summary would be counted as this run's
            }
        }
        Path output = results.resolve("script-output.txt");
        ProcessBuilder builder = new ProcessBuilder("benchmarks/run-dpop.sh", "--quick", "--no-build",
                System.getProperty("java.home"))
                .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("RESULTS_DIR", results.toString());
        builder.environment().put("JMH_ARGS", "-p proofAlgorithm=EdDSA");
        // wrk runs of 1 s, not --quick's 2 s: the round still runs both variants, after a 1 s warm-up of each.
        builder.environment().put("HTTP_ARGS", "--proofs EdDSA --connections 4 --duration 1");
        Process script = builder.start();
        boolean finished = script.waitFor(10, TimeUnit.MINUTES);
        if (!finished) { // its Tomcats, Redis nodes and wrk must not run on into the next tests
            script.descendants().forEach(ProcessHandle::destroyForcibly);
            script.destroyForcibly();
        }
        assertTrue(finished, "run-dpop.sh did not finish: " + Files.readString(output));
        String log = Files.readString(output);
        assertEquals(0, script.exitValue(), log);

        Path summary;
        try (Stream<Path> files = Files.list(results)) {
            List<Path> summaries = files.filter(f -> f.getFileName().toString().matches("dpop-jdk\\d+-.*\\.txt")).toList();
            assertEquals(1, summaries.size(), summaries.toString());
            summary = summaries.get(0);
        }
        String text = Files.readString(summary);
        assertTrue(text.contains("QUICK SMOKE RUN") && text.contains("uptime at start:"), text);
        assertTrue(text.contains("DpopBenchmark.dpopRequest") && text.contains("DpopBenchmark.bearerRequest")
                && text.contains("gc.alloc.rate.norm"), text);
        assertTrue(text.contains("== DPoP over HTTP") && text.contains("dpop-EdDSA") && !text.contains("INVALID"), text);
        assertTrue(text.contains("DPoP / bearer requests/s"), text);
    }
}
