package org.jwtgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A harness ended by SIGTERM (Ctrl-C, a CI's timeout) skips its {@code finally}: its work folder must still go. The
 * harness runs from the jar this build made, with a temp directory of the test's own, and is stopped as soon as its
 * work folder holds its first file, before it measures anything.
 */
class WorkFolderCleanupIT {

    private static final Path JAR = Path.of("target", "jwtgate-benchmarks.jar").toAbsolutePath();

    @Test
    void whenAHarnessIsEndedBySigtermThenItsWorkFolderIsDeleted(@TempDir Path tmp) throws Exception {
        Path output = tmp.resolve("output.txt");
        Path temp = Files.createDirectory(tmp.resolve("java-tmp"));
        Process harness = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + temp, "-cp", JAR.toString(), "org.jwtgate.bench.DpopHttpBenchmark",
                "--warmup", "1", "--duration", "1", "--rounds", "1", "--proofs", "ES256")
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        List<ProcessHandle> children = List.of();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (workFile(temp).isEmpty() && harness.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(workFile(temp).isPresent(), "no work folder with dpop.lua: " + Files.readString(output));
            children = harness.descendants().toList();

            harness.toHandle().destroy(); // SIGTERM

            assertTrue(harness.waitFor(30, TimeUnit.SECONDS), "the harness still runs 30 s after SIGTERM");
            try (Stream<Path> left = Files.list(temp)) {
                assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith("jwtgate-dpop-bench")).toList(),
                        "work folders left by a harness ended by SIGTERM; its output:\n" + Files.readString(output));
            }
            assertFalse(Files.readString(output).contains("Could not delete"), Files.readString(output));
        } finally {
            harness.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly); // a wrk the harness started, if any
        }
    }

    /** The script the DPoP harness writes first into its work folder, once the folder is in place. */
    private static Optional<Path> workFile(Path temp) throws Exception {
        try (Stream<Path> dirs = Files.list(temp)) {
            return dirs.filter(dir -> dir.getFileName().toString().startsWith("jwtgate-dpop-bench"))
                    .map(dir -> dir.resolve("dpop.lua")).filter(Files::exists).findFirst();
        }
    }
}
