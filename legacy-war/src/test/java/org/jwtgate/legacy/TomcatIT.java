package org.jwtgate.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.testkit.cli.CliJar;
import org.jwtgate.testkit.RedisCluster;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.process.BoundedCommands;
import org.jwtgate.testkit.tokens.TestTokens;
import org.jwtgate.testkit.process.ServerProcesses;

/**
 * The legacy WAR in the official Tomcat 11 distribution. The Tomcat process gets only what
 * conf/tomcat/setenv.sh needs (APP_JWT_SECRET_FILE, JWTGATE_REDIS_NODES) plus the other
 * applications' variables: setenv.sh itself sets JWTGATE_REVOCATION_STORE and APP_JWT_SECRET,
 * so the legacy application serving at all proves it was sourced.
 */
class TomcatIT extends ContainerScenarios {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    private static TomcatContainer tomcat;
    private static Path secretFile;
    private static int jmxPort;

    @BeforeAll
    static void startTomcat() throws Exception {
        Path instance = ServletContainer.freshInstanceDir("tomcat-base");
        secretFile = Files.writeString(instance.resolve("jwt-secret"), TestTokens.SECRET + "\n");
        tomcat = new TomcatContainer(instance);
        Map<String, String> env = new HashMap<>(tomcat.catalinaEnvironment());
        env.putAll(LegacyApps.containerEnvironment(secretFile, REDIS.cluster()));
        // Remote JMX on loopback, as docs/operations.md shows for jconsole.
        jmxPort = ServerProcesses.freeLoopbackPort();
        env.put("CATALINA_OPTS", env.get("CATALINA_OPTS") + " " + ServletContainer.loopbackJmxOptions(jmxPort));
        try {
            tomcat.start(env, "/legacy/public/ping");
        } catch (Exception | Error e) {
            tomcat.close();
            throw e;
        }
    }

    @AfterAll
    static void stopTomcat() {
        if (tomcat != null) {
            tomcat.close();
        }
    }

    @Override
    ServletContainer container() {
        return tomcat;
    }

    @Override
    RedisCluster cluster() {
        return REDIS.cluster();
    }

    @Override
    int quotedTokenCookieStatus() {
        return 400;
    }

    @Override
    int failedDeploymentStatus() {
        return 404;
    }

    @Override
    int ambiguousPathStatus() {
        return 401;
    }

    /** What jconsole shows an administrator: the MBeans of each application's filter, live. */
    @Test
    void whenAnAdministratorReadsJmxThenEachApplicationsFiguresAreThereAndMove() throws Exception {
        JMXServiceURL url = ServletContainer.loopbackJmxUrl(jmxPort);
        try (JMXConnector connector = JMXConnectorFactory.connect(url)) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            Set<ObjectName> names = server.queryNames(new ObjectName("org.jwtgate:type=Requests,*"), null);
            Set<String> contexts = new TreeSet<>();
            names.forEach(name -> contexts.add(name.getKeyProperty("filter") + " " + name.getKeyProperty("context")));
            assertEquals(Set.of("\"jwtgate\" \"/legacy\"", "\"jwtgate\" \"/other\"", "\"jwtgate\" \"/readme\"",
                    "\"jwtgate\" \"/javax\"", "\"jwtgate\" \"/javaee\"", "\"jwtgate\" \"/partly-mapped\"",
                    "\"" + AnnotatedJwtFilter.class.getName() + "\" \"/annotated\""), contexts,
                    "the applications that started (the Java EE one's filter too); not the two whose deployment failed");

            ObjectName requests = new ObjectName("org.jwtgate:type=Requests,filter=\"jwtgate\",context=\"/legacy\"");
            long authenticated = (Long) server.getAttribute(requests, "Authenticated");
            long missing = (Long) server.getAttribute(requests, "RefusedMissing");
            assertEquals(200, tomcat.getWithToken("/legacy/hello", LegacyApps.legacyToken("ivan")).statusCode());
            assertEquals(401, tomcat.get("/legacy/hello").statusCode());
            assertEquals(authenticated + 1, server.getAttribute(requests, "Authenticated"));
            assertEquals(missing + 1, server.getAttribute(requests, "RefusedMissing"));

            ObjectName health = new ObjectName("org.jwtgate:type=Health,filter=\"jwtgate\",context=\"/legacy\"");
            // States, not counts: on a loaded machine a heartbeat can be late for a moment.
            awaitEquals("UP", () -> server.getAttribute(health, "Status"), "Health.Status");
            ObjectName revocation = new ObjectName("org.jwtgate:type=Revocation,filter=\"jwtgate\",context=\"/legacy\"");
            awaitEquals(1, () -> server.getAttribute(revocation, "NearCacheFresh"), "NearCacheFresh");
            // The near-cache starts with the first check, which Redis answers: one more once it is fresh.
            long fromNearCache = (Long) server.getAttribute(revocation, "ChecksNearCache");
            assertEquals(200, tomcat.getWithToken("/legacy/hello", LegacyApps.legacyToken("ivan")).statusCode());
            assertTrue((Long) server.getAttribute(revocation, "ChecksNearCache") > fromNearCache);
        }
    }

    /**
     * A Java EE application (javax.servlet, written for Tomcat 9) with JwtGate's jars added, as docs/operations.md
     * says: dropped into webapps/ its servlets cannot load, token or not (JwtGate's filter starts, but Tomcat
     * allocates the servlet before the filters run: 500, then 404); dropped into webapps-javaee/, Tomcat converts it
     * with the migration tool its lib/ ships, and JwtGate protects it.
     */
    @Test
    void whenAJavaxApplicationIsDroppedIntoWebappsJavaeeThenTomcatConvertsItAndJwtGateProtectsIt() throws Exception {
        HttpResponse<String> anonymous = tomcat.get("/javaee/hello");
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        assertEquals("Bearer realm=\"legacy\"", anonymous.headers().firstValue("WWW-Authenticate").orElse(null));
        HttpResponse<String> admin = tomcat.getWithToken("/javaee/hello", LegacyApps.legacyToken("lou", "admin"));
        assertEquals(200, admin.statusCode(), admin.body());
        assertEquals("hello user=lou admin=true auth=Bearer app=/javaee", admin.body().strip());

        HttpResponse<String> unconverted = tomcat.getWithToken("/javax/hello", LegacyApps.legacyToken("lou", "admin"));
        assertTrue(unconverted.statusCode() == 500 || unconverted.statusCode() == 404, unconverted.statusCode() + " " + unconverted.body());
        String cause = "java.lang.ClassNotFoundException: javax.servlet.http.HttpServlet";
        String logs = tomcat.awaitLog(cause, Duration.ofSeconds(10));
        assertTrue(logs.contains(cause), logs);
    }

    /** conf/tomcat/logging-audit.properties appended to logging.properties: the audit trail in its own file, only there. */
    @Test
    void whenTheAuditHandlerIsConfiguredThenAuditLinesGoToTheirOwnFileOnly() throws Exception {
        String token = LegacyApps.legacyToken("judy");
        assertEquals(200, tomcat.post("/legacy/logout", "Authorization", "Bearer " + token).statusCode());
        Path logs = tomcat.instanceDir.resolve("logs");
        String expected = "AUDIT revocation kind=token sub=judy iss=https://legacy.example";
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String audit = "";
        while (!(audit.contains(expected) && audit.contains("actor=judy reason=logout")) && System.nanoTime() < deadline) {
            Thread.sleep(100); // AsyncFileHandler writes from its own thread
            audit = readAll(logs, "jwtgate-audit.");
        }
        assertTrue(audit.contains(expected) && audit.contains("actor=judy reason=logout"), audit);
        String catalina = readAll(logs, "catalina.");
        assertTrue(catalina.contains("JwtGate filter [jwtgate] started"), "the other lines stay in catalina.*.log");
        assertFalse(catalina.contains("AUDIT revocation"), "audit lines only in their own file");
    }

    private static String readAll(Path dir, String prefix) throws java.io.IOException {
        StringBuilder all = new StringBuilder();
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList()) {
                all.append(Files.readString(file));
            }
        }
        return all.toString();
    }

    @Test
    void whenContextDescriptorInstalledThenTomcatDeploysThroughIt() throws Exception {
        String logs = tomcat.awaitLog("legacy.xml", Duration.ofSeconds(5));
        assertTrue(logs.contains("Deploying deployment descriptor [") && logs.contains("conf/Catalina/localhost/legacy.xml"), logs);
    }

    /**
     * docs/operations.md's Tomcat step 5: the web.xml taken out of the WAR in webapps/ with jar xf (as before Tomcat
     * unpacks it), setenv.sh sourced, then check-config of it with bin/jwtgate.
     */
    @Test
    void whenOperatorSourcesSetenvThenCheckConfigAcceptsTheWarsWebXml() throws Exception {
        Path workDir = Files.createTempDirectory(tomcat.instanceDir, "admin");
        ProcessBuilder shell = new ProcessBuilder("bash", "-c",
                "\"$JAVA_HOME/bin/jar\" xf \"$CATALINA_BASE/webapps/legacy.war\" WEB-INF/web.xml"
                        + " && . \"$CATALINA_BASE/bin/setenv.sh\" && exec " + CliJar.locate().command()
                        + " check-config WEB-INF/web.xml")
                .directory(workDir.toFile()).redirectErrorStream(true);
        shell.environment().keySet().removeIf(name -> !name.equals("PATH") && !name.equals("HOME"));
        shell.environment().putAll(Map.of(
                "CATALINA_BASE", tomcat.instanceDir.toString(),
                "JAVA_HOME", System.getProperty("java.home"),
                "APP_JWT_SECRET_FILE", secretFile.toString(),
                "JWTGATE_REDIS_NODES", REDIS.cluster().nodesSpec()));
        BoundedCommands.Finished check = BoundedCommands.run(shell, Duration.ofSeconds(60));
        String output = check.output();
        assertEquals(0, check.exitValue(), output);
        assertTrue(output.contains("filter [jwtgate] of [WEB-INF/web.xml] is valid"), output);
        assertTrue(output.contains("jwt.secret=****") && output.contains("revocation.store=redis-cluster"), output);
        assertFalse(output.contains(TestTokens.SECRET), output);
    }

    /** Waits up to 5 s for a state read over JMX to be {@code expected}. */
    private static void awaitEquals(Object expected, java.util.concurrent.Callable<Object> actual, String what)
            throws Exception {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(5).toNanos();
        Object last = actual.call();
        while (!expected.equals(last) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            last = actual.call();
        }
        assertEquals(expected, last, what);
    }
}
