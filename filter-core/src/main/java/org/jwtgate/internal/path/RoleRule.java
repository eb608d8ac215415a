package org.jwtgate.internal.path;

import java.util.Set;

/** Paths matching {@code pattern} need at least one of {@code anyOfRoles}. */
public record RoleRule(PathPattern pattern, Set<String> anyOfRoles) {

    public RoleRule {
        anyOfRoles = Set.copyOf(anyOfRoles);
    }

    @Override
    public String toString() {
        return pattern + "=" + String.join("|", anyOfRoles);
    }
}
