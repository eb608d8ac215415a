package org.jwtgate.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jwtgate.internal.log.MaskedUrl;

/**
 * JwtGate's whole configuration, parsed and validated once. Immutable and thread-safe.
 * Every problem is reported as a {@link ConfigurationException} naming the key.
 *
 * <pre>{@code
 * JwtGateConfig config = JwtGateConfig.load(Map.of(
 *         ConfigKeys.JWT_ISSUER, "https://login.example.com",
 *         ConfigKeys.JWT_SECRET, "${env:APP_JWT_SECRET}",
 *         ConfigKeys.REVOCATION_STORE, "memory"), ConfigSources.system());
 * config.verification().maxAgeSeconds();   // 86400 unless configured
 * config.describe();                       // key=value, …, secrets masked: safe to log
 * }</pre>
 *
 * <p>The typed parts ({@link #verification()}, {@link #token()}, {@link #revocation()}, …) are
 * read-only views for code that works with JwtGate, such as an issuer signing tokens the filter
 * must accept.
 *
 * @since 1.0.0
 */
public final class JwtGateConfig {

    /** Names of headers, cookies and claims: RFC 7230 tokens, no room for injection. */
    private static final Pattern TOKEN_CHARS = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");
    /** A Windows path: a drive letter, a colon and a separator ({@code C:\secrets\hmac}). */
    private static final Pattern WINDOWS_PATH = Pattern.compile("[A-Za-z]:[\\\\/].*");
    /** A media type's name as the {@code typ} check reads {@code jwt.type}: visible ASCII but {@code ()<>@,;:/[]?="\}. */
    private static final Pattern MEDIA_TYPE_NAME = Pattern.compile("[\\x21-\\x7e&&[^()<>@,;:/\\[\\]?=\"\\\\]]+");
    private static final Pattern REALM_CHARS = Pattern.compile("[\\x20-\\x7e&&[^\"\\\\]]+");

    private final Settings settings;
    private final VerificationSettings verification;
    private final TokenSettings token;
    private final PathRules paths;
    private final CsrfMode csrfMode;
    private final RevocationSettings revocation;
    private final RedisSettings redis;
    private final NearCacheSettings nearCache;
    private final DpopSettings dpop;
    private final MetricsSettings metrics;
    private final String realm;

    private JwtGateConfig(Settings settings) {
        SettingParser parser = new SettingParser(settings);
        this.settings = settings;
        this.verification = parseVerification(parser);
        this.token = parseToken(parser);
        this.paths = parsePaths(parser);
        this.csrfMode = CsrfMode.valueOf(parser.choice(ConfigKeys.CSRF_MODE).toUpperCase(Locale.ROOT));
        this.revocation = parseRevocation(parser, verification);
        this.redis = parseRedis(parser, revocation);
        this.nearCache = parseNearCache(parser, revocation);
        this.dpop = parseDpop(parser, revocation);
        this.metrics = new MetricsSettings(parser.bool(ConfigKeys.METRICS_JMX),
                parser.choice(ConfigKeys.METRICS_MICROMETER).equals("auto"));
        this.realm = parser.required(ConfigKeys.REALM);
        if (!REALM_CHARS.matcher(realm).matches()) {
            throw parser.illegal(ConfigKeys.REALM, realm, "printable ASCII without quotes or backslashes");
        }
    }

    /**
     * Parses and checks every setting.
     *
     * @param settings the raw values, as {@link Settings#load(Map, ConfigSources)} merged them
     * @return the validated configuration
     * @throws ConfigurationException naming the key of a setting that is missing, out of range or inconsistent
     */
    public static JwtGateConfig from(Settings settings) {
        return new JwtGateConfig(settings);
    }

    /**
     * Init-params plus the properties file {@code config.file} names (in any source) and the environment variables
     * and system properties of {@code sources}, as the filter does.
     *
     * @param initParams the front end's own settings by key; lowest precedence
     * @param sources    the environment and system properties to read: {@link ConfigSources#system()} for the real ones
     * @return the validated configuration
     * @throws ConfigurationException naming the key of a setting that is unknown, missing, out of range or
     *                                inconsistent, or a file that cannot be read
     */
    public static JwtGateConfig load(Map<String, String> initParams, ConfigSources sources) {
        return from(SettingsLoader.load(initParams, sources));
    }

    /**
     * Only the given values (and defaults): for tests and embedded use.
     *
     * @param values settings by key
     * @return the validated configuration
     * @throws ConfigurationException naming the key of a setting that is unknown, missing, out of range or
     *                                inconsistent
     */
    public static JwtGateConfig of(Map<String, String> values) {
        return from(Settings.of(values));
    }

    /**
     * The raw values this configuration was parsed from, with where each came from.
     *
     * @return the settings; never null
     */
    public Settings settings() {
        return settings;
    }

    /**
     * What a token must satisfy and the key that verifies it ({@code jwt.*}).
     *
     * @return the verification settings; never null
     */
    public VerificationSettings verification() {
        return verification;
    }

    /**
     * Where the token is read from, its length cap, the verified-token cache and the claims that name the principal
     * and roles ({@code token.*}, {@code claims.*}).
     *
     * @return the token settings; never null
     */
    public TokenSettings token() {
        return token;
    }

    /**
     * The public, optional and role-protected paths ({@code paths.*}).
     *
     * @return the path rules; every path protected when no {@code paths.*} key is set
     */
    public PathRules paths() {
        return paths;
    }

    /**
     * {@code csrf.mode}: whether cookie-authenticated unsafe requests are checked for their origin.
     *
     * @return the mode; {@link CsrfMode#ORIGIN} unless configured
     */
    public CsrfMode csrfMode() {
        return csrfMode;
    }

    /**
     * How revocation is stored, checked and made durable ({@code revocation.*}).
     *
     * @return the revocation settings; never null
     */
    public RevocationSettings revocation() {
        return revocation;
    }

    /**
     * How to reach Redis ({@code redis.*}).
     *
     * @return the Redis connection settings, or {@code null} when {@code revocation.store} is not a Redis one
     */
    public RedisSettings redis() {
        return redis;
    }

    /**
     * The revocation near-cache; used only with a Redis store in denylist mode.
     *
     * @return the near-cache settings; never null
     */
    public NearCacheSettings nearCache() {
        return nearCache;
    }

    /**
     * How the figures are exported: JMX, Micrometer.
     *
     * @return the metrics settings; never null
     */
    public MetricsSettings metrics() {
        return metrics;
    }

    /**
     * DPoP (RFC 9449) settings.
     *
     * @return the DPoP settings; {@link DpopSettings#OFF} unless {@code dpop.mode} is set
     */
    public DpopSettings dpop() {
        return dpop;
    }

    /**
     * {@code realm}: the realm JwtGate's {@code WWW-Authenticate} challenges name.
     *
     * @return the realm, printable ASCII without quotes or backslashes; {@code jwtgate} unless configured
     */
    public String realm() {
        return realm;
    }

    /**
     * The warning a front end logs at start when settings were given that take no effect here (DPoP tuning with
     * {@code dpop.mode=off}, {@code redis.*} with the {@code memory} store, …): one line naming each, where it was
     * set and why it is idle, never a value. Empty when every setting given is used.
     *
     * @return the warning's text, or empty
     * @since 1.1.0
     */
    public Optional<String> ineffectiveSettingsWarning() {
        return IneffectiveSettings.warning(this);
    }

    /**
     * The warning a front end logs at start when a {@code jwtgate.*} system property or a {@code JWTGATE_*} environment
     * variable (they apply to every application of the JVM), or the properties file one of them names, replaced a value
     * the application gave itself (init-param, context-param, properties file) with another: one line naming each
     * setting and both sources, never a value. Empty when none was replaced so.
     *
     * @return the warning's text, or empty
     * @since 1.1.0
     */
    public Optional<String> jvmWideOverridesWarning() {
        return settings.jvmWideOverridesWarning();
    }

    /**
     * The effective configuration, secrets masked: for the start-up log line.
     *
     * @return {@code key=value, …} of the settings in force, then the effective algorithms and minimum replicas
     */
    public String describe() {
        return settings.describe() + ", algorithms(effective)=" + verification.algorithms()
                + ", revocation.min-replicas(effective)=" + revocation.minReplicas();
    }

    // ---- verification ----------------------------------------------------------------------

    private static VerificationSettings parseVerification(SettingParser parser) {
        String secretText = parser.optional(ConfigKeys.JWT_SECRET);
        String publicKeyText = parser.optional(ConfigKeys.JWT_PUBLIC_KEY);
        String jwksText = parser.optional(ConfigKeys.JWT_JWKS_URI);
        int sources = (secretText != null ? 1 : 0) + (publicKeyText != null ? 1 : 0) + (jwksText != null ? 1 : 0);
        if (sources == 0) {
            throw new ConfigurationException("Missing key: set exactly one of [" + ConfigKeys.JWT_SECRET + "], ["
                    + ConfigKeys.JWT_PUBLIC_KEY + "] or [" + ConfigKeys.JWT_JWKS_URI + "]");
        }
        if (sources > 1) {
            // A JWTGATE_* variable applies to every application of the JVM: say which source sets which key.
            List<String> given = new ArrayList<>();
            for (String key : List.of(ConfigKeys.JWT_SECRET, ConfigKeys.JWT_PUBLIC_KEY, ConfigKeys.JWT_JWKS_URI)) {
                if (parser.optional(key) != null) {
                    given.add("[" + key + "] (from " + parser.settings().origin(key) + ")");
                }
            }
            throw new ConfigurationException("Contradictory keys: set only one of [" + ConfigKeys.JWT_SECRET + "], ["
                    + ConfigKeys.JWT_PUBLIC_KEY + "] and [" + ConfigKeys.JWT_JWKS_URI + "]; set are "
                    + String.join(" and ", given));
        }

        byte[] secret = null;
        PublicKey publicKey = null;
        URI jwksUri = null;
        Set<SigningAlgorithm> algorithms = parseAlgorithms(parser);
        if (secretText != null) {
            secret = decodeSecret(parser, ConfigKeys.JWT_SECRET, secretText);
            if (algorithms.isEmpty()) {
                algorithms = EnumSet.of(SigningAlgorithm.HS256);
            }
            for (SigningAlgorithm algorithm : algorithms) {
                if (!algorithm.isHmac()) {
                    throw parser.invalid(ConfigKeys.JWT_ALGORITHMS, "[" + algorithm + "] needs a public key, but ["
                            + ConfigKeys.JWT_SECRET + "] is an HMAC secret");
                }
                if (secret.length < algorithm.minimumSecretBytes()) {
                    throw parser.invalid(ConfigKeys.JWT_SECRET, "the secret has " + secret.length + " bytes; "
                            + algorithm + " needs at least " + algorithm.minimumSecretBytes());
                }
            }
        } else if (publicKeyText != null) {
            try {
                publicKey = PemKeys.parse(publicKeyText);
            } catch (IllegalArgumentException e) {
                throw parser.invalid(ConfigKeys.JWT_PUBLIC_KEY, e.getMessage());
            }
            if (algorithms.isEmpty()) {
                algorithms = EnumSet.of(PemKeys.inferAlgorithm(publicKey));
            }
            for (SigningAlgorithm algorithm : algorithms) {
                if (!PemKeys.fits(publicKey, algorithm)) {
                    throw parser.invalid(ConfigKeys.JWT_ALGORITHMS, "[" + algorithm + "] cannot be verified with the "
                            + publicKey.getAlgorithm() + " key of [" + ConfigKeys.JWT_PUBLIC_KEY + "]");
                }
            }
        } else {
            jwksUri = parseJwksUri(parser, jwksText);
            if (algorithms.isEmpty()) {
                algorithms = EnumSet.of(SigningAlgorithm.RS256);
            }
            for (SigningAlgorithm algorithm : algorithms) {
                if (algorithm.isHmac()) {
                    throw parser.invalid(ConfigKeys.JWT_ALGORITHMS, "[" + algorithm
                            + "] is an HMAC algorithm; a JWKS provides public keys only");
                }
            }
        }

        String issuer = parser.required(ConfigKeys.JWT_ISSUER);
        int skew = parser.integer(ConfigKeys.JWT_CLOCK_SKEW_SECONDS);
        int maxAge = parser.integer(ConfigKeys.JWT_MAX_AGE_SECONDS);
        Set<String> required = new LinkedHashSet<>();
        for (String claim : parser.list(ConfigKeys.JWT_REQUIRED_CLAIMS)) {
            // Top-level claims, as claims.principal: a URL-named claim (Auth0's form) is one name, its host's dots included.
            if (!isClaimPath(claim) || claim.contains(".") && !claim.contains("://")) {
                throw parser.illegal(ConfigKeys.JWT_REQUIRED_CLAIMS, claim, "claim names");
            }
            required.add(claim);
        }
        // exp and iat bound a token's life: they are always required, whatever the list says.
        required.add("exp");
        required.add("iat");
        String type = parser.optional(ConfigKeys.JWT_TYPE);
        if (type != null && !isMediaType(type)) {
            // The verifier, which compares the typ header with it, would refuse it only as it is built, in its own words.
            throw parser.illegal(ConfigKeys.JWT_TYPE, type, "a media type such as at+jwt or application/at+jwt, "
                    + "without a wildcard");
        }
        return new VerificationSettings(algorithms, secret, publicKey, jwksUri,
                parser.integer(ConfigKeys.JWT_JWKS_REFRESH_SECONDS),
                parser.integer(ConfigKeys.JWT_JWKS_MIN_REFRESH_SECONDS),
                issuer, parser.list(ConfigKeys.JWT_AUDIENCE), skew, maxAge, required, type);
    }

    /**
     * The bytes of a secret setting. A file's path is refused: {@code jwt.public-key} takes one, but a secret is the
     * text itself, so {@code /run/secrets/jwtgate-hmac-secret} would have signed with its path, which is no secret.
     */
    private static byte[] decodeSecret(SettingParser parser, String key, String text) {
        if (!text.startsWith(SecretKeys.BASE64_PREFIX) && looksLikeAPath(text)) {
            throw parser.invalid(key, "it is the path of a file (not shown), which would be the secret itself; write "
                    + "${file:/path} to use the file's contents (a secret that only looks like a path: write it base64:…)");
        }
        try {
            return SecretKeys.decode(text);
        } catch (IllegalArgumentException e) {
            throw parser.invalid(key, e.getMessage());
        }
    }

    /**
     * What the verifier compares the {@code typ} header with: {@code type/subtype}, or {@code subtype} (of {@code
     * application/}, RFC 7515 §4.1.9), optionally followed by {@code ;} parameters (which it ignores), each name visible
     * ASCII but separators; not the wildcard {@code *}.
     */
    private static boolean isMediaType(String type) {
        int semicolon = type.indexOf(';');
        String name = semicolon < 0 ? type : type.substring(0, semicolon);
        int slash = name.indexOf('/');
        String subtype = name.substring(slash + 1).strip();
        String mainType = slash < 0 ? "application" : name.substring(0, slash).strip();
        return MEDIA_TYPE_NAME.matcher(mainType).matches() && !mainType.equals("*")
                && MEDIA_TYPE_NAME.matcher(subtype).matches() && !subtype.equals("*");
    }

    /**
     * A file's path, whether the file is there or not: one that exists (a file or a directory), a relative one
     * ({@code ./}, {@code ../}, {@code ~/}: no base64 or hex secret starts so), a Windows drive's, or an absolute one under
     * an existing top directory or holding {@code .}, {@code -} or {@code _} ({@code /run/secrets/jwtgate-hmac-secret}
     * with the secret not mounted, whose text anyone reading the manifest knows). A random base64 secret starting with
     * {@code /} names no existing top directory and holds none of those.
     */
    private static boolean looksLikeAPath(String text) {
        if (text.startsWith("./") || text.startsWith("../") || text.startsWith("~/") || WINDOWS_PATH.matcher(text).matches()) {
            return true;
        }
        try {
            if (java.nio.file.Files.exists(java.nio.file.Path.of(text))) {
                return true;
            }
            int second = text.indexOf('/', 1);
            boolean absolute = text.startsWith("/") && second > 1 && text.chars().noneMatch(Character::isWhitespace);
            // Under an existing top directory, or holding '.', '-' or '_', which base64 never does (/vault/secrets/x
            // while Vault's injector has not run: no /vault).
            return absolute && (java.nio.file.Files.isDirectory(java.nio.file.Path.of(text.substring(0, second)))
                    || text.chars().anyMatch(c -> c == '.' || c == '-' || c == '_'));
        } catch (RuntimeException e) {
            return false; // not a path of this file system
        }
    }

    private static Set<SigningAlgorithm> parseAlgorithms(SettingParser parser) {
        Set<SigningAlgorithm> algorithms = EnumSet.noneOf(SigningAlgorithm.class);
        for (String name : parser.list(ConfigKeys.JWT_ALGORITHMS)) {
            if (name.equalsIgnoreCase("none")) {
                throw parser.illegal(ConfigKeys.JWT_ALGORITHMS, name, "signing algorithms; [none] is never accepted");
            }
            SigningAlgorithm algorithm = SigningAlgorithm.byConfiguredName(name);
            if (algorithm == null) {
                throw parser.illegal(ConfigKeys.JWT_ALGORITHMS, name, "JWS algorithms such as HS256, RS256, PS256, ES256, EdDSA");
            }
            algorithms.add(algorithm);
        }
        boolean hmac = algorithms.stream().anyMatch(SigningAlgorithm::isHmac);
        boolean publicKey = algorithms.stream().anyMatch(a -> !a.isHmac());
        if (hmac && publicKey) {
            throw parser.invalid(ConfigKeys.JWT_ALGORITHMS, "HMAC and public-key algorithms must never be mixed "
                    + "(a public key would become an HMAC secret)");
        }
        return algorithms;
    }

    private static URI parseJwksUri(SettingParser parser, String text) {
        refuseUserInfo(parser, ConfigKeys.JWT_JWKS_URI, text);
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw parser.illegal(ConfigKeys.JWT_JWKS_URI, text, "an https:, file: or loopback http: URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "https", "file" -> {
            }
            case "http" -> {
                if (!isLoopback(uri.getHost())) {
                    throw parser.illegal(ConfigKeys.JWT_JWKS_URI, text, "https: (http: is allowed for loopback only)");
                }
            }
            default -> throw parser.illegal(ConfigKeys.JWT_JWKS_URI, text, "an https:, file: or loopback http: URL");
        }
        if (!scheme.equals("file") && (uri.getHost() == null || uri.getHost().isEmpty())) {
            throw parser.illegal(ConfigKeys.JWT_JWKS_URI, text, "a URL with a host");
        }
        if (!scheme.equals("file") && !hasUsablePort(uri)) {
            // java.net.URI takes any digits: the fetch then failed on every try, and health stayed DOWN.
            throw parser.illegal(ConfigKeys.JWT_JWKS_URI, text, "a URL whose port, if given, is from 1 to 65535");
        }
        if (scheme.equals("file")) {
            // Unlike an identity provider's outage, a missing local file does not pass: say so at start.
            boolean readable;
            try {
                java.nio.file.Path file = java.nio.file.Path.of(uri);
                readable = java.nio.file.Files.isRegularFile(file) && java.nio.file.Files.isReadable(file);
            } catch (RuntimeException e) {
                readable = false; // not absolute (file:jwks.json), or not a path of this file system
            }
            if (!readable) {
                throw parser.illegal(ConfigKeys.JWT_JWKS_URI, text, "a file: URL of a readable file, absolute"
                        + " (file:///etc/jwtgate/jwks.json)");
            }
        }
        return uri;
    }

    /**
     * Refuses a URL with a user part ({@code user:password@}), without quoting it: it would print the password,
     * and these URLs are logged. Read from the text, not from java.net.URI, which reports no user part for a
     * host it cannot parse ({@code my_idp.example}).
     */
    private static void refuseUserInfo(SettingParser parser, String key, String url) {
        if (MaskedUrl.hasUserInfo(url)) {
            throw parser.invalid(key, "a URL with user:password@ is refused (it would be logged)");
        }
    }

    /** No port (-1), or one a connection can use: java.net.URI accepts 0 and any number above 65535. */
    private static boolean hasUsablePort(URI uri) {
        return uri.getPort() == -1 || uri.getPort() >= 1 && uri.getPort() <= 65535;
    }

    private static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        // Only literal addresses: a name lookup must not decide a security rule.
        if (!host.matches("[0-9.]+|\\[[0-9a-fA-F:]+]")) {
            return false;
        }
        try {
            return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    // ---- token, paths --------------------------------------------------------------------

    private static TokenSettings parseToken(SettingParser parser) {
        String header = parser.required(ConfigKeys.TOKEN_HEADER);
        if (!TOKEN_CHARS.matcher(header).matches()) {
            throw parser.illegal(ConfigKeys.TOKEN_HEADER, header, "an HTTP header name");
        }
        if (header.equalsIgnoreCase("Cookie")) {
            // Browsers send Cookie on their own, cross-site too: a token read from it passed as header-authenticated,
            // which csrf.mode exempts. A token in a cookie is token.cookie's.
            throw parser.illegal(ConfigKeys.TOKEN_HEADER, header, "a header the client sets itself, such as Authorization;"
                    + " a token in a cookie is read through [" + ConfigKeys.TOKEN_COOKIE + "]");
        }
        String cookie = parser.optional(ConfigKeys.TOKEN_COOKIE);
        if (cookie != null && !TOKEN_CHARS.matcher(cookie).matches()) {
            throw parser.illegal(ConfigKeys.TOKEN_COOKIE, cookie, "a cookie name, or empty to disable cookies");
        }
        int maxLength = parser.integer(ConfigKeys.TOKEN_MAX_LENGTH);
        int cacheSize = parser.integer(ConfigKeys.TOKEN_CACHE_SIZE);
        String principal = parser.required(ConfigKeys.CLAIMS_PRINCIPAL);
        // One top-level claim, never a path; a URL-named claim (Auth0's form) is one name, its host's dots included.
        if (!isClaimPath(principal) || principal.contains(".") && !principal.contains("://")) {
            throw parser.illegal(ConfigKeys.CLAIMS_PRINCIPAL, principal, "a claim name");
        }
        String roles = parser.required(ConfigKeys.CLAIMS_ROLES);
        if (!isClaimPath(roles)) {
            throw parser.illegal(ConfigKeys.CLAIMS_ROLES, roles, "a claim name or dotted path such as realm_access.roles");
        }
        return new TokenSettings(header, cookie, maxLength, cacheSize, principal, roles);
    }

    /**
     * Names of {@code [A-Za-z0-9_:/-]} joined by single dots. By hand, not by a regular expression: its repeated group
     * recursed once a segment, and a value of a few thousand dots overflowed the stack at start-up.
     */
    private static boolean isClaimPath(String value) {
        if (value.isEmpty() || value.charAt(0) == '.' || value.charAt(value.length() - 1) == '.' || value.contains("..")) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '_' || c == ':' || c == '/' || c == '-' || c == '.';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    private static PathRules parsePaths(SettingParser parser) {
        List<PathPattern> excluded = parsePatterns(parser, ConfigKeys.PATHS_EXCLUDE);
        List<PathPattern> optional = parsePatterns(parser, ConfigKeys.PATHS_OPTIONAL);
        List<RoleRule> roleRules = parseRoleRules(parser);
        // An excluded path is public, no token read, whatever rule paths.roles has for it: a rule an exclusion covers
        // wholly protects nothing (paths.exclude=/api/* and /api/admin/*=admin, or a JVM-wide JWTGATE_PATHS_EXCLUDE=/*,
        // left /api/admin open to anyone, nothing said). Partly covered ("*.css" with "/admin/*=admin"), as documented.
        for (RoleRule rule : roleRules) {
            for (PathPattern exclusion : excluded) {
                if (exclusion.covers(rule.pattern())) {
                    throw parser.invalid(ConfigKeys.PATHS_ROLES, "rule [" + rule + "] never applies: the pattern ["
                            + exclusion + "] of [" + ConfigKeys.PATHS_EXCLUDE + "] (from "
                            + parser.settings().origin(ConfigKeys.PATHS_EXCLUDE) + ") matches every path it does, and"
                            + " an excluded path is public, no token read (" + ConfigKeys.PATHS_EXCLUDE + " wins over "
                            + ConfigKeys.PATHS_ROLES + "): narrow the exclusion, or remove the rule");
                }
            }
        }
        return new PathRules(excluded, optional, roleRules);
    }

    private static List<PathPattern> parsePatterns(SettingParser parser, String key) {
        String value = parser.optional(key);
        try {
            return PathRules.parsePatterns(value);
        } catch (IllegalArgumentException e) {
            throw parser.illegal(key, value, "comma-separated /exact, /prefix/* or *.ext patterns: " + e.getMessage());
        }
    }

    private static List<RoleRule> parseRoleRules(SettingParser parser) {
        String value = parser.optional(ConfigKeys.PATHS_ROLES);
        try {
            return PathRules.parseRoleRules(value);
        } catch (IllegalArgumentException e) {
            throw parser.illegal(ConfigKeys.PATHS_ROLES, value, "/pattern=role|role;/pattern=role rules: " + e.getMessage());
        }
    }

    // ---- revocation, redis ---------------------------------------------------------------

    private static RevocationSettings parseRevocation(SettingParser parser, VerificationSettings verification) {
        String storeName = parser.choice(ConfigKeys.REVOCATION_STORE);
        RevocationSettings.StoreType store = RevocationSettings.StoreType.byConfigName(storeName);
        RevocationSettings.Mode mode = RevocationSettings.Mode.valueOf(
                parser.choice(ConfigKeys.REVOCATION_MODE).toUpperCase(Locale.ROOT));
        RevocationSettings.FailureMode failureMode = RevocationSettings.FailureMode.valueOf(
                parser.choice(ConfigKeys.REVOCATION_FAILURE_MODE).toUpperCase(Locale.ROOT));
        int minReplicas;
        if (parser.optional(ConfigKeys.REVOCATION_MIN_REPLICAS) == null) {
            minReplicas = store == RevocationSettings.StoreType.REDIS_CLUSTER ? 1 : 0;
        } else {
            minReplicas = parser.integer(ConfigKeys.REVOCATION_MIN_REPLICAS);
            if (minReplicas > 0 && !store.isRedis()) {
                throw parser.invalid(ConfigKeys.REVOCATION_MIN_REPLICAS, "[" + minReplicas
                        + "] replicas need a Redis store, but [" + ConfigKeys.REVOCATION_STORE + "] is [" + storeName + "]");
            }
        }
        if (store == RevocationSettings.StoreType.NONE && mode == RevocationSettings.Mode.ALLOWLIST) {
            throw parser.invalid(ConfigKeys.REVOCATION_MODE, "[allowlist] needs a store, but ["
                    + ConfigKeys.REVOCATION_STORE + "] is [none]");
        }
        if (store != RevocationSettings.StoreType.NONE && !verification.requiredClaims().contains("jti")) {
            throw parser.invalid(ConfigKeys.JWT_REQUIRED_CLAIMS, "revocation by token needs [jti]; add it or set ["
                    + ConfigKeys.REVOCATION_STORE + "] to [none]");
        }
        if (store != RevocationSettings.StoreType.NONE && !verification.requiredClaims().contains("sub")) {
            throw parser.invalid(ConfigKeys.JWT_REQUIRED_CLAIMS, "revocation by user needs [sub]; add it or set ["
                    + ConfigKeys.REVOCATION_STORE + "] to [none]");
        }
        return new RevocationSettings(store, mode, failureMode, minReplicas,
                parser.integer(ConfigKeys.REVOCATION_REPLICA_TIMEOUT_MS),
                parser.integer(ConfigKeys.REVOCATION_RETRY_AFTER_SECONDS),
                parser.bool(ConfigKeys.REVOCATION_NEAR_CACHE),
                parser.integer(ConfigKeys.REVOCATION_MAX_STALENESS_MS));
    }

    private static NearCacheSettings parseNearCache(SettingParser parser, RevocationSettings revocation) {
        return new NearCacheSettings(revocation.nearCache(), revocation.maxStalenessMs(),
                parser.integer(ConfigKeys.REVOCATION_NEAR_CACHE_CAPACITY),
                parser.integer(ConfigKeys.REVOCATION_NEAR_CACHE_RESYNC_SECONDS));
    }

    private static RedisSettings parseRedis(SettingParser parser, RevocationSettings revocation) {
        String nodesText = parser.optional(ConfigKeys.REDIS_NODES);
        if (!revocation.store().isRedis()) {
            if (nodesText != null) {
                throw parser.invalid(ConfigKeys.REDIS_NODES, "set, but [" + ConfigKeys.REVOCATION_STORE + "] is ["
                        + revocation.store().configName() + "]; set it to [redis-cluster] or [redis]");
            }
            redisSettings(parser, List.of()); // unused, but a bad value is refused all the same
            return null;
        }
        List<RedisNode> nodes;
        try {
            nodes = RedisNode.parseItems(parser.list(ConfigKeys.REDIS_NODES));
        } catch (IllegalArgumentException e) {
            // Not parser.illegal: the item is quoted without what may be a password (redis://:pw@host).
            throw parser.invalid(ConfigKeys.REDIS_NODES, e.getMessage());
        }
        if (nodes.isEmpty()) {
            throw new ConfigurationException("Missing required setting [" + ConfigKeys.REDIS_NODES + "] for ["
                    + ConfigKeys.REVOCATION_STORE + "=" + revocation.store().configName() + "] (e.g. 127.0.0.1:7000,127.0.0.1:7001)");
        }
        if (revocation.store() == RevocationSettings.StoreType.REDIS && nodes.size() != 1) {
            throw parser.invalid(ConfigKeys.REDIS_NODES, "[" + ConfigKeys.REVOCATION_STORE
                    + "=redis] takes exactly one host:port, got " + nodes.size());
        }
        return redisSettings(parser, nodes);
    }

    /** The nodes given, and every other redis.* setting, checked. */
    private static RedisSettings redisSettings(SettingParser parser, List<RedisNode> nodes) {
        String keyPrefix = parser.required(ConfigKeys.REDIS_KEY_PREFIX);
        if (keyPrefix.contains("{") || keyPrefix.contains("}") || keyPrefix.contains(" ")) {
            throw parser.illegal(ConfigKeys.REDIS_KEY_PREFIX, keyPrefix, "a prefix without braces or spaces");
        }
        String user = parser.optional(ConfigKeys.REDIS_USER);
        String password = parser.optional(ConfigKeys.REDIS_PASSWORD);
        if (user != null && password == null) {
            // Jedis sends AUTH only with a password: the user alone was ignored, and the connections ran as Redis's
            // default user (all rights, out of the box) instead of the ACL user meant.
            throw parser.invalid(ConfigKeys.REDIS_USER, "needs [" + ConfigKeys.REDIS_PASSWORD
                    + "]: without it Redis is not asked to authenticate and the connections run as the default user"
                    + " (for an ACL user with nopass, give any password)");
        }
        return new RedisSettings(nodes, keyPrefix,
                parser.integer(ConfigKeys.REDIS_TIMEOUT_MS),
                parser.integer(ConfigKeys.REDIS_MAX_ATTEMPTS),
                parser.integer(ConfigKeys.REDIS_POOL_SIZE),
                user,
                password,
                parser.bool(ConfigKeys.REDIS_SSL));
    }

    // ---- DPoP ----------------------------------------------------------------------------

    /** Shortest {@code dpop.nonce-secret}: the output size of HMAC-SHA256, as for {@code jwt.secret} with HS256. */
    static final int MIN_NONCE_SECRET_BYTES = 32;

    private static DpopSettings parseDpop(SettingParser parser, RevocationSettings revocation) {
        DpopSettings.Mode mode = DpopSettings.Mode.valueOf(parser.choice(ConfigKeys.DPOP_MODE).toUpperCase(Locale.ROOT));
        List<SigningAlgorithm> algorithms = parseDpopAlgorithms(parser);
        int maxAge = parser.integer(ConfigKeys.DPOP_PROOF_MAX_AGE_SECONDS);
        boolean nonceRequired = parser.choice(ConfigKeys.DPOP_NONCE).equals("required");
        int nonceLifetime = parser.integer(ConfigKeys.DPOP_NONCE_LIFETIME_SECONDS);
        String secretText = parser.optional(ConfigKeys.DPOP_NONCE_SECRET);
        String baseText = parser.optional(ConfigKeys.DPOP_PUBLIC_BASE_URL);
        if (mode == DpopSettings.Mode.OFF) {
            if (nonceRequired) {
                throw parser.invalid(ConfigKeys.DPOP_NONCE, "[required] needs DPoP, but [" + ConfigKeys.DPOP_MODE
                        + "] is [off]; set it to [allowed] or [required]");
            }
            if (baseText != null) {
                throw parser.invalid(ConfigKeys.DPOP_PUBLIC_BASE_URL, "set, but [" + ConfigKeys.DPOP_MODE + "] is [off]");
            }
        } else if (revocation.store() == RevocationSettings.StoreType.NONE) {
            // A proof's jti must be remembered to refuse its second use: without a store, any captured
            // proof could be replayed for its whole window.
            throw parser.invalid(ConfigKeys.DPOP_MODE, "[" + mode.name().toLowerCase(Locale.ROOT)
                    + "] remembers each proof's jti in the revocation store, but [" + ConfigKeys.REVOCATION_STORE
                    + "] is [none]; use [redis-cluster] (or [memory] for one instance)");
        }
        byte[] secret = null;
        if (nonceRequired) {
            if (secretText == null) {
                throw new ConfigurationException("Missing required setting [" + ConfigKeys.DPOP_NONCE_SECRET + "] for ["
                        + ConfigKeys.DPOP_NONCE + "=required] (the same secret on every instance; at least "
                        + MIN_NONCE_SECRET_BYTES + " bytes)");
            }
            secret = decodeSecret(parser, ConfigKeys.DPOP_NONCE_SECRET, secretText);
            if (secret.length < MIN_NONCE_SECRET_BYTES) {
                throw parser.invalid(ConfigKeys.DPOP_NONCE_SECRET, "the secret has " + secret.length
                        + " bytes; at least " + MIN_NONCE_SECRET_BYTES + " are needed");
            }
        } else if (secretText != null) {
            throw parser.invalid(ConfigKeys.DPOP_NONCE_SECRET, "set, but [" + ConfigKeys.DPOP_NONCE + "] is [off]");
        }
        URI base = baseText == null ? null : parsePublicBaseUrl(parser, baseText);
        return new DpopSettings(mode, algorithms, maxAge, nonceRequired, secret, nonceLifetime, base);
    }

    private static List<SigningAlgorithm> parseDpopAlgorithms(SettingParser parser) {
        List<SigningAlgorithm> algorithms = new ArrayList<>();
        for (String name : parser.list(ConfigKeys.DPOP_ALGORITHMS)) {
            if (name.equalsIgnoreCase("none")) {
                throw parser.illegal(ConfigKeys.DPOP_ALGORITHMS, name, "public-key JWS algorithms; [none] is never accepted");
            }
            SigningAlgorithm algorithm = SigningAlgorithm.byConfiguredName(name);
            if (algorithm == null) {
                throw parser.illegal(ConfigKeys.DPOP_ALGORITHMS, name, "JWS algorithms such as ES256, EdDSA, RS256, PS256");
            }
            if (algorithm.isHmac()) {
                // RFC 9449 §4.3: a proof is signed with the private key of the public key it carries.
                throw parser.illegal(ConfigKeys.DPOP_ALGORITHMS, name, "public-key algorithms; a DPoP proof is never "
                        + "signed with a shared secret");
            }
            if (!algorithms.contains(algorithm)) {
                algorithms.add(algorithm);
            }
        }
        if (algorithms.isEmpty()) {
            throw parser.illegal(ConfigKeys.DPOP_ALGORITHMS, String.valueOf(parser.optional(ConfigKeys.DPOP_ALGORITHMS)),
                    "at least one public-key JWS algorithm");
        }
        return algorithms;
    }

    /** {@code http(s)://host[:port]} with nothing else: the path compared is always the request's own. */
    private static URI parsePublicBaseUrl(SettingParser parser, String text) {
        String expected = "an origin such as https://api.example.com or https://api.example.com:8443 (no path, query or user)";
        refuseUserInfo(parser, ConfigKeys.DPOP_PUBLIC_BASE_URL, text);
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw parser.illegal(ConfigKeys.DPOP_PUBLIC_BASE_URL, text, expected);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean pathless = uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/");
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null || uri.getHost().isEmpty()
                || !pathless || uri.getRawQuery() != null || uri.getRawFragment() != null || !hasUsablePort(uri)) {
            throw parser.illegal(ConfigKeys.DPOP_PUBLIC_BASE_URL, text, expected);
        }
        try {
            return new URI(scheme, null, uri.getHost().toLowerCase(Locale.ROOT), uri.getPort(), null, null, null);
        } catch (URISyntaxException e) {
            throw parser.illegal(ConfigKeys.DPOP_PUBLIC_BASE_URL, text, expected);
        }
    }

    @Override
    public String toString() {
        return "JwtGateConfig[" + describe() + "]";
    }
}
