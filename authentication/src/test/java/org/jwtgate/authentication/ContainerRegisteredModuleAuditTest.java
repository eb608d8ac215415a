package org.jwtgate.authentication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.testkit.logs.CapturedLog;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * The documented limit of {@code filter=<name> context=<path>} in audit lines (docs/monitoring.md, "The audit trail";
 * docs/operations.md, the module registered by the administrator): the module a container creates from its options
 * (Tomcat's jaspic-providers.xml, Jetty's XML) is started with no ServletContext, so its lines carry
 * {@code filter=JwtServerAuthModule} and no {@code context}, as its MBeans and meters carry none: two applications'
 * lines are alike. The module registered by the application (its context-param) names its context.
 */
class ContainerRegisteredModuleAuditTest {

    private final List<JwtServerAuthModule> modules = new ArrayList<>();

    @AfterEach
    void close() {
        modules.forEach(JwtServerAuthModule::close);
    }

    private JwtServerAuthModule registeredForTheContainer(String appContext) throws Exception {
        JwtServerAuthModule module = new JwtServerAuthModule(ConfigSources::none);
        modules.add(module);
        Map<String, Object> options = new HashMap<>(TestTokens.settings());
        options.put("org.apache.catalina.authenticator.jaspic.ServerAuthModule.1", JwtServerAuthModule.class.getName());
        options.put("appContext", appContext); // an option the module does not read: it names no context
        module.initialize(null, null, callbacks -> { }, options);
        return module;
    }

    private static List<String> auditLines(CapturedLog log) {
        return log.text().lines().filter(line -> line.contains("AUDIT revocation ")).map(
                line -> line.substring(line.indexOf("AUDIT "))).toList();
    }

    @Test
    void whenTwoApplicationsRegisterTheModuleForTheContainerThenTheirAuditLinesNameTheModuleAndNoContext() throws Exception {
        JwtServerAuthModule shop = registeredForTheContainer("server /shop");
        JwtServerAuthModule blog = registeredForTheContainer("server /blog");
        CapturedLog log = CapturedLog.during(() -> {
            shop.revocationService().by("admin:bob", "x").revokeUser("alice");
            blog.revocationService().by("admin:bob", "x").revokeUser("alice");
        });
        List<String> lines = auditLines(log);
        assertEquals(2, lines.size(), log.text());
        for (String line : lines) {
            assertTrue(line.contains(" filter=JwtServerAuthModule instance="), line);
            assertFalse(line.contains("context="), "documented: no context for a module the container registered: " + line);
        }
        assertEquals(lines.get(0), lines.get(1), "documented: such modules' lines are alike; register the module by the"
                + " application's context-param where they must differ");
    }
}
