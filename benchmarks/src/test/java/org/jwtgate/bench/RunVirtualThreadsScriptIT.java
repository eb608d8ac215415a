package org.jwtgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/performance.md's {@code benchmarks/run-vthreads.sh}, run with this build's JDK and jar ({@code --no-build}) as
 * the page says it behaves: on JDK 21 or later, the filter on a {@code VirtualThreadPool} against a real cluster with
 * every check holding (exit 0); on JDK 17, which CI runs and which has no virtual threads, a refusal that says so
 * (exit 2) and no results file. Both are the script's documented answers for that JDK; neither is skipped.
 */
class RunVirtualThreadsScriptIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void whenRunVthreadsRunThenItRunsOnVirtualThreadsOrSaysTheJdkHasNone() throws Exception {
        Path results = dir.resolve("results");
        Path output = dir.resolve("script-output.txt");
        ProcessBuilder builder = new ProcessBuilder("benchmarks/run-vthreads.sh", "--no-build",
                System.getProperty("java.home"), "--", "--users", "20", "--requests", "2", "--concurrency", "8")
                .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("RESULTS_DIR", results.toString());
        Process script = builder.start();
        boolean finished = script.waitFor(3, TimeUnit.MINUTES);
        if (!finished) { // its Redis nodes must not run on into the next tests
            script.descendants().forEach(ProcessHandle::destroyForcibly);
            script.destroyForcibly();
        }
        assertTrue(finished, "run-vthreads.sh did not finish: " + Files.readString(output));
        String log = Files.readString(output);
        if (Runtime.version().feature() < 21) {
            assertEquals(2, script.exitValue(), log);
            assertTrue(log.contains("virtual threads need JDK 21 or later; this is " + Runtime.version()), log);
            assertFalse(Files.exists(results), "a results file of no run");
            return;
        }
        assertEquals(0, script.exitValue(), log);
        String text;
        try (Stream<Path> files = Files.list(results)) {
            List<Path> raw = files.filter(f -> f.getFileName().toString().matches("vthreads-jdk\\d+-.*\\.txt")).toList();
            assertEquals(1, raw.size(), raw.toString());
            text = Files.readString(raw.get(0));
        }
        assertTrue(text.contains("before revocation: 20 users x 2 requests"), text);
        assertTrue(text.contains("log records at WARNING or above: 0"), text);
        assertTrue(text.contains("OK: every request on a virtual thread, right principal, revoked users refused"), text);
    }

    /**
     * Without --no-build the script builds first (minutes): below JDK 21 it refuses before that, exit 2. The script runs
     * from a copy of the checkout whose mvnw only leaves a mark, so the test builds nothing; from JDK 21 on it builds.
     */
    @Test
    void whenRunVthreadsWouldBuildThenItRefusesAJdkBelow21BeforeBuilding() throws Exception {
        Path checkout = dir.resolve("checkout");
        BenchmarkArgumentsIT.copyScripts(checkout, "run-vthreads.sh", "jdk.sh");
        Path built = dir.resolve("mvnw-ran");
        Path mvnw = Files.writeString(checkout.resolve("mvnw"), "#!/bin/sh\ntouch '" + built + "'\n");
        mvnw.toFile().setExecutable(true);
        Path output = dir.resolve("script-output.txt");
        ProcessBuilder builder = new ProcessBuilder(checkout.resolve("benchmarks/run-vthreads.sh").toString(),
                System.getProperty("java.home")).directory(checkout.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("RESULTS_DIR", dir.resolve("results").toString());
        Process script = builder.start();
        assertTrue(script.waitFor(1, TimeUnit.MINUTES), "run-vthreads.sh did not finish");
        String log = Files.readString(output);
        assertEquals(2, script.exitValue(), log); // from JDK 21 on: no jar, as mvnw built none
        assertEquals(Runtime.version().feature() >= 21, Files.exists(built), log);
        if (Runtime.version().feature() < 21) {
            assertEquals("virtual threads need JDK 21 or later; this is JDK " + Runtime.version().feature()
                    + " (nothing built)", log.strip());
        }
        assertFalse(Files.exists(dir.resolve("results")), "a results file of no run");
    }
}
