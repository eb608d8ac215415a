package org.jwtgate.sample.account;

import java.util.Set;

/** A stored account. The password record never leaves {@link AccountStore} and {@link Authenticator}. */
public record Account(String username, Set<String> roles) {

    public Account {
        roles = Set.copyOf(roles);
    }
}
