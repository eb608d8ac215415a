package org.jwtgate.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.MBeanServerConnection;
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
 * The Jakarta Authentication module registered by the administrator in the official Tomcat 11 distribution:
 * conf/tomcat/jaspic-providers.xml as shipped, with a second provider for a second application, the module's jars in
 * $CATALINA_BASE/lib and conf/tomcat/setenv.sh (redis-cluster, the near-cache). Tomcat creates each application's
 * module at its first request, on a request thread whose context class loader is that application's, and the module
 * lives as long as Tomcat, its threads and Redis connections too. One application is reloaded several times and then
 * undeployed: the module keeps none of its class loaders, and the other application keeps serving.
 */
class TomcatContainerModuleRedeployIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    private static final int RELOADS = 2;
    private static final Duration RELOAD_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration RELEASE_TIMEOUT = Duration.ofSeconds(20);
    private static final String[] LOADERS = {"org.apache.catalina.loader.ParallelWebappClassLoader",
            "org.apache.catalina.loader.WebappClassLoader"};
    /** The application reloaded and undeployed. */
    private static final String RELOADED = SecuredApps.CONTAINER;
    /** The other one, registered the same way, left alone. */
    private static final String OTHER = SecuredApps.CONTAINER + "-other";

    private static TomcatContainer tomcat;
    private static int jmxPort;

    @BeforeAll
    static void startTomcat() throws Exception {
        Path instance = ServletContainer.freshInstanceDir("tomcat-container-module-redeploy");
        Path secretFile = Files.writeString(instance.resolve("jwt-secret"), TestTokens.SECRET + "\n");
        tomcat = new TomcatContainer(instance, TomcatContainerModuleRedeployIT::install);
        jmxPort = ServerProcesses.freeLoopbackPort();
        Map<String, String> env = new HashMap<>(tomcat.catalinaEnvironment());
        env.put("CATALINA_OPTS", env.get("CATALINA_OPTS") + " " + ServletContainer.loopbackJmxOptions(jmxPort));
        env.putAll(SecuredApps.applicationSecrets());
        env.put("APP_JWT_SECRET_FILE", secretFile.toString());
        env.put("JWTGATE_REDIS_NODES", REDIS.cluster().nodesSpec());
        env.put(LegacyApps.REPLICA_TIMEOUT_VARIABLE, LegacyApps.REPLICA_TIMEOUT_MS);
        try {
            tomcat.start(env, "/" + OTHER + "/public/ping");
        } catch (Exception | Error e) {
            tomcat.close();
            throw e;
        }
    }

    /** docs/operations.md, "Registered by the administrator", Tomcat 11: one provider per application. */
    private static void install(Path catalinaBase, Path conf) throws IOException {
        String providers = Files.readString(conf.resolve("tomcat/jaspic-providers.xml"));
        int start = providers.indexOf("  <provider ");
        int end = providers.indexOf("</provider>") + "</provider>".length();
        String second = providers.substring(start, end).replace("/" + SecuredApps.CONTAINER + "\"", "/" + OTHER + "\"")
                .replace("/" + SecuredApps.CONTAINER + "<", "/" + OTHER + "<");
        if (!second.contains("appContext=\"Catalina/localhost /" + OTHER + "\"")) {
            throw new IllegalStateException("conf/tomcat/jaspic-providers.xml changed: no provider for /" + SecuredApps.CONTAINER);
        }
        Files.writeString(catalinaBase.resolve("conf/jaspic-providers.xml"),
                providers.substring(0, end) + "\n" + second + providers.substring(end));
        SecuredApps.copyLibraries(catalinaBase.resolve("lib"), true);
        Path webapps = catalinaBase.resolve("webapps");
        SecuredApps.writeContainerVariant(webapps);
        Files.copy(webapps.resolve(RELOADED + ".war"), webapps.resolve(OTHER + ".war"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(catalinaBase.resolve("conf/logging.properties"), "\norg.jwtgate.level = FINE\n",
                StandardOpenOption.APPEND);
    }

    @AfterAll
    static void stopTomcat() {
        if (tomcat != null) {
            tomcat.close();
        }
    }

    @Test
    void whenOneOfTwoProtectedApplicationsIsReloadedAndUndeployedThenTheModulesKeepNoneOfItsClassLoaders() throws Exception {
        try (JMXConnector connector = JMXConnectorFactory.connect(ServletContainer.loopbackJmxUrl(jmxPort))) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            Leftovers leftovers = new Leftovers(server, REDIS.cluster());
            serve(RELOADED); // each application's first request creates its module, which starts its near-cache threads
            serve(OTHER);
            List<String> threads = leftovers.jwtgateThreadsOnceLoaded();
            Set<ObjectName> mbeans = leftovers.mbeans();
            Map<String, List<Long>> loaders = leftovers.liveInstances(LOADERS);
            System.out.println("after the first start: threads " + threads + ", mbeans " + mbeans + ", live " + loaders);
            Leftovers.assertSeen(loaders, "the applications' class loaders", LOADERS[0]);

            for (int round = 1; round <= RELOADS; round++) {
                tomcat.reload("/" + RELOADED, RELOAD_TIMEOUT);
                serve(RELOADED);
                serve(OTHER);
            }
            assertEquals(loaders, leftovers.awaitLiveInstances(loaders, RELEASE_TIMEOUT, tomcat, LOADERS),
                    "class loaders after " + RELOADS + " reloads of /" + RELOADED);
            assertEquals(List.of(), findLeaks(server), "Tomcat's find-leaks after " + RELOADS + " reloads");
            assertEquals(threads, leftovers.jwtgateThreads(), "the modules' threads, started once each");
            assertEquals(mbeans, leftovers.mbeans(), "the modules' MBeans, registered once each");

            Files.delete(tomcat.instanceDir.resolve("webapps/" + RELOADED + ".war"));
            tomcat.awaitLog("Undeploying context [/" + RELOADED + "]", RELOAD_TIMEOUT);
            Leftovers.awaitNotServing(tomcat, "/" + RELOADED + "/public/page");
            serve(OTHER);
            Map<String, List<Long>> fewer = Map.of(LOADERS[0], List.of(loaders.get(LOADERS[0]).get(0) - 1));
            assertEquals(fewer, leftovers.awaitLiveInstances(fewer, RELEASE_TIMEOUT, tomcat, LOADERS),
                    "class loaders after the undeploy of /" + RELOADED + " (before: " + loaders + ")");
            assertEquals(List.of(), findLeaks(server), "Tomcat's find-leaks after the undeploy");
            assertEquals(threads, leftovers.jwtgateThreads(), "the modules run on, with their threads");
        }
    }

    /** Tomcat's own check (the Manager's "Find leaks"): the stopped applications whose class loader is still reachable. */
    private static List<String> findLeaks(MBeanServerConnection server) throws Exception {
        return List.of((String[]) server.invoke(new ObjectName("Catalina:type=Host,host=localhost"),
                "findReloadedContextMemoryLeaks", null, null));
    }

    private static void serve(String application) throws Exception {
        String app = "/" + application;
        assertEquals(200, tomcat.getWithToken(app + "/admin/page", SecuredApps.token("alice", "admin")).statusCode());
        assertEquals(401, tomcat.getWithToken(app + "/admin/page", SecuredApps.token("alice", "admin") + "x").statusCode());
        assertEquals(401, tomcat.get(app + "/user/page").statusCode());
        assertEquals(200, tomcat.get(app + "/public/page").statusCode());
    }
}
