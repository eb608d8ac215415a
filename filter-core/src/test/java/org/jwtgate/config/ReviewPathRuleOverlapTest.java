package org.jwtgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Review: paths.roles refuses a rule an earlier one covers with other roles ("its path is open to whoever the earlier
 * rule admits"), but not a rule an earlier one overlaps partly. An extension rule written before a prefix rule takes
 * the prefix's files of that extension: with {@code *.pdf=user;/admin/*=admin}, {@code /admin/salaries.pdf} is open to
 * every {@code user}, while a Servlet security-constraint (and the reader) gives {@code /admin/*} precedence over
 * {@code *.pdf}. The configuration starts with nothing said.
 */
class ReviewPathRuleOverlapTest {

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
}
