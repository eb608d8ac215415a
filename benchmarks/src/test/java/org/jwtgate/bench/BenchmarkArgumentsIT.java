package org.jwtgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented scripts and harness mains, given what a user gets wrong, on what this build made: each answers in one
 * line that names the option, and exits with 2 (a bad option), before starting anything or writing a results file. A
 * stack trace would bury the cause; a results file would sit among the published ones.
 */
class BenchmarkArgumentsIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path JAR = Path.of("target", "jwtgate-benchmarks.jar").toAbsolutePath();
    /**
     * For a test that must stop before JMH: a script that got there fails at once ("No matching benchmarks", exit 1).
     * A name matching nothing would not do: JMH_ARGS adds to a script's own includes (run-dpop.sh's DpopBenchmark).
     */
    private static final String JMH_ARGS_EXCLUDING_EVERY_BENCHMARK = "-e .";

    @Test
    void whenWrkCannotBeRunThenEveryHarnessThatNeedsItNamesTheOptionInOneLineAndExits2(@TempDir Path dir) throws Exception {
        String missing = dir.resolve("no-wrk").toString();
        Path containers = Path.of("target", "containers").toAbsolutePath();
        List<List<String>> harnesses = List.of(
                List.of("HttpBenchmark", "--store", "memory"),
                List.of("MetricsBenchmark"),
                List.of("DpopHttpBenchmark"),
                List.of("TomcatWarBenchmark", "--tomcat-home", only(containers, "apache-tomcat-").toString(),
                        "--webapp-lib", only(containers, "jwtgate-").resolve("lib/webapp").toString()));
        for (List<String> harness : harnesses) {
            List<String> args = new ArrayList<>(harness.subList(1, harness.size()));
            args.addAll(List.of("--wrk", missing));
            Result result = runMain(harness.get(0), args, dir);
            assertEquals(2, result.status(), harness + ": " + result.output());
            assertEquals(1, result.output().strip().lines().count(), harness + ": " + result.output());
            assertTrue(result.output().contains("[--wrk]") && result.output().contains("[" + missing + "]")
                    && result.output().contains("apt-get install wrk"), harness + ": " + result.output());
            assertFalse(result.output().contains("Exception"), harness + ": " + result.output());
        }
    }

    @Test
    void whenRunTomcatsBeforeJarIsMissingOrNoFileThenItNamesTheOptionExits2AndWritesNoResults(@TempDir Path dir)
            throws Exception {
        Path results = dir.resolve("results");
        String noDirectory = dir.resolve("old").resolve("jwtgate-filter-core-1.0.0.jar").toString();
        String noFile = dir.resolve("jwtgate-filter-core-1.0.0.jar").toString();
        for (List<String> args : List.of(List.of("--before-jar"), List.of("--before-jar", noDirectory),
                List.of("--before-jar", noFile))) {
            List<String> command = new ArrayList<>(List.of("benchmarks/run-tomcat.sh", "--quick", "--no-build"));
            command.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
            builder.environment().put("RESULTS_DIR", results.toString());
            Result result = run(builder, dir);
            assertEquals(2, result.status(), args + ": " + result.output());
            assertEquals(1, result.output().strip().lines().count(), args + ": " + result.output());
            String named = args.size() == 1 ? "[--before-jar] needs a value" : "[--before-jar] names no file: [" + args.get(1) + "]";
            assertTrue(result.output().contains(named), args + ": " + result.output());
            assertFalse(Files.exists(results), args + ": a results file of no run");
        }
    }

    /**
     * Unpacking never removes an older version's Tomcat: run-tomcat.sh took whichever directory sorted first, which
     * could be the old one, and measured it. It now refuses, naming what to remove.
     */
    @Test
    void whenTwoTomcatVersionsAreUnpackedThenRunTomcatRefusesToChooseExits2AndWritesNoResults(@TempDir Path dir)
            throws Exception {
        Path results = dir.resolve("results");
        Path older = Path.of("target", "containers", "apache-tomcat-11.0.0").toAbsolutePath();
        Files.createDirectories(older);
        try {
            ProcessBuilder builder = new ProcessBuilder("benchmarks/run-tomcat.sh", "--quick", "--no-build")
                    .directory(ROOT.toFile());
            builder.environment().put("RESULTS_DIR", results.toString());
            Result result = run(builder, dir);
            assertEquals(2, result.status(), result.output());
            assertTrue(result.output().contains("more than one Tomcat or JwtGate distribution in ")
                    && result.output().contains("remove benchmarks/target and run again"), result.output());
            assertFalse(Files.exists(results), "a results file of no run");
        } finally {
            Files.delete(older);
        }
    }

    /** --max-staleness-ms becomes revocation.max-staleness-ms: a value the setting refuses is a bad option. */
    @Test
    void whenScaleBenchmarksStalenessIsOutsideTheSettingsRangeThenItNamesTheOptionInOneLineAndExits2(@TempDir Path dir)
            throws Exception {
        Result result = runMain("ScaleBenchmark", List.of("--instances", "1", "--max-staleness-ms", "70000"), dir);
        assertEquals(2, result.status(), result.output());
        assertEquals("Option [--max-staleness-ms] must be a whole number from 1 to 60000: [70000]", result.output().strip());
    }

    @Test
    void whenJavaHomeIsNoJdkThenRunHttpSaysSoAndExits2AsTheOtherScriptsDo(@TempDir Path dir) throws Exception {
        Path noJdk = dir.resolve("no-jdk");
        ProcessBuilder builder = new ProcessBuilder("benchmarks/run-http.sh", "--store", "memory").directory(ROOT.toFile());
        builder.environment().put("JAVA_HOME", noJdk.toString());
        Result result = run(builder, dir);
        assertEquals(2, result.status(), result.output());
        assertEquals("no JDK at " + noJdk + " (expected " + noJdk + "/bin/java)", result.output().strip());
    }

    /** Maven exports no JAVA_HOME: without one the scripts take the JDK of the java a user would run, not a fixed path. */
    @Test
    void whenJavaHomeIsUnsetThenTheScriptsTakeTheJdkOfTheJavaOnThePath(@TempDir Path dir) throws Exception {
        Path jdk = Path.of(System.getProperty("java.home")).toRealPath();
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("java"), jdk.resolve("bin").resolve("java"));
        ProcessBuilder builder = new ProcessBuilder("/bin/bash", "-c",
                "source benchmarks/jdk.sh && use_jdk && echo \"$JAVA_HOME\"").directory(ROOT.toFile());
        builder.environment().remove("JAVA_HOME");
        builder.environment().put("PATH", bin + ":/usr/bin:/bin");
        Result result = runAsIs(builder, dir);
        assertEquals(0, result.status(), result.output());
        assertEquals(jdk.toString(), result.output().strip());

        builder.environment().put("PATH", dir.resolve("nothing").toString());
        result = runAsIs(builder, dir);
        assertEquals(2, result.status(), result.output());
        assertEquals("no JDK: give JDK_HOME, set JAVA_HOME or put java on the PATH", result.output().strip());
    }

    /** The harness refuses a bad TOMCAT_ARGS option before it starts anything: no run, so no results file either. */
    @Test
    void whenTomcatArgsHoldABadOptionThenRunTomcatNamesItExits2AndKeepsNoResultsFile(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results");
        ProcessBuilder builder = new ProcessBuilder("benchmarks/run-tomcat.sh", "--quick", "--no-build").directory(ROOT.toFile());
        builder.environment().put("RESULTS_DIR", results.toString());
        builder.environment().put("TOMCAT_ARGS", "--rounds x");
        Result result = run(builder, dir);
        assertEquals(2, result.status(), result.output());
        assertEquals("Option [--rounds] must be a whole number >= 1: [x]", result.output().strip());
        assertFalse(Files.exists(results), "a results file of no run");
    }

    /** --help in TOMCAT_ARGS is answered as the script's own --help is: the harness's usage, exit 0, no run. */
    @Test
    void whenTomcatArgsAskForHelpThenRunTomcatPrintsTheHarnessesUsageExits0AndWritesNoResults(@TempDir Path dir)
            throws Exception {
        Path results = dir.resolve("results");
        for (String help : List.of("--help", "-h")) {
            ProcessBuilder builder = new ProcessBuilder("benchmarks/run-tomcat.sh", "--quick", "--no-build").directory(ROOT.toFile());
            builder.environment().put("RESULTS_DIR", results.toString());
            builder.environment().put("TOMCAT_ARGS", help);
            assertUsageAndNoRun(run(builder, dir), "TomcatWarBenchmark", results, "TOMCAT_ARGS " + help);
        }
    }

    /**
     * VirtualThreadRun's --help after run-vthreads.sh's "--": on JDK 21 or later its usage, exit 0; on JDK 17 the
     * refusal of a JDK without virtual threads, exit 2. Neither runs anything, so neither leaves a results file.
     */
    @Test
    void whenRunVthreadsPassesHelpToTheHarnessThenItPrintsItsUsageOrRefusesTheJdkAndWritesNoResults(@TempDir Path dir)
            throws Exception {
        Path results = dir.resolve("results");
        for (String help : List.of("--help", "-h")) {
            ProcessBuilder builder = new ProcessBuilder("benchmarks/run-vthreads.sh", "--no-build",
                    System.getProperty("java.home"), "--", help).directory(ROOT.toFile());
            builder.environment().put("RESULTS_DIR", results.toString());
            Result result = run(builder, dir);
            if (Runtime.version().feature() < 21) {
                assertEquals(2, result.status(), help + ": " + result.output());
                assertEquals("virtual threads need JDK 21 or later; this is " + Runtime.version(), result.output().strip());
                assertFalse(Files.exists(results), help + ": a results file of no run");
            } else {
                assertUsageAndNoRun(result, "VirtualThreadRun", results, "-- " + help);
            }
        }
    }

    /**
     * HTTP_ARGS and PROPAGATION_ARGS reach their harness after JMH, minutes into a full run: a bad option there is
     * refused before JMH starts. JMH_ARGS excludes every benchmark, so a script that started JMH anyway fails at once
     * (exit 1) instead of measuring.
     */
    @Test
    void whenHttpOrPropagationArgsHoldABadOptionThenTheScriptRefusesItBeforeJmhAndWritesNoResults(@TempDir Path dir)
            throws Exception {
        Map<List<String>, String> expected = new LinkedHashMap<>();
        expected.put(List.of("benchmarks/run-all.sh", "HTTP_ARGS", "--rounds x"),
                "Option [--rounds] must be a whole number >= 1: [x]");
        expected.put(List.of("benchmarks/run-all.sh", "PROPAGATION_ARGS", "--trials 0"),
                "Option [--trials] must be a whole number >= 1: [0]");
        expected.put(List.of("benchmarks/run-dpop.sh", "HTTP_ARGS", "--proofs HS256"),
                "Option [--proofs] takes ES256, EdDSA, RS256, PS256: [HS256]");
        Path results = dir.resolve("results");
        for (Map.Entry<List<String>, String> script : expected.entrySet()) {
            List<String> args = script.getKey();
            Result result = runBeforeJmh(args.get(0), Map.of(args.get(1), args.get(2)), results, dir);
            assertEquals(2, result.status(), script.getKey() + ": " + result.output());
            assertEquals(script.getValue(), result.output().strip(), script.getKey().toString());
            assertFalse(Files.exists(results), script.getKey() + ": a results file of no run");
        }
    }

    /** --help there is answered in the same check: the harness's usage, exit 0 as for the scripts' own --help, no run. */
    @Test
    void whenHttpOrPropagationArgsAskForHelpThenTheScriptPrintsThatHarnessesUsageExits0AndRunsNothing(@TempDir Path dir)
            throws Exception {
        Map<List<String>, String> harnesses = new LinkedHashMap<>();
        harnesses.put(List.of("benchmarks/run-all.sh", "HTTP_ARGS"), "HttpBenchmark");
        harnesses.put(List.of("benchmarks/run-all.sh", "PROPAGATION_ARGS"), "PropagationBenchmark");
        harnesses.put(List.of("benchmarks/run-dpop.sh", "HTTP_ARGS"), "DpopHttpBenchmark");
        Path results = dir.resolve("results");
        for (Map.Entry<List<String>, String> script : harnesses.entrySet()) {
            for (String help : List.of("--help", "-h")) {
                Result result = runBeforeJmh(script.getKey().get(0), Map.of(script.getKey().get(1), help), results, dir);
                assertUsageAndNoRun(result, script.getValue(), results, script.getKey() + " " + help);
            }
        }
    }

    /**
     * JMH's own questions in JMH_ARGS are answered by JMH, with the script's settings (-l: what the run would measure),
     * and the script stops there, exit 0: no results file, no HTTP or propagation part. RESULTS_DIR lies under a file,
     * so a script that began a results file anyway would fail there (exit 1) at once, before anything measures.
     */
    @Test
    void whenJmhArgsAskJmhAQuestionThenTheScriptPrintsJmhsAnswerExits0AndRunsNothing(@TempDir Path dir) throws Exception {
        Path results = Files.createFile(dir.resolve("a-file")).resolve("results");
        Map<String, String> answers = new LinkedHashMap<>(); // a line of each answer
        answers.put("-h", "Usage: java -jar ... [regexp*] [options]");
        answers.put("-l", "Benchmarks:");
        answers.put("-lp", "Benchmarks:");
        answers.put("-lprof", "Supported profilers:");
        answers.put("-lrf", "Available formats: text, csv, scsv, json, latex");
        // JMH (jopt-simple) also takes them with "--" and abbreviated: it answered these too, into the log, and went on.
        answers.put("--l", "Benchmarks:");
        answers.put("-lr", "Available formats: text, csv, scsv, json, latex");
        answers.put("--lpro", "Supported profilers:");
        for (String script : List.of("benchmarks/run-all.sh", "benchmarks/run-dpop.sh")) {
            for (Map.Entry<String, String> question : answers.entrySet()) {
                ProcessBuilder builder = new ProcessBuilder(script, "--quick", "--no-build", System.getProperty("java.home"))
                        .directory(ROOT.toFile());
                builder.environment().put("RESULTS_DIR", results.toString());
                builder.environment().put("JMH_ARGS", question.getKey());
                Result result = run(builder, dir);
                String what = script + " JMH_ARGS=" + question.getKey() + ": " + result.output();
                assertEquals(0, result.status(), what);
                // Not always the first line: on JDK 25, -lprof's JVM first warns of a restricted method (JMH's AsyncProfiler).
                assertTrue(result.output().lines().map(String::strip).anyMatch(question.getValue()::equals), what);
                if (!question.getKey().equals("-l")) {
                    continue;
                }
                if (script.endsWith("run-dpop.sh")) { // its own include, DpopBenchmark, reached JMH
                    assertEquals(List.of("Benchmarks:", "org.jwtgate.bench.DpopBenchmark.bearerRequest",
                            "org.jwtgate.bench.DpopBenchmark.dpopRequest", "org.jwtgate.bench.DpopBenchmark.proofSigning"),
                            result.output().strip().lines().map(String::strip).toList(), what);
                } else { // and run-all.sh's exclusion below JDK 21
                    assertTrue(result.output().contains("org.jwtgate.bench.VerificationBenchmark."), what);
                    assertEquals(Runtime.version().feature() >= 21, result.output().contains("VirtualThreadBenchmark"), what);
                }
            }
        }
    }

    /**
     * --no-build before anything was built: the scripts, copied to a directory with no jar, say so instead of the JVM's
     * "Could not find or load main class" from the option check that runs before JMH.
     */
    @Test
    void whenNoBuildFindsNoJarThenTheScriptsSaySoExit2AndWriteNoResults(@TempDir Path dir) throws Exception {
        Path copy = copyScripts(dir.resolve("checkout"), "run-all.sh", "run-dpop.sh", "jdk.sh");
        Path jar = copy.toRealPath().resolve("target").resolve("jwtgate-benchmarks.jar");
        Path results = dir.resolve("results");
        for (String script : List.of("run-all.sh", "run-dpop.sh")) {
            ProcessBuilder builder = new ProcessBuilder(copy.resolve(script).toString(), "--quick", "--no-build",
                    System.getProperty("java.home")).directory(copy.getParent().toFile());
            builder.environment().put("RESULTS_DIR", results.toString());
            Result result = run(builder, dir);
            assertEquals(2, result.status(), script + ": " + result.output());
            assertEquals("no " + jar + ": run without --no-build to build it", result.output().strip(), script);
            assertFalse(Files.exists(results), script + ": a results file of no run");
        }
    }

    /** Options after JDK_HOME (as in "run-tomcat.sh /usr/lib/jvm/temurin-25-jdk-amd64 --quick") count as before it. */
    @Test
    void whenAnArgumentFollowsTheJdkThenTheScriptsReadItAndRefuseWhatIsWrong(@TempDir Path dir) throws Exception {
        String jdk = System.getProperty("java.home");
        String noFile = dir.resolve("jwtgate-filter-core-1.0.0.jar").toString();
        Map<List<String>, String> expected = new LinkedHashMap<>();
        expected.put(List.of("benchmarks/run-tomcat.sh", "--no-build", jdk, "--before-jar", noFile),
                "Option [--before-jar] names no file: [" + noFile + "]");
        expected.put(List.of("benchmarks/run-dpop.sh", "--no-build", jdk, "--quik"), "unknown option: --quik");
        expected.put(List.of("benchmarks/run-all.sh", "--no-build", jdk, "--quick", "17"),
                "one JDK_HOME only: [" + jdk + "] and [17]");
        Path results = dir.resolve("results");
        for (Map.Entry<List<String>, String> script : expected.entrySet()) {
            ProcessBuilder builder = new ProcessBuilder(script.getKey()).directory(ROOT.toFile());
            builder.environment().put("RESULTS_DIR", results.toString());
            Result result = run(builder, dir);
            assertEquals(2, result.status(), script.getKey() + ": " + result.output());
            assertEquals(script.getValue(), result.output().strip(), script.getKey().toString());
            assertFalse(Files.exists(results), script.getKey() + ": a results file of no run");
        }
    }

    @Test
    void whenHelpIsAskedThenEveryScriptAndHarnessPrintsItsUsageAndExits0(@TempDir Path dir) throws Exception {
        for (String script : List.of("run-all", "run-dpop", "run-tomcat", "run-http", "run-vthreads")) {
            for (String help : List.of("--help", "-h")) {
                Result result = run(new ProcessBuilder("benchmarks/" + script + ".sh", help).directory(ROOT.toFile()), dir);
                assertEquals(0, result.status(), script + " " + help + ": " + result.output());
                assertTrue(result.output().contains("Usage: benchmarks/" + script + ".sh ["), script + " " + help + ": " + result.output());
            }
        }
        Map<String, String> harnesses = Map.of("PropagationBenchmark", "--trials 500", "ScaleBenchmark", "--instances 1,10,100,1000",
                "HttpBenchmark", "--rounds 1", "TomcatWarBenchmark", "--before-jar");
        for (Map.Entry<String, String> harness : harnesses.entrySet()) {
            Result result = runMain(harness.getKey(), List.of("--help"), dir);
            assertEquals(0, result.status(), harness.getKey() + ": " + result.output());
            assertTrue(result.output().contains("org.jwtgate.bench." + harness.getKey())
                    && result.output().contains(harness.getValue()), harness.getKey() + ": " + result.output());
        }
    }

    record Result(int status, String output) {
    }

    /** A harness's answer to --help, all the script printed (the usage and the options: no JMH or "Results:" line). */
    private static void assertUsageAndNoRun(Result result, String harness, Path results, String what) {
        assertEquals(0, result.status(), what + ": " + result.output());
        assertTrue(result.output().startsWith("usage: java -cp benchmarks/target/jwtgate-benchmarks.jar "
                + "org.jwtgate.bench." + harness + " [--option value]..."), what + ": " + result.output());
        assertEquals(2, result.output().strip().lines().count(), what + ": " + result.output());
        assertFalse(Files.exists(results), what + ": a results file of no run");
    }

    /** {@code checkout}/benchmarks holding copies of these scripts and nothing else (no jar): its path. */
    static Path copyScripts(Path checkout, String... scripts) throws IOException {
        Path copy = Files.createDirectories(checkout.resolve("benchmarks"));
        for (String script : scripts) {
            Files.copy(ROOT.resolve("benchmarks").resolve(script), copy.resolve(script),
                    java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
        return copy;
    }

    /** A script's --quick --no-build run on this JDK, JMH_ARGS excluding every benchmark: at JMH it stops at once. */
    static Result runBeforeJmh(String script, Map<String, String> environment, Path results, Path dir) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(script, "--quick", "--no-build", System.getProperty("java.home"))
                .directory(ROOT.toFile());
        builder.environment().put("RESULTS_DIR", results.toString());
        builder.environment().put("JMH_ARGS", JMH_ARGS_EXCLUDING_EVERY_BENCHMARK);
        builder.environment().putAll(environment);
        return run(builder, dir);
    }

    private static Result runMain(String harness, List<String> args, Path dir) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", JAR.toString(), "org.jwtgate.bench." + harness));
        command.addAll(args);
        return run(new ProcessBuilder(command), dir);
    }

    /**
     * Runs a command with its output in a file; one that is still running after a minute is measuring: stopped. The
     * scripts take this test's JDK unless the test names another (Maven exports no JAVA_HOME).
     */
    private static Result run(ProcessBuilder builder, Path dir) throws Exception {
        builder.environment().putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
        return runAsIs(builder, dir);
    }

    private static Result runAsIs(ProcessBuilder builder, Path dir) throws Exception {
        Path output = Files.createTempFile(dir, "output", ".txt");
        Process process = builder.redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    private static Path only(Path dir, String prefix) throws Exception {
        try (Stream<Path> dirs = Files.list(dir)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith(prefix)).findFirst().orElseThrow();
        }
    }
}
