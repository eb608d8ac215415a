package org.jwtgate.filter;

import jakarta.servlet.FilterConfig;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jwtgate.config.PathRules;

/**
 * The start-up warning naming the path rules no request to the filter can reach: a filter mapped to {@code /api/*}
 * never sees {@code /admin/x}, so a {@code paths.roles} rule for {@code /admin/*} protects nothing while its
 * administrator believes {@code /admin} protected. Only a warning: 1.0.0 started with such rules.
 */
final class UnseenPathRules {

    private UnseenPathRules() {
    }

    /**
     * The warning for the filter {@code filterConfig} names, or empty when each rule can be reached, or when the
     * container does not tell the filter's mapping.
     */
    static Optional<String> warning(FilterConfig filterConfig, PathRules paths) {
        Optional<List<String>> mapped = mappedUrlPatterns(filterConfig);
        if (mapped.isEmpty()) {
            return Optional.empty();
        }
        List<String> unseen = paths.rulesOutside(mapped.get());
        if (unseen.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("path rules that never apply: " + String.join(", ", unseen) + ": no path they match "
                + "reaches the filter, which is mapped to the url-patterns [" + String.join("], [", mapped.get())
                + "]; map the filter to /* (or to those paths too), or remove the rules");
    }

    /**
     * The url-patterns through which requests reach the filter: its own and those of the servlets it is mapped to by
     * name. Empty when they cannot be told: no registration under the filter's name (a filter another one wraps, a
     * container that answers null), no mapping at all, a mapping to every servlet ({@code *}) or to a servlet that has
     * no url-pattern (reached only by name, on any path).
     */
    static Optional<List<String>> mappedUrlPatterns(FilterConfig filterConfig) {
        ServletContext context = filterConfig.getServletContext();
        String name = filterConfig.getFilterName();
        if (context == null || name == null) {
            return Optional.empty();
        }
        try {
            FilterRegistration registration = context.getFilterRegistration(name);
            if (registration == null) {
                return Optional.empty();
            }
            List<String> patterns = new ArrayList<>(orEmpty(registration.getUrlPatternMappings()));
            for (String servletName : orEmpty(registration.getServletNameMappings())) {
                ServletRegistration servlet = servletName.equals("*") ? null : context.getServletRegistration(servletName);
                Collection<String> servletPatterns = servlet == null ? null : servlet.getMappings();
                if (servletPatterns == null || servletPatterns.isEmpty()) {
                    return Optional.empty();
                }
                patterns.addAll(servletPatterns);
            }
            return patterns.isEmpty() ? Optional.empty() : Optional.of(patterns);
        } catch (RuntimeException e) {
            // A context that refuses the question (UnsupportedOperationException for a listener added in code):
            // the warning is a help, never a reason not to start.
            return Optional.empty();
        }
    }

    private static Collection<String> orEmpty(Collection<String> values) {
        return values == null ? List.of() : values;
    }
}
