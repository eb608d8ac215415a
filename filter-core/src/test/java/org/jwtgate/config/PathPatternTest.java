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
}
