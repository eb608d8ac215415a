package org.jwtgate.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Review: operations.md's option table says a {@code --config FILE} that does not exist, is over 1 MiB or is no
 * regular file ({@code /dev/zero}) "is refused, exit 2", and {@code --set} gives "one setting". {@code gen-secret}
 * never loads the settings, so it takes any {@code --config} and {@code --set} value and exits 0: a script that checks
 * {@code jwtgate --config "$CONF" gen-secret} learns nothing of a wrong path.
 */
class ReviewGenSecretOptionsTest {

    @Test
    void whenGenSecretIsGivenAConfigFileThatCannotBeReadThenRefusedAsForEveryCommand() {
        CliRun missing = CliRun.of(Map.of(), "--config", "/nonexistent/jwtgate.properties", "gen-secret");
        CliRun device = CliRun.of(Map.of(), "--config", "/dev/zero", "gen-secret");
        CliRun badSet = CliRun.of(Map.of(), "--set", "redis.nodes=redis://not-host-port", "gen-secret");
        CliRun status = CliRun.of(Map.of(), "--config", "/nonexistent/jwtgate.properties", "status", "x");
        assertAll(
                () -> assertEquals(ExitCode.INVALID_INPUT, status.exitCode(), "status refuses it: " + status),
                () -> assertEquals(ExitCode.INVALID_INPUT, missing.exitCode(), missing.toString()),
                () -> assertFalse(missing.out().startsWith("base64:"), missing.toString()),
                () -> assertEquals(ExitCode.INVALID_INPUT, device.exitCode(), device.toString()),
                () -> assertEquals(ExitCode.INVALID_INPUT, badSet.exitCode(), badSet.toString()));
    }
}
