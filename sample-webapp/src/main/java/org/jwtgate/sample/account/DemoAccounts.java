package org.jwtgate.sample.account;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Seeds the demo accounts unless they exist (SAMPLE_DEMO_ACCOUNTS=false turns this off). */
@Singleton
public class DemoAccounts {

    /** One demo account, as printed at start-up and documented in docs/sample.md. */
    public record Demo(String username, String password, Set<String> roles) {
        @Override
        public String toString() {
            return username + " / " + password + " (roles " + String.join(",", roles) + ")";
        }
    }

    public static final List<Demo> ACCOUNTS = List.of(
            new Demo("alice", "wonderland", Set.of("user")),
            new Demo("bob", "builder", new LinkedHashSet<>(List.of("user", "admin"))));

    private static final Logger LOG = LoggerFactory.getLogger(DemoAccounts.class);

    private final AccountStore accounts;

    @Inject
    public DemoAccounts(AccountStore accounts) {
        this.accounts = accounts;
    }

    public void seed() {
        for (Demo demo : ACCOUNTS) {
            boolean created = accounts.createIfAbsent(demo.username(), demo.password().toCharArray(), demo.roles());
            LOG.info("Demo account [{}] {}", demo.username(), created ? "created" : "already present");
        }
    }
}
