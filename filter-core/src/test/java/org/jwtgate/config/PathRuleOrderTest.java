package org.jwtgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The first matching rule of paths.roles applies, as configuration.md says, not the most specific as in a servlet
 * security-constraint: an extension rule written before a prefix rule with other roles takes the prefix's files of that
 * extension. A refusal of that order (a probe's suggestion, tried) left no order for "stylesheets to any caller, the rest
 * to users" ({@code *.css=**;/*=user}) or "PDFs to admins everywhere": the order is the operator's, and documented.
 */
class PathRuleOrderTest {

    private static PathRules paths(String roles) {
        Map<String, String> settings = JwtGateConfigTest.valid();
        settings.put(ConfigKeys.PATHS_ROLES, roles);
        return JwtGateConfig.of(settings).paths();
    }

    @Test
    void anExtensionRuleBeforeAPrefixRuleTakesThePrefixesFilesOfItsExtension() {
        PathRules paths = paths("*.pdf=user;/admin/*=admin");
        assertEquals(Set.of("user"), paths.requiredRoles("/admin/salaries.pdf"));
        assertEquals(Set.of("admin"), paths.requiredRoles("/admin/users"));
    }

    @Test
    void aPrefixRuleBeforeAnExtensionRuleKeepsThePrefixFilesToItsRoles() {
        PathRules paths = paths("/admin/*=admin;*.pdf=user");
        assertEquals(Set.of("admin"), paths.requiredRoles("/admin/salaries.pdf"));
        assertEquals(Set.of("user"), paths.requiredRoles("/docs/manual.pdf"));
    }

    @Test
    void anExtensionRuleBeforeTheWholeApplicationsRuleAppliesToItsFiles() {
        PathRules paths = paths("*.css=**;/*=user");
        assertEquals(Set.of("**"), paths.requiredRoles("/site/app.css"));
        assertEquals(Set.of("user"), paths.requiredRoles("/site/index.html"));
    }
}
