package org.jwtgate.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a file the configuration names ({@code config.file}, {@code ${file:…}}, a PEM key's path) with a bound: a
 * path given by mistake (an archive, a log) was read whole, and the start or the CLI ended in an OutOfMemoryError
 * instead of a message naming the file; a device ({@code /dev/zero}) or a pipe is not read at all.
 */
final class ConfigFiles {

    /** Far above any configuration, secret or PEM (a few kilobytes). */
    static final int MAX_BYTES = 1 << 20;
    /** How the limit reads in messages. */
    static final String LIMIT = "1 MiB (" + MAX_BYTES + " bytes)";

    private ConfigFiles() {
    }

    /**
     * At most {@link #MAX_BYTES} bytes: a bigger file is refused unread, and so is anything but a regular file or a
     * link to one: opening a named pipe ({@code mkfifo}) waits for a writer, and reading this process's own
     * {@code /dev/stdout} when it is a pipe waits for ever; the start hung with nothing said. An anonymous pipe
     * (bash's {@code <(…)}) is refused too: telling its read end from a write end is not worth its risk.
     */
    static byte[] read(Path path) throws IOException {
        if (Files.exists(path) && !Files.isRegularFile(path) && !Files.isDirectory(path)) {
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

    /**
     * Why a path is no file name this JVM can use, in words for a message: with characters beyond ASCII, most often a
     * JVM started without a UTF-8 locale (systemd, cron), which cannot encode them in a file name.
     */
    static String whyInvalid(String path, InvalidPathException e) {
        boolean beyondAscii = path.chars().anyMatch(c -> c > 0x7e);
        return "its path is not valid (" + e.getReason() + ")" + (beyondAscii
                ? "; with characters beyond ASCII, run the JVM with a UTF-8 locale, e.g. LC_ALL=C.UTF-8" : "");
    }

    /** A device, a pipe or a socket. */
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
