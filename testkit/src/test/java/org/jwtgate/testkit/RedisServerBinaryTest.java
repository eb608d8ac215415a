package org.jwtgate.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user reads when the redis-server found cannot run the cluster: where it came from and how to name another. */
class RedisServerBinaryTest {

    @TempDir
    Path tmp;

    @Test
    void whenTheBinaryIsOlderThan6ThenTheMessageNamesItsVersionItsSourceAndHowToNameAnother() throws IOException {
        Path old = script("redis-server", "echo 'Redis server v=5.0.7 sha=00000000:0 malloc=jemalloc-5.1.0 bits=64 build=1'");

        RedisClusterException e = locateFailsWithProperty(old);

        assertTrue(e.getMessage().startsWith("redis-server 6.0 or later is required, found 5.0.7 at " + old
                + " (from system property " + RedisServerBinary.PROPERTY + ")"), e.getMessage());
        assertNamesHowToChooseAnother(e);
    }

    @Test
    void whenThePathIsNoExecutableFileThenTheMessageNamesItsSourceAndHowToNameAnother() {
        Path missing = tmp.resolve("no-redis-server");

        RedisClusterException e = locateFailsWithProperty(missing);

        assertTrue(e.getMessage().startsWith("redis-server from system property " + RedisServerBinary.PROPERTY
                + " is not an executable file: " + missing), e.getMessage());
        assertNamesHowToChooseAnother(e);
    }

    @Test
    void whenTheBinaryPrintsNoVersionThenTheMessageSaysSoAndHowToNameAnother() throws IOException {
        Path notRedis = script("not-redis", "echo 'usage: something else'");

        RedisClusterException e = assertThrows(RedisClusterException.class, () -> RedisServerBinary.of(notRedis));

        assertTrue(e.getMessage().startsWith("Cannot read the version of " + notRedis + " (from explicit path) from: usage:"),
                e.getMessage());
        assertNamesHowToChooseAnother(e);
    }

    /** A wrapper that reads its standard input (as `cat` or a login shell would) gets it closed: no wait for input. */
    @Test
    void whenTheBinaryReadsItsInputThenTheVersionIsReadWithoutWaitingForInput() throws IOException {
        Path reading = script("reading-redis-server",
                "cat > /dev/null; echo 'Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=1'");

        RedisServerBinary binary = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> RedisServerBinary.of(reading));

        assertEquals(7, binary.majorVersion());
    }

    /** A wrapper that does not exit, with a child of its own (started without exec): both are stopped. */
    @Test
    void whenTheBinaryDoesNotExitThenTheVersionCheckGivesUpAfterItsTimeoutNamingItAndStopsIt() throws IOException {
        String child = "sleep 631";
        Path endless = script("endless-redis-server",
                "echo 'Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=1'; " + child + "; true");

        RedisClusterException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> assertThrows(RedisClusterException.class, () -> RedisServerBinary.of(endless)));

        assertTrue(e.getMessage().startsWith(endless + " --version did not finish within 10 s"), e.getMessage());
        assertNamesHowToChooseAnother(e);
        Poll.untilTrue("the wrapper's child stopped", Duration.ofSeconds(10), () -> ProcessHandle.allProcesses()
                .noneMatch(p -> p.info().commandLine().orElse("").contains(child)), () -> "");
    }

    /**
     * A name without a slash is a command on the PATH, as verify.sh and conf/redis-cluster/cluster.sh take the
     * variable: before, the rig refused {@code REDIS_SERVER=redis-server}, which verify.sh had accepted.
     */
    @Test
    void whenTheSettingIsACommandNameThenItIsLookedUpOnThePath() {
        RedisServerBinary binary = locateWithProperty("redis-server");

        assertTrue(binary.path().isAbsolute() && binary.path().endsWith("redis-server"), binary.toString());
        assertTrue(binary.majorVersion() >= 6, binary.toString());
    }

    @Test
    void whenTheCommandNameIsNotOnThePathThenTheMessageSaysSoAndHowToNameAnother() {
        RedisClusterException e = assertThrows(RedisClusterException.class,
                () -> locateWithProperty("no-such-redis-server-4711"));

        assertTrue(e.getMessage().startsWith("redis-server from system property " + RedisServerBinary.PROPERTY
                + " is no executable file on the PATH: no-such-redis-server-4711"), e.getMessage());
        assertNamesHowToChooseAnother(e);
    }

    /** {@link RedisServerBinary#locate()}'s refusal with the system property naming {@code binary}. */
    private static RedisClusterException locateFailsWithProperty(Path binary) {
        return assertThrows(RedisClusterException.class, () -> locateWithProperty(binary.toString()));
    }

    private static RedisServerBinary locateWithProperty(String binary) {
        String previous = System.getProperty(RedisServerBinary.PROPERTY);
        try {
            System.setProperty(RedisServerBinary.PROPERTY, binary);
            return RedisServerBinary.locate();
        } finally {
            if (previous == null) {
                System.clearProperty(RedisServerBinary.PROPERTY);
            } else {
                System.setProperty(RedisServerBinary.PROPERTY, previous);
            }
        }
    }

    private static void assertNamesHowToChooseAnother(RedisClusterException e) {
        // The property wins over the variable: after a refused -D, setting REDIS_SERVER alone would change nothing.
        assertTrue(e.getMessage().contains("name another with -D" + RedisServerBinary.PROPERTY + ", or the environment"
                + " variable " + RedisServerBinary.ENV + " while that property is unset (a path, a name on the PATH, or "
                + RedisServerBinary.EMBEDDED), e.getMessage());
    }

    private Path script(String name, String body) throws IOException {
        Path file = Files.writeString(tmp.resolve(name), "#!/bin/sh\n" + body + "\n");
        assertTrue(file.toFile().setExecutable(true, true));
        return file;
    }
}
