package org.jwtgate.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * operations.md's option table says a {@code --config FILE} that does not exist, is over 1 MiB or is no regular file
 * ({@code /dev/zero}) "is refused, exit 2". {@code gen-secret} reads no settings: it took any {@code --config} and
 * {@code --set} value and exited 0, so a script that checks {@code jwtgate --config "$CONF" gen-secret} learned nothing
 * of a wrong path. Both options are now refused with it (exit 2), naming the option.
 */
class GenSecretOptionsTest {

    @Test
    void whenGenSecretIsGivenConfigOrSetThenRefusedNamingTheOption() {
        CliRun missing = CliRun.of(Map.of(), "--config", "/nonexistent/jwtgate.properties", "gen-secret");
        CliRun device = CliRun.of(Map.of(), "--config", "/dev/zero", "gen-secret");
        CliRun badSet = CliRun.of(Map.of(), "--set", "redis.nodes=redis://not-host-port", "gen-secret");
        CliRun status = CliRun.of(Map.of(), "--config", "/nonexistent/jwtgate.properties", "status", "x");
        assertAll(
                () -> assertEquals(ExitCode.INVALID_INPUT, status.exitCode(), "status refuses it: " + status),
                () -> assertEquals(ExitCode.INVALID_INPUT, missing.exitCode(), missing.toString()),
                () -> assertFalse(missing.out().startsWith("base64:"), missing.toString()),
                () -> assertEquals(ExitCode.INVALID_INPUT, device.exitCode(), device.toString()),
                () -> assertEquals(ExitCode.INVALID_INPUT, badSet.exitCode(), badSet.toString()),
                () -> assertTrue(missing.err().contains("Option [--config] is not for gen-secret"), missing.toString()),
                () -> assertTrue(badSet.err().contains("Option [--set] is not for gen-secret"), badSet.toString()),
                () -> assertFalse(badSet.err().contains("not-host-port"), "the value is not printed: " + badSet));
    }
}
