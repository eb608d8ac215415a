package org.jwtgate.testkit.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Whether a file in the shared temporary directory can be trusted: every local user can make files there, so a
 * reaper that stops the processes named by pid files stops only those in a directory of this user's that no one else
 * may write to.
 *
 * @since 1.1.0
 */
public final class OwnFiles {

    /** This process's user id; -1 where the system tells none (no POSIX attributes). */
    static final long UID = currentUid();

    private OwnFiles() {
    }

    /**
     * Whether {@code path} is this user's (by user id: a user may have no name), is no symbolic link, and neither its
     * group nor others may write to it.
     *
     * @param path a file or directory
     * @return false too where it cannot be told (missing, no POSIX attributes)
     */
    public static boolean isOwn(Path path) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
            return UID >= 0 && !Files.isSymbolicLink(path)
                    && ((Number) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue() == UID
                    && !permissions.contains(PosixFilePermission.GROUP_WRITE)
                    && !permissions.contains(PosixFilePermission.OTHERS_WRITE);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The owner of the files this process creates, as of the file it makes (not /proc/self's owner). */
    private static long currentUid() {
        try {
            Path probe = Files.createTempFile("jwtgate-uid-", ".tmp");
            try {
                return ((Number) Files.getAttribute(probe, "unix:uid")).longValue();
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
