package org.jwtgate.config;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Review: a paths.roles rule whose every path paths.exclude makes public protects nothing (exclude wins over a role
 * rule). paths.roles refuses a rule an earlier rule covers ("never applies"), and the filter warns of rules its mapping
 * never lets through, but a rule an exclusion covers starts with nothing said: with {@code paths.exclude=/api/*} (or
 * a JVM-wide {@code JWTGATE_PATHS_EXCLUDE}), {@code /api/admin/*=admin} lets anyone, without a token, into /api/admin.
 */
class ReviewExcludeShadowsRoleRuleTest {

    @Test
    void aRoleRuleThatAnExclusionCoversWhollyIsRefusedAtStart() {
        Map<String, String> settings = JwtGateConfigTest.valid();
        settings.put(ConfigKeys.PATHS_EXCLUDE, "/api/*");
        settings.put(ConfigKeys.PATHS_ROLES, "/api/admin/*=admin");

        ConfigurationException e = assertThrows(ConfigurationException.class, () -> JwtGateConfig.of(settings),
                () -> "started: /api/admin/users is " + JwtGateConfig.of(settings).paths().access("/api/admin/users")
                        + ", no token read, although paths.roles asks the role admin there");
        assertTrue(e.getMessage().contains(ConfigKeys.PATHS_ROLES), e.getMessage());
    }

    @Test
    void aJvmWideExclusionSilentlyOpensAnApplicationsRoleRule() {
        Map<String, String> settings = JwtGateConfigTest.valid();
        settings.put(ConfigKeys.PATHS_ROLES, "/admin/*=admin");

        assertThrows(ConfigurationException.class, () -> JwtGateConfig.load(settings,
                        ConfigSources.of(Map.of("JWTGATE_PATHS_EXCLUDE", "/*"), Map.of())),
                () -> "started: /admin/x is " + JwtGateConfig.load(settings, ConfigSources.of(
                        Map.of("JWTGATE_PATHS_EXCLUDE", "/*"), Map.of())).paths().access("/admin/x"));
    }
}
