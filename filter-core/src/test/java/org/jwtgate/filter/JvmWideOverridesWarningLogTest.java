package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.servlet.FilterConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.testkit.logs.CapturedLog;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * The filter's WARN for JVM-wide values replacing the application's own is one {} argument, which the log cuts at
 * 8 KiB: it names settings and sources, never values, so a long own value replaced (a web.xml's paths.roles of many
 * rules) cannot push the settings named after it (redis.key-prefix, the case the WARN is for) out of the line.
 */
class JvmWideOverridesWarningLogTest {

    @Test
    void whenALongOwnValueIsReplacedThenTheWarningNamesEverySettingAndNoValue() throws Exception {
        StringJoiner roles = new StringJoiner(",");
        for (int i = 0; i < 400; i++) {
            roles.add("/api/v1/reports/" + i + "/*=report-reader");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(ConfigKeys.PATHS_ROLES, roles.toString());
        settings.put(ConfigKeys.REDIS_KEY_PREFIX, "shop:");
        settings.putAll(TestTokens.settings());
        JwtAuthFilter filter = JwtAuthFilter.builder().settings(settings).sources(ConfigSources.of(Map.of(
                "JWTGATE_PATHS_ROLES", "/admin/*=admin", "JWTGATE_REDIS_KEY_PREFIX", "shared:"), Map.of())).build();
        FilterConfig config = mock(FilterConfig.class);
        when(config.getFilterName()).thenReturn("shop");
        when(config.getInitParameterNames()).thenReturn(Collections.emptyEnumeration());
        String log;
        try {
            log = CapturedLog.during(() -> filter.init(config)).text();
        } finally {
            filter.destroy();
        }
        String warning = log.lines().filter(line -> line.contains("replaced by JVM-wide values")).findFirst()
                .orElseThrow(() -> new AssertionError("no WARN:\n" + log));
        assertTrue(warning.contains("[redis.key-prefix] from environment variable JWTGATE_REDIS_KEY_PREFIX replaces the"
                + " value from init-param") && warning.contains("[paths.roles] from environment variable"
                + " JWTGATE_PATHS_ROLES replaces the value from init-param"), "the WARN, " + warning.length()
                + " characters, ends: " + warning.substring(Math.max(0, warning.length() - 200)));
        assertFalse(warning.contains("report-reader") || warning.contains("shop:") || warning.contains("shared:")
                || warning.contains("/admin/*"), warning);
        assertTrue(warning.length() < 1000, warning);
    }
}
