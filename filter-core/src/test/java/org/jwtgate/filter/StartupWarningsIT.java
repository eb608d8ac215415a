package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.logs.CapturedLog;
import org.jwtgate.testkit.tokens.TestTokens;
import org.junit.jupiter.api.Test;

/**
 * The start-up WARNs about a configuration that works but holds something that does nothing (settings that take no
 * effect, the module's context-params) reach a real Jetty's log, once, and the filter serves as configured.
 */
class StartupWarningsIT {

    @Test
    void whenSettingsTakeNoEffectThenTheFilterStartsAndLogsOneWarnNamingThemButNotTheirValues() throws Exception {
        Map<String, String> settings = new TreeMap<>(TestTokens.settings());
        settings.put(ConfigKeys.DPOP_ALGORITHMS, "ES256");
        settings.put(ConfigKeys.REDIS_PASSWORD, "hunter2-redis");
        try (CapturedLog log = CapturedLog.standardError();
                JettyApp app = JettyApp.startNamed("idle-settings", settings)) {
            assertEquals(200, app.getWithToken("/api", TestTokens.hs256("stella")).statusCode());
            List<String> warnings = log.warnings().stream().filter(line -> line.contains("take no effect")).toList();
            assertEquals(1, warnings.size(), log.text());
            String warning = warnings.get(0);
            assertTrue(warning.contains("JwtGate filter [idle-settings]: settings that take no effect in this configuration")
                    && warning.contains("[dpop.algorithms] (from init-param): dpop.mode is off")
                    && warning.contains("[redis.password] (from init-param): revocation.store is memory"), warning);
            assertFalse(log.text().contains("hunter2-redis"), log.text());
        }
    }

    /**
     * jwtgate.jwt.audience as a context-param is the Jakarta Authentication module's form: the filter reads init-params,
     * so the audience check was off with nothing said. Where the module is switched on, the params are its own.
     */
    @Test
    void whenTheApplicationGivesModuleContextParamsThenTheFilterWarnsOnceNamingThemUnlessTheModuleIsSwitchedOn()
            throws Exception {
        Map<String, String> settings = new TreeMap<>(TestTokens.settings());
        settings.remove(ConfigKeys.JWT_AUDIENCE);
        Map<String, String> contextParams = new TreeMap<>(Map.of("jwtgate.jwt.audience", "secret-audience-value",
                "jwtgate.realm", "intranet", "jwtgate.not-a-setting", "x", "app.mode", "demo"));
        try (CapturedLog log = CapturedLog.standardError();
                JettyApp app = JettyApp.startWithContextParams(contextParams, "context-params", settings)) {
            assertEquals(200, app.getWithToken("/api", TestTokens.hs256("stella")).statusCode());
            List<String> warnings = log.warnings().stream().filter(line -> line.contains("context-params")).toList();
            assertEquals(1, warnings.size(), log.text());
            String warning = warnings.get(0);
            assertTrue(warning.contains("JwtGate filter [context-params]: the context-params [jwtgate.jwt.audience],"
                    + " [jwtgate.realm] are not read by the filter") && warning.contains("init-params"), warning);
            assertFalse(warning.contains("not-a-setting") || warning.contains("app.mode"), warning);
            assertFalse(log.text().contains("secret-audience-value"), log.text());
        }
        contextParams.put("jwtgate.authentication", "enabled");
        try (CapturedLog log = CapturedLog.standardError();
                JettyApp app = JettyApp.startWithContextParams(contextParams, "with-module", settings)) {
            assertEquals(200, app.getWithToken("/api", TestTokens.hs256("stella")).statusCode());
            assertTrue(log.warnings().stream().noneMatch(line -> line.contains("context-params")), log.text());
        }
    }

    /**
     * Mapped to /api/* only, the filter never sees /admin: its paths.roles rule protected nothing, with nothing said.
     * The filter still starts and serves /api; mapped to /*, the same rules draw no warning.
     */
    @Test
    void whenTheFilterIsMappedToApiOnlyThenItWarnsOnceNamingTheAdminRuleItCanNeverSee() throws Exception {
        Map<String, String> settings = new TreeMap<>(TestTokens.settings());
        settings.put(ConfigKeys.PATHS_ROLES, "/admin/*=admin;/api/reports/*=analyst");
        try (CapturedLog log = CapturedLog.standardError();
                JettyApp app = JettyApp.startMapped("/api/*", "api-only", settings)) {
            assertEquals(200, app.getWithToken("/api/x", TestTokens.hs256("stella")).statusCode());
            assertEquals("user=anonymous", app.get("/admin/users").body().split(" ")[0], "the filter never sees /admin");
            List<String> warnings = log.warnings().stream().filter(line -> line.contains("never apply")).toList();
            assertEquals(1, warnings.size(), log.text());
            String warning = warnings.get(0);
            assertTrue(warning.contains("JwtGate filter [api-only]: path rules that never apply: paths.roles "
                    + "[/admin/*=admin]: ") && warning.contains("mapped to the url-patterns [/api/*]"), warning);
            assertFalse(warning.contains("/api/reports"), warning);
        }
        try (CapturedLog log = CapturedLog.standardError();
                JettyApp app = JettyApp.startMapped("/*", "everywhere", settings)) {
            assertEquals(403, app.getWithToken("/admin/users", TestTokens.hs256("stella")).statusCode());
            assertTrue(log.warnings().stream().noneMatch(line -> line.contains("never apply")), log.text());
        }
    }
}
