package org.jwtgate.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Every configuration key JwtGate knows, with its default. These names are a public contract:
 * the same strings work as web.xml init-params, {@code @WebInitParam} names, properties-file
 * keys, system properties ({@code jwtgate.<key>}) and environment variables
 * ({@code JWTGATE_<KEY>}).
 */
public final class ConfigKeys {

    public static final String JWT_ALGORITHMS = "jwt.algorithms";
    public static final String JWT_SECRET = "jwt.secret";
    public static final String JWT_PUBLIC_KEY = "jwt.public-key";
    public static final String JWT_JWKS_URI = "jwt.jwks-uri";
    public static final String JWT_JWKS_REFRESH_SECONDS = "jwt.jwks-refresh-seconds";
    public static final String JWT_JWKS_MIN_REFRESH_SECONDS = "jwt.jwks-min-refresh-seconds";
    public static final String JWT_ISSUER = "jwt.issuer";
    public static final String JWT_AUDIENCE = "jwt.audience";
    public static final String JWT_CLOCK_SKEW_SECONDS = "jwt.clock-skew-seconds";
    public static final String JWT_MAX_AGE_SECONDS = "jwt.max-age-seconds";
    public static final String JWT_REQUIRED_CLAIMS = "jwt.required-claims";
    public static final String JWT_TYPE = "jwt.type";

    public static final String TOKEN_HEADER = "token.header";
    public static final String TOKEN_COOKIE = "token.cookie";
    public static final String TOKEN_MAX_LENGTH = "token.max-length";
    public static final String TOKEN_CACHE_SIZE = "token.cache-size";

    public static final String CLAIMS_PRINCIPAL = "claims.principal";
    public static final String CLAIMS_ROLES = "claims.roles";

    public static final String PATHS_EXCLUDE = "paths.exclude";
    public static final String PATHS_OPTIONAL = "paths.optional";
    public static final String PATHS_ROLES = "paths.roles";

    public static final String CSRF_MODE = "csrf.mode";

    public static final String REVOCATION_STORE = "revocation.store";
    public static final String REVOCATION_MODE = "revocation.mode";
    public static final String REVOCATION_FAILURE_MODE = "revocation.failure-mode";
    public static final String REVOCATION_MIN_REPLICAS = "revocation.min-replicas";
    public static final String REVOCATION_REPLICA_TIMEOUT_MS = "revocation.replica-timeout-ms";
    public static final String REVOCATION_RETRY_AFTER_SECONDS = "revocation.retry-after-seconds";
    public static final String REVOCATION_NEAR_CACHE = "revocation.near-cache";
    public static final String REVOCATION_MAX_STALENESS_MS = "revocation.max-staleness-ms";
    public static final String REVOCATION_NEAR_CACHE_CAPACITY = "revocation.near-cache.capacity";
    public static final String REVOCATION_NEAR_CACHE_RESYNC_SECONDS = "revocation.near-cache.resync-seconds";

    public static final String REDIS_NODES = "redis.nodes";
    public static final String REDIS_KEY_PREFIX = "redis.key-prefix";
    public static final String REDIS_TIMEOUT_MS = "redis.timeout-ms";
    public static final String REDIS_MAX_ATTEMPTS = "redis.max-attempts";
    public static final String REDIS_POOL_SIZE = "redis.pool-size";
    public static final String REDIS_USER = "redis.user";
    public static final String REDIS_PASSWORD = "redis.password";
    public static final String REDIS_SSL = "redis.ssl";

    public static final String REALM = "realm";
    public static final String CONFIG_FILE = "config.file";

    /** Prefix of system properties: {@code jwtgate.jwt.issuer}. */
    public static final String SYSTEM_PROPERTY_PREFIX = "jwtgate.";
    /** Prefix of environment variables: {@code JWTGATE_JWT_ISSUER}. */
    public static final String ENVIRONMENT_PREFIX = "JWTGATE_";

    /** Key to default value; {@code null} means "no default". Iteration order is documentation order. */
    private static final Map<String, String> DEFAULTS;
    private static final Set<String> SECRETS = Set.of(JWT_SECRET, REDIS_PASSWORD);

    static {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(JWT_ALGORITHMS, null);
        d.put(JWT_SECRET, null);
        d.put(JWT_PUBLIC_KEY, null);
        d.put(JWT_JWKS_URI, null);
        d.put(JWT_JWKS_REFRESH_SECONDS, "300");
        d.put(JWT_JWKS_MIN_REFRESH_SECONDS, "30");
        d.put(JWT_ISSUER, null);
        d.put(JWT_AUDIENCE, null);
        d.put(JWT_CLOCK_SKEW_SECONDS, "30");
        d.put(JWT_MAX_AGE_SECONDS, "86400");
        d.put(JWT_REQUIRED_CLAIMS, "sub,exp,iat,jti");
        d.put(JWT_TYPE, null);
        d.put(TOKEN_HEADER, "Authorization");
        d.put(TOKEN_COOKIE, "access_token");
        d.put(TOKEN_MAX_LENGTH, "8192");
        d.put(TOKEN_CACHE_SIZE, "10000");
        d.put(CLAIMS_PRINCIPAL, "sub");
        d.put(CLAIMS_ROLES, "groups");
        d.put(PATHS_EXCLUDE, null);
        d.put(PATHS_OPTIONAL, null);
        d.put(PATHS_ROLES, null);
        d.put(CSRF_MODE, "origin");
        d.put(REVOCATION_STORE, null);
        d.put(REVOCATION_MODE, "denylist");
        d.put(REVOCATION_FAILURE_MODE, "closed");
        d.put(REVOCATION_MIN_REPLICAS, null);
        d.put(REVOCATION_REPLICA_TIMEOUT_MS, "200");
        d.put(REVOCATION_RETRY_AFTER_SECONDS, "5");
        d.put(REVOCATION_NEAR_CACHE, "true");
        d.put(REVOCATION_MAX_STALENESS_MS, "100");
        d.put(REVOCATION_NEAR_CACHE_CAPACITY, "100000");
        d.put(REVOCATION_NEAR_CACHE_RESYNC_SECONDS, "300");
        d.put(REDIS_NODES, null);
        d.put(REDIS_KEY_PREFIX, "jwtgate:");
        d.put(REDIS_TIMEOUT_MS, "500");
        d.put(REDIS_MAX_ATTEMPTS, "3");
        d.put(REDIS_POOL_SIZE, "16");
        d.put(REDIS_USER, null);
        d.put(REDIS_PASSWORD, null);
        d.put(REDIS_SSL, "false");
        d.put(REALM, "jwtgate");
        d.put(CONFIG_FILE, null);
        DEFAULTS = Collections.unmodifiableMap(d);
    }

    private ConfigKeys() {
    }

    /** All known keys, in documentation order. */
    public static Set<String> all() {
        return DEFAULTS.keySet();
    }

    public static boolean isKnown(String key) {
        return DEFAULTS.containsKey(key);
    }

    /** The default value, or {@code null} when the key has none. */
    public static String defaultValue(String key) {
        return DEFAULTS.get(key);
    }

    /** Secrets are never printed, logged or put in an exception message. */
    public static boolean isSecret(String key) {
        return SECRETS.contains(key);
    }

    /** {@code jwt.clock-skew-seconds} → {@code JWTGATE_JWT_CLOCK_SKEW_SECONDS}. */
    public static String environmentName(String key) {
        return ENVIRONMENT_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** {@code jwt.issuer} → {@code jwtgate.jwt.issuer}. */
    public static String systemPropertyName(String key) {
        return SYSTEM_PROPERTY_PREFIX + key;
    }

    /** The known key closest to a misspelt one, or {@code null} when none is close. */
    public static String nearest(String unknown) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String probe = unknown.toLowerCase(Locale.ROOT).replace('_', '.');
        for (String key : DEFAULTS.keySet()) {
            int distance = Levenshtein.distance(probe, key);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = key;
            }
        }
        return bestDistance <= Math.max(2, probe.length() / 4) ? best : null;
    }
}
