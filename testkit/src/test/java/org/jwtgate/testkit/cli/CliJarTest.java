package org.jwtgate.testkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliJarTest {

    @TempDir
    Path directory;

    @Test
    void whenARunWithoutArgumentsTimesOutThenAnIllegalStateExceptionSaysSo() throws IOException {
        // A zero timeout ends the wait at once: the launcher, still sleeping, is then killed.
        CliJar cli = new CliJar(directory.resolve("unused.jar"), script("sleeps", "exec sleep 30"), Duration.ZERO);

        IllegalStateException timeout = assertThrows(IllegalStateException.class, () -> cli.run(Map.of()));

        assertEquals("CLI did not finish within 0 s: run without arguments", timeout.getMessage());
    }

    private Path script(String name, String body) throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "a POSIX shell");
        Path script = directory.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }
}
