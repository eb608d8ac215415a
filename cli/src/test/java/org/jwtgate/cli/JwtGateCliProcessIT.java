package org.jwtgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.jwtgate.testkit.cli.CliJar;
import org.jwtgate.testkit.process.BoundedCommands;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * The shaded CLI jar as a real process, for what the in-process runs cannot show: the heap a file read whole
 * exhausts, and what a JVM sees as standard input. No Redis: the memory store.
 */
class JwtGateCliProcessIT {

    private static final CliJar CLI = CliJar.locate();

    private static Map<String, String> env() {
        return Map.of("JWTGATE_JWT_SECRET", TestTokens.SECRET, "JWTGATE_JWT_ISSUER", TestTokens.ISSUER,
                "JWTGATE_REVOCATION_STORE", "none", "JAVA_OPTS", "-Xmx64m");
    }

    @Test
    void whenTheConfigFileIsADeviceThatNeverEndsThenExit2NamingItNotAnOutOfMemoryError() {
        // Before: "Exception in thread "main" java.lang.OutOfMemoryError: Java heap space at
        // java.util.Properties$LineReader.readLine …", exit 1.
        assumeTrue(Files.isReadable(Path.of("/dev/zero")), "a system with /dev/zero");
        CliJar.Result run = CLI.runWithStdin(env(), TestTokens.hs256("alice") + "\n", "--config", "/dev/zero", "status", "-");
        assertEquals(ExitCode.INVALID_INPUT.status(), run.exitCode(), run.toString());
        assertEquals("jwtgate: Cannot read [config.file] file [/dev/zero]: not a regular file (a device or a pipe) (from"
                + " the file given)", run.err().strip());
    }

    @Test
    void whenStandardInputIsClosedThenStatusSaysNoTokenWasThere() throws Exception {
        // `status - <&-`: the JVM's first open file took descriptor 0, and its bytes were read as the token. Before:
        // "Standard input holds more than one line, and the command takes one token: run it once per token".
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "a system with /proc");
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", "exec " + CLI.command() + " status - <&-");
        builder.environment().keySet().removeIf(name -> name.startsWith("JWTGATE_"));
        builder.environment().putAll(env());
        BoundedCommands.Finished cli = BoundedCommands.run(builder, Duration.ofSeconds(60));
        String output = cli.output();
        assertEquals(ExitCode.INVALID_INPUT.status(), cli.exitValue(), output);
        assertEquals("jwtgate: No token on standard input (it was empty or closed); with -, the token is read from"
                + " standard input, e.g. status - < token.txt", output.strip());
    }

    @Test
    void whenCronRunsRevokeUserOfANonAsciiNameWithoutALocaleThenRefusedInsteadOfRevokingAnotherName() throws Exception {
        // No LANG, as cron and systemd run it: the JVM decodes "josé" as ASCII, "jos\uFFFD\uFFFD". Before: that user
        // was revoked ("Revoked every token of sub=jos??", exit 0) and josé's tokens stayed valid; here, with the
        // memory store, the command went on to "Setting [revocation.store] is [memory]".
        // Linux: without a locale the JVM decodes arguments as ASCII (macOS always takes UTF-8).
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "Linux");
        ProcessBuilder builder = new ProcessBuilder("sh", "-c",
                "exec " + CLI.command() + " revoke-user \"$(printf 'jos\\303\\251')\"");
        builder.environment().keySet().removeIf(name -> name.startsWith("JWTGATE_") || name.startsWith("LC_")
                || name.equals("LANG") || name.equals("LANGUAGE"));
        builder.environment().putAll(env());
        builder.environment().put("JWTGATE_REVOCATION_STORE", "memory");
        BoundedCommands.Finished cli = BoundedCommands.run(builder, Duration.ofSeconds(60));
        String output = cli.output();
        assertEquals(ExitCode.INVALID_INPUT.status(), cli.exitValue(), output);
        assertTrue(output.startsWith("jwtgate: The subject operand holds U+FFFD at position 4"), output);
    }

    @Test
    void whenRunWithoutAUtf8LocaleThenStatusStillPrintsANonAsciiSubjectAsItIs() {
        // LANG=C, as cron runs it: the JVM wrote "sub=jos?", and a script passing that on revoked a user named "jos?".
        Map<String, String> env = new java.util.HashMap<>(env());
        env.put("LANG", "C");
        CliJar.Result run = CLI.runWithStdin(env, TestTokens.hs256("josé") + "\n", "status", "-");
        assertEquals(ExitCode.OK.status(), run.exitCode(), run.toString());
        assertTrue(run.out().startsWith("valid: sub=josé "), run.out());
    }

    @Test
    void whenVerboseThenTheJwksUrlsQueryIsNotLoggedByTheLibrariesEither() {
        // Before: the default level DEBUG let the JDK's HTTP client log "… send https://127.0.0.1:…/jwks?api_key=… GET".
        int closedPort = org.jwtgate.testkit.process.ServerProcesses.freeLoopbackPort(); // nothing listens there
        Map<String, String> env = new java.util.HashMap<>(env());
        env.remove("JWTGATE_JWT_SECRET");
        env.put("JWTGATE_JWT_JWKS_URI", "https://127.0.0.1:" + closedPort + "/jwks?api_key=TOPSECRETKEY");
        String token = TestTokens.sign(TestTokens.claims("alice"), "RS256", TestTokens.rsaKeyPair().getPrivate(), jws -> { });
        CliJar.Result run = CLI.run(env, "--verbose", "status", token);
        assertEquals(ExitCode.UNAVAILABLE.status(), run.exitCode(), run.toString());
        assertTrue(run.err().contains("\tat org.jwtgate."), "the stack trace --verbose adds: " + run.err());
        assertTrue(run.err().contains("api_key=****"), run.err());
        assertFalse(run.err().contains("TOPSECRETKEY"), run.err());
    }

    @Test
    void whenCtrlCInterruptsACommandThenItExits130AsTheExitCodesSay() throws Exception {
        // Ctrl-C on `status -` waiting for its token: the JVM exits 128 + SIGINT's 2. Before, 130 was in neither the
        // table of docs/operations.md nor --help's list, which ExitCode makes.
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "Linux: kill -INT");
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", "exec " + CLI.command() + " status -");
        builder.environment().keySet().removeIf(name -> name.startsWith("JWTGATE_"));
        builder.environment().putAll(env());
        builder.redirectErrorStream(true);
        Process cli = builder.start(); // standard input stays open: the command waits for its token
        try {
            Thread.sleep(2_000);
            assertTrue(cli.isAlive(), "ended before Ctrl-C");
            assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(cli.pid())).start().waitFor());
            assertTrue(cli.waitFor(30, TimeUnit.SECONDS), "still running 30 s after SIGINT");
            assertEquals(ExitCode.INTERRUPTED.status(), cli.exitValue());
        } finally {
            cli.destroyForcibly();
        }
    }
}
