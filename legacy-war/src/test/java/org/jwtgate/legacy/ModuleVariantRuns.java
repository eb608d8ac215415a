package org.jwtgate.legacy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * A variant of the secured WAR with the Jakarta Authentication module on, deployed into a fresh instance of the Tomcat
 * 11 or the Jetty 12 distribution, started with the application's secret and {@code env}, checked, and stopped.
 */
final class ModuleVariantRuns {

    /** Writes the WAR variant into a container's webapps directory. */
    interface Variant {
        void writeInto(Path webapps) throws IOException;
    }

    /** What a test asks of the started container. */
    interface Check {
        void check(ServletContainer container) throws Exception;
    }

    private ModuleVariantRuns() {
    }

    static void inTomcat(String instanceName, String app, Variant variant, Map<String, String> env, Check check)
            throws Exception {
        Path instance = ServletContainer.freshInstanceDir(instanceName);
        try (TomcatContainer tomcat = new TomcatContainer(instance, (base, conf) -> {
            Files.writeString(base.resolve("bin/setenv.sh"), "export APP_JWT_SECRET='" + TestTokens.SECRET + "'\n");
            variant.writeInto(base.resolve("webapps"));
        })) {
            Map<String, String> all = new HashMap<>(tomcat.catalinaEnvironment());
            all.putAll(env);
            tomcat.start(all, "/" + app + "/public/ping");
            check.check(tomcat);
        }
    }

    static void inJetty(String instanceName, String app, Variant variant, Map<String, String> env, Check check)
            throws Exception {
        Path instance = ServletContainer.freshInstanceDir(instanceName);
        try (JettyContainer jetty = new JettyContainer(instance, "jetty-authentication", base -> {
            SecuredApps.copyLibraries(base.resolve("lib/jwtgate"), false);
            variant.writeInto(base.resolve("webapps"));
        })) {
            Map<String, String> all = new HashMap<>(SecuredApps.applicationSecrets());
            all.put("APP_JWT_SECRET", TestTokens.SECRET);
            all.putAll(env);
            jetty.start(all, "/" + app + "/public/ping");
            check.check(jetty);
        }
    }
}
