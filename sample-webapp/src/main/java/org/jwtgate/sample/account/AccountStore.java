package org.jwtgate.sample.account;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jwtgate.sample.redis.SampleKeys;
import org.jwtgate.sample.redis.SampleRedis;

/** Accounts in Redis: one hash per user with the password record and the roles. */
@Singleton
public class AccountStore {

    /** What a username may look like; anything else is simply not an account. */
    public static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern ROLE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    static final String PASSWORD_FIELD = "password";
    static final String ROLES_FIELD = "roles";

    private final SampleRedis redis;
    private final PasswordHasher hasher;

    @Inject
    public AccountStore(SampleRedis redis, PasswordHasher hasher) {
        this.redis = redis;
        this.hasher = hasher;
    }

    /** Lower-cased and trimmed; null when it cannot be a username. */
    public static String normalize(String username) {
        if (username == null) {
            return null;
        }
        String normalized = username.trim().toLowerCase(Locale.ROOT);
        return USERNAME.matcher(normalized).matches() ? normalized : null;
    }

    /**
     * Creates the account unless it exists (never overwrites a password).
     *
     * @return true when created
     */
    public boolean createIfAbsent(String username, char[] password, Set<String> roles) {
        String name = normalize(username);
        if (name == null) {
            throw new IllegalArgumentException("not a valid username: " + username);
        }
        for (String role : roles) {
            if (!ROLE.matcher(role).matches()) {
                throw new IllegalArgumentException("not a valid role: " + role);
            }
        }
        String key = SampleKeys.account(name);
        if (redis.call("reading an account", r -> r.exists(key))) {
            return false;
        }
        String record = hasher.hash(password);
        // HSETNX on the password field: two instances seeding at once keep the first record.
        Object created = redis.call("creating an account", r -> r.eval(
                "if redis.call('HSETNX', KEYS[1], 'password', ARGV[1]) == 1 then "
                        + "redis.call('HSET', KEYS[1], 'roles', ARGV[2]) return 1 end return 0",
                List.of(key), List.of(record, String.join(",", roles))));
        return Long.valueOf(1).equals(created);
    }

    /** The account and its password record, or empty when there is none. */
    Optional<StoredAccount> find(String normalizedUsername) {
        Map<String, String> fields = redis.call("reading an account", r -> r.hgetAll(SampleKeys.account(normalizedUsername)));
        String record = fields.get(PASSWORD_FIELD);
        if (record == null) {
            return Optional.empty();
        }
        return Optional.of(new StoredAccount(new Account(normalizedUsername, parseRoles(fields.get(ROLES_FIELD))), record));
    }

    /** The account without its password record (for refresh: roles may have changed since login). */
    public Optional<Account> account(String username) {
        String name = normalize(username);
        return name == null ? Optional.empty() : find(name).map(StoredAccount::account);
    }

    private static Set<String> parseRoles(String text) {
        Set<String> roles = new LinkedHashSet<>();
        if (text != null) {
            Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(roles::add);
        }
        return roles;
    }

    record StoredAccount(Account account, String passwordRecord) {
        @Override
        public String toString() {
            return "StoredAccount[" + account + "]"; // never the password record
        }
    }
}
