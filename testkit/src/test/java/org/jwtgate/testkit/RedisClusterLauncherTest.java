package org.jwtgate.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's command line: the arguments it takes or refuses, parsed in this JVM, and as a user meets it,
 * {@code java … RedisClusterLauncher <args>} in a child JVM (one per exit code), its exit code and what it prints. Every
 * case here ends before a redis-server would start.
 */
class RedisClusterLauncherTest {

    @TempDir
    Path tmp;

    @Test
    void whenHelpStandsAnywhereThenItWinsOverEveryOtherArgument() {
        for (String help : List.of("--help", "-h")) {
            assertNull(RedisClusterLauncher.options(help), help);
            assertNull(RedisClusterLauncher.options("0", help), "0 " + help);
            assertNull(RedisClusterLauncher.options("--masters=3", help), "--masters=3 " + help);
            assertNull(RedisClusterLauncher.options("3", "1", "2", help), "3 1 2 " + help);
            assertNull(RedisClusterLauncher.options("--tls", help, "x"), "--tls " + help + " x");
        }
    }

    @Test
    void whenAnArgumentIsRefusedThenTheMessageNamesIt() {
        assertEquals("Unknown option [--masters=3]", refusal("--masters=3"));
        assertEquals("Illegal number for [replicasPerMaster]: [x]", refusal("3", "x"));
        assertEquals("masters must be in [1, 10000]: 0", refusal("--tls", "0"));
        assertEquals("Unexpected argument [2]: only masters and replicasPerMaster are taken", refusal("3", "1", "2"));
    }

    @Test
    void whenHelpFollowsARefusedCountThenTheUsageGoesToStdoutAndTheExitCodeIs0() throws Exception {
        Run run = launch(Map.of(), "0", "--help");

        assertEquals(0, run.exitCode, run.toString());
        assertTrue(run.out.startsWith("Usage: RedisClusterLauncher [--tls] [masters] [replicasPerMaster]"), run.toString());
        assertTrue(run.out.contains("REDIS_SERVER"), run.toString());
        assertTrue(run.out.contains("-h, --help"), run.toString());
        assertEquals("", run.err, run.toString());
    }

    @Test
    void whenAnOptionIsUnknownThenItIsNamedWithTheUsageAndTheExitCodeIs2WithoutAStackTrace() throws Exception {
        Run run = launch(Map.of(), "--masters=3");

        assertEquals(RedisClusterLauncher.EXIT_USAGE, run.exitCode, run.toString());
        assertTrue(run.err.contains("RedisClusterLauncher: Unknown option [--masters=3]"), run.toString());
        assertTrue(run.err.contains("Usage: RedisClusterLauncher"), run.toString());
        assertNoStackTrace(run);
        assertEquals("", run.out, "stdout carries only the nodes line");
    }

    /** Before, the node count overflowed: exit 1, "the cluster did not start: … Illegal Capacity: -2147483648". */
    @Test
    void whenTheClusterWouldHaveMoreNodesThanPortsThenTheCountIsRefusedWithTheUsageAndTheExitCodeIs2() throws Exception {
        Run run = launch(Map.of(), "3", "2147483647");

        assertEquals(RedisClusterLauncher.EXIT_USAGE, run.exitCode, run.toString());
        assertTrue(run.err.contains("RedisClusterLauncher: replicasPerMaster must be in [0, 9999]: 2147483647"), run.toString());
        assertTrue(run.err.contains("Usage: RedisClusterLauncher"), run.toString());
        assertNoStackTrace(run);
    }

    @Test
    void whenRedisServerCannotBeUsedThenTheReasonIsPrintedWithoutAStackTraceAndTheExitCodeIs1() throws Exception {
        Path missing = tmp.resolve("no-redis-server");

        Run run = launch(Map.of(RedisServerBinary.ENV, missing.toString()), "1", "0");

        assertEquals(RedisClusterLauncher.EXIT_START_FAILED, run.exitCode, run.toString());
        assertTrue(run.err.contains("RedisClusterLauncher: the cluster did not start: redis-server from environment variable "
                + RedisServerBinary.ENV + " is not an executable file: " + missing), run.toString());
        assertNoStackTrace(run);
    }

    private static String refusal(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> RedisClusterLauncher.options(args), String.join(" ", args))
                .getMessage();
    }

    private static void assertNoStackTrace(Run run) {
        assertFalse(run.err.contains("Exception") || run.err.contains("\tat "), "a stack trace: " + run);
    }

    private Run launch(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RedisClusterLauncher.class.getName()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove(RedisServerBinary.ENV);
        builder.environment().putAll(environment);
        Process process = builder.start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("the launcher still runs after 60 s: " + String.join(" ", args));
            }
        } finally {
            process.destroyForcibly();
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
        }
    }
}
