package org.jwtgate.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A harness's temporary work folder (request files, Tomcat's CATALINA_BASEs and their access logs, which a long run
 * grows to hundreds of MB). {@link #close()} deletes it; so does a JVM shutdown hook when the harness is ended by
 * SIGTERM or Ctrl-C, which skip its {@code finally}. A SIGKILL leaves it.
 */
final class WorkFolder implements AutoCloseable {

    private final Path path;
    private final Thread shutdownHook;

    private WorkFolder(Path path) {
        this.path = path;
        this.shutdownHook = new Thread(this::deleteAtExit, "work-folder-cleanup");
    }

    /** A new folder in the temp directory whose name starts with {@code prefix}. */
    static WorkFolder create(String prefix) throws IOException {
        WorkFolder folder = new WorkFolder(Files.createTempDirectory(prefix));
        try {
            Runtime.getRuntime().addShutdownHook(folder.shutdownHook);
        } catch (IllegalStateException e) {
            folder.delete(); // the JVM is already shutting down
            throw e;
        }
        return folder;
    }

    Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // Shutting down: the hook deletes it too; deleting twice is harmless.
        }
        delete();
    }

    private void deleteAtExit() {
        try {
            delete();
        } catch (IOException | UncheckedIOException e) {
            // Another hook may still stop a process that writes there (a Tomcat): say what is left, do not fail the exit.
            System.err.println("Could not delete the work folder " + path + ": " + e);
        }
    }

    private void delete() throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(path)) {
            for (Path file : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
