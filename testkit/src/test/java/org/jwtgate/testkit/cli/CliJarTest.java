package org.jwtgate.testkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jwtgate.testkit.process.BoundedCommands;

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

    @Test
    void whenTheJarsPathHoldsSpacesAndQuotesThenTheCommandKeepsItOneShellWord() throws Exception {
        Path jar = directory.resolve("my project's \"cli\"").resolve("jwtgate cli.jar");
        CliJar cli = new CliJar(jar, null, Duration.ofSeconds(60));

        assertEquals(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()),
                wordsAsShellSplitsThem(cli.command()));
    }

    @Test
    void whenTheLaunchersPathHoldsSpacesAndQuotesThenTheCommandIsThatOneShellWord() throws Exception {
        Path launcher = directory.resolve("it's a dir").resolve("bin").resolve("jwtgate");
        CliJar cli = new CliJar(directory.resolve("unused.jar"), launcher, Duration.ofSeconds(60));

        assertEquals(List.of(launcher.toString()), wordsAsShellSplitsThem(cli.command()));
    }

    /** The words {@code sh} makes of {@code command}, one a line, as {@code sh -c "exec " + command} would run them. */
    private List<String> wordsAsShellSplitsThem(String command) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "a POSIX shell");
        BoundedCommands.Finished shell = BoundedCommands.run(
                new ProcessBuilder("/bin/sh", "-c", "set -- " + command + "; printf '%s\\n' \"$@\""), Duration.ofSeconds(60));
        assertEquals(0, shell.exitValue(), shell.output());
        return shell.output().lines().toList();
    }

    private Path script(String name, String body) throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "a POSIX shell");
        Path script = directory.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }
}
