package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.servlet.FilterConfig;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.config.PathRules;
import org.jwtgate.testkit.tokens.TestTokens;
import org.junit.jupiter.api.Test;

/** Which mapping the filter reads from its own registration, and when it keeps quiet. */
class UnseenPathRulesTest {

    private static final PathRules ADMIN_RULE = paths("/admin/*=admin");

    private final ServletContext context = mock(ServletContext.class);
    private final FilterRegistration registration = mock(FilterRegistration.class);
    private final FilterConfig config = mock(FilterConfig.class);

    UnseenPathRulesTest() {
        when(config.getFilterName()).thenReturn("api-gate");
        when(config.getServletContext()).thenReturn(context);
        when(context.getFilterRegistration("api-gate")).thenReturn(registration);
        when(registration.getUrlPatternMappings()).thenReturn(List.of());
        when(registration.getServletNameMappings()).thenReturn(List.of());
    }

    @Test
    void whenTheFilterIsMappedToApiOnlyThenTheWarningNamesTheAdminRuleAndTheMapping() {
        when(registration.getUrlPatternMappings()).thenReturn(List.of("/api/*"));
        String warning = UnseenPathRules.warning(config, ADMIN_RULE).orElseThrow();
        assertTrue(warning.startsWith("path rules that never apply: paths.roles [/admin/*=admin]: ")
                && warning.contains("mapped to the url-patterns [/api/*]"), warning);
    }

    @Test
    void whenTheFilterIsMappedByServletNameThenThatServletsUrlPatternsCount() {
        ServletRegistration servlet = mock(ServletRegistration.class);
        when(servlet.getMappings()).thenReturn(List.of("/api/*", "*.jsp"));
        when(context.getServletRegistration("api")).thenReturn(servlet);
        when(registration.getServletNameMappings()).thenReturn(List.of("api"));
        assertEquals(Optional.of(List.of("/api/*", "*.jsp")), UnseenPathRules.mappedUrlPatterns(config));
        // *.jsp can be /admin/x.jsp: the rule can apply.
        assertEquals(Optional.empty(), UnseenPathRules.warning(config, ADMIN_RULE));
        when(servlet.getMappings()).thenReturn(List.of("/api/*"));
        assertTrue(UnseenPathRules.warning(config, ADMIN_RULE).isPresent());
    }

    @Test
    void whenTheFilterIsMappedToEveryPathThenNothingIsSaid() {
        when(registration.getUrlPatternMappings()).thenReturn(List.of("/api/*", "/*"));
        assertEquals(Optional.empty(), UnseenPathRules.warning(config, ADMIN_RULE));
    }

    @Test
    void whenTheMappingCannotBeToldThenNothingIsSaid() {
        when(registration.getUrlPatternMappings()).thenReturn(List.of("/api/*"));
        when(registration.getServletNameMappings()).thenReturn(List.of("*"));
        assertEquals(Optional.empty(), UnseenPathRules.warning(config, ADMIN_RULE), "every servlet");
        when(registration.getServletNameMappings()).thenReturn(List.of("unregistered"));
        assertEquals(Optional.empty(), UnseenPathRules.warning(config, ADMIN_RULE), "a servlet the context does not know");
        when(registration.getServletNameMappings()).thenReturn(null);
        when(registration.getUrlPatternMappings()).thenReturn(null);
        assertEquals(Optional.empty(), UnseenPathRules.warning(config, ADMIN_RULE), "a container that answers null");
        when(context.getFilterRegistration("api-gate")).thenReturn(null);
        assertEquals(Optional.empty(), UnseenPathRules.warning(config, ADMIN_RULE), "no registration under that name");
        when(context.getFilterRegistration("api-gate")).thenThrow(new UnsupportedOperationException("restricted"));
        assertEquals(Optional.empty(), UnseenPathRules.warning(config, ADMIN_RULE), "a context that refuses to tell");
        when(config.getServletContext()).thenReturn(null);
        assertEquals(Optional.empty(), UnseenPathRules.warning(config, ADMIN_RULE), "no context");
    }

    private static PathRules paths(String roles) {
        Map<String, String> settings = new TreeMap<>(TestTokens.settings());
        settings.put(ConfigKeys.PATHS_ROLES, roles);
        return JwtGateConfig.of(settings).paths();
    }
}
