package org.jwtgate.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reaper ({@link ProcessJanitor}, run by the first cluster start of every JVM) looks only at
 * {@code java.io.tmpdir/jwtgate-redis-*} directories of this user that no one else may write to. /tmp is shared by
 * every local user: before, another user could plant a directory whose owner.pid named a dead process and whose
 * node-x/redis.pid named a process of the user running the tests (its mtime set to that process's start), and the
 * reaper SIGKILLed that process if its executable's path held "redis" (with tests run as root, the system's).
 */
class ReaperForeignDirectoryIT {

    @TempDir
    Path tmp;

    /** Needs root, to make the directory another user's as that user would have made it; CI runs as root. */
    @Test
    void whenAnotherUserPlantsAClusterDirectoryThenTheReaperDoesNotKillTheProcessItNames() throws Exception {
        UserPrincipal nobody;
        try {
            nobody = tmp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        } catch (Exception e) {
            nobody = null;
        }
        assumeTrue(nobody != null && "root".equals(System.getProperty("user.name")),
                "needs root to make a directory another user's");
        UserPrincipal otherUser = nobody;

        assertReaperSparesVictim(planted -> {
            try (Stream<Path> files = Files.walk(planted)) {
                for (Path p : files.toList()) {
                    Files.setOwner(p, otherUser);
                }
            }
        });
    }

    /** Runs as any user: a directory others may write to may hold pid files they wrote. */
    @Test
    void whenAClusterDirectoryIsWritableByOthersThenTheReaperDoesNotKillTheProcessItNames() throws Exception {
        assertReaperSparesVictim(planted -> Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rwxrwxrwx")));
    }

    private interface Plant {
        void finish(Path planted) throws Exception;
    }

    private void assertReaperSparesVictim(Plant plant) throws Exception {
        // The victim: a process of this user whose executable is named like a redis-server (a copy of sleep).
        Path victimBinary = tmp.resolve("redis-server-of-my-own");
        Files.copy(Path.of("/bin/sleep"), victimBinary, StandardCopyOption.REPLACE_EXISTING);
        victimBinary.toFile().setExecutable(true);
        Process victim = new ProcessBuilder(victimBinary.toString(), "60").start();
        Path planted = Path.of(System.getProperty("java.io.tmpdir"), ProcessJanitor.CLUSTER_PREFIX + "planted-" + victim.pid());
        try {
            // What the other user writes: a dead owner, and a node whose pid file names the victim, dated at its start.
            Process dead = new ProcessBuilder("true").start();
            dead.waitFor();
            Files.createDirectories(planted.resolve("node-1"));
            Files.writeString(planted.resolve("owner.pid"), Long.toString(dead.pid()));
            Path pidFile = planted.resolve("node-1").resolve(RedisServerProcess.PID_FILE);
            Files.writeString(pidFile, Long.toString(victim.pid()));
            Files.setLastModifiedTime(pidFile, FileTime.from(victim.toHandle().info().startInstant().orElseThrow()));
            plant.finish(planted);

            ProcessJanitor.reapOrphans();
            Thread.sleep(200);

            assertTrue(victim.isAlive(), "the reaper killed pid " + victim.pid() + " (" + victimBinary
                    + "), a process the directory " + planted + ", not this user's alone, named");
        } finally {
            victim.destroyForcibly();
            ProcessJanitor.deleteTree(planted);
        }
    }
}
