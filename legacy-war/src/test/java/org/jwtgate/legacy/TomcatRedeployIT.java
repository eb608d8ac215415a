package org.jwtgate.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.process.ServerProcesses;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * Redeploy and undeploy hygiene in the official Tomcat 11 distribution: legacy.war (the filter, redis-cluster with
 * the near-cache) and secured.war (the Jakarta Authentication module it registers itself, the same store) reloaded
 * several times after serving authenticated requests and revocations, then undeployed, beside the two variants
 * whose start fails, and jwks.war, legacy.war with its keys from a JWKS URL (the JDK's HTTP client and its threads).
 * Whatever JwtGate started (threads, Redis connections, MBeans) must end with each stop, before Tomcat stops the application's class loader (else it warns of a leak), and no stopped
 * application's class loader may stay reachable (Tomcat's find-leaks, the Manager's "Find leaks"), but for the one
 * documented pin: secured.war's after its final undeploy (the module's registration left for Tomcat's authenticator).
 */
class TomcatRedeployIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    private static final int RELOADS = 3;

    /** The variant of legacy.war whose keys come from {@link #jwks}. */
    private static final String JWKS = "jwks";
    private static final KeyPair JWKS_KEY = TestTokens.rsaKeyPair();

    private static TomcatContainer tomcat;
    private static int jmxPort;
    private static HttpServer jwks;

    @BeforeAll
    static void startTomcat() throws Exception {
        RsaJsonWebKey key = new RsaJsonWebKey((RSAPublicKey) JWKS_KEY.getPublic());
        key.setKeyId("k1");
        byte[] set = ("{\"keys\":[" + key.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY) + "]}")
                .getBytes(StandardCharsets.UTF_8);
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwks.createContext("/jwks.json", exchange -> {
            exchange.sendResponseHeaders(200, set.length);
            exchange.getResponseBody().write(set);
            exchange.close();
        });
        jwks.start();
        Path instance = ServletContainer.freshInstanceDir("tomcat-redeploy");
        Path secretFile = Files.writeString(instance.resolve("jwt-secret"), TestTokens.SECRET + "\n");
        tomcat = new TomcatContainer(instance, TomcatRedeployIT::install);
        Map<String, String> env = new HashMap<>(tomcat.catalinaEnvironment());
        env.putAll(LegacyApps.containerEnvironment(secretFile, REDIS.cluster()));
        jmxPort = ServerProcesses.freeLoopbackPort();
        env.put("CATALINA_OPTS", env.get("CATALINA_OPTS") + " " + ServletContainer.loopbackJmxOptions(jmxPort));
        try {
            tomcat.start(env, "/legacy/public/ping");
        } catch (Exception | Error e) {
            tomcat.close();
            throw e;
        }
    }

    /**
     * legacy.war through its context descriptor, the two variants whose start fails (no other working one), and
     * secured.war, whose module registers itself (no jaspic-providers.xml, no JwtGate jar in Tomcat's lib).
     */
    private static void install(Path catalinaBase, Path conf) throws IOException {
        Files.copy(conf.resolve("tomcat/context.xml"), catalinaBase.resolve("conf/Catalina/localhost/legacy.xml"));
        Path webapps = catalinaBase.resolve("webapps");
        Files.copy(LegacyApps.builtWar(), webapps.resolve("legacy.war"));
        LegacyApps.writeVariants(webapps);
        Files.delete(webapps.resolve(LegacyApps.OTHER + ".war"));
        Files.copy(SecuredApps.builtWar(), webapps.resolve(SecuredApps.SECURED + ".war"));
        LegacyApps.variant(LegacyApps.builtWar(), webapps, JWKS, Map.of(
                "<param-name>jwt.secret</param-name>", "<param-name>jwt.jwks-uri</param-name>",
                "${env:APP_JWT_SECRET}", "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json"));
    }

    @AfterAll
    static void stopTomcat() {
        if (tomcat != null) {
            tomcat.close();
        }
        if (jwks != null) {
            jwks.stop(0);
        }
    }

    @Test
    void whenTheApplicationIsReloadedAndUndeployedThenNothingOfItRemains() throws Exception {
        JMXServiceURL url = ServletContainer.loopbackJmxUrl(jmxPort);
        try (JMXConnector connector = JMXConnectorFactory.connect(url)) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            Leftovers leftovers = new Leftovers(server, REDIS.cluster());
            serve(0);
            List<String> threads = lastingThreads(leftovers);
            int connections = leftovers.redisConnections();
            Set<ObjectName> mbeans = leftovers.mbeans();
            System.out.println("after the first start: threads " + threads + ", connections " + connections
                    + ", mbeans " + mbeans);

            for (int round = 1; round <= RELOADS; round++) {
                tomcat.reload("/legacy", Duration.ofSeconds(60));
                tomcat.reload("/" + SecuredApps.SECURED, Duration.ofSeconds(60));
                tomcat.reload("/" + JWKS, Duration.ofSeconds(60));
                serve(round);
            }
            System.out.println("after " + RELOADS + " reloads: threads " + leftovers.jwtgateThreads()
                    + ", connections " + leftovers.redisConnections());
            assertEquals(List.of(), leakWarnings(), "Tomcat's leak warnings after " + RELOADS + " reloads");
            assertEquals(threads, lastingThreads(leftovers), "JwtGate's threads after " + RELOADS + " reloads");
            int reloaded = leftovers.redisConnections();
            // A pool holds a connection more or less as requests happened to overlap; each instance left would add all of its.
            assertTrue(reloaded < 2 * connections, "JwtGate's Redis connections after " + RELOADS + " reloads: " + reloaded
                    + ", after the first start: " + connections);
            assertEquals(mbeans, leftovers.mbeans(), "MBeans after the reloads");

            // Both: a descriptor alone removed leaves webapps/legacy.war, which Tomcat then deploys anew.
            Files.delete(tomcat.instanceDir.resolve("conf/Catalina/localhost/legacy.xml"));
            Files.delete(tomcat.instanceDir.resolve("webapps/legacy.war"));
            tomcat.awaitLog("Undeploying context [/legacy]", Duration.ofSeconds(60));
            Leftovers.awaitNotServing(tomcat, "/legacy/public/ping");
            Files.delete(tomcat.instanceDir.resolve("webapps/" + SecuredApps.SECURED + ".war"));
            tomcat.awaitLog("Undeploying context [/" + SecuredApps.SECURED + "]", Duration.ofSeconds(60));
            Leftovers.awaitNotServing(tomcat, "/" + SecuredApps.SECURED + "/public/ping");
            Files.delete(tomcat.instanceDir.resolve("webapps/" + JWKS + ".war"));
            tomcat.awaitLog("Undeploying context [/" + JWKS + "]", Duration.ofSeconds(60));
            Leftovers.awaitNotServing(tomcat, "/" + JWKS + "/public/ping");
            System.out.println("after the undeploy: threads " + leftovers.jwtgateThreads() + ", connections "
                    + leftovers.redisConnections() + ", all threads " + leftovers.allThreads());
            assertEquals(List.of(), leftovers.jwtgateThreads(), "JwtGate's threads after the undeploy");
            assertEquals(0, leftovers.redisConnections(), "JwtGate's Redis connections after the undeploy");
            assertEquals(Set.of(), leftovers.mbeans(), "MBeans after the undeploy");

            assertEquals(List.of(), leakWarnings(), "Tomcat's leak warnings");
            String[] leaks = (String[]) server.invoke(new ObjectName("Catalina:type=Host,host=localhost"),
                    "findReloadedContextMemoryLeaks", null, null);
            // /secured: the documented limit (docs/operations.md, "Reloads, parallel deployment, undeployment"): after the
            // final undeploy Tomcat's factory keeps the module's registration, whose stand-in pins that class loader.
            assertEquals(List.of("/" + SecuredApps.SECURED), List.of(leaks),
                    "Tomcat's find-leaks: applications whose class loader stays");
        }
    }

    /** {@link Leftovers#serve}'s requests, and an authenticated and an unauthenticated one to jwks.war. */
    private static void serve(int round) throws Exception {
        Leftovers.serve(tomcat, round);
        assertEquals(200, tomcat.getWithToken("/" + JWKS + "/hello", jwksToken("dave")).statusCode());
        assertEquals(401, tomcat.get("/" + JWKS + "/hello").statusCode());
    }

    /** A token jwks.war accepts: RS256, signed with the key its JWKS holds. */
    private static String jwksToken(String subject) {
        JwtClaims claims = TestTokens.claims(subject);
        claims.setIssuer(LegacyApps.LEGACY_ISSUER);
        claims.setAudience(LegacyApps.LEGACY_AUDIENCE);
        return TestTokens.sign(claims, "RS256", JWKS_KEY.getPrivate(), jws -> jws.setKeyIdHeaderValue("k1"));
    }

    /** Tomcat's warnings of threads or thread-locals an application left behind, from its logs so far. */
    private static List<String> leakWarnings() {
        List<String> complaints = new ArrayList<>();
        for (String line : tomcat.logs().split("\n")) {
            // commons-pool's evictor (Jedis's pools) included: its thread too has ended when the application stops.
            if (line.contains("failed to stop it") || line.contains("but failed to remove it")
                    || line.contains("memory leak")) {
                complaints.add(line);
            }
        }
        return complaints;
    }

    /**
     * {@link Leftovers#jwtgateThreadsOnceLoaded} that each start of the applications has for as long as it runs:
     * without the JWKS HTTP client's workers (started for a fetch, ended when idle), and the client's selector named
     * without its number. Once loaded: a near-cache's loader thread starts a moment after the first request.
     */
    private static List<String> lastingThreads(Leftovers leftovers) throws IOException, InterruptedException {
        return leftovers.jwtgateThreadsOnceLoaded().stream().filter(name -> !name.startsWith("ForkJoinPool-"))
                .map(name -> name.replaceFirst("^HttpClient-\\d+-", "HttpClient-")).sorted().toList();
    }
}
