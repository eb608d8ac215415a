package org.jwtgate.filter;

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
 * Review of 7cb0ae49: the filter logs the JVM-wide-overrides warning as one {} argument, which the log cuts at 8 KiB;
 * a long own value replaced first (a web.xml's paths.roles of many rules) pushes the settings named after it, here
 * redis.key-prefix (the case the WARN was added for), out of the line.
 */
class ReviewJvmWideWarningLogTest {

    @Test
    void whenALongOwnValueIsReplacedBeforeTheKeyPrefixThenTheWarningStillNamesTheKeyPrefix() throws Exception {
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
        assertTrue(warning.contains("[redis.key-prefix]"), "the WARN, " + warning.length() + " characters, ends: "
                + warning.substring(Math.max(0, warning.length() - 200)));
    }
}
