package org.jwtgate.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jwtgate.testkit.process.BoundedCommands;

/**
 * {@code verify.sh}'s package step, run for real on a copy of the script whose commands ({@code apt-get},
 * {@code redis-server}, {@code ./mvnw} …) are stubs: what it asks {@code apt-get} to install on a fresh machine,
 * and on one that already has what the tests use.
 */
class VerifyScriptTest {

    private static final Path SCRIPT = Path.of("..", "verify.sh");
    /** The system commands verify.sh runs besides the stubbed ones; nothing else is on the stubbed PATH. */
    private static final List<String> SYSTEM_COMMANDS = List.of("dirname", "sed", "head", "id", "cat", "tr", "seq");

    @TempDir
    Path dir;

    @Test
    void whenRedisServerNamesABinaryOffThePathThenVerifyInstallsNoRedisServer() throws Exception {
        Path bin = sandboxWithAllButRedisServer();
        Path ownRedis = ownRedisServer();

        Result result = run(bin, "REDIS_SERVER=" + ownRedis);

        assertEquals(0, result.exitCode(), result.output());
        assertEquals("", apt(), "the tests take REDIS_SERVER: nothing to install\n" + result.output());
        assertTrue(result.output().contains("mvnw -B -T 2 verify"), result.output());
    }

    /**
     * A relative path, run from another folder: verify.sh looked for it from the repository (and installed Debian's
     * redis-server), the rig from each module's folder. It is made absolute from where verify.sh was run.
     */
    @Test
    void whenRedisServerIsARelativePathThenTheTestsGetItAbsoluteFromWhereVerifyRan() throws Exception {
        Path bin = sandboxWithAllButRedisServer();
        Path ownRedis = ownRedisServer();

        Result result = run(dir, bin, "REDIS_SERVER=redis-7.2/src/redis-server");

        assertEquals(0, result.exitCode(), result.output());
        assertEquals("", apt(), "the tests take REDIS_SERVER: nothing to install\n" + result.output());
        assertTrue(result.output().contains("mvnw -B -T 2 verify REDIS_SERVER=" + ownRedis + "\n"), result.output());
    }

    @Test
    void whenNothingIsInstalledThenVerifyInstallsRedisWithItsCliChromiumAndWrk() throws Exception {
        Path bin = sandbox();

        Result result = run(bin);

        String apt = apt();
        for (String wanted : List.of("redis-server", "chromium", "chromium-driver", "wrk")) {
            assertTrue(apt.contains(" " + wanted), "fresh machine: " + wanted + " is installed\n" + apt + result.output());
        }
        assertFalse(result.output().contains("mvnw -B -T 2 verify"), "the stubs installed nothing: no Redis 7\n" + result.output());
    }

    /**
     * A fresh VM's unattended upgrades hold the package lists' lock, which no apt option waits for: update is tried
     * again (the diff review saw `-o DPkg::Lock::Timeout` fail at once: "Could not get lock /var/lib/apt/lists/lock").
     */
    @Test
    void whenAptGetUpdateFindsItsLockHeldThenVerifyTriesAgain() throws Exception {
        Path bin = sandbox();
        Path heldOnce = dir.resolve("held-once");
        stub(bin, "apt-get", "echo \"apt-get $*\" >> '" + dir.resolve("apt.log") + "'\n"
                + "if [ \"$1\" != install ] && [ ! -e '" + heldOnce + "' ]; then : > '" + heldOnce + "';"
                + " echo 'E: Could not get lock /var/lib/apt/lists/lock' >&2; exit 100; fi");
        stub(bin, "sleep", "");

        run(bin);

        List<String> calls = apt().lines().toList();
        assertEquals(3, calls.size(), apt());
        assertTrue(calls.get(0).startsWith("apt-get update") && calls.get(1).startsWith("apt-get update")
                && calls.get(2).startsWith("apt-get install"), apt());
    }

    /** The rig's own REDIS_SERVER value: it was taken for a path, Debian's redis-server installed, then "Redis ?". */
    @Test
    void whenRedisServerIsEmbeddedThenVerifySaysItIsRedis6AndInstallsNothing() throws Exception {
        Path bin = sandbox();

        Result result = run(bin, "REDIS_SERVER= Embedded "); // as the rig reads it: trimmed, in any case

        assertEquals(1, result.exitCode(), result.output());
        assertEquals("verify.sh: REDIS_SERVER=embedded is Redis 6.2, the tests need Redis 7 or later: unset it, or name"
                + " a redis-server 7 binary", result.output().strip());
        assertEquals("", apt());
    }

    /**
     * A path no package can put there: before, verify.sh installed Debian's redis-server all the same, then said
     * "/opt/redis/bin/redis-server is Redis ?, the tests need Redis 7 or later (set REDIS_SERVER)".
     */
    @Test
    void whenRedisServerIsAPathToNoExecutableFileThenVerifyNamesItAndInstallsNothing() throws Exception {
        Path bin = sandbox();
        Path notExecutable = Files.writeString(dir.resolve("redis-server.txt"), "");

        Result missing = run(bin, "REDIS_SERVER=/opt/redis/bin/redis-server");
        Result plainFile = run(bin, "REDIS_SERVER=" + notExecutable);

        assertEquals(1, missing.exitCode(), missing.output());
        assertEquals("verify.sh: REDIS_SERVER is not an executable file: /opt/redis/bin/redis-server", missing.output().strip());
        assertEquals(1, plainFile.exitCode(), plainFile.output());
        assertEquals("verify.sh: REDIS_SERVER is not an executable file: " + notExecutable, plainFile.output().strip());
        assertEquals("", apt());
    }

    /**
     * A bare name no package can bring: before, verify.sh installed Debian's redis-server all the same, then said
     * "redis-server9 is Redis ?, the tests need Redis 7 or later (set REDIS_SERVER)" (a mender's find).
     */
    @Test
    void whenRedisServerNamesNoCommandOnThePathThenVerifyNamesItAndInstallsNothing() throws Exception {
        Path bin = sandbox();

        Result result = run(bin, "REDIS_SERVER=redis-server9");

        assertEquals(1, result.exitCode(), result.output());
        assertEquals("verify.sh: REDIS_SERVER names no command on the PATH: redis-server9", result.output().strip());
        assertEquals("", apt());
    }

    /** Not root and no sudo: before, "sudo: command not found" (exit 127) and nothing said what to do. */
    @Test
    void whenNotRootAndNoSudoThenVerifySaysWhatToInstall() throws Exception {
        Path bin = sandbox();
        Files.delete(bin.resolve("sudo"));
        Files.delete(bin.resolve("id"));
        stub(bin, "id", "echo 1000");

        Result result = run(bin);

        assertEquals(1, result.exitCode(), result.output());
        assertEquals("verify.sh: redis-server chromium chromium-driver wrk must be installed, which needs root or sudo:"
                + " run as root, or install them (Debian packages)", result.output().strip());
        assertEquals("", apt());
    }

    /** A copy of verify.sh with ./mvnw stubbed, and a bin directory holding the stubbed apt-get and the system commands. */
    private Path sandbox() throws IOException, InterruptedException {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        Files.copy(SCRIPT, repo.resolve("verify.sh"));
        stub(repo, "mvnw", "echo \"mvnw $* REDIS_SERVER=${REDIS_SERVER:-}\"");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        stub(bin, "apt-get", "echo \"apt-get $*\" >> '" + dir.resolve("apt.log") + "'");
        stub(bin, "java", "echo 'openjdk version \"17\"' >&2");
        stub(bin, "sudo", "exec \"$@\""); // as another user than root, verify.sh runs apt-get through sudo -n
        for (String command : SYSTEM_COMMANDS) {
            Files.createSymbolicLink(bin.resolve(command), Path.of(which(command)));
        }
        return bin;
    }

    /** The sandbox with every tool but redis-server on its PATH. */
    private Path sandboxWithAllButRedisServer() throws IOException, InterruptedException {
        Path bin = sandbox();
        for (String tool : List.of("chromium", "chromedriver", "wrk", "redis-cli")) {
            stub(bin, tool, "");
        }
        return bin;
    }

    /** A Redis 7.2 built from source, off the PATH: {@code redis-7.2/src/redis-server}. */
    private Path ownRedisServer() throws IOException {
        return stub(Files.createDirectories(dir.resolve("redis-7.2/src")), "redis-server",
                "echo 'Redis server v=7.2.4 sha=00000000:0 malloc=libc bits=64 build=1'");
    }

    private String apt() throws IOException {
        Path log = dir.resolve("apt.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private static Path stub(Path directory, String name, String body) throws IOException {
        Path file = directory.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private static String which(String command) {
        BoundedCommands.Finished which =
                BoundedCommands.run(new ProcessBuilder("/bin/sh", "-c", "command -v " + command), Duration.ofSeconds(10));
        assertEquals(0, which.exitValue(), command + " not found: " + which.output());
        return which.output().strip();
    }

    private record Result(int exitCode, String output) {
    }

    private Result run(Path bin, String... variables) throws IOException, InterruptedException {
        return run(dir.resolve("repo"), bin, variables);
    }

    private Result run(Path workingDirectory, Path bin, String... variables) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(which("bash"), dir.resolve("repo/verify.sh").toString())
                .directory(workingDirectory.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", bin.toString());
        builder.environment().put("HOME", dir.toString());
        for (String variable : variables) {
            int equals = variable.indexOf('=');
            builder.environment().put(variable.substring(0, equals), variable.substring(equals + 1));
        }
        BoundedCommands.Finished verify = BoundedCommands.run(builder, Duration.ofSeconds(60));
        return new Result(verify.exitValue(), verify.output());
    }
}
