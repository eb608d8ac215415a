package org.jwtgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/performance.md's {@code benchmarks/run-tomcat.sh --quick} and its before/after form, run as documented on
 * what this build made ({@code --no-build}: the jar, and the Tomcat and JwtGate distributions unpacked into
 * target/containers): the Redis Cluster, two official Tomcats each with its WAR (the "before" jar here is the
 * same jar as "after"), the sanity checks, wrk against both paths of both, and the summary with its ratios; with
 * the page's {@code TOMCAT_ARGS="--profile-dir DIR"}, one JFR recording per (jar, path), which the page's
 * {@code JfrSummary DIR/after-protected.jfr "http-nio.*exec.*" 30} summarizes.
 * Measures nothing: it proves the documented commands work, in well under a minute.
 */
class RunTomcatScriptIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void whenRunTomcatQuickWithABeforeJarThenBothTomcatsServeEveryRoundAndTheSummaryHoldsTheRatios() throws Exception {
        Path results = Files.createDirectories(Path.of("target", "run-tomcat-smoke").toAbsolutePath());
        try (Stream<Path> old = Files.list(results)) {
            for (Path file : old.toList()) {
                Files.delete(file); // an earlier run's summary would be counted as this run's
            }
        }
        Path webappLib;
        try (Stream<Path> dirs = Files.list(Path.of("target", "containers"))) {
            webappLib = dirs.filter(d -> d.getFileName().toString().startsWith("jwtgate-")).findFirst()
                    .orElseThrow().resolve("lib/webapp").toAbsolutePath();
        }
        Path jar = TomcatWarBenchmark.filterJarOf(webappLib);
        Path profiles = Path.of("target", "run-tomcat-profiles").toAbsolutePath();
        if (Files.isDirectory(profiles)) {
            try (Stream<Path> old = Files.list(profiles)) {
                for (Path file : old.toList()) {
                    Files.delete(file); // an earlier run's recording would pass for this run's
                }
            }
        }
        Path output = results.resolve("script-output.txt");
        ProcessBuilder builder = new ProcessBuilder("benchmarks/run-tomcat.sh", "--quick", "--no-build",
                "--before-jar", jar.toString(), System.getProperty("java.home"))
                .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("RESULTS_DIR", results.toString());
        builder.environment().put("TOMCAT_ARGS", "--connections 4 --profile-dir " + profiles);
        Process script = builder.start();
        boolean finished = script.waitFor(5, TimeUnit.MINUTES);
        if (!finished) { // its Tomcats, Redis nodes and wrk must not run on into the next tests
            script.descendants().forEach(ProcessHandle::destroyForcibly);
            script.destroyForcibly();
        }
        assertTrue(finished, "run-tomcat.sh did not finish: " + Files.readString(output));
        String log = Files.readString(output);
        assertEquals(0, script.exitValue(), log);

        Path summary;
        try (Stream<Path> files = Files.list(results)) {
            List<Path> summaries = files.filter(f -> f.getFileName().toString().matches("tomcat-jdk\\d+-.*\\.txt")).toList();
            assertEquals(1, summaries.size(), summaries.toString());
            summary = summaries.get(0);
        }
        String text = Files.readString(summary);
        assertTrue(text.contains("QUICK SMOKE RUN") && text.contains("uptime at start:"), text);
        assertTrue(text.contains("== Tomcat WAR") && text.contains("apache-tomcat-11"), text);
        for (String row : List.of("before  /public/hello", "before  /api/hello", "after   /public/hello", "after   /api/hello")) {
            assertTrue(text.contains("1      " + row), row + "\n" + text);
        }
        assertTrue(text.contains("protected / public requests/s") && text.contains("after / before, protected"), text);
        assertTrue(!text.contains("INVALID"), text);

        for (String recording : List.of("before-public.jfr", "before-protected.jfr", "after-public.jfr", "after-protected.jfr")) {
            assertTrue(Files.size(profiles.resolve(recording)) > 0, recording + "\n" + text);
        }
        ByteArrayOutputStream tablesOut = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = JfrSummary.run(new String[] {profiles.resolve("after-protected.jfr").toString(), "http-nio.*exec.*", "30"},
                new PrintStream(tablesOut, true, StandardCharsets.UTF_8), new PrintStream(errors, true, StandardCharsets.UTF_8));
        String tables = tablesOut.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, errors.toString(StandardCharsets.UTF_8));
        assertTrue(tables.contains("-- execution samples by thread group") && tables.contains("http-nio-"), tables);
    }
}
