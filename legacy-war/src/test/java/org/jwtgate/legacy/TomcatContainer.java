package org.jwtgate.legacy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jwtgate.testkit.process.BoundedCommands;
import org.jwtgate.testkit.process.ServerProcesses;

/**
 * The official Tomcat 11 distribution, unpacked as CATALINA_HOME and left untouched; each run gets
 * its own CATALINA_BASE (conf copied, ports rewritten to free ones, conf/tomcat/setenv.sh in bin/,
 * then the {@link Deployment}: by default conf/tomcat/context.xml as the legacy application's
 * descriptor and the legacy WARs) and is started with {@code catalina.sh run}, which sources
 * setenv.sh as in production.
 */
final class TomcatContainer extends ServletContainer {

    /** docs/operations.md, "Tomcat 11, step by step": a new CATALINA_BASE's folders and Tomcat's configuration. */
    static final String MAKE_BASE = "mkdir -p \"$CATALINA_BASE\"/bin \"$CATALINA_BASE\"/conf/Catalina/localhost \"$CATALINA_BASE\"/logs"
            + " \"$CATALINA_BASE\"/temp \\\n  \"$CATALINA_BASE\"/webapps \"$CATALINA_BASE\"/work\n"
            + "cp \"$CATALINA_HOME\"/conf/*.* \"$CATALINA_BASE\"/conf/\n";

    /** What an IT installs into the CATALINA_BASE besides Tomcat's configuration and setenv.sh. */
    @FunctionalInterface
    interface Deployment {
        void install(Path catalinaBase, Path conf) throws IOException;
    }

    /** The thread in a line of Tomcat's OneLineFormatter: "05-Dec-2026 05:05:23.004 SEVERE [thread] logger message". */
    private static final Pattern THREAD = Pattern.compile(" \\[[^\\]]*\\] ");

    private final Path home;
    private final Path conf;
    private final int shutdownPort;
    private final Deployment deployment;

    TomcatContainer(Path instanceDir) {
        this(instanceDir, TomcatContainer::legacyApplications);
    }

    TomcatContainer(Path instanceDir, Deployment deployment) {
        super(instanceDir);
        this.home = requiredPath("tomcat.home");
        this.conf = requiredPath("jwtgate.conf");
        this.shutdownPort = ServerProcesses.freeLoopbackPort();
        this.deployment = deployment;
    }

    /**
     * The filter's applications: legacy.war through conf/tomcat/context.xml, and its variants; the audit
     * trail routed to its own file by appending conf/tomcat/logging-audit.properties, as docs/monitoring.md says.
     * The filter's refusals (DEBUG, JUL's FINE) are written too, so that "a token is never logged" reads them.
     */
    static void legacyApplications(Path catalinaBase, Path conf) throws IOException {
        Files.writeString(catalinaBase.resolve("conf/logging.properties"),
                "\n" + Files.readString(conf.resolve("tomcat/logging-audit.properties"))
                        + "\norg.jwtgate.filter.JwtAuthFilter.level = FINE\n", StandardOpenOption.APPEND);
        Files.copy(conf.resolve("tomcat/context.xml"), catalinaBase.resolve("conf/Catalina/localhost/legacy.xml"));
        Path webapps = catalinaBase.resolve("webapps");
        Files.copy(LegacyApps.builtWar(), webapps.resolve("legacy.war"));
        LegacyApps.writeVariants(webapps);
        LegacyApps.writeAnnotatedVariant(webapps);
        LegacyApps.writeReadmeVariant(webapps);
        LegacyApps.writePartlyMappedVariant(webapps);
        // A Java EE application with JwtGate, as is in webapps/ and for conversion in webapps-javaee/ (the Host's
        // legacyAppBase), converted there by the migration tool Tomcat ships in lib/.
        Path migrationTool = migrationTool(requiredPath("tomcat.home"));
        Path javax = LegacyApps.writeJavaxVariant(migrationTool, webapps, LegacyApps.JAVAX);
        Files.copy(javax, Files.createDirectories(catalinaBase.resolve("webapps-javaee")).resolve(LegacyApps.JAVAEE + ".war"));
    }

    /** The Apache Tomcat Migration Tool for Jakarta EE that the distribution ships in lib/. */
    private static Path migrationTool(Path home) throws IOException {
        try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
            return jars.filter(jar -> jar.getFileName().toString().matches("jakartaee-migration-.*-shaded\\.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no jakartaee-migration jar in " + home.resolve("lib")));
        }
    }

    @Override
    void prepare() throws IOException {
        // docs/operations.md's two commands for a new CATALINA_BASE, as written there.
        ProcessBuilder makeBase = new ProcessBuilder("bash", "-c", MAKE_BASE);
        makeBase.environment().put("CATALINA_HOME", home.toString());
        makeBase.environment().put("CATALINA_BASE", instanceDir.toString());
        BoundedCommands.Finished made = BoundedCommands.run(makeBase, Duration.ofSeconds(60));
        if (made.exitValue() != 0) {
            throw new IOException("the documented commands making CATALINA_BASE failed: " + made.output());
        }
        Path serverXml = instanceDir.resolve("conf/server.xml");
        String server = Files.readString(serverXml);
        server = replaceOnce(server, "<Server port=\"8005\"", "<Server port=\"" + shutdownPort + "\"");
        server = replaceOnce(server, "<Connector port=\"8080\" protocol=\"HTTP/1.1\"",
                "<Connector port=\"" + httpPort + "\" address=\"127.0.0.1\"" + ContainerRuntime.tomcatConnectorAttributes()
                        + " protocol=\"HTTP/1.1\"");
        // HostConfig's checks for edited, added and removed applications every second, not every 10 s: the reload
        // and undeploy tests wait for them (the edit itself must still be a second old, see reload).
        server = replaceOnce(server, "<Engine name=\"Catalina\" defaultHost=\"localhost\">",
                "<Engine name=\"Catalina\" defaultHost=\"localhost\" backgroundProcessorDelay=\"1\">");
        Files.writeString(serverXml, server);

        Files.copy(conf.resolve("tomcat/setenv.sh"), instanceDir.resolve("bin/setenv.sh"));
        deployment.install(instanceDir, conf);
    }

    private static String replaceOnce(String text, String target, String replacement) {
        if (text.indexOf(target) < 0 || text.indexOf(target) != text.lastIndexOf(target)) {
            throw new IllegalStateException("server.xml does not contain exactly one [" + target + "]");
        }
        return text.replace(target, replacement);
    }

    /**
     * Reloads an application deployed from webapps/ as an administrator's edit of its WEB-INF/web.xml does
     * (so do the Manager's "Reload" and {@code reloadable="true"}): HostConfig sees the edit at its next
     * background check (every second here, 10 s by default) and calls StandardContext.reload(), which stops and starts the context
     * while its pipeline, the authenticator valve included, stays. Returns once Tomcat logs the reload done.
     */
    void reload(String contextPath, Duration timeout) throws IOException, InterruptedException {
        long before = reloadsCompleted(contextPath);
        Path webXml = instanceDir.resolve("webapps").resolve(contextPath.substring(1)).resolve("WEB-INF/web.xml");
        // More than a second old: HostConfig waits that long to be sure an edit is over (FILE_MODIFICATION_RESOLUTION_MS).
        Files.setLastModifiedTime(webXml, FileTime.from(Instant.now().minusSeconds(2)));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (reloadsCompleted(contextPath) <= before) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Tomcat did not reload " + contextPath + " within " + timeout + ":\n" + logs());
            }
            Thread.sleep(200);
        }
    }

    private long reloadsCompleted(String contextPath) {
        return Pattern.compile(Pattern.quote("Reloading Context with name [" + contextPath + "] is completed"))
                .matcher(logs()).results().count();
    }

    /**
     * How many records Tomcat logged in lines that {@code line} accepts. The console and catalina.log hold the same
     * record, told apart from another record by its time; the thread is left out of the comparison: for a virtual
     * thread ({@code useVirtualThreads}) the console handler writes its name, the file handler, which formats on a
     * thread of its own, only its id.
     */
    long recordsLogged(Predicate<String> line) {
        return logs().lines().filter(line).map(logged -> THREAD.matcher(logged).replaceFirst(" ")).distinct().count();
    }

    @Override
    List<String> command() {
        // bash, not ./catalina.sh: zip entries carry no execute bit.
        return List.of("bash", home.resolve("bin/catalina.sh").toString(), "run");
    }

    /** CATALINA_HOME/BASE, JVM options that make a short-lived test server start faster, and the run's ({@link ContainerRuntime}). */
    Map<String, String> catalinaEnvironment() {
        return Map.of(
                "CATALINA_HOME", home.toString(),
                "CATALINA_BASE", instanceDir.toString(),
                "CATALINA_OPTS", String.join(" ", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k",
                        String.join(" ", ContainerRuntime.jvmOptions())).strip());
    }

    @Override
    String name() {
        return "tomcat";
    }
}
