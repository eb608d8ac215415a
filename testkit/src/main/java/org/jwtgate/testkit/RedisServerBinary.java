package org.jwtgate.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code redis-server} executable and its version.
 *
 * <p>{@link #locate()} looks, in this order, at:
 * <ol>
 *   <li>the system property {@value #PROPERTY} (a path, a command name without {@code /} looked up on the
 *       {@code PATH}, or {@value #EMBEDDED} to force the binary shipped in the embedded-redis jar: e.g.
 *       {@code -Dredis-server.binary=embedded});</li>
 *   <li>the environment variable {@value #ENV} (the same);</li>
 *   <li>{@code redis-server} on the {@code PATH};</li>
 *   <li>the redis-server 6.2 binary inside {@code com.github.codemonstur:embedded-redis} (Linux amd64/arm64,
 *       macOS amd64/arm64), which must then be on the classpath. It is extracted once per JVM to a temp
 *       directory that is deleted on exit (or by a later run, if this JVM is killed).</li>
 * </ol>
 * A path given explicitly that is not an executable file is an error, never a silent fallback.
 * Tested with redis-server 6.2 (the embedded one) and 7.0 (Debian's).
 */
public final class RedisServerBinary {

    /** System property naming the binary; wins over everything else. */
    public static final String PROPERTY = "redis-server.binary";
    /** Environment variable naming the binary. */
    public static final String ENV = "REDIS_SERVER";
    /** Value of {@link #PROPERTY} or {@link #ENV} that selects the embedded binary. */
    public static final String EMBEDDED = "embedded";

    private static final Pattern VERSION = Pattern.compile("v=(\\d+)\\.(\\d+)\\.(\\d+)");
    private static final long VERSION_TIMEOUT_SECONDS = 10;
    /** In lookup order: the property wins, so after a refused -D the variable alone would change nothing. */
    private static final String CHOOSE_ANOTHER = "; name another with -D" + PROPERTY + ", or the environment variable "
            + ENV + " while that property is unset (a path, a name on the PATH, or " + EMBEDDED
            + " for the redis-server 6.2 of the embedded-redis jar)";

    private static RedisServerBinary embedded; // guarded by RedisServerBinary.class

    private final Path path;
    private final String version;
    private final int major;
    private final int minor;

    private RedisServerBinary(Path path, String version, int major, int minor) {
        this.path = path;
        this.version = version;
        this.major = major;
        this.minor = minor;
    }

    /**
     * The binary chosen by the lookup order described on this class. Each call looks again and runs
     * {@code redis-server --version}; the embedded binary is extracted once per JVM.
     *
     * @return the binary, version 6.0 or later
     * @throws RedisClusterException when the binary named by {@value #PROPERTY} or {@value #ENV} is no executable
     *                               file, a version cannot be read or is below 6.0, or the embedded binary is needed
     *                               but missing for this system or from the classpath; the message names where the
     *                               binary came from and how to name another
     */
    public static RedisServerBinary locate() {
        String configured = System.getProperty(PROPERTY);
        String source = "system property " + PROPERTY;
        if (isBlank(configured)) {
            configured = System.getenv(ENV);
            source = "environment variable " + ENV;
        }
        if (!isBlank(configured)) {
            String value = configured.trim();
            if (EMBEDDED.equalsIgnoreCase(value)) {
                return embedded();
            }
            if (value.indexOf('/') < 0) {
                // A command name, looked up on the PATH as a shell does: verify.sh and cluster.sh read the variable so.
                Optional<Path> found = findOnPath(value);
                if (found.isEmpty()) {
                    throw new RedisClusterException("redis-server from " + source + " is no executable file on the PATH: "
                            + value + CHOOSE_ANOTHER);
                }
                return of(found.get(), source + " (" + value + " on the PATH)");
            }
            return of(Path.of(value), source);
        }
        Optional<Path> onPath = findOnPath("redis-server");
        return onPath.isPresent() ? of(onPath.get(), "PATH") : embedded();
    }

    /**
     * The binary at {@code path}.
     *
     * @param path a {@code redis-server} executable
     * @return the binary, its path made absolute
     * @throws RedisClusterException when {@code path} is no executable file, or its version cannot be read or is
     *                               below 6.0
     */
    public static RedisServerBinary of(Path path) {
        return of(path, "explicit path");
    }

    /**
     * The redis-server 6.2 binary shipped inside the embedded-redis jar, extracted once per JVM. Thread-safe.
     *
     * @return the binary, in a temp directory deleted at a normal JVM exit (else by a later run)
     * @throws RedisClusterException when the jar has no binary for this system (only Linux and macOS, amd64 and
     *                               arm64), is not on the classpath, or the binary cannot be extracted
     */
    public static synchronized RedisServerBinary embedded() {
        if (embedded == null) {
            embedded = probe(Embedded.extract(Embedded.resourceName()), "the embedded-redis jar");
        }
        return embedded;
    }

    /**
     * Where the executable is: for the embedded binary, its extracted copy.
     *
     * @return the absolute path every node is started from
     */
    public Path path() {
        return path;
    }

    /**
     * As reported by {@code redis-server --version}, e.g. {@code "7.0.15"}.
     *
     * @return major, minor and patch version, dot-separated
     */
    public String version() {
        return version;
    }

    /**
     * The major version, e.g. to skip a test that needs Redis 7 ({@code cluster-announce-hostname}, sharded
     * pub/sub) when the embedded 6.2 runs.
     *
     * @return 7 for {@code 7.0.15}; never below 6, since older binaries are refused
     */
    public int majorVersion() {
        return major;
    }

    /**
     * The minor version.
     *
     * @return 0 for {@code 7.0.15}, 2 for {@code 6.2.6}
     */
    public int minorVersion() {
        return minor;
    }

    @Override
    public String toString() {
        return "redis-server " + version + " at " + path;
    }

    private static RedisServerBinary of(Path path, String source) {
        if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
            throw new RedisClusterException("redis-server from " + source + " is not an executable file: " + path
                    + CHOOSE_ANOTHER);
        }
        return probe(path.toAbsolutePath(), source);
    }

    /** Checks the version; a refusal names where the binary came from and how to name another. */
    private static RedisServerBinary probe(Path path, String source) {
        String output = runVersion(path);
        Matcher m = VERSION.matcher(output);
        if (!m.find()) {
            throw new RedisClusterException("Cannot read the version of " + path + " (from " + source + ") from: "
                    + output.strip() + CHOOSE_ANOTHER);
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        if (major < 6) {
            // Older servers lack options the rig relies on (and are untested).
            throw new RedisClusterException("redis-server 6.0 or later is required, found " + m.group(1) + "." + m.group(2)
                    + "." + m.group(3) + " at " + path + " (from " + source + ")" + CHOOSE_ANOTHER);
        }
        return new RedisServerBinary(path, m.group(1) + "." + m.group(2) + "." + m.group(3), major, minor);
    }

    /**
     * The output goes to a file and standard input is closed at once: a wrapper that reads its input, or that does not
     * exit, would otherwise block the read before the bounded wait starts.
     */
    private static String runVersion(Path path) {
        Path output = null;
        try {
            output = Files.createTempFile("jwtgate-redis-server-version", ".txt");
            Process p = Processes.start(new ProcessBuilder(path.toString(), "--version")
                    .redirectErrorStream(true).redirectOutput(output.toFile()));
            p.getOutputStream().close();
            if (!p.waitFor(VERSION_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly); // a wrapper's child, started without exec
                p.destroyForcibly();
                throw new RedisClusterException(path + " --version did not finish within " + VERSION_TIMEOUT_SECONDS + " s"
                        + CHOOSE_ANOTHER);
            }
            byte[] out;
            try (InputStream in = Files.newInputStream(output)) {
                out = in.readNBytes(4096);
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RedisClusterException("Cannot run " + path + " --version: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisClusterException("Interrupted while running " + path + " --version", e);
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException e) {
                    output.toFile().deleteOnExit();
                }
            }
        }
    }

    private static Optional<Path> findOnPath(String name) {
        String pathVar = System.getenv("PATH");
        if (pathVar == null) {
            return Optional.empty();
        }
        for (String dir : pathVar.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** The binaries inside com.github.codemonstur:embedded-redis:1.4.4 (resource names checked in that jar). */
    private static final class Embedded {
        static String resourceName() {
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
            boolean arm = arch.equals("aarch64") || arch.equals("arm64");
            boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
            if (os.contains("linux") && x64) {
                return "redis-server-6.2.6-v5-linux-amd64";
            }
            if (os.contains("linux") && arm) {
                return "redis-server-6.2.7-linux-arm64";
            }
            if (os.contains("mac") && x64) {
                return "redis-server-6.2.6-v5-darwin-amd64";
            }
            if (os.contains("mac") && arm) {
                return "redis-server-6.2.6-v5-darwin-arm64";
            }
            throw new RedisClusterException("No embedded redis-server for " + os + "/" + arch
                    + "; install redis-server or set " + ENV + " / -D" + PROPERTY);
        }

        static Path extract(String resource) {
            ClassLoader loader = RedisServerBinary.class.getClassLoader();
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new RedisClusterException("No embedded redis-server: the resource " + resource
                            + " is not on the classpath. Add com.github.codemonstur:embedded-redis:1.4.4, put"
                            + " redis-server on the PATH, or name one with " + ENV + " or -D" + PROPERTY);
                }
                // In a directory of its own, which a later run deletes if this JVM dies without its exit hooks.
                Path dir = ProcessJanitor.newOwnedDir(ProcessJanitor.BINARY_PREFIX);
                Path file = dir.resolve(resource);
                ProcessJanitor.deleteOnExit(dir, file);
                // Written and closed before anyone executes it (an open write handle makes exec fail).
                Files.copy(in, file);
                if (!file.toFile().setExecutable(true, true)) {
                    throw new RedisClusterException("Cannot make " + file + " executable");
                }
                return file;
            } catch (IOException e) {
                throw new RedisClusterException("Cannot extract " + resource + ": " + e.getMessage(), e);
            }
        }
    }
}
