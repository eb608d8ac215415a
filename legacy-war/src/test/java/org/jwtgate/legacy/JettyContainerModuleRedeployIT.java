package org.jwtgate.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * The Jakarta Authentication module registered by the administrator in the official Jetty 12 distribution (ee10):
 * the JETTY_BASE copied from conf/jetty-authentication as it is (modules/jwtgate-authentication.mod,
 * etc/jwtgate-authentication.xml, the jars in $JETTY_BASE/lib/jwtgate), scanning webapps/ every second, and the
 * application it protects, secured-container.war, redeployed by touching it and undeployed by removing it. The module
 * lives as long as Jetty, its threads and Redis connections too; no application's class loader may stay with it.
 */
class JettyContainerModuleRedeployIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    private static final int REDEPLOYS = 2;
    private static final Duration DEPLOY_TIMEOUT = Duration.ofSeconds(60);
    /** Jetty's idle timeout in this base (10 s), and some: see {@link Leftovers#awaitLiveInstances}. */
    private static final Duration RELEASE_TIMEOUT = Duration.ofSeconds(20);
    private static final String[] LOADERS = {"org.eclipse.jetty.ee.webapp.WebAppClassLoader",
            "org.eclipse.jetty.ee10.webapp.WebAppClassLoader"};
    private static final String APP = "/" + SecuredApps.CONTAINER;

    private static JettyContainer jetty;
    private static int jmxPort;

    @BeforeAll
    static void startJetty() throws Exception {
        Path instance = ServletContainer.freshInstanceDir("jetty-container-module-redeploy");
        jmxPort = ServerProcesses.freeLoopbackPort();
        jetty = new JettyContainer(instance, "jetty-authentication", JettyContainerModuleRedeployIT::install,
                List.of(ServletContainer.loopbackJmxOptions(jmxPort).split(" ")));
        Map<String, String> env = new HashMap<>(SecuredApps.applicationSecrets());
        env.put("APP_JWT_SECRET", TestTokens.SECRET);
        env.put("JWTGATE_REVOCATION_STORE", "redis-cluster");
        env.put("JWTGATE_REDIS_NODES", REDIS.cluster().nodesSpec());
        env.put(LegacyApps.REPLICA_TIMEOUT_VARIABLE, LegacyApps.REPLICA_TIMEOUT_MS);
        try {
            jetty.start(env, APP + "/public/page");
        } catch (Exception | Error e) {
            jetty.close();
            throw e;
        }
    }

    private static void install(Path jettyBase) throws IOException {
        SecuredApps.copyLibraries(jettyBase.resolve("lib/jwtgate"), false);
        // Read before start.d/jwtgate-authentication.ini: after it (a module of the ee10 environment) Jetty's start
        // took these for ee10 properties, which the scanner and the connector never saw. The idle timeout: see
        // JettyRedeployIT.
        Files.writeString(jettyBase.resolve("start.d/deployment-scanner.ini"),
                "jetty.deploy.scanInterval=1\njetty.http.idleTimeout=10000\n");
        SecuredApps.writeContainerVariant(jettyBase.resolve("webapps"));
    }

    @AfterAll
    static void stopJetty() {
        if (jetty != null) {
            jetty.close();
        }
    }

    @Test
    void whenTheProtectedApplicationIsRedeployedAndUndeployedThenTheModuleKeepsNoneOfItsClassLoaders() throws Exception {
        try (JMXConnector connector = JMXConnectorFactory.connect(ServletContainer.loopbackJmxUrl(jmxPort))) {
            Leftovers leftovers = new Leftovers(connector.getMBeanServerConnection(), REDIS.cluster());
            serve(); // the first request starts the module's near-cache threads
            List<String> threads = leftovers.jwtgateThreadsOnceLoaded();
            Set<ObjectName> mbeans = leftovers.mbeans();
            Map<String, List<Long>> loaders = leftovers.liveInstances(LOADERS);
            System.out.println("after the first start: threads " + threads + ", mbeans " + mbeans + ", live " + loaders);
            Leftovers.assertSeen(loaders, "the application's class loader", LOADERS);

            for (int round = 1; round <= REDEPLOYS; round++) {
                jetty.redeploy(SecuredApps.CONTAINER + ".war", APP, DEPLOY_TIMEOUT);
                serve();
            }
            assertEquals(loaders, leftovers.awaitLiveInstances(loaders, RELEASE_TIMEOUT, jetty, LOADERS),
                    "class loaders after " + REDEPLOYS + " redeploys: the module's threads started with the first one's");
            assertEquals(threads, leftovers.jwtgateThreads(), "the module's threads, started once");
            assertEquals(mbeans, leftovers.mbeans(), "the module's MBeans, registered once");

            jetty.undeploy(SecuredApps.CONTAINER + ".war", APP, DEPLOY_TIMEOUT);
            Leftovers.awaitNotServing(jetty, APP + "/public/page");
            assertEquals(Map.of(), leftovers.awaitLiveInstances(Map.of(), RELEASE_TIMEOUT, jetty, LOADERS),
                    "class loaders of the undeployed application still reachable after a full GC");
            assertEquals(threads, leftovers.jwtgateThreads(), "the module runs on, with its threads");
        }
    }

    private static void serve() throws Exception {
        assertEquals(200, jetty.getWithToken(APP + "/admin/page", SecuredApps.token("alice", "admin")).statusCode());
        assertEquals(401, jetty.get(APP + "/user/page").statusCode());
        assertEquals(200, jetty.get(APP + "/public/page").statusCode());
    }
}
