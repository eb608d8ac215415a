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
 * The start-up WARNs about a configuration that works but holds something that does nothing reach a real Jetty's
 * log, once, and the filter serves as configured.
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
}
