package org.jwtgate.testkit.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/operations.md promises the extension to applications on JUnit 5.13 or later: it runs here under 5.13's own
 * launcher (the all-in-one jar the build copies to target/junit5), with this build's JUnit 6 left off the class path.
 */
class RedisClusterExtensionOnJunit5IT {

    private static final Path LAUNCHER = Path.of("target", "junit5", "junit-platform-console-standalone.jar");

    @TempDir
    Path tmp;

    @Test
    void whenRunUnderJunit513ThenTheExtensionStartsTheClassesClusterAndClosesItWhenTheClassEnds() throws Exception {
        assertTrue(Files.isRegularFile(LAUNCHER), LAUNCHER.toAbsolutePath() + " is missing: the build copies it before the ITs");
        List<String> ownClassPath = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        assertTrue(ownClassPath.stream().anyMatch(entry -> entry.contains("junit-jupiter-api-6")), "this build's JUnit 6,"
                + " which the run must leave out, is not where expected: " + ownClassPath);
        String classPath = Stream.concat(Stream.of(LAUNCHER.toAbsolutePath().toString()),
                        ownClassPath.stream().filter(entry -> !isJunit(entry)))
                .collect(Collectors.joining(File.pathSeparator));
        assertFalse(classPath.contains("junit-jupiter-api-6"), classPath);
        Path out = tmp.resolve("out.txt");
        Process run = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, Junit5Run.class.getName())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(run.waitFor(180, TimeUnit.SECONDS), "still running after 180 s");
        String output = Files.readString(out);
        assertEquals(0, run.exitValue(), output);

        assertTrue(output.lines().anyMatch(line -> line.startsWith("jupiter=") && line.endsWith(LAUNCHER.getFileName().toString())),
                "JUnit Jupiter came from elsewhere than 5.13's launcher: " + output);
        List<String> summary = output.lines().filter(line -> line.startsWith("junit6Api=")).toList();
        assertEquals(List.of("junit6Api=false started=1 succeeded=1 closed=true failures=[]"), summary, output);
    }

    /** This build's JUnit 6 and the libraries that come with it, which the launcher jar holds in its own versions. */
    private static boolean isJunit(String entry) {
        String path = entry.replace(File.separatorChar, '/');
        return path.contains("/org/junit/") || path.contains("/org/opentest4j/") || path.contains("/org/apiguardian/");
    }
}
