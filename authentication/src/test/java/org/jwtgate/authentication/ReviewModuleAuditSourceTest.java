package org.jwtgate.authentication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

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
 * Review of 7cb0ae49's {@code filter=<name> context=<path>} in audit lines: the module a container creates from its
 * options (Tomcat's jaspic-providers.xml, one provider per application) is started with no ServletContext, so each
 * application's lines carry {@code filter=JwtServerAuthModule} alone and two applications' lines are still identical.
 */
class ReviewModuleAuditSourceTest {

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
        options.put("appContext", appContext); // Jetty's JaspiAuthConfigProvider passes it; Tomcat's registration has it
        module.initialize(null, null, callbacks -> { }, options);
        return module;
    }

    private static List<String> auditLines(CapturedLog log) {
        return log.text().lines().filter(line -> line.contains("AUDIT revocation ")).map(
                line -> line.substring(line.indexOf("AUDIT "))).toList();
    }

    @Test
    void whenTwoApplicationsRegisterTheModuleForTheContainerThenTheirAuditLinesTellThemApart() throws Exception {
        JwtServerAuthModule shop = registeredForTheContainer("server /shop");
        JwtServerAuthModule blog = registeredForTheContainer("server /blog");
        CapturedLog log = CapturedLog.during(() -> {
            shop.revocationService().by("admin:bob", "x").revokeUser("alice");
            blog.revocationService().by("admin:bob", "x").revokeUser("alice");
        });
        List<String> lines = auditLines(log);
        assertEquals(2, lines.size(), log.text());
        assertNotEquals(lines.get(0), lines.get(1), "two applications, one line: " + lines);
    }
}
