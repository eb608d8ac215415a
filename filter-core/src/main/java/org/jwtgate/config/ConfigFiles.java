package org.jwtgate.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a file the configuration names ({@code config.file}, {@code ${file:…}}, a PEM key's path) with a bound: a
 * path given by mistake (an archive, a log) was read whole, and the start or the CLI ended in an OutOfMemoryError
 * instead of a message naming the file; a device ({@code /dev/zero}) or a named pipe is not read at all.
 */
final class ConfigFiles {

    /** Far above any configuration, secret or PEM (a few kilobytes). */
    static final int MAX_BYTES = 1 << 20;
    /** How the limit reads in messages. */
    static final String LIMIT = "1 MiB (" + MAX_BYTES + " bytes)";

    private ConfigFiles() {
    }

    /**
     * At most {@link #MAX_BYTES} bytes: a bigger file is refused unread, and so is anything but a regular file (or a
     * link to one) or a pipe this process holds open: opening a named pipe ({@code mkfifo}) waits for a writer, and the
     * start hung with nothing said.
     */
    static byte[] read(Path path) throws IOException {
        if (Files.exists(path) && !Files.isRegularFile(path) && !Files.isDirectory(path) && !isOpenPipe(path)) {
            throw new NotRegularFileException();
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new TooLargeException();
            }
            return bytes;
        }
    }

    /**
     * Whether {@code path} is a link, through {@code /dev/fd} or {@code /proc/self/fd}, to a pipe this process holds
     * open: bash's {@code <(…)} ({@code /dev/fd/63}), or {@code /dev/stdin} when standard input is piped. Reading it
     * waits for no writer to come, only for what the one there writes.
     */
    private static boolean isOpenPipe(Path path) {
        Path link = path;
        try {
            for (int hops = 0; hops < 8 && Files.isSymbolicLink(link); hops++) {
                Path target = Files.readSymbolicLink(link);
                if (target.toString().startsWith("pipe:[")) {
                    return true;
                }
                link = link.resolveSibling(target);
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
        return false;
    }

    /**
     * Why {@link #read} failed, in words for a message: "IOException" alone said nothing of a directory, and a relative
     * path is read from the JVM's working directory, which a service manager sets to {@code /}.
     */
    static String whyUnreadable(Path path, IOException e) {
        String why = e instanceof NoSuchFileException ? "no such file"
                : e instanceof NotRegularFileException ? e.getMessage()
                : e instanceof AccessDeniedException ? "permission denied"
                : Files.isDirectory(path) ? "it is a directory"
                : e.getClass().getSimpleName();
        return path.isAbsolute() ? why
                : why + " (a relative path, read from the working directory " + Path.of("").toAbsolutePath() + ")";
    }

    /** A device, a named pipe (not one this process holds open) or a socket. */
    static final class NotRegularFileException extends IOException {
        private static final long serialVersionUID = 1L;

        NotRegularFileException() {
            super("not a regular file (a device or a pipe)");
        }
    }

    /** A file over {@link #MAX_BYTES}. */
    static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException() {
            super("larger than " + LIMIT);
        }
    }
}
