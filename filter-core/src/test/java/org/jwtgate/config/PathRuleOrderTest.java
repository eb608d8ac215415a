package org.jwtgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The first matching rule of paths.roles applies. An extension rule written before a prefix rule with other roles took
 * the prefix's files of that extension: with {@code *.pdf=user;/admin/*=admin}, {@code /admin/salaries.pdf} was open to
 * every {@code user}, while a Servlet security-constraint (and the reader) gives {@code /admin/*} precedence over
 * {@code *.pdf}. Refused at start: write the more specific rule first.
 */
class PathRuleOrderTest {

    private static Map<String, String> withRoles(String roles) {
        Map<String, String> settings = JwtGateConfigTest.valid();
        settings.put(ConfigKeys.PATHS_ROLES, roles);
        return settings;
    }

    @Test
    void anExtensionRuleBeforeAPrefixRuleWithOtherRolesIsRefusedAtStart() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> JwtGateConfig.of(withRoles("*.pdf=user;/admin/*=admin")),
                () -> "started, and /admin/salaries.pdf needs only "
                        + JwtGateConfig.of(withRoles("*.pdf=user;/admin/*=admin")).paths().requiredRoles("/admin/salaries.pdf"));
        assertEquals(true, e.getMessage().contains("/admin/*=admin"), e.getMessage());
    }

    @Test
    void aPrefixRuleBeforeAnExtensionRuleKeepsThePrefixFilesToItsRoles() {
        // The order the refusal should ask for: accepted, and /admin/salaries.pdf needs admin.
        PathRules paths = JwtGateConfig.of(withRoles("/admin/*=admin;*.pdf=user")).paths();
        assertEquals(Set.of("admin"), paths.requiredRoles("/admin/salaries.pdf"));
        assertEquals(Set.of("user"), paths.requiredRoles("/docs/manual.pdf"));
    }

    @Test
    void anExtensionRuleBeforeTheWholeApplicationsRuleIsRefusedToo() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> JwtGateConfig.of(withRoles("*.css=**;/*=user")));
        assertEquals(true, e.getMessage().contains("write the more specific rule first"), e.getMessage());
    }

    @Test
    void rulesThatAskTheSameRolesOrShareNoPathStayAllowed() {
        PathRules paths = JwtGateConfig.of(withRoles("*.pdf=admin;/admin/*=admin;*.css=user;/reports=analyst")).paths();
        assertEquals(Set.of("admin"), paths.requiredRoles("/admin/x.pdf"));
        assertEquals(Set.of("analyst"), paths.requiredRoles("/reports"));
    }
}
