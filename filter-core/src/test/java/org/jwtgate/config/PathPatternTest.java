package org.jwtgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathPatternTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
            "/health, /health, true",
            "/health, /health/, false",
            "/health, /healthz, false",
            "/health, /Health, false",
            "/health, /, false",
            "/static/*, /static, true",
            "/static/*, /static/, true",
            "/static/*, /static/app.js, true",
            "/static/*, /static/a/b/c.png, true",
            "/static/*, /staticfiles/app.js, false",
            "/static/*, /api/static/app.js, false",
            "*.css, /site.css, true",
            "*.css, /a/b/site.css, true",
            "*.css, /a/.css, false",
            "*.css, /site.css/more, false",
            "*.css, /site.cssx, false",
            "*.css, /css, false",
            "/*, /, true",
            "/*, /anything/at/all, true"})
    void whenMatchedThenServletStyleRulesApply(String pattern, String path, boolean expected) {
        assertEquals(expected, PathPattern.parse(pattern).matches(path));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"api/*", "health", "/a*b", "/a/*/b", "*.", "*./x", "**.css", "/static/**", ""})
    void whenNotOneOfTheThreeFormsThenRefused(String pattern) {
        assertThrows(IllegalArgumentException.class, () -> PathPattern.parse(pattern));
    }

    @Test
    void whenParsedThenSurroundingSpacesIgnoredAndTextKept() {
        PathPattern pattern = PathPattern.parse("  /static/*  ");
        assertTrue(pattern.matches("/static/x"));
        assertEquals("/static/*", pattern.toString());
        assertFalse(PathPattern.parse("/exact").matches("/exact/more"));
    }

    /** Whether a rule (first) can match a path a filter url-pattern (second) lets through: servlet matching rules. */
    @ParameterizedTest(name = "rule {0} with url-pattern [{1}]: {2}")
    @CsvSource({
            "/admin/*, /api/*, false",
            "/admin/*, /*, true",
            "/admin/*, /, true",
            "/admin/*, /admin/users, true",
            "/admin/*, /admin, true",
            "/admin/*, /administration/*, false",
            "/admin/*, /admin/reports/*, true",
            "/admin/reports/*, /admin/*, true",
            "/admin/*, *.jsp, true",
            "/admin/*, '', false",
            "/*, /api/*, true",
            "/, '', true",
            "/, /api/*, false",
            "/health, /api/*, false",
            "/health, /health, true",
            "/health, /health/*, true",
            "/health, *.jsp, false",
            "/index.jsp, *.jsp, true",
            "*.css, /api/*, true",
            "*.css, /site.css, true",
            "*.css, /health, false",
            "*.css, *.jsp, false",
            "*.gz, *.tar.gz, true",
            "*.tar.gz, *.gz, true"})
    void whenARuleMeetsAFilterUrlPatternThenTheyOverlapOnlyWhenSomePathMatchesBoth(String rule, String urlPattern,
                                                                                 boolean expected) {
        PathPattern mapped = PathPattern.ofUrlPattern(urlPattern).orElseThrow();
        assertEquals(expected, PathPattern.parse(rule).overlaps(mapped));
        assertEquals(expected, mapped.overlaps(PathPattern.parse(rule)), "symmetric");
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"*", "/a*b", "api/*", "/reports/Q1%202026/*"})
    void whenAUrlPatternIsNoneOfTheServletFormsThenItIsNotReadAsOne(String urlPattern) {
        assertTrue(PathPattern.ofUrlPattern(urlPattern).isEmpty());
    }
}
