package org.jwtgate.testkit.process;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check both reapers ({@code ProcessJanitor}, {@link LeftoverServers}) make before trusting the pid files in a
 * directory of the shared temporary directory. Another user's directory needs root to make: see
 * {@code ReaperForeignDirectoryIT}.
 */
class OwnFilesTest {

    @TempDir
    Path tmp;

    @Test
    void whenTheDirectoryIsThisUsersAndNoOneElseMayWriteThenItIsOwn() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("mine"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertTrue(OwnFiles.isOwn(dir));
    }

    @Test
    void whenOthersOrTheGroupMayWriteThenItIsNotOwn() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("shared"));

        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertFalse(OwnFiles.isOwn(dir), "others may write");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwx---"));
        assertFalse(OwnFiles.isOwn(dir), "the group may write");
    }

    @Test
    void whenItIsALinkOrMissingThenItIsNotOwn() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("mine"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));

        assertFalse(OwnFiles.isOwn(Files.createSymbolicLink(tmp.resolve("link"), dir)), "a link, whoever made it");
        assertFalse(OwnFiles.isOwn(tmp.resolve("missing")));
    }
}
