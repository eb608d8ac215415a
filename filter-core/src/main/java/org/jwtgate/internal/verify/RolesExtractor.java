package org.jwtgate.internal.verify;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads roles from the configured claim ({@code claims.roles}): a JSON array of strings, or one
 * string separated by spaces or commas; a dotted path reaches into objects
 * ({@code realm_access.roles}), except in a URL-named claim ({@code https://myapp.example.com/roles}), which is
 * one name. Anything else yields no roles rather than an error.
 */
public final class RolesExtractor {

    private final String[] path;

    public RolesExtractor(String claimPath) {
        // A URL (Auth0 requires custom claims to be namespaced by one) is one claim name: split at its host's dots
        // it would name nothing. No issuer nests objects under "https://host" keys, so each value has one meaning.
        this.path = claimPath.contains("://") ? new String[] {claimPath} : claimPath.split("\\.");
    }

    public Set<String> extract(Map<String, Object> claims) {
        Object value = claims;
        for (String segment : path) {
            if (!(value instanceof Map<?, ?> map)) {
                return Set.of();
            }
            value = map.get(segment);
        }
        Set<String> roles = new LinkedHashSet<>();
        if (value instanceof String text) {
            for (String role : text.split("[\\s,]+")) {
                if (!role.isEmpty()) {
                    roles.add(role);
                }
            }
        } else if (value instanceof Collection<?> items) {
            for (Object item : items) {
                if (item instanceof String role && !role.isBlank()) {
                    roles.add(role);
                }
            }
        }
        return roles;
    }
}
