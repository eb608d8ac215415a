package org.jwtgate.config;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file the configuration names that is not a regular file: opening a named pipe ({@code mkfifo}; a secret injector
 * may hand one over) waits for a writer, and the start hung with nothing said. It is refused unopened, naming the
 * setting and the file (found by a review's fuzzing of check-config), and so is an unnamed pipe (bash's {@code <(…)}).
 */
class ConfigFilesTest {

    @TempDir
    Path directory;

    private Path fifo() throws Exception {
        Path fifo = directory.resolve("pipe");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(mkfifo.waitFor() == 0 && Files.exists(fifo), "a system with mkfifo");
        return fifo;
    }

    /** The refusal, within two seconds; afterwards a writer opens and closes the pipe, so a reader stuck in it ends. */
    private static String failureWithin2s(Path fifo, Map<String, String> initParams) throws Exception {
        try {
            return assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertThrows(ConfigurationException.class,
                    () -> JwtGateConfig.load(initParams, ConfigSources.none())).getMessage());
        } finally {
            new RandomAccessFile(fifo.toFile(), "rw").close(); // O_RDWR never blocks on Linux: releases the reader
        }
    }

    private static Map<String, String> valid() {
        return new HashMap<>(JwtGateConfigTest.valid());
    }

    @Test
    void whenAFileReferenceNamesAPipeThenTheStartIsRefusedNamingIt() throws Exception {
        Path fifo = fifo();
        Map<String, String> settings = valid();
        settings.put(ConfigKeys.REALM, "${file:" + fifo + "}");
        String message = failureWithin2s(fifo, settings);
        assertTrue(message.contains("[realm]") && message.contains(fifo.toString()), message);
        assertTrue(message.contains("not a regular file (a device or a pipe)"), message);
    }

    @Test
    void whenConfigFileNamesAPipeThenTheStartIsRefusedNamingIt() throws Exception {
        Path fifo = fifo();
        Map<String, String> settings = valid();
        settings.put(ConfigKeys.CONFIG_FILE, fifo.toString());
        String message = failureWithin2s(fifo, settings);
        assertTrue(message.contains("[config.file]") && message.contains(fifo.toString()), message);
        assertTrue(message.contains("not a regular file (a device or a pipe)"), message);
    }

    @Test
    void whenThePublicKeyPathNamesAPipeThenTheStartIsRefused() throws Exception {
        Path fifo = fifo();
        Map<String, String> settings = valid();
        settings.remove(ConfigKeys.JWT_SECRET);
        settings.put(ConfigKeys.JWT_PUBLIC_KEY, fifo.toString());
        String message = failureWithin2s(fifo, settings);
        assertTrue(message.contains("[jwt.public-key]") && message.contains("not a regular file (a device or a pipe)"),
                message);
    }

    @Test
    void whenAFileReferenceNamesAPipeThisProcessHoldsThenItIsRefusedNotRead() throws Exception {
        // bash's <(…) hands the JVM a pipe's read end as /dev/fd/63; a pipe's write end (/dev/stdout piped) is the same
        // kind of file, and reading it waits for ever: neither is read (a review found the write end hanging the start).
        Set<String> before = pipeDescriptors();
        Pipe pipe = Pipe.open();
        try {
            Set<String> ours = pipeDescriptors();
            ours.removeAll(before);
            assumeTrue(ours.size() == 2, "a system with /proc/self/fd");
            for (String descriptor : ours) {
                Map<String, String> settings = valid();
                settings.put(ConfigKeys.REALM, "${file:/proc/self/fd/" + descriptor + "}");
                String message = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThrows(
                        ConfigurationException.class, () -> JwtGateConfig.load(settings, ConfigSources.none()))
                        .getMessage());
                assertTrue(message.contains("[realm]") && message.contains("not a regular file (a device or a pipe)"),
                        message);
            }
        } finally {
            pipe.sink().close();
            pipe.source().close();
        }
    }

    @Test
    void whenTheConfigFilePathHoldsANulThenItIsNamedNotValidNotAMalformedEscape() {
        Map<String, String> settings = valid();
        settings.put(ConfigKeys.CONFIG_FILE, directory.resolve("jwtgate.properties") + "\u0000.bak");
        String message = assertThrows(ConfigurationException.class,
                () -> JwtGateConfig.load(settings, ConfigSources.none())).getMessage();
        assertTrue(message.startsWith("Cannot read [config.file] file: its path is not valid ("), message);
    }

    /** The descriptors of this process that are pipes. */
    private static Set<String> pipeDescriptors() throws IOException {
        Set<String> pipes = new HashSet<>();
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
            for (Path descriptor : (Iterable<Path>) descriptors::iterator) {
                try {
                    if (Files.readSymbolicLink(descriptor).toString().startsWith("pipe:[")) {
                        pipes.add(descriptor.getFileName().toString());
                    }
                } catch (IOException closed) {
                    // the listing's own descriptor, closed by now
                }
            }
        } catch (NoSuchFileException notLinux) {
            return pipes;
        }
        return pipes;
    }
}
