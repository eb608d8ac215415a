package org.jwtgate.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.jwtgate.testkit.cli.CliJar;
import org.jwtgate.testkit.process.BoundedCommands;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * {@code status -} (and {@code revoke-token -}) at a terminal, the documented way to keep a token out of the
 * shell history and {@code ps} ("at a terminal, Enter ends the token"): the token is read with the terminal's echo off,
 * so the token pasted there is not written back to the screen, its scrollback or a session recording ({@code script},
 * tmux logs, a shared screen), and a paste of several lines is still refused. A pseudo-terminal from util-linux
 * {@code script} (skipped without it); the token is pasted after the JVM has started, as an operator does. The test's
 * own standard input is not used (the paste comes from a pipe into {@code script}).
 */
class TerminalEchoIT {

    private static final CliJar CLI = CliJar.locate();

    @Test
    void whenTheTokenIsPastedAtATerminalThenItIsNotEchoedBack() {
        String token = TestTokens.hs256("alice");
        String signature = token.substring(token.lastIndexOf('.') + 1);

        BoundedCommands.Finished cli = pasted(token + "\n");

        String output = cli.output();
        assertAll(
                () -> assertEquals(0, cli.exitValue(), output),
                () -> assertTrue(output.contains("valid: sub=alice "), output),
                () -> assertFalse(output.contains(signature), "the token pasted at the terminal is echoed back: " + output));
    }

    /** Read with echo off, a paste of two lines is still refused: the console keeps the second in its own buffer. */
    @Test
    void whenTwoTokensArePastedAtATerminalThenRefusedAndNeitherEchoed() {
        String first = TestTokens.hs256("alice");
        String second = TestTokens.hs256("bob");

        BoundedCommands.Finished cli = pasted(first + "\n" + second + "\n");

        String output = cli.output();
        assertAll(
                () -> assertEquals(2, cli.exitValue(), output),
                () -> assertTrue(output.contains("Standard input holds more than one line"), output),
                () -> assertFalse(output.contains(first.substring(first.lastIndexOf('.') + 1))
                        || output.contains(second.substring(second.lastIndexOf('.') + 1)), "echoed back: " + output));
    }

    /** {@code status -} in a pseudo-terminal, {@code text} pasted (one write) 3 s after it started. */
    private static BoundedCommands.Finished pasted(String text) {
        // Never skipped: Debian's bsdutils, which holds script, is an essential package.
        assertTrue(Files.isExecutable(Path.of("/usr/bin/script")), "util-linux script for a pseudo-terminal");
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", "(sleep 3; printf '%s' \"$PASTED\"; sleep 6)"
                + " | script -qec \"exec " + CLI.command() + " status -\" /dev/null");
        builder.environment().keySet().removeIf(name -> name.startsWith("JWTGATE_"));
        builder.environment().put("JWTGATE_JWT_SECRET", TestTokens.SECRET);
        builder.environment().put("JWTGATE_JWT_ISSUER", TestTokens.ISSUER);
        builder.environment().put("JWTGATE_JWT_AUDIENCE", TestTokens.AUDIENCE);
        builder.environment().put("JWTGATE_REVOCATION_STORE", "none");
        builder.environment().put("PASTED", text);
        return BoundedCommands.run(builder, Duration.ofSeconds(60));
    }
}
