package org.jwtgate.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.jwtgate.testkit.cli.CliJar;
import org.jwtgate.testkit.process.BoundedCommands;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * Review: {@code status -} (and {@code revoke-token -}) at a terminal, the documented way to keep a token out of the
 * shell history and {@code ps} ("at a terminal, Enter ends the token"). The CLI reads it with the terminal's echo on, so
 * the token pasted there is written back to the screen, its scrollback and any session recording ({@code script},
 * tmux logs, a shared screen). A pseudo-terminal from util-linux {@code script}; the token is pasted after the JVM has
 * started, as an operator does.
 */
class ReviewTerminalEchoIT {

    private static final CliJar CLI = CliJar.locate();

    @Test
    void whenTheTokenIsPastedAtATerminalThenItIsNotEchoedBack() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "util-linux script for a pseudo-terminal");
        String token = TestTokens.hs256("alice");
        String signature = token.substring(token.lastIndexOf('.') + 1);
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", "(sleep 3; printf '%s\\n' \"$PASTED\"; sleep 6)"
                + " | script -qec \"exec " + CLI.command() + " status -\" /dev/null");
        builder.environment().keySet().removeIf(name -> name.startsWith("JWTGATE_"));
        builder.environment().put("JWTGATE_JWT_SECRET", TestTokens.SECRET);
        builder.environment().put("JWTGATE_JWT_ISSUER", TestTokens.ISSUER);
        builder.environment().put("JWTGATE_JWT_AUDIENCE", TestTokens.AUDIENCE);
        builder.environment().put("JWTGATE_REVOCATION_STORE", "none");
        builder.environment().put("PASTED", token);

        BoundedCommands.Finished cli = BoundedCommands.run(builder, Duration.ofSeconds(60));

        String output = cli.output();
        assertAll(
                () -> assertEquals(0, cli.exitValue(), output),
                () -> assertTrue(output.contains("valid: sub=alice "), output),
                () -> assertFalse(output.contains(signature), "the token pasted at the terminal is echoed back: " + output));
    }
}
