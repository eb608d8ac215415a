package org.jwtgate.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The settings given that take no effect in a configuration, and what makes them idle: the one start-up warning
 * the filter, the Jakarta Authentication module and {@code check-config} give. A setting that can never work is
 * refused by {@link JwtGateConfig}; one that a working 1.0.0 configuration could hold is only named here, never with
 * its value. Which setting depends on which condition is the table {@link #RULES}.
 */
final class IneffectiveSettings {

    /**
     * While {@code idle} holds, the {@code keys} do nothing; {@code because} says why, in the warning. The rules'
     * conditions exclude each other, so a key is named once.
     */
    private record Rule(Predicate<JwtGateConfig> idle, Function<JwtGateConfig, String> because, List<String> keys) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule(config -> !config.dpop().enabled(),
                    config -> ConfigKeys.DPOP_MODE + " is off",
                    List.of(ConfigKeys.DPOP_ALGORITHMS, ConfigKeys.DPOP_PROOF_MAX_AGE_SECONDS,
                            ConfigKeys.DPOP_NONCE_LIFETIME_SECONDS)),
            new Rule(config -> config.dpop().enabled() && !config.dpop().nonceRequired(),
                    config -> ConfigKeys.DPOP_NONCE + " is off",
                    List.of(ConfigKeys.DPOP_NONCE_LIFETIME_SECONDS)),
            // The CSRF rule is for requests a cookie authenticates: with none, no request is.
            new Rule(config -> config.token().cookie() == null,
                    config -> ConfigKeys.TOKEN_COOKIE + " is empty, so no request is authenticated by a cookie",
                    List.of(ConfigKeys.CSRF_MODE)),
            new Rule(config -> config.verification().jwksUri() == null,
                    config -> "the key comes from " + (config.verification().secret() != null
                            ? ConfigKeys.JWT_SECRET : ConfigKeys.JWT_PUBLIC_KEY) + ", not " + ConfigKeys.JWT_JWKS_URI,
                    List.of(ConfigKeys.JWT_JWKS_REFRESH_SECONDS, ConfigKeys.JWT_JWKS_MIN_REFRESH_SECONDS)),
            new Rule(config -> !config.revocation().store().isRedis(),
                    config -> ConfigKeys.REVOCATION_STORE + " is " + config.revocation().store().configName()
                            + ", not a Redis store",
                    List.of(ConfigKeys.REVOCATION_MIN_REPLICAS, ConfigKeys.REVOCATION_REPLICA_TIMEOUT_MS,
                            ConfigKeys.REVOCATION_NEAR_CACHE, ConfigKeys.REVOCATION_MAX_STALENESS_MS,
                            ConfigKeys.REVOCATION_NEAR_CACHE_CAPACITY, ConfigKeys.REVOCATION_NEAR_CACHE_RESYNC_SECONDS,
                            ConfigKeys.REDIS_KEY_PREFIX, ConfigKeys.REDIS_TIMEOUT_MS, ConfigKeys.REDIS_MAX_ATTEMPTS,
                            ConfigKeys.REDIS_POOL_SIZE, ConfigKeys.REDIS_USER, ConfigKeys.REDIS_PASSWORD,
                            ConfigKeys.REDIS_SSL)),
            // No WAIT is sent: replica-timeout-ms is how long it may take.
            new Rule(config -> config.revocation().store().isRedis() && config.revocation().minReplicas() == 0,
                    config -> ConfigKeys.REVOCATION_MIN_REPLICAS + " is 0, so no WAIT is sent",
                    List.of(ConfigKeys.REVOCATION_REPLICA_TIMEOUT_MS)),
            // Allowlist registrations are neither cached nor announced: max-staleness-ms (the writers' wait) goes too.
            new Rule(config -> config.revocation().store().isRedis()
                            && config.revocation().mode() == RevocationSettings.Mode.ALLOWLIST,
                    config -> ConfigKeys.REVOCATION_MODE + " is allowlist, which the near-cache does not serve",
                    List.of(ConfigKeys.REVOCATION_NEAR_CACHE, ConfigKeys.REVOCATION_MAX_STALENESS_MS,
                            ConfigKeys.REVOCATION_NEAR_CACHE_CAPACITY, ConfigKeys.REVOCATION_NEAR_CACHE_RESYNC_SECONDS)),
            // Not max-staleness-ms: revocations are still announced, and wait that long for other instances' near-caches.
            new Rule(config -> config.revocation().store().isRedis()
                            && config.revocation().mode() == RevocationSettings.Mode.DENYLIST
                            && !config.revocation().nearCache(),
                    config -> ConfigKeys.REVOCATION_NEAR_CACHE + " is false",
                    List.of(ConfigKeys.REVOCATION_NEAR_CACHE_CAPACITY, ConfigKeys.REVOCATION_NEAR_CACHE_RESYNC_SECONDS)));

    private IneffectiveSettings() {
    }

    /** The keys set in {@code config} that take no effect there, in the rules' order. */
    static List<String> keys(JwtGateConfig config) {
        return idle(config).stream().flatMap(group -> group.keys().stream()).toList();
    }

    /** One line naming each such key, where it was set and why it is idle; empty when every setting given works. */
    static Optional<String> warning(JwtGateConfig config) {
        List<String> groups = new ArrayList<>();
        for (IdleKeys group : idle(config)) {
            groups.add(group.keys().stream().map(key -> "[" + key + "] (from " + config.settings().origin(key) + ")")
                    .collect(Collectors.joining(", ")) + ": " + group.because());
        }
        return groups.isEmpty() ? Optional.empty() : Optional.of("settings that take no effect in this configuration"
                + " (remove them, or change what they depend on): " + String.join("; ", groups));
    }

    /** The keys of one rule that are set, and why they are idle. */
    private record IdleKeys(List<String> keys, String because) {
    }

    /**
     * revocation.near-cache=false where there is no near-cache (a memory store, allowlist mode), or csrf.mode=off
     * without cookies, switches off what is off:
     * it misleads no one, and removing it, as the warning would say, brings allowlist mode's "not used" line back.
     */
    private static boolean asksForWhatHappensAnyway(JwtGateConfig config, String key) {
        return key.equals(ConfigKeys.REVOCATION_NEAR_CACHE) && !config.revocation().nearCache()
                || key.equals(ConfigKeys.CSRF_MODE) && config.csrfMode() == CsrfMode.OFF;
    }

    private static List<IdleKeys> idle(JwtGateConfig config) {
        List<IdleKeys> idle = new ArrayList<>();
        for (Rule rule : RULES) {
            if (rule.idle().test(config)) {
                List<String> set = rule.keys().stream().filter(config.settings()::isSet)
                        .filter(key -> !asksForWhatHappensAnyway(config, key)).toList();
                if (!set.isEmpty()) {
                    idle.add(new IdleKeys(set, rule.because().apply(config)));
                }
            }
        }
        return idle;
    }
}
