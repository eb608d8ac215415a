package org.jwtgate.testkit.process;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * Claims loopback ports for this JVM against the other JVMs using the test kit on this machine, so that two test
 * runs side by side (Maven's {@code -T 2} runs two modules' tests at once) never pick the same port: a free-port
 * check alone passes in both before either server binds, and a port left free while its server restarts could be
 * picked by the other.
 *
 * <p>A claim is a one-byte lock at the port's offset in one file per user, held until this JVM exits (the system
 * releases it then, crash or not). Where the file cannot be opened, claims always succeed, and the free-port check
 * decides alone, as before.
 *
 * @since 1.1.0
 */
public final class PortClaims {

    /** One per user: another user's file could not be opened for writing (0644, fs.protected_regular). */
    private static final Path FILE = Path.of(System.getProperty("java.io.tmpdir"),
            "jwtgate-test-ports-" + System.getProperty("user.name", "unknown").replaceAll("[^A-Za-z0-9_.-]", "_") + ".lock");
    /** This JVM's claims: a second lock on the same range from one JVM would throw, not answer. */
    private static final Set<Integer> HELD = new HashSet<>();
    private static FileChannel channel;
    private static boolean unavailable;

    private PortClaims() {
    }

    /**
     * Claims {@code port} for this JVM until it exits.
     *
     * @param port a TCP port
     * @return true when this JVM holds the claim (now, or from before), false when another JVM does
     */
    public static synchronized boolean claim(int port) {
        if (HELD.contains(port)) {
            return true;
        }
        FileChannel file = open();
        if (file == null) {
            return true;
        }
        try {
            FileLock lock = file.tryLock(port, 1, false);
            if (lock == null) {
                return false;
            }
            HELD.add(port);
            return true;
        } catch (OverlappingFileLockException e) {
            return false; // held in this JVM through another class loader's copy of this class (the lock table is the JVM's)
        } catch (IOException e) {
            return true; // no claims on this system: the free-port check decides
        }
    }

    private static FileChannel open() {
        if (channel == null && !unavailable) {
            try {
                channel = FileChannel.open(FILE, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                unavailable = true; // another user's file, a read-only temporary directory
            }
        }
        return channel;
    }
}
