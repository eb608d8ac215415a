package org.jwtgate.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive an administrator downloads: it holds what its README promises, the jars for
 * WEB-INF/lib hold the library and its run-time dependencies but no container API and no logging
 * binding, and bin/jwtgate runs the CLI.
 */
class DistributionIT {

    private static final String VERSION = System.getProperty("jwtgate.version");
    private static final String ROOT = "jwtgate-" + VERSION + "/";
    private static List<String> entries;
    /** Where each test unpacks the archive (about 7 MB a time): removed after the class, with everything in it. */
    @TempDir
    static Path scratch;
    /** A Markdown link's target: {@code [text](target)}. */
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    @BeforeAll
    static void readArchive() throws IOException {
        entries = new ArrayList<>();
        try (ZipFile zip = new ZipFile(System.getProperty("jwtgate.distribution.zip"))) {
            zip.stream().map(ZipEntry::getName).forEach(entries::add);
        }
    }

    private static List<String> under(String folder) {
        return entries.stream().filter(e -> e.startsWith(ROOT + folder) && !e.endsWith("/"))
                .map(e -> e.substring((ROOT + folder).length())).toList();
    }

    @Test
    void whenArchiveReadThenItHoldsEveryPartTheReadmePromises() {
        for (String part : List.of("README.md", "CHANGELOG.md", "bin/jwtgate", "lib/cli/jwtgate-cli.jar",
                "lib/authentication/jwtgate-authentication-" + VERSION + ".jar", "conf/web.xml",
                "conf/tomcat/setenv.sh", "conf/tomcat/jaspic-providers.xml", "docs/operations.md",
                "docs/configuration.md")) {
            assertTrue(entries.contains(ROOT + part), "missing " + part + " in " + entries);
        }
    }

    @Test
    void whenWebappJarsListedThenTheLibraryAndItsDependenciesButNoContainerApiOrBinding() {
        List<String> jars = under("lib/webapp/");
        for (String needed : List.of("jwtgate-filter-core-" + VERSION + ".jar", "jose4j-", "jedis-", "commons-pool2-",
                "slf4j-api-")) {
            assertTrue(jars.stream().anyMatch(j -> j.startsWith(needed)), needed + " not in lib/webapp: " + jars);
        }
        for (String forbidden : List.of("servlet", "jakarta.enterprise", "cdi-api", "slf4j-simple", "logback",
                "slf4j-jdk", "jwtgate-cli", "jwtgate-authentication", "jwtgate-testkit")) {
            assertFalse(jars.stream().anyMatch(j -> j.contains(forbidden)), forbidden + " must not be in lib/webapp: " + jars);
        }
        assertEquals(List.of("jwtgate-authentication-" + VERSION + ".jar"), under("lib/authentication/"));
    }

    /**
     * The {@code conf/} rows of the archive's README and of the repository's name what the archive's conf/ holds, and
     * nothing else: each file and folder at its top, and each file of {@code tomcat/}, which go one by one to different
     * places (the Jetty bases and the Redis Cluster are used whole).
     */
    @Test
    void whenTheReadmesDescribeConfThenTheyNameExactlyWhatTheArchivesConfHolds() throws IOException {
        Set<String> held = new TreeSet<>();
        for (String file : under("conf/")) {
            int slash = file.indexOf('/');
            held.add(slash < 0 ? file : file.substring(0, slash + 1));
            if (file.startsWith("tomcat/")) {
                held.add(file.substring("tomcat/".length()));
            }
        }
        assertTrue(held.contains("web.xml") && held.contains("tomcat/") && held.contains("setenv.sh"), held.toString());
        assertEquals(held, backticked(cell(archiveText("README.md"), "| `conf/` |", 2)), "the archive README's conf/ row");
        assertEquals(held, backticked(cell(Files.readString(Path.of("../README.md")), "| `conf/` |", 2)),
                "the repository README's conf/ row");
    }

    /**
     * The archive's README shows the @WebFilter and builder declarations the docs send readers to (their links to the
     * README's quick start land on it in the archive), as the repository's README has them: word for word.
     */
    @Test
    void whenTheArchivesReadmeShowsJavaCodeThenItIsTheRepositoryReadmesCode() throws IOException {
        String repository = Files.readString(Path.of("../README.md"));
        Matcher block = Pattern.compile("(?m)^( *)```java\\n(.*?)^\\1```$", Pattern.DOTALL).matcher(archiveText("README.md"));
        List<String> shown = new ArrayList<>();
        while (block.find()) {
            String code = block.group(2).replaceAll("(?m)^" + block.group(1), "");
            shown.add(code.lines().findFirst().orElse(""));
            assertTrue(repository.contains("```java\n" + code + "```"), "not in the repository README as written:\n" + code);
        }
        assertEquals(List.of("@WebFilter(urlPatterns = \"/*\", asyncSupported = true,",
                "JwtAuthFilter filter = JwtAuthFilter.builder()"), shown);
    }

    /** docs/operations.md's "in WEB-INF/lib" names each jar of lib/webapp, by artifact, and nothing else. */
    @Test
    void whenTheOperationsPageListsWebInfLibThenItNamesExactlyTheWebappJars() throws IOException {
        Set<String> artifacts = new TreeSet<>();
        for (String jar : under("lib/webapp/")) {
            artifacts.add(jar.replaceFirst("-\\d[^/]*\\.jar$", ""));
        }
        assertTrue(artifacts.contains("jwtgate-filter-core") && artifacts.contains("redis-authx-core"), artifacts.toString());
        assertEquals(artifacts, backticked(cell(archiveText("docs/operations.md"), "| `jwtgate-filter-core`", 1)),
                "docs/operations.md's \"in WEB-INF/lib\" against the archive's lib/webapp");
    }

    /**
     * GNU tar run as root restores the owners a tar holds: the build user's would hand bin/ and conf/ to whichever
     * local account has that uid. (Built as root, as CI builds, the owner is 0 either way: this guards a build by
     * another user; the fix was checked by building from files owned by uid 1000.)
     */
    @Test
    void whenTheTarIsListedThenEveryEntryBelongsToRoot() throws Exception {
        Process list = new ProcessBuilder("tar", "--numeric-owner", "-tvzf", System.getProperty("jwtgate.distribution.tar"))
                .redirectErrorStream(true).start();
        String listing = new String(list.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(list.waitFor(60, TimeUnit.SECONDS) && list.exitValue() == 0, listing);
        List<String> lines = listing.lines().toList();
        assertTrue(lines.size() > 100, listing);
        for (String line : lines) {
            assertEquals("0/0", line.split("\\s+")[1], line);
        }
    }

    @Test
    void whenLauncherRunThenTheCliAnswersItsHelp() throws Exception {
        // The tar.gz, with tar (an essential package; unzip is not installed on a bare Debian), as the launcher's
        // mode must survive unpacking.
        Path unpacked = Files.createTempDirectory(scratch, "jwtgate-dist");
        untar(unpacked);
        Path launcher = unpacked.resolve(ROOT + "bin/jwtgate");
        assertTrue(Files.isExecutable(launcher), "bin/jwtgate is executable");
        // As an administrator installs it: a link on the PATH; and with CDPATH set, which makes cd print.
        Path link = Files.createDirectory(unpacked.resolve("usr-local-bin")).resolve("jwtgate");
        Files.createSymbolicLink(link, launcher);
        ProcessBuilder builder = new ProcessBuilder(link.toString(), "--help").redirectErrorStream(true);
        builder.environment().put("CDPATH", ".:" + unpacked);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().keySet().removeIf(name -> name.startsWith("JWTGATE_"));
        Path outputFile = unpacked.resolve("help.txt");
        Process cli = builder.redirectOutput(outputFile.toFile()).start();
        awaitEnd(cli, "bin/jwtgate --help");
        String output = Files.readString(outputFile);
        assertEquals(0, cli.exitValue(), output);
        assertTrue(output.contains("revoke-token") && output.contains("check-config"), output);
        // The usage names the command the user ran, not the jar's java -jar line (no jwtgate-cli.jar in the current
        // directory: copied, it answers "Unable to access jarfile").
        assertTrue(output.startsWith("Usage: bin/jwtgate [--config FILE]") && !output.contains("java -jar"), output);
    }

    @Test
    void whenLauncherLinkedRelativelyFromALinkedDirectoryThenItStillFindsTheArchiveAndPassesTheExitCode() throws Exception {
        // /usr/local/bin -> /opt/tools/bin (a linked directory), and there jwtgate -> ../jwtgate-<version>/bin/jwtgate:
        // the link is relative to the real directory, /opt/tools/bin, not to the path it was reached by. With spaces.
        Path root = Files.createTempDirectory(scratch, "jwtgate dist");
        Path tools = Files.createDirectories(root.resolve("opt tools"));
        untar(tools);
        Path toolsBin = Files.createDirectory(tools.resolve("bin"));
        Files.createSymbolicLink(toolsBin.resolve("jwtgate"), Path.of("..", ROOT + "bin/jwtgate"));
        Path usrLocalBin = Files.createSymbolicLink(root.resolve("usr local bin"), toolsBin);
        Path outputFile = root.resolve("out.txt");
        // The kernel runs the script by its #! line.
        ProcessBuilder builder = new ProcessBuilder(usrLocalBin.resolve("jwtgate").toString(), "check-config",
                root.resolve("missing.properties").toString()).redirectErrorStream(true).redirectOutput(outputFile.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().keySet().removeIf(name -> name.startsWith("JWTGATE_"));
        Process cli = builder.start();
        awaitEnd(cli, "bin/jwtgate");
        String output = Files.readString(outputFile);
        assertEquals(2, cli.exitValue(), "the CLI's exit code for an unreadable file: " + output);
        assertTrue(output.startsWith("jwtgate: ") && output.contains("missing.properties"), output);
    }

    /**
     * A variable whose name is no shell identifier (a '-' or '.', from a Docker env-file or a systemd unit) reaches
     * Tomcat through bash's catalina.sh, and the filter refuses to start on it. Under #!/bin/sh (dash) the launcher
     * dropped it before exec: "valid", exit 0, where the jar and the filter refuse it (found by a probe).
     */
    @Test
    void whenAVariableNamedWithADashOrDotIsInTheEnvironmentThenTheLauncherAnswersAsTheJar() throws Exception {
        Path root = Files.createTempDirectory(scratch, "jwtgate dist");
        untar(root);
        Path home = root.resolve(ROOT);
        Path properties = Files.writeString(root.resolve("app.properties"), String.join("\n",
                "jwt.secret=base64:Cq0Zkq3TpW6b0Jr5p2o2GmW1n2r8yP3Vx0mJ7uQeW4c=",
                "jwt.issuer=https://login.example.com", "jwt.audience=my-app", "revocation.store=memory", ""));
        for (String variable : List.of("JWTGATE_REVOCATION_NEAR-CACHE", "jwtgate.jwt.audience")) {
            Launched jar = checkConfig(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", home.resolve("lib/cli/jwtgate-cli.jar").toString()), properties, variable);
            Launched launcher = checkConfig(List.of(home.resolve("bin/jwtgate").toString()), properties, variable);
            assertEquals(2, jar.exitValue(), "java -jar refuses [" + variable + "]: " + jar.output());
            assertEquals(jar, launcher, "bin/jwtgate with [" + variable + "] in the environment answers as java -jar");
        }
    }

    /** {@code <cli> check-config <properties>} with {@code variable=false} added to an environment without JwtGate's. */
    private static Launched checkConfig(List<String> cli, Path properties, String variable) throws Exception {
        Path outputFile = Files.createTempFile(scratch, "out", ".txt");
        List<String> command = new ArrayList<>(cli);
        command.addAll(List.of("check-config", properties.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(outputFile.toFile());
        builder.environment().keySet().removeIf(name -> name.toUpperCase(java.util.Locale.ROOT).startsWith("JWTGATE"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put(variable, "false");
        Process process = builder.start();
        awaitEnd(process, String.join(" ", command));
        return new Launched(process.exitValue(), Files.readString(outputFile));
    }

    @Test
    void whenLauncherRunWithNounsetAndNoJavaHomeThenItRunsTheJavaOnThePath() throws Exception {
        // sh -u (set -u: an unset variable is an error), no JAVA_HOME and no JAVA_OPTS: the java on PATH runs the CLI.
        Launched cli = launcherHelp(List.of("sh", "-u"), environment -> {
            environment.remove("JAVA_HOME");
            environment.remove("JAVA_OPTS");
            environment.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":/usr/bin:/bin");
        });
        assertEquals(0, cli.exitValue(), cli.output());
        assertTrue(cli.output().contains("revoke-token") && cli.output().contains("check-config"), cli.output());
    }

    /**
     * JAVA_OPTS is split at spaces, not globbed: {@code -Dhttp.nonProxyHosts=*} run from a directory holding a file
     * {@code -Dhttp.nonProxyHosts=backup.tar} reached the JVM as that file's name (found by a probe).
     */
    @Test
    void whenJavaOptsHoldsAGlobCharacterThenTheJvmGetsItAsWritten() throws Exception {
        Path jdk = Files.createTempDirectory(scratch, "echo jdk");
        Path echo = Files.createDirectories(jdk.resolve("bin")).resolve("java");
        Files.writeString(echo, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n"); // prints what it got
        Files.setPosixFilePermissions(echo, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path here = Files.createTempDirectory(scratch, "cwd");
        Files.createFile(here.resolve("-Dhttp.nonProxyHosts=backup.tar"));
        Launched cli = launcherHelp(List.of(), here, environment -> {
            environment.put("JAVA_HOME", jdk.toString());
            environment.put("JAVA_OPTS", "-Dhttp.nonProxyHosts=* -Xmx64m");
        });
        assertEquals(0, cli.exitValue(), cli.output());
        assertEquals(List.of("-Dhttp.nonProxyHosts=*", "-Xmx64m"), cli.output().lines().limit(2).toList(), cli.output());
    }

    @Test
    void whenJavaHomeNamesNoJdkThenTheLauncherSaysWhichAndExitsAsForAConfigurationError() throws Exception {
        // A JAVA_HOME left pointing at a JDK that was removed (an upgrade): exit 2 (docs/operations.md's exit codes), one
        // "jwtgate: " line naming it, not the shell's "exec: …/bin/java: not found" and 127.
        Path removed = Files.createTempDirectory(scratch, "jwtgate java").resolve("removed jdk-17");
        Launched cli = launcherHelp(List.of(), environment -> environment.put("JAVA_HOME", removed.toString()));
        assertEquals(2, cli.exitValue(), cli.output());
        assertTrue(cli.output().startsWith("jwtgate: ") && cli.output().contains("JAVA_HOME [" + removed + "]")
                && cli.output().lines().count() == 1, cli.output());
    }

    @Test
    void whenJavaHomesBinJavaIsADirectoryOrNotExecutableThenTheLauncherSaysWhichAndExitsAsForAConfigurationError()
            throws Exception {
        // A JAVA_HOME whose bin/java cannot run: a directory (which passes test -x: before, the shell's "exec: …:
        // Permission denied" and 126), or a file without its execute bit (a copy that lost its mode).
        Path jdks = Files.createTempDirectory(scratch, "jwtgate java");
        Path directory = jdks.resolve("directory jdk");
        Files.createDirectories(directory.resolve("bin/java"));
        Path notExecutable = jdks.resolve("not executable jdk");
        Files.createDirectories(notExecutable.resolve("bin"));
        Files.writeString(notExecutable.resolve("bin/java"), "#!/bin/sh\necho not run\n");
        for (Path javaHome : List.of(directory, notExecutable)) {
            Launched cli = launcherHelp(List.of(), environment -> environment.put("JAVA_HOME", javaHome.toString()));
            assertEquals(2, cli.exitValue(), javaHome + ": " + cli.output());
            assertTrue(cli.output().startsWith("jwtgate: ") && cli.output().contains("JAVA_HOME [" + javaHome + "]")
                    && cli.output().lines().count() == 1, javaHome + ": " + cli.output());
        }
    }

    @Test
    void whenNoJavaOnThePathAndNoJavaHomeThenTheLauncherSaysSoAndExitsAsForAConfigurationError() throws Exception {
        // A host without a JDK (or a cron job's short PATH) and no JAVA_HOME: exit 2 and one "jwtgate: " line saying
        // what to do, not the shell's "exec: java: not found" and 127. The PATH holds only the tools the script uses.
        Path tools = Files.createTempDirectory(scratch, "tools without java");
        for (String tool : new String[] {"dirname", "readlink"}) {
            Path found = Files.exists(Path.of("/usr/bin", tool)) ? Path.of("/usr/bin", tool) : Path.of("/bin", tool);
            Files.createSymbolicLink(tools.resolve(tool), found);
        }
        Launched cli = launcherHelp(List.of(), environment -> {
            environment.remove("JAVA_HOME");
            environment.put("PATH", tools.toString());
        });
        assertEquals(2, cli.exitValue(), cli.output());
        assertTrue(cli.output().startsWith("jwtgate: no java on PATH and JAVA_HOME is not set")
                && cli.output().lines().count() == 1, cli.output());
    }

    @Test
    void whenClusterScriptStartedWithCdpathExportedThenItGivesRedisItsOwnNodeConfiguration() throws Exception {
        // docs/revocation.md: conf/redis-cluster/cluster.sh start, run from the unpacked archive by a user whose
        // shell exports CDPATH (with it, bash's cd prints the directory it enters). A stand-in redis-server records
        // the configuration file it is given and fails, so no node starts.
        Path root = Files.createTempDirectory(scratch, "jwtgate dist");
        untar(root);
        Path given = root.resolve("given.txt");
        Path redisServer = root.resolve("redis-server");
        Files.writeString(redisServer, "#!/bin/sh\nprintf '%s' \"$1\" > \"" + given + "\"\nexit 1\n");
        assertTrue(redisServer.toFile().setExecutable(true), "chmod");
        Path outputFile = root.resolve("out.txt");
        ProcessBuilder builder = new ProcessBuilder("conf/redis-cluster/cluster.sh", "start").directory(root.resolve(ROOT).toFile())
                .redirectErrorStream(true).redirectOutput(outputFile.toFile());
        builder.environment().put("CDPATH", ".:" + root);
        builder.environment().put("REDIS_SERVER", redisServer.toString());
        builder.environment().put("CLUSTER_DATA_DIR", root.resolve("data").toString());
        builder.environment().put("CLUSTER_TIMEOUT", "1");
        Process script = builder.start();
        awaitEnd(script, "cluster.sh start");
        assertTrue(Files.exists(given), "redis-server was not run: " + Files.readString(outputFile));
        assertEquals(root.resolve(ROOT + "conf/redis-cluster/7001.conf").toRealPath().toString(), Files.readString(given),
                "the configuration cluster.sh gave redis-server");
    }

    @Test
    void whenANodesPidFileIsStaleAndItsPidReusedThenClusterScriptStopLeavesThatProcessAlone() throws Exception {
        // A node that crashed (or was killed) leaves its redis.pid behind; its pid can then belong to any process.
        Path root = Files.createTempDirectory(scratch, "jwtgate dist");
        untar(root);
        Process unrelated = new ProcessBuilder("sleep", "300").start();
        try {
            Path data = root.resolve("data");
            Files.createDirectories(data.resolve("7001"));
            Files.writeString(data.resolve("7001/redis.pid"), unrelated.pid() + "\n");
            Path outputFile = root.resolve("out.txt");
            ProcessBuilder builder = new ProcessBuilder("conf/redis-cluster/cluster.sh", "stop").directory(root.resolve(ROOT).toFile())
                    .redirectErrorStream(true).redirectOutput(outputFile.toFile());
            builder.environment().put("CLUSTER_DATA_DIR", data.toString());
            builder.environment().put("CLUSTER_TIMEOUT", "2");
            Process script = builder.start();
            awaitEnd(script, "cluster.sh stop");
            String output = Files.readString(outputFile);
            assertTrue(unrelated.isAlive(), "cluster.sh stop killed pid " + unrelated.pid() + ", which is no node: " + output);
            assertEquals("no node was running\n", output);
        } finally {
            unrelated.destroyForcibly();
        }
    }

    @Test
    void whenANodeDoesNotAnswerThenClusterScriptStatusReportsItUnhealthyInsteadOfWaitingForever() throws Exception {
        // A node that runs but does not answer (stopped by SIGSTOP, stuck): its process, titled as redis-server titles
        // itself, and a redis-cli that, like a real one facing that node, never gets a reply.
        Path root = Files.createTempDirectory(scratch, "jwtgate dist");
        untar(root);
        Process node = new ProcessBuilder("bash", "-c", "exec -a 'redis-server 127.0.0.1:7001 [cluster]' sleep 300").start();
        Path redisCli = root.resolve("redis-cli");
        Files.writeString(redisCli, "#!/bin/sh\nexec sleep 300\n");
        assertTrue(redisCli.toFile().setExecutable(true), "chmod");
        Process script = null;
        try {
            Path data = root.resolve("data");
            Files.createDirectories(data.resolve("7001"));
            Files.writeString(data.resolve("7001/redis.pid"), node.pid() + "\n");
            Path outputFile = root.resolve("out.txt");
            ProcessBuilder builder = new ProcessBuilder("conf/redis-cluster/cluster.sh", "status").directory(root.resolve(ROOT).toFile())
                    .redirectErrorStream(true).redirectOutput(outputFile.toFile());
            builder.environment().put("CLUSTER_DATA_DIR", data.toString());
            builder.environment().put("REDIS_CLI", redisCli.toString());
            script = builder.start();
            boolean ended = script.waitFor(60, TimeUnit.SECONDS);
            String output = Files.readString(outputFile);
            assertTrue(ended, "cluster.sh status still running after 60 s: " + output);
            assertEquals(1, script.exitValue(), output);
            assertTrue(output.startsWith("node 7001: running (pid " + node.pid() + ") no answer"), output);
        } finally {
            if (script != null) {
                script.descendants().forEach(ProcessHandle::destroyForcibly);
                script.destroyForcibly();
            }
            node.destroyForcibly();
        }
    }

    /**
     * The pages an administrator reads in the archive (README.md, CHANGELOG.md, docs/) link only to files the archive
     * holds, and to sections those pages have: the repository's pages link to its README and its benchmark results,
     * which the archive's README and contents may not match.
     */
    @Test
    void whenTheArchivesPagesLinkToAFileOrASectionThenTheArchiveHoldsIt() throws IOException {
        Map<String, String> pages = new TreeMap<>();
        try (ZipFile zip = new ZipFile(System.getProperty("jwtgate.distribution.zip"))) {
            for (ZipEntry entry : zip.stream().filter(e -> e.getName().startsWith(ROOT) && e.getName().endsWith(".md")).toList()) {
                try (InputStream in = zip.getInputStream(entry)) {
                    pages.put(entry.getName().substring(ROOT.length()), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        assertTrue(pages.containsKey("docs/configuration.md") && pages.containsKey("docs/performance.md"), pages.keySet().toString());
        List<String> broken = new ArrayList<>();
        for (Map.Entry<String, String> page : pages.entrySet()) {
            Matcher link = LINK.matcher(page.getValue().replaceAll("(?s)```.*?```", ""));
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("^[a-z][a-z+.-]*:.*")) {
                    continue; // https:, mailto: lead outside the archive
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                String path = file.isEmpty() ? page.getKey()
                        : Path.of(page.getKey()).resolveSibling(file).normalize().toString().replace('\\', '/');
                if (!entries.contains(ROOT + path) && !entries.contains(ROOT + path + "/")) {
                    broken.add(page.getKey() + ": " + target + " (no " + path + " in the archive)");
                } else if (hash >= 0 && pages.containsKey(path) && !anchors(pages.get(path)).contains(target.substring(hash + 1))) {
                    broken.add(page.getKey() + ": " + target + " (no such section in " + path + ")");
                }
            }
        }
        assertEquals(List.of(), broken, "links of the archive's pages that lead nowhere in it");
    }

    /** A text file of the archive, by its path inside {@code jwtgate-<version>/}. */
    private static String archiveText(String path) throws IOException {
        try (ZipFile zip = new ZipFile(System.getProperty("jwtgate.distribution.zip"));
                InputStream in = zip.getInputStream(zip.getEntry(ROOT + path))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Cell {@code index} (1 for the first) of the one table row of {@code page} that starts with {@code rowStart}. */
    private static String cell(String page, String rowStart, int index) {
        List<String> rows = page.lines().filter(line -> line.startsWith(rowStart)).toList();
        assertEquals(1, rows.size(), "rows starting " + rowStart + ": " + rows);
        return rows.get(0).split("\\|")[index];
    }

    /** The names a text writes as code: {@code `name`}. */
    private static Set<String> backticked(String text) {
        Set<String> names = new TreeSet<>();
        Matcher code = Pattern.compile("`([^`]+)`").matcher(text);
        while (code.find()) {
            names.add(code.group(1));
        }
        return names;
    }

    /** The section anchors of a Markdown page, as GitHub makes them from its headings. */
    private static Set<String> anchors(String page) {
        Set<String> anchors = new HashSet<>();
        Matcher heading = Pattern.compile("(?m)^#+\\s+(.+)$").matcher(page.replaceAll("(?s)```.*?```", ""));
        while (heading.find()) {
            String anchor = heading.group(1).strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
            String unique = anchor;
            for (int n = 1; !anchors.add(unique); n++) {
                unique = anchor + "-" + n;
            }
        }
        return anchors;
    }

    /** How a run of the launcher ended: its exit code, and its standard output and error together. */
    private record Launched(int exitValue, String output) {
    }

    /**
     * {@code bin/jwtgate --help} from a freshly unpacked archive, run by {@code shell} (empty: by the script's own
     * {@code #!}), with no {@code JWTGATE_*} variables and the environment as {@code adjust} leaves it.
     */
    private static Launched launcherHelp(List<String> shell, Consumer<Map<String, String>> adjust) throws Exception {
        return launcherHelp(shell, null, adjust);
    }

    /** As {@link #launcherHelp(List, Consumer)}, run from {@code directory} (null: this JVM's). */
    private static Launched launcherHelp(List<String> shell, Path directory, Consumer<Map<String, String>> adjust)
            throws Exception {
        Path root = Files.createTempDirectory(scratch, "jwtgate dist");
        untar(root);
        Path outputFile = root.resolve("out.txt");
        List<String> command = new ArrayList<>(shell);
        command.addAll(List.of(root.resolve(ROOT + "bin/jwtgate").toString(), "--help"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(outputFile.toFile())
                .directory(directory == null ? null : directory.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("JWTGATE_"));
        adjust.accept(builder.environment());
        Process cli = builder.start();
        awaitEnd(cli, "bin/jwtgate --help");
        return new Launched(cli.exitValue(), Files.readString(outputFile));
    }

    /** Unpacks the distribution's tar into {@code directory}. */
    private static void untar(Path directory) throws Exception {
        Process untar = new ProcessBuilder("tar", "-xzf", System.getProperty("jwtgate.distribution.tar"), "-C",
                directory.toString()).inheritIO().start();
        assertTrue(untar.waitFor(60, TimeUnit.SECONDS) && untar.exitValue() == 0, "tar");
    }

    /** Waits up to 60 s for {@code process}, else kills it and fails naming {@code what}. */
    private static void awaitEnd(Process process, String what) throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(what + " still running after 60 s");
        }
    }
}
