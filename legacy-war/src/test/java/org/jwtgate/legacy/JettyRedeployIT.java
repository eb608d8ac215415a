package org.jwtgate.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.process.ServerProcesses;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * Redeploy and undeploy hygiene in the official Jetty 12 distribution (ee10), through its deployment scanner: a
 * JETTY_BASE made from conf/jetty-authentication as docs/operations.md says for applications that switch the module on
 * themselves (its container registration, start.d/jwtgate-authentication.ini, left out), scanning webapps/ every
 * second. legacy.war (the filter, redis-cluster with the near-cache, deployed by conf/jetty-base's webapps/legacy.xml)
 * and secured.war (the Jakarta Authentication module, the same store) are redeployed several times by touching
 * webapps/legacy.xml and webapps/secured.war, after serving authenticated requests and revocations, then undeployed
 * by removing them, beside the two variants whose start fails. Whatever JwtGate started (threads, Redis connections,
 * MBeans) must end with each stop, and no stopped application's class loader may stay reachable: Jetty has no
 * find-leaks, so the test counts the live WebAppClassLoaders and JwtGate's objects in Jetty's class histogram after a
 * full GC ({@code jcmd <pid> GC.class_histogram}).
 */
class JettyRedeployIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    private static final int REDEPLOYS = 3;
    private static final Duration DEPLOY_TIMEOUT = Duration.ofSeconds(60);
    /** Jetty's idle timeout in this base (10 s), and some. */
    private static final Duration RELEASE_TIMEOUT = Duration.ofSeconds(20);
    /** Jetty 12.1's, and 12.0's. */
    private static final String[] LOADERS = {"org.eclipse.jetty.ee.webapp.WebAppClassLoader",
            "org.eclipse.jetty.ee10.webapp.WebAppClassLoader"};
    private static final String FILTER = "org.jwtgate.filter.JwtAuthFilter";
    private static final String MODULE = "org.jwtgate.authentication.JwtServerAuthModule";
    /** Whose live instances tell which applications' class loaders are still reachable. */
    private static final String[] TRACKED = {LOADERS[0], LOADERS[1], FILTER, MODULE};
    /** None of whose instances may stay after the undeploy. */
    private static final String[] UNDEPLOYED = {LOADERS[0], LOADERS[1], "org.jwtgate."};

    private static JettyContainer jetty;
    private static int jmxPort;

    @BeforeAll
    static void startJetty() throws Exception {
        Path instance = ServletContainer.freshInstanceDir("jetty-redeploy");
        jmxPort = ServerProcesses.freeLoopbackPort();
        jetty = new JettyContainer(instance, "jetty-authentication", JettyRedeployIT::install,
                List.of(ServletContainer.loopbackJmxOptions(jmxPort).split(" ")));
        Map<String, String> env = new HashMap<>(LegacyApps.applicationSecrets());
        env.put("APP_JWT_SECRET", TestTokens.SECRET);
        env.put("JWTGATE_REVOCATION_STORE", "redis-cluster");
        env.put("JWTGATE_REDIS_NODES", REDIS.cluster().nodesSpec());
        env.put(LegacyApps.REPLICA_TIMEOUT_VARIABLE, LegacyApps.REPLICA_TIMEOUT_MS);
        try {
            jetty.start(env, "/legacy/public/ping");
        } catch (Exception | Error e) {
            jetty.close();
            throw e;
        }
    }

    /**
     * Hot deployment on (the scanner's default interval, 0, deploys at start only); the module registered by the
     * application alone; legacy.war through conf/jetty-base's context XML from wars/; secured.war and the two
     * variants whose start fails dropped into webapps/.
     */
    private static void install(Path jettyBase) throws IOException {
        Files.delete(jettyBase.resolve("start.d/jwtgate-authentication.ini"));
        // A stopped context stays reachable from each idle connection whose last request it served, until the
        // connection's idle timeout (30 s by default) closes it: 10 s outlasts the idle time between two rounds' requests.
        Files.writeString(jettyBase.resolve("start.d/redeploy.ini"), "jetty.deploy.scanInterval=1\njetty.http.idleTimeout=10000\n");
        Path conf = ServletContainer.requiredPath("jwtgate.conf");
        Files.copy(conf.resolve("jetty-base/webapps/legacy.xml"), jettyBase.resolve("webapps/legacy.xml"));
        Files.createDirectories(jettyBase.resolve("wars"));
        Files.copy(LegacyApps.builtWar(), jettyBase.resolve("wars/legacy.war"));
        LegacyApps.writeVariants(jettyBase.resolve("webapps"));
        Files.delete(jettyBase.resolve("webapps/" + LegacyApps.OTHER + ".war"));
        Files.copy(SecuredApps.builtWar(), jettyBase.resolve("webapps/" + SecuredApps.SECURED + ".war"));
    }

    @AfterAll
    static void stopJetty() {
        if (jetty != null) {
            jetty.close();
        }
    }

    @Test
    void whenTheApplicationIsRedeployedAndUndeployedThenNothingOfItRemains() throws Exception {
        try (JMXConnector connector = JMXConnectorFactory.connect(ServletContainer.loopbackJmxUrl(jmxPort))) {
            Leftovers leftovers = new Leftovers(connector.getMBeanServerConnection(), REDIS.cluster());
            Leftovers.serve(jetty, 0);
            List<String> threads = leftovers.jwtgateThreadsOnceLoaded();
            int connections = leftovers.redisConnections();
            Set<ObjectName> mbeans = leftovers.mbeans();
            Map<String, List<Long>> instances = leftovers.liveInstances(TRACKED);
            System.out.println("after the first start: threads " + threads + ", connections " + connections
                    + ", mbeans " + mbeans + ", live " + instances);
            Leftovers.assertSeen(instances, "the applications' class loaders", LOADERS);
            Leftovers.assertSeen(instances, "legacy.war's filter", FILTER);
            Leftovers.assertSeen(instances, "secured.war's module", MODULE);

            for (int round = 1; round <= REDEPLOYS; round++) {
                jetty.redeploy("legacy.xml", "/legacy", DEPLOY_TIMEOUT);
                jetty.redeploy(SecuredApps.SECURED + ".war", "/" + SecuredApps.SECURED, DEPLOY_TIMEOUT);
                Leftovers.serve(jetty, round);
            }
            Thread.sleep(2000); // the last stops' own waits (pools, executors) are over
            System.out.println("after " + REDEPLOYS + " redeploys: threads " + leftovers.jwtgateThreads()
                    + ", connections " + leftovers.redisConnections() + ", live " + leftovers.liveInstances(TRACKED));
            assertEquals(threads, leftovers.jwtgateThreadsOnceLoaded(),
                    "JwtGate's threads after " + REDEPLOYS + " redeploys");
            int redeployed = leftovers.redisConnections();
            // A pool holds a connection more or less as requests happened to overlap; each instance left would add all of its.
            assertTrue(redeployed < 2 * connections, "JwtGate's Redis connections after " + REDEPLOYS + " redeploys: "
                    + redeployed + ", after the first start: " + connections);
            assertEquals(mbeans, leftovers.mbeans(), "MBeans after the redeploys");
            // Jetty starts the new context before it stops the old one: each new instance takes the names over.
            assertEquals(2 * REDEPLOYS, jetty.logs().lines().filter(line -> line.contains("JwtGate MBean")).count(),
                    "JwtGate's WARNs of MBeans taken over: one per redeployed filter or module");
            assertEquals(instances, leftovers.awaitLiveInstances(instances, RELEASE_TIMEOUT, jetty, TRACKED),
                    "live class loaders, filters and modules after the redeploys (a count per class loader)");

            Map<String, List<Long>> deployed = leftovers.liveInstances(UNDEPLOYED);
            Leftovers.assertSeen(deployed, "the applications' class loaders before the undeploy", LOADERS);
            Leftovers.assertSeen(deployed, "JwtGate's objects before the undeploy", "org.jwtgate.");

            jetty.undeploy("legacy.xml", "/legacy", DEPLOY_TIMEOUT);
            Leftovers.awaitNotServing(jetty, "/legacy/public/ping");
            jetty.undeploy(SecuredApps.SECURED + ".war", "/" + SecuredApps.SECURED, DEPLOY_TIMEOUT);
            Leftovers.awaitNotServing(jetty, "/" + SecuredApps.SECURED + "/public/ping");
            for (String variant : List.of(LegacyApps.BAD_PARAM, LegacyApps.BAD_SECRET)) {
                jetty.undeploy(variant + ".war", "/" + variant, DEPLOY_TIMEOUT);
            }
            System.out.println("after the undeploy: threads " + leftovers.jwtgateThreads() + ", connections "
                    + leftovers.redisConnections() + ", all threads " + leftovers.allThreads());
            assertEquals(List.of(), leftovers.jwtgateThreads(), "JwtGate's threads after the undeploy");
            assertEquals(0, leftovers.redisConnections(), "JwtGate's Redis connections after the undeploy");
            assertEquals(Set.of(), leftovers.mbeans(), "MBeans after the undeploy");
            assertEquals(Map.of(), leftovers.awaitLiveInstances(Map.of(), RELEASE_TIMEOUT, jetty, UNDEPLOYED),
                    "class loaders of undeployed applications, and JwtGate's objects, still reachable after a full GC");
        }
    }
}
