package org.jwtgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A paths.roles rule whose every path paths.exclude makes public protects nothing (exclude wins over a role rule): with
 * {@code paths.exclude=/api/*} (or a JVM-wide {@code JWTGATE_PATHS_EXCLUDE}), {@code /api/admin/*=admin} let anyone,
 * without a token, into /api/admin, nothing said. Refused at start, naming both settings, their sources and patterns;
 * an exclusion that covers a rule's paths only in part ({@code *.css} with {@code /admin/*=admin}) stays allowed.
 */
class ExcludeCoversRoleRuleTest {

    @Test
    void aRoleRuleThatAnExclusionCoversWhollyIsRefusedAtStart() {
        Map<String, String> settings = JwtGateConfigTest.valid();
        settings.put(ConfigKeys.PATHS_EXCLUDE, "/api/*");
        settings.put(ConfigKeys.PATHS_ROLES, "/api/admin/*=admin");

        ConfigurationException e = assertThrows(ConfigurationException.class, () -> JwtGateConfig.of(settings),
                () -> "started: /api/admin/users is " + JwtGateConfig.of(settings).paths().access("/api/admin/users")
                        + ", no token read, although paths.roles asks the role admin there");
        assertTrue(e.getMessage().contains(ConfigKeys.PATHS_ROLES), e.getMessage());
        assertTrue(e.getMessage().contains("[" + ConfigKeys.PATHS_EXCLUDE + "] (from settings given in code)"), e.getMessage());
        assertTrue(e.getMessage().contains("[/api/admin/*=admin] never applies"), e.getMessage());
        assertTrue(e.getMessage().contains("[/api/*]"), e.getMessage());
    }

    @Test
    void aJvmWideExclusionThatOpensAnApplicationsRoleRuleIsRefusedNamingItsVariable() {
        Map<String, String> settings = JwtGateConfigTest.valid();
        settings.put(ConfigKeys.PATHS_ROLES, "/admin/*=admin");

        ConfigurationException e = assertThrows(ConfigurationException.class, () -> JwtGateConfig.load(settings,
                        ConfigSources.of(Map.of("JWTGATE_PATHS_EXCLUDE", "/*"), Map.of())),
                () -> "started: /admin/x is " + JwtGateConfig.load(settings, ConfigSources.of(
                        Map.of("JWTGATE_PATHS_EXCLUDE", "/*"), Map.of())).paths().access("/admin/x"));
        assertTrue(e.getMessage().contains("[" + ConfigKeys.PATHS_EXCLUDE + "] (from environment variable"
                + " JWTGATE_PATHS_EXCLUDE)"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(from init-param)"), e.getMessage());
    }

    @Test
    void anExactRuleUnderAnExcludedPrefixIsRefusedToo() {
        Map<String, String> settings = JwtGateConfigTest.valid();
        settings.put(ConfigKeys.PATHS_EXCLUDE, "/health,/public/*");
        settings.put(ConfigKeys.PATHS_ROLES, "/admin/*=admin;/public/edit=editor");

        ConfigurationException e = assertThrows(ConfigurationException.class, () -> JwtGateConfig.of(settings));
        assertTrue(e.getMessage().contains("[/public/edit=editor] never applies: the pattern [/public/*]"), e.getMessage());
    }

    @Test
    void anExclusionThatCoversARulesPathsOnlyInPartStaysAllowed() {
        // The documented case: /admin/site.css is public, every other /admin path needs admin.
        Map<String, String> settings = JwtGateConfigTest.valid();
        settings.put(ConfigKeys.PATHS_EXCLUDE, "*.css,/admin/public/*");
        settings.put(ConfigKeys.PATHS_ROLES, "/admin/*=admin");

        PathRules paths = JwtGateConfig.of(settings).paths();
        assertEquals(PathRules.Access.PUBLIC, paths.access("/admin/site.css"));
        assertEquals(PathRules.Access.PUBLIC, paths.access("/admin/public/x"));
        assertEquals(PathRules.Access.PROTECTED, paths.access("/admin/users"));
        assertEquals(Set.of("admin"), paths.requiredRoles("/admin/users"));
    }
}
