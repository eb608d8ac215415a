package org.jwtgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A pattern not in normal form ({@code //}, a {@code .} or {@code ..} segment, {@code \}) matches only a path the
 * container hands over unnormalized, never the normalized path it serves: as a paths.roles rule it protected nothing
 * (every authenticated user entered), the hole the percent-encoded pattern's refusal closes. Typical source:
 * {@code ${env:ADMIN_BASE}/*=admin} with ADMIN_BASE={@code /admin/}.
 */
class PathPatternNormalFormTest {

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"/admin//*", "/api//admin/*", "//admin/*", "/admin/./*", "/app/../admin/*", "/admin/.",
            "/admin\\x"})
    void whenARolePatternIsNotInNormalFormThenRefused(String pattern) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PathRules.parseRoleRules(pattern + "=admin"));
        assertTrue(e.getMessage().contains("is not in normal form"), e.getMessage());
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"/admin/", "/admin/*", "/a.b/*", "/..x/*", "/x../*", "/.well-known/*", "*.tar.gz", "/"})
    void whenAPatternIsInNormalFormThenAccepted(String pattern) {
        assertEquals(1, PathRules.parseRoleRules(pattern + "=admin").size());
    }

    @Test
    void whenAReferenceEndingInASlashBuildsTheRuleThenTheStartFailsNamingTheSetting() {
        Map<String, String> settings = JwtGateConfigTest.valid();
        settings.put(ConfigKeys.PATHS_ROLES, "${env:ADMIN_BASE}/*=admin");
        ConfigSources env = ConfigSources.of(Map.of("ADMIN_BASE", "/admin/"), Map.of());
        String message = assertThrows(ConfigurationException.class, () -> JwtGateConfig.load(settings, env)).getMessage();
        assertTrue(message.contains("[paths.roles]") && message.contains("[/admin//*]"), message);
    }
}
