package org.jwtgate.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * run-all.sh and run-dpop.sh treat JMH's exit status as the verdict ("JMH failed; see ..." and exit 1). JMH exits 0
 * when a benchmark throws unless told {@code -foe true}: the configuration is then missing from the results table and
 * the script reports success. Here JMH runs with each script's own settings against a benchmark whose set-up throws.
 */
class JmhScriptFailureStatusTest {

    private static final Pattern SETTINGS = Pattern.compile("(?m)^\\s*jmh_settings=\\(([^)]*)\\)");

    @ParameterizedTest
    @ValueSource(strings = {"run-all.sh", "run-dpop.sh"})
    void whenABenchmarkThrowsThenJmhRunAsTheScriptRunsItExitsNonZero(String script) throws Exception {
        Matcher m = SETTINGS.matcher(Files.readString(Path.of(script)));
        List<List<String>> found = new ArrayList<>();
        while (m.find()) {
            found.add(Arrays.stream(m.group(1).trim().split("\\s+")).toList());
        }
        assertFalse(found.isEmpty(), "no jmh_settings in " + script);
        for (List<String> settings : found) {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "org.openjdk.jmh.Main",
                    "VerificationBenchmark.repeatedToken", "-p", "algorithm=NOT-AN-ALGORITHM"));
            for (int i = 0; i < settings.size(); i++) {
                String token = settings.get(i);
                boolean selector = !token.startsWith("-") && (i == 0 || !settings.get(i - 1).startsWith("-"));
                if (!selector) {
                    command.add(token); // the script's options; its benchmark selector is left out
                }
            }
            if (!settings.contains("revocation=memory")) {
                command.addAll(List.of("-p", "revocation=memory"));
            }
            command.addAll(List.of("-prof", "gc")); // as the script adds
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "JMH did not end");
            assertTrue(output.contains("Unknown algorithm [NOT-AN-ALGORITHM]"), "the benchmark did not fail as meant:\n" + output);
            assertNotEquals(0, process.exitValue(), script + " runs JMH with " + settings
                    + ": a benchmark threw, yet JMH exited 0, so the script reports success and the results table silently"
                    + " lacks that configuration");
        }
    }
}
