package org.jwtgate.testkit.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the admin CLI as an operator would — the distribution's {@code bin/jwtgate <args>}, or
 * {@code java -jar <jar> <args>} — in a child process with a given environment and standard input. The jar is {@code -Djwtgate.cli.jar=…}, or else
 * {@code target/jwtgate-cli.jar} (what the cli module's {@code package} phase builds).
 */
public final class CliJar {

    /** System property naming the jar; set by modules that copy it (legacy-war). */
    public static final String JAR_PROPERTY = "jwtgate.cli.jar";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /**
     * One finished run.
     *
     * @param exitCode the process's exit code: the CLI's own (0 for success), or the JVM's
     * @param out      everything written to standard output, decoded as UTF-8
     * @param err      everything written to standard error, decoded as UTF-8: the CLI's log lines and error messages
     */
    public record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
        }
    }

    /** System property naming the distribution's {@code bin/jwtgate} launcher: used instead of the jar when set. */
    public static final String LAUNCHER_PROPERTY = "jwtgate.cli.launcher";

    private final Path jar;
    private final Path launcher;
    private final Duration timeout;

    /** With a {@code timeout} of a test's choosing: a run's end is otherwise 60 s away. */
    CliJar(Path jar, Path launcher, Duration timeout) {
        this.jar = jar;
        this.launcher = launcher;
        this.timeout = timeout;
    }

    private CliJar(Path jar, Path launcher) {
        this(jar, launcher, TIMEOUT);
    }

    private CliJar(Path jar) {
        this(jar, null);
    }

    /**
     * The distribution's launcher ({@code -Djwtgate.cli.launcher=…/bin/jwtgate}, which runs the jar beside
     * it) when set, else the jar ({@code -Djwtgate.cli.jar=…}, else {@code target/jwtgate-cli.jar}).
     *
     * @return the CLI to run; nothing is started yet
     * @throws IllegalStateException when {@value #LAUNCHER_PROPERTY} names no executable file,
     *                               {@value #JAR_PROPERTY} names no file, or neither is set and there is no
     *                               {@code target/jwtgate-cli.jar} under the working directory
     */
    public static CliJar locate() {
        String launcher = System.getProperty(LAUNCHER_PROPERTY);
        if (launcher != null && !launcher.isBlank()) {
            Path script = Path.of(launcher);
            if (!Files.isExecutable(script)) {
                throw new IllegalStateException(LAUNCHER_PROPERTY + " names no executable file: " + script);
            }
            Path jar = script.toAbsolutePath().getParent().resolveSibling("lib").resolve("cli").resolve("jwtgate-cli.jar");
            return new CliJar(jar, script.toAbsolutePath());
        }
        String configured = System.getProperty(JAR_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path jar = Path.of(configured);
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(JAR_PROPERTY + " names no file: " + jar);
            }
            return new CliJar(jar);
        }
        Path jar = Path.of("target", "jwtgate-cli.jar");
        if (Files.isRegularFile(jar)) {
            return new CliJar(jar.toAbsolutePath());
        }
        throw new IllegalStateException("No CLI jar: run `./mvnw package` in cli/ first, or set -D" + JAR_PROPERTY);
    }

    /**
     * The CLI jar: the one {@code java -jar} runs, or the distribution's {@code lib/cli/jwtgate-cli.jar} beside the
     * launcher, which is not checked.
     *
     * @return the jar's path, as configured or found
     */
    public Path jar() {
        return jar;
    }

    /**
     * The command that runs the CLI: the launcher, else {@code java -jar <jar>}.
     *
     * @return a command line for the text of a shell script ({@code sh -c "exec " + command() + " status"}), to append
     *         arguments to; each path is in single quotes (a quote inside as {@code '\''}), so a path with spaces or
     *         quotes stays one word. Expanded from a variable without {@code eval}, the quotes would stay in the
     *         words. It carries neither the clean environment nor the {@code JAVA_OPTS} of {@link #runWithStdin}
     */
    public String command() {
        return launcher != null ? shellQuoted(launcher.toString())
                : shellQuoted(Path.of(System.getProperty("java.home"), "bin", "java").toString()) + " -jar "
                        + shellQuoted(jar.toString());
    }

    /** One word for POSIX sh, whatever it holds: nothing is special inside single quotes but the quote itself. */
    private static String shellQuoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /**
     * As {@link #runWithStdin} with an empty standard input.
     *
     * @param environment the variables added to the clean base, e.g. {@code JWTGATE_REDIS_NODES}, {@code JAVA_OPTS}
     * @param args        the CLI's arguments, e.g. {@code "revoke-user", "alice"}
     * @return the finished run
     * @throws IllegalStateException as {@link #runWithStdin} does: the process cannot start, does not finish within
     *                               60 s, or the calling thread is interrupted
     */
    public Result run(Map<String, String> environment, String... args) {
        return runWithStdin(environment, "", args);
    }

    /**
     * Runs the CLI with only {@code environment} added to a clean base (PATH, HOME, JAVA_HOME):
     * no {@code JWTGATE_*} variable of the build's own environment leaks in. Its {@code JAVA_OPTS} reach the JVM
     * whether the launcher or {@code java -jar} runs (split at spaces).
     *
     * @param environment the variables added to the clean base, e.g. {@code JWTGATE_REDIS_NODES}, {@code JAVA_OPTS}
     * @param stdin       written to the CLI's standard input as UTF-8, which is then closed (e.g. a token for
     *                    {@code revoke-token -})
     * @param args        the CLI's arguments
     * @return the finished run
     * @throws IllegalStateException when the process cannot start, does not finish within 60 s (it is killed; the
     *                               message names the first argument, the command, or says there was none), or
     *                               the calling thread is interrupted (its interrupt flag is kept)
     */
    public Result runWithStdin(Map<String, String> environment, String stdin, String... args) {
        List<String> command = new ArrayList<>();
        if (launcher != null) {
            command.add(launcher.toString());
        } else {
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            // As the launcher does: JAVA_OPTS (e.g. -Djavax.net.ssl.trustStore=…) goes to the JVM.
            String javaOpts = environment.get("JAVA_OPTS");
            if (javaOpts != null && !javaOpts.isBlank()) {
                command.addAll(List.of(javaOpts.trim().split("\\s+")));
            }
            command.add("-jar");
            command.add(jar.toString());
        }
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> !name.equals("PATH") && !name.equals("HOME") && !name.equals("JAVA_HOME")
                && !name.equals("TMPDIR") && !name.equals("LANG"));
        env.put("JAVA_HOME", System.getProperty("java.home")); // the launcher's JDK: this one
        env.putAll(environment);
        Process process = null;
        try {
            Path outFile = Files.createTempFile("jwtgate-cli-out", ".txt");
            Path errFile = Files.createTempFile("jwtgate-cli-err", ".txt");
            try {
                builder.redirectOutput(outFile.toFile()).redirectError(errFile.toFile());
                process = builder.start();
                try (OutputStream in = process.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
                if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                    // Only the command: a later argument may be a token.
                    throw new IllegalStateException("CLI did not finish within " + timeout.toSeconds() + " s: "
                            + (args.length > 0 ? args[0] : "run without arguments"));
                }
                return new Result(process.exitValue(), Files.readString(outFile), Files.readString(errFile));
            } finally {
                Files.deleteIfExists(outFile);
                Files.deleteIfExists(errFile);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }
}
