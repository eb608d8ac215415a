package org.jwtgate.sample.account;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Checks a username and password. An unknown user costs one full hash against a dummy record,
 * so "no such user" and "wrong password" take the same time and give the same answer (empty).
 */
@Singleton
public class Authenticator {

    private final AccountStore accounts;
    private final PasswordHasher hasher;

    @Inject
    public Authenticator(AccountStore accounts, PasswordHasher hasher) {
        this.accounts = accounts;
        this.hasher = hasher;
    }

    public Optional<Account> authenticate(String username, char[] password) {
        String name = AccountStore.normalize(username);
        Optional<AccountStore.StoredAccount> stored = name == null ? Optional.empty() : accounts.find(name);
        if (stored.isEmpty()) {
            hasher.matchesDummy(password);
            return Optional.empty();
        }
        return hasher.matches(password, stored.get().passwordRecord())
                ? Optional.of(stored.get().account())
                : Optional.empty();
    }
}
