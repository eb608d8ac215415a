package org.jwtgate.config;

import java.util.Set;

/** Paths matching {@code pattern} need at least one of {@code anyOfRoles}. */
record RoleRule(PathPattern pattern, Set<String> anyOfRoles) {

    RoleRule {
        anyOfRoles = Set.copyOf(anyOfRoles);
    }

    @Override
    public String toString() {
        return pattern + "=" + String.join("|", anyOfRoles);
    }
}
