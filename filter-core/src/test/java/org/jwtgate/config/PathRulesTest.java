package org.jwtgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathRulesTest {

    private static final PathRules RULES = new PathRules(
            PathRules.parsePatterns("/public/*, /health, *.css, /"),
            PathRules.parsePatterns("/home, /catalog/*"),
            PathRules.parseRoleRules("/admin/*=admin; /reports/*=analyst|admin ;/catalog/edit=editor"));

    @Test
    void whenPathExcludedThenPublic() {
        assertEquals(PathRules.Access.PUBLIC, RULES.access("/public/index.html"));
        assertEquals(PathRules.Access.PUBLIC, RULES.access("/public"));
        assertEquals(PathRules.Access.PUBLIC, RULES.access("/health"));
        assertEquals(PathRules.Access.PUBLIC, RULES.access("/app/site.css"));
        assertEquals(PathRules.Access.PUBLIC, RULES.access("/"));
    }

    @Test
    void whenAnExcludedPathIsAlsoUnderARoleRuleThenTheExclusionWinsAsDocumented() {
        // Exclusions carve public paths out of broad role rules ("/*=user" with /health public); the docs say so,
        // with this very example: *.css public and /admin/*=admin make /admin/site.css public.
        assertEquals(PathRules.Access.PUBLIC, RULES.access("/admin/site.css"));
    }

    @Test
    void whenExtensionRulesDoNotApplyThenOnlyTheOtherPatternsMakeAPathPublicOrOptional() {
        // A servlet's exact or prefix mapping serves the path (/admin/users.css to the /admin/* servlet): no stylesheet.
        PathRules rules = new PathRules(PathRules.parsePatterns("/public/*, *.css"), PathRules.parsePatterns("*.html"),
                PathRules.parseRoleRules("/admin/*=admin"));
        assertEquals(PathRules.Access.PROTECTED, rules.access("/admin/users.css", false));
        assertEquals(PathRules.Access.PROTECTED, rules.access("/page.html", false));
        assertEquals(PathRules.Access.PUBLIC, rules.access("/public/site.css", false));
        assertEquals(PathRules.Access.PUBLIC, rules.access("/admin/users.css", true));
        assertEquals(PathRules.Access.OPTIONAL, rules.access("/page.html", true));
    }

    @Test
    void whenPathOptionalThenOptional() {
        assertEquals(PathRules.Access.OPTIONAL, RULES.access("/home"));
        assertEquals(PathRules.Access.OPTIONAL, RULES.access("/catalog/42"));
    }

    @Test
    void whenPathMatchesNoRuleThenProtected() {
        assertEquals(PathRules.Access.PROTECTED, RULES.access("/api"));
        assertEquals(PathRules.Access.PROTECTED, RULES.access("/publicity"));
        assertEquals(PathRules.Access.PROTECTED, RULES.access("/health/details"));
    }

    @Test
    void whenNothingConfiguredThenEverythingProtected() {
        PathRules rules = PathRules.protectEverything();
        assertEquals(PathRules.Access.PROTECTED, rules.access("/"));
        assertEquals(PathRules.Access.PROTECTED, rules.access("/public/x"));
        assertEquals(Set.of(), rules.requiredRoles("/admin/x"));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"/public/../api", "/public/./../api", "/public/..", "/public/.", "/public/./x",
            "/public//x", "//public/x", "/public/x;jsessionid=1", "/public/..;/api", "/public/%2e%2e/api",
            "/public/%2F../api", "/public\\..\\api", "/public/x\u0000.css", "/api;.css", "/api/x.css;", "../public/x",
            "/app/site.css/..", "/public/x%00"})
    void whenPathIsNotNormalizedThenNeverPublic(String path) {
        assertEquals(PathRules.Access.PROTECTED, RULES.access(path));
    }

    @Test
    void whenRolesConfiguredThenFirstMatchingRuleDecides() {
        assertEquals(Set.of("admin"), RULES.requiredRoles("/admin"));
        assertEquals(Set.of("admin"), RULES.requiredRoles("/admin/users/1"));
        assertEquals(Set.of("analyst", "admin"), RULES.requiredRoles("/reports/q1"));
        assertEquals(Set.of("editor"), RULES.requiredRoles("/catalog/edit"));
        assertEquals(Set.of(), RULES.requiredRoles("/catalog/42"));
        assertEquals(Set.of(), RULES.requiredRoles("/administrator"));
    }

    @Test
    void whenAnExactRoleRuleMeetsItsPathWithATrailingSlashThenItsRolesApplyToo() {
        // JAX-RS (Jersey, RESTEasy) and Spring MVC 5 serve /catalog/edit/ as /catalog/edit: before, the exact rule
        // matched the first only, and any caller reached the resource through the second.
        assertEquals(Set.of(), RULES.requiredRoles("/catalog/edit/"));
        assertEquals(Set.of("editor"), RULES.requiredRolesWithoutTrailingSlash("/catalog/edit/"));
        assertEquals(Set.of(), RULES.requiredRolesWithoutTrailingSlash("/catalog/edit/x"), "exact: nothing below it");
        assertEquals(Set.of(), RULES.requiredRolesWithoutTrailingSlash("/catalog/edit"));
        // An unnormalized form, by its normal form: the check a container that serves it would otherwise escape.
        for (String unnormalized : List.of("/catalog/edit//", "/catalog//edit/", "/catalog/./edit/", "/catalog/edit/.",
                "/catalog/edit;v=1/", "/catalog/x/../edit/", "/catalog/edit/;a", "/admin/../catalog/edit/")) {
            assertEquals(Set.of("editor"), RULES.requiredRolesWithoutTrailingSlash(unnormalized), unnormalized);
        }
        // A rule written for the path with its slash says what it needs; a broader one applies as well, never less.
        PathRules users = rules("/api/users=user;/api/users/*=admin");
        assertEquals(Set.of("admin"), users.requiredRoles("/api/users/"));
        assertEquals(Set.of(), users.requiredRolesWithoutTrailingSlash("/api/users/"));
        PathRules broader = rules("/api/admin=admin;/api/*=user");
        assertEquals(Set.of("user"), broader.requiredRoles("/api/admin/"));
        assertEquals(Set.of("admin"), broader.requiredRolesWithoutTrailingSlash("/api/admin/"), "and admin too");
        PathRules hidden = rules("/admin=**;/*=admin;/admin/*=admin");
        assertEquals(Set.of("admin"), hidden.requiredRoles("/admin/"));
        assertEquals(Set.of(), hidden.requiredRolesWithoutTrailingSlash("/admin/"), "a rule written for it, however late");
        assertEquals(Set.of(), rules("/=**;/*=admin").requiredRolesWithoutTrailingSlash("//"));
        assertEquals(Set.of(), rules("/docs/=**;/docs/*=staff").requiredRolesWithoutTrailingSlash("/docs//"),
                "its normal form /docs/ has a rule written for it");
        assertEquals(Set.of("admin"), rules("/api/admin=admin;/api/*=user").requiredRolesWithoutTrailingSlash("/api//admin/"));
    }

    private static PathRules rules(String roleRules) {
        return new PathRules(List.of(), List.of(), PathRules.parseRoleRules(roleRules));
    }

    /**
     * A container may hand a path over unnormalized and serve its normal form (Jetty with encoded slashes decoded:
     * {@code /%2Fadmin/x} is the servlet path {@code //admin/x}, which its DefaultServlet serves from {@code admin/x}):
     * the rules of that form apply too. A normalized path has no other form.
     */
    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"//admin/x", "/;/admin/x", "/admin;x=y/z", "/x/..//admin/x", "/public/../admin/x",
            "/./admin/x", "/public\\..\\admin\\x", "/x/;/../admin", "//admin"})
    void whenAPathIsNotNormalizedThenTheRulesOfItsNormalFormApplyToo(String path) {
        assertEquals(Set.of("admin"), RULES.requiredRolesOfNormalForm(path));
    }

    @Test
    void whenAPathIsNormalizedOrItsNormalFormMatchesNoRuleThenItsNormalFormAddsNothing() {
        assertEquals(Set.of(), RULES.requiredRolesOfNormalForm("/admin/x"));
        assertEquals(Set.of(), RULES.requiredRolesOfNormalForm("//api/x"));
        assertEquals(Set.of(), RULES.requiredRolesOfNormalForm("/admin/../catalog/edit/"));
        assertEquals(Set.of("editor"), RULES.requiredRolesOfNormalForm("/catalog//edit"));
        assertEquals(Set.of("editor"), RULES.requiredRolesOfNormalForm("/catalog/edit;v=1"));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"/admin/*", "/admin/*=", "/admin/*= | ", "admin=admin", "=admin"})
    void whenRoleRuleMalformedThenRefused(String rule) {
        assertThrows(IllegalArgumentException.class, () -> PathRules.parseRoleRules(rule));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"/*=user;/admin/*=admin", "/api/*=user;/api/admin/*=admin", "/api/*=user;/api/admin=admin",
            "/admin/*=admin;/admin/*=root", "/a=x;/a=y", "*.json=user;*.json=admin", "*.json=user;/admin/report.json=admin",
            "*.gz=user;*.tar.gz=admin"})
    void whenARoleRuleCanNeverApplyBecauseAnEarlierOneCoversItThenRefused(String rules) {
        // First matching rule applies: the later, narrower rule would never be asked, its path open to any user.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PathRules.parseRoleRules(rules));
        assertTrue(e.getMessage().contains("never applies"), e.getMessage());
    }

    @Test
    void whenRoleRulesOnlyOverlapThenAccepted() {
        assertEquals(2, PathRules.parseRoleRules("/api/admin/*=admin;/api/*=user").size());
        assertEquals(2, PathRules.parseRoleRules("/api/*=user;*.json=admin").size()); // /x.json outside /api
        assertEquals(2, PathRules.parseRoleRules("/admin=admin;/admin/*=root").size());
        assertEquals(2, PathRules.parseRoleRules("/administrator/*=x;/admin/*=y").size());
        // Covered but asking the same roles: redundant, never a hole; refusing it would only break an upgrade.
        assertEquals(2, PathRules.parseRoleRules("/api/*=user|admin;/api/v2/*=admin|user").size());
    }

    /**
     * Two patterns written as one ({@code /admin,/admin/*} in a rule, a {@code ;} or a space in a list): no path matches
     * the whole, so the rule protected nothing (any authenticated user entered /admin) and the exclusion excluded nothing.
     */
    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"/admin,/admin/*", "/metrics, /env", "/admin /ops", "/health;/metrics", "*.gz,*.tgz"})
    void whenAPatternHoldsASecondPatternThenRefusedSinceNoPathWouldMatchIt(String pattern) {
        IllegalArgumentException roles = assertThrows(IllegalArgumentException.class,
                () -> PathRules.parseRoleRules(pattern + "=admin"));
        if (pattern.indexOf(';') < 0) { // paths.roles splits rules at ';'
            assertTrue(roles.getMessage().contains("holds a second pattern"), roles.getMessage());
        }
        if (pattern.indexOf(',') < 0) { // a list splits at commas
            IllegalArgumentException exclude = assertThrows(IllegalArgumentException.class,
                    () -> PathRules.parsePatterns(pattern));
            assertTrue(exclude.getMessage().contains("holds a second pattern"), exclude.getMessage());
        }
        assertEquals(1, PathRules.parseRoleRules("/reports/Q1 2026/*=finance").size(), "a space inside a name stays");
    }

    /**
     * Patterns match the container's decoded path: a pattern copied from the address bar ({@code %20} for a space,
     * {@code %C3%A9} for an é) never matches. As a paths.roles rule it left its paths open to every user, silently.
     */
    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"/reports/Q1%202026/*", "/caf%C3%A9/*", "/files/a%2fb", "*.%6Asp"})
    void whenAPatternIsPercentEncodedThenRefusedSinceItWouldNeverMatchTheDecodedPath(String pattern) {
        IllegalArgumentException roles = assertThrows(IllegalArgumentException.class,
                () -> PathRules.parseRoleRules(pattern + "=finance"));
        assertTrue(roles.getMessage().contains("decoded"), roles.getMessage());
        IllegalArgumentException exclude = assertThrows(IllegalArgumentException.class,
                () -> PathRules.parsePatterns("/health," + pattern));
        assertTrue(exclude.getMessage().contains("decoded"), exclude.getMessage());
    }

    @Test
    void whenAPatternHoldsAPercentSignThatEncodesNothingThenItStands() {
        // A decoded path may hold a literal % (from %25): a role rule for it can apply.
        assertEquals(Set.of("x"), PathRules.parseRoleRules("/100%/*=x").get(0).anyOfRoles());
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"/admin/*=*", "/admin/*=admin|*", "/admin/*= * "})
    void whenARoleRuleNamesTheRoleStarThenRefusedSinceNoCallerIsInRoleStar(String rule) {
        // The servlet API: isUserInRole("*") is false whatever a token lists; the rule would have admitted a token
        // whose roles claim lists "*".
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PathRules.parseRoleRules(rule));
        assertTrue(e.getMessage().contains("[*]"), e.getMessage());
    }

    @Test
    void whenListsHaveBlankItemsThenTheyAreSkipped() {
        assertEquals(2, PathRules.parsePatterns(" /a, , /b ,").size());
        assertEquals(List.of(), PathRules.parsePatterns(null));
        assertEquals(1, PathRules.parseRoleRules(";/a=x;;").size());
    }

    @Test
    void whenTheFilterIsMappedNarrowerThanTheRulesThenTheRulesItCanNeverSeeAreNamedInOrder() {
        // *.css can be /reports/site.css; /catalog/edit lies under /catalog/*.
        assertEquals(List.of("paths.exclude [/public/*]", "paths.exclude [/health]", "paths.exclude [/]",
                        "paths.optional [/home]", "paths.roles [/admin/*=admin]"),
                RULES.rulesOutside(List.of("/api/*", "/reports/*", "/catalog/*")));
        List<String> apiOnly = RULES.rulesOutside(List.of("/api/*"));
        assertTrue(apiOnly.stream().anyMatch(rule -> rule.startsWith("paths.roles [/reports/*=")), apiOnly.toString());
        assertTrue(apiOnly.contains("paths.roles [/catalog/edit=editor]"), apiOnly.toString());
    }

    @Test
    void whenTheFilterIsMappedToEveryPathOrByAnUnknownPatternThenNoRuleIsNamed() {
        assertEquals(List.of(), RULES.rulesOutside(List.of("/*")));
        assertEquals(List.of(), RULES.rulesOutside(List.of("/")));
        assertEquals(List.of(), RULES.rulesOutside(List.of("/api/*", "*")));
        assertEquals(List.of(), PathRules.protectEverything().rulesOutside(List.of("/api/*")));
    }

    /**
     * A second rule joined by a space (a properties file's continuation line, a YAML folded value) or a '|' read as
     * one rule whose last "role" nobody has, or a pattern with a '|': the second path then needed no role at all, open
     * to any authenticated caller (found by a probe, on a real Jetty). Refused, as the comma and line-break forms are.
     */
    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"/admin/*=admin /reports/*=analyst", "/admin/*=admin|/reports/*=analyst",
            "/admin/*=admin | /reports/*=analyst", "/admin/*=admin *.pdf=finance", "/ops|/admin/*=admin",
            "/admin/*=admin\u00a0/reports/*=analyst", "/admin/*=admin\u2003/reports/*=analyst",
            "/ops\u00a0/admin/*=admin", "/admin/*=admin /a,b/*=analyst", "/admin/*=admin/reports/*=analyst",
            "/admin/*=admin*.pdf=finance"})
    void whenTwoRulesAreJoinedByASpaceOrABarThenRefused(String value) {
        assertThrows(IllegalArgumentException.class, () -> PathRules.parseRoleRules(value));
    }

    @Test
    void whenAPropertiesFileContinuesALineThenTheRulesItJoinsAreRefused() throws Exception {
        java.util.Properties file = new java.util.Properties();
        file.load(new java.io.StringReader("paths.roles=/admin/*=admin \\\n    /reports/*=analyst\n"));
        String joined = file.getProperty("paths.roles");
        assertEquals("/admin/*=admin /reports/*=analyst", joined);
        String message = assertThrows(IllegalArgumentException.class, () -> PathRules.parseRoleRules(joined))
                .getMessage();
        assertTrue(message.contains("holds another rule"), message);
    }

    /** Roles with spaces, slashes or '=' that are no rule stay: "Sales / EMEA", a group path, a directory name. */
    @Test
    void whenARoleHasSpacesSlashesOrEqualsButNoRuleThenAccepted() {
        assertEquals(Set.of("Sales / EMEA", "/admins", "CN=Admins,OU=Groups", "CN=Sales /EMEA,OU=Groups,DC=corp",
                "https://example.com/roles/admin"), PathRules.parseRoleRules("/admin/*=Sales / EMEA|/admins"
                        + "|CN=Admins,OU=Groups|CN=Sales /EMEA,OU=Groups,DC=corp|https://example.com/roles/admin")
                .get(0).anyOfRoles());
    }
}
