package org.jwtgate.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Every configuration key JwtGate knows, each with its one description ({@link Setting}: default,
 * range or format, secret or not, meaning). These names are a public contract: the same strings
 * work as web.xml init-params, {@code @WebInitParam} names, properties-file keys, system properties
 * ({@code jwtgate.<key>}) and environment variables ({@code JWTGATE_<KEY>}).
 *
 * <pre>{@code
 * @WebFilter(urlPatterns = "/*", asyncSupported = true,
 *         dispatcherTypes = {DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR}, initParams = {
 *         @WebInitParam(name = ConfigKeys.JWT_ISSUER, value = "https://login.example.com"),
 *         @WebInitParam(name = ConfigKeys.JWT_AUDIENCE, value = "my-app"),
 *         @WebInitParam(name = ConfigKeys.JWT_JWKS_URI, value = "https://login.example.com/jwks.json"),
 *         @WebInitParam(name = ConfigKeys.REVOCATION_STORE, value = "redis-cluster"),
 *         @WebInitParam(name = ConfigKeys.REDIS_NODES, value = "${env:REDIS_NODES}")})
 * public class AppJwtFilter extends JwtAuthFilter {
 * }
 * }</pre>
 *
 * @since 1.0.0
 */
public final class ConfigKeys {

    /** Exact JWS algorithm allowlist, a comma list such as {@code RS256,ES256}; unset: inferred from the key. */
    public static final String JWT_ALGORITHMS = "jwt.algorithms";
    /**
     * HMAC key: text (its UTF-8 bytes) or {@code base64:…}; a secret. One of the three key sources, with
     * {@link #JWT_PUBLIC_KEY} and {@link #JWT_JWKS_URI}.
     */
    public static final String JWT_SECRET = "jwt.secret";
    /** PEM public key or X.509 certificate, inline or a file path; one of the three key sources. */
    public static final String JWT_PUBLIC_KEY = "jwt.public-key";
    /** JWKS URL ({@code https:}, {@code file:}, or {@code http:} for loopback only); one of the three key sources. */
    public static final String JWT_JWKS_URI = "jwt.jwks-uri";
    /** Period of the scheduled JWKS refresh, in seconds. */
    public static final String JWT_JWKS_REFRESH_SECONDS = "jwt.jwks-refresh-seconds";
    /** Seconds that must pass since the last JWKS fetch began before an unknown {@code kid} refreshes the set. */
    public static final String JWT_JWKS_MIN_REFRESH_SECONDS = "jwt.jwks-min-refresh-seconds";
    /** Exact expected {@code iss}; required. */
    public static final String JWT_ISSUER = "jwt.issuer";
    /** Comma list: the token's {@code aud} must contain one of these; unset: {@code aud} is not checked. */
    public static final String JWT_AUDIENCE = "jwt.audience";
    /** Leeway for {@code exp}, {@code nbf} and {@code iat}, in seconds. */
    public static final String JWT_CLOCK_SKEW_SECONDS = "jwt.clock-skew-seconds";
    /**
     * Longest lifetime ({@code exp} − {@code iat}) or age a token may have, in seconds; also how far in the future its
     * {@code exp} may lie.
     */
    public static final String JWT_MAX_AGE_SECONDS = "jwt.max-age-seconds";
    /** Comma list of top-level claims every token must carry ({@code exp} and {@code iat} always). */
    public static final String JWT_REQUIRED_CLAIMS = "jwt.required-claims";
    /** If set, the media type the {@code typ} header must name, e.g. {@code at+jwt}. */
    public static final String JWT_TYPE = "jwt.type";

    /** Name of the header carrying {@code Bearer <token>}. */
    public static final String TOKEN_HEADER = "token.header";
    /** Name of the cookie carrying the token; empty disables cookies. */
    public static final String TOKEN_COOKIE = "token.cookie";
    /** Longest token accepted, in characters; a longer one is refused before any parsing. */
    public static final String TOKEN_MAX_LENGTH = "token.max-length";
    /** Entries of the verified-token cache; {@code 0} disables it. */
    public static final String TOKEN_CACHE_SIZE = "token.cache-size";

    /** Top-level claim that names the principal. */
    public static final String CLAIMS_PRINCIPAL = "claims.principal";
    /** Claim holding the roles, or a dotted path to a nested one ({@code realm_access.roles}). */
    public static final String CLAIMS_ROLES = "claims.roles";

    /** Public paths, where no token is read. */
    public static final String PATHS_EXCLUDE = "paths.exclude";
    /** Paths where a token is verified if present, and a request without one proceeds anonymously. */
    public static final String PATHS_OPTIONAL = "paths.optional";
    /** Rules naming the roles a path needs ({@code /admin/*=admin;/reports/*=analyst|admin}); 403 without one. */
    public static final String PATHS_ROLES = "paths.roles";

    /**
     * {@code origin}: cookie-authenticated unsafe requests and WebSocket handshakes must come from the same origin; or
     * {@code off}.
     */
    public static final String CSRF_MODE = "csrf.mode";

    /** DPoP (RFC 9449): {@code off}, {@code allowed} or {@code required}. */
    public static final String DPOP_MODE = "dpop.mode";
    /** JWS algorithms a DPoP proof may use; public-key algorithms only. */
    public static final String DPOP_ALGORITHMS = "dpop.algorithms";
    /** Oldest {@code iat} a DPoP proof may have, in seconds. */
    public static final String DPOP_PROOF_MAX_AGE_SECONDS = "dpop.proof-max-age-seconds";
    /** {@code required}: DPoP proofs must carry a server-issued {@code nonce} (RFC 9449 §8); or {@code off}. */
    public static final String DPOP_NONCE = "dpop.nonce";
    /** HMAC key of the DPoP nonces, at least 32 bytes, the same on every instance; a secret. */
    public static final String DPOP_NONCE_SECRET = "dpop.nonce-secret";
    /** How long a DPoP nonce is accepted, in seconds. */
    public static final String DPOP_NONCE_LIFETIME_SECONDS = "dpop.nonce-lifetime-seconds";
    /**
     * The origin clients call, which a DPoP proof's {@code htu} is compared with; unset: the request's own scheme, host
     * and port.
     */
    public static final String DPOP_PUBLIC_BASE_URL = "dpop.public-base-url";

    /** Where revocations live: {@code redis-cluster}, {@code redis}, {@code memory} or {@code none}; required. */
    public static final String REVOCATION_STORE = "revocation.store";
    /** {@code denylist}, or {@code allowlist}: a token is accepted only while its registration exists. */
    public static final String REVOCATION_MODE = "revocation.mode";
    /**
     * Store unreachable: {@code closed} answers 503 with {@code Retry-After}, {@code open} lets the request through
     * with a WARN audit line.
     */
    public static final String REVOCATION_FAILURE_MODE = "revocation.failure-mode";
    /** Replicas {@code WAIT} must confirm before a revocation is durable. */
    public static final String REVOCATION_MIN_REPLICAS = "revocation.min-replicas";
    /** How long {@code WAIT} may take, in milliseconds. */
    public static final String REVOCATION_REPLICA_TIMEOUT_MS = "revocation.replica-timeout-ms";
    /** {@code Retry-After} of a 503, in seconds. */
    public static final String REVOCATION_RETRY_AFTER_SECONDS = "revocation.retry-after-seconds";
    /**
     * Whether revocation checks are answered from local state kept current by Redis pub/sub, while it is provably
     * fresh.
     */
    public static final String REVOCATION_NEAR_CACHE = "revocation.near-cache";
    /** The oldest local state a near-cache check may be answered from, in milliseconds. */
    public static final String REVOCATION_MAX_STALENESS_MS = "revocation.max-staleness-ms";
    /** Revocations the near-cache holds exactly; more go to a Bloom filter. */
    public static final String REVOCATION_NEAR_CACHE_CAPACITY = "revocation.near-cache.capacity";
    /** Period of the near-cache's full reload from Redis, in seconds. */
    public static final String REVOCATION_NEAR_CACHE_RESYNC_SECONDS = "revocation.near-cache.resync-seconds";

    /** Redis seed nodes, {@code host:port,…} (one node for the {@code redis} store). */
    public static final String REDIS_NODES = "redis.nodes";
    /** Prefix of every Redis key. */
    public static final String REDIS_KEY_PREFIX = "redis.key-prefix";
    /** Redis connect and read timeout, and pool wait, in milliseconds. */
    public static final String REDIS_TIMEOUT_MS = "redis.timeout-ms";
    /** Attempts of a cluster command (redirects, retries). */
    public static final String REDIS_MAX_ATTEMPTS = "redis.max-attempts";
    /** Redis connections per node. */
    public static final String REDIS_POOL_SIZE = "redis.pool-size";
    /** Redis ACL user; needs {@link #REDIS_PASSWORD}. */
    public static final String REDIS_USER = "redis.user";
    /** Redis password; a secret, never logged. */
    public static final String REDIS_PASSWORD = "redis.password";
    /** Whether JwtGate speaks TLS to Redis. */
    public static final String REDIS_SSL = "redis.ssl";

    /** Whether the MBeans {@code org.jwtgate:type=…} are registered on the platform MBean server. */
    public static final String METRICS_JMX = "metrics.jmx";
    /** {@code auto}: with Micrometer on the class path, the {@code jwtgate.*} meters are registered; or {@code off}. */
    public static final String METRICS_MICROMETER = "metrics.micrometer";

    /** Realm in {@code WWW-Authenticate}. */
    public static final String REALM = "realm";
    /** Path of a properties file with any of these keys. */
    public static final String CONFIG_FILE = "config.file";

    /** Prefix of system properties: {@code jwtgate.jwt.issuer}. */
    public static final String SYSTEM_PROPERTY_PREFIX = "jwtgate.";
    /** Prefix of environment variables: {@code JWTGATE_JWT_ISSUER}. */
    public static final String ENVIRONMENT_PREFIX = "JWTGATE_";

    /** Every setting, in documentation order: the one place each is described. */
    private static final List<Setting> SETTINGS = List.of(
        Setting.text(JWT_ALGORITHMS, null, "comma list",
                "exact JWS allowlist, e.g. `RS256,ES256`. `none` is refused; HMAC and public-key algorithms never mix. Inferred: `HS256` for a secret; `RS256`, `PS256` (an RSA-PSS key; `PS384`/`PS512` for one restricted to those), `ES256/384/512` or `EdDSA` from the public key; `RS256` for a JWKS")
                .documentDefaultAs("inferred from the key"),
        Setting.text(JWT_SECRET, null, "text, or `base64:…`",
                "HMAC key: text is its UTF-8 bytes, even when it reads as base64 or hex (an issuer that decodes its secret needs `base64:`; hex: `xxd -r -p | base64 | tr -d '\\n'`); shorter than the algorithm's hash (32/48/64 bytes) refuses to start, and so do a PEM or a public key or certificate in base64 without its armour (a public key goes in `jwt.public-key`), a JWK or JWK set, as text or in `base64:` (a key server's keys go in `jwt.jwks-uri`), a PEM or a JWK base64-encoded, as text or in `base64:`, a file's path, whether the file is there or not (write `${file:/path}`), and a `base64:` value whose last character holds bits no byte uses (most keys cut short in a copy)")
                .require(Setting.Requirement.ONE_KEY_SOURCE)
                .asSecret(),
        Setting.text(JWT_PUBLIC_KEY, null, "PEM or file path",
                "PEM `PUBLIC KEY` (RSA ≥ 2048 bits with an odd public exponent ≥ 3 and a modulus no one factors at sight (not even, prime, a square or with a small factor: anyone might sign), EC P-256/384/521 whose point is on its curve, Ed25519 not of small order; an RSA key marked RSA-PSS, as `openssl genpkey -algorithm RSA-PSS` writes, verifies `PS*` only, and only its own when its parameters name one) or X.509 `CERTIFICATE` (of a chain, the first, which must be the token signer's: one that issued a later certificate of another key refuses to start; only its key is used: its validity dates, key usage and issuer are not checked, so an expired certificate's key still verifies), inline (line breaks may be written `\\n`, as in an environment variable) or a file path; one key: a second `PUBLIC KEY` or any private key refuses to start")
                .require(Setting.Requirement.ONE_KEY_SOURCE),
        Setting.text(JWT_JWKS_URI, null, "URL",
                "JWKS URL: `https:`, `file:` (an absolute path to a readable regular file, checked again at each fetch: a named pipe or a device the path names later is refused, the keys held kept), or `http:` for loopback only; no `user:password@`; a port, if given, from 1 to 65535. Fetched at start, refreshed on a schedule and on an unknown `kid` (rate-limited)."
                        + " A set holding no key that can verify a token of `jwt.algorithms` (none, or only symmetric keys,"
                        + " keys published with their private part (`d`, or an RSA key's `p`, `q`, `dp`, `dq`, `qi`, `oth`), `\"use\":\"enc\"`, `key_ops` without `verify`, RSA below 2048 bits or with a public exponent below 3 or even, an RSA key whose modulus is even, prime, a square or has a small factor and an OKP key of small order (for which anyone may sign: a WARN names them beside usable keys), an EC key whose point is not on its curve, another `alg`, type or curve)"
                        + " holds none: every token gets 503 and health is `DOWN`, with a WARN saying why")
                .require(Setting.Requirement.ONE_KEY_SOURCE),
        Setting.number(JWT_JWKS_REFRESH_SECONDS, 300, 10, 86_400,
                "scheduled JWKS refresh period once a fetch succeeded; after a failed one (key server down, an error status, a set without a usable key) the next try comes after `jwt.jwks-min-refresh-seconds`"),
        Setting.number(JWT_JWKS_MIN_REFRESH_SECONDS, 30, 1, 3600,
                "an unknown `kid` refreshes the set only when no fetch (at start, scheduled or for a `kid`, one its request thread's interrupt ended included) began within this interval; "
                        + "while one runs, it waits for it (16 requests at most; more get 503 at once); "
                        + "also the delay of the next scheduled try after a failed fetch (at most `jwt.jwks-refresh-seconds`), until one succeeds "
                        + "(meanwhile a `kid` the set held lacks gets 503 at once, waiting for no fetch under way)"),
        Setting.text(JWT_ISSUER, null, "text",
                "exact expected `iss`")
                .require(Setting.Requirement.REQUIRED),
        Setting.text(JWT_AUDIENCE, null, "comma list",
                "the token's `aud` must contain one of these; unset, `aud` is not checked: any token the issuer signs with these keys is accepted, one meant for another API or client of the same issuer too (set it, and `jwt.type`, e.g. `at+jwt`, to refuse ID tokens)"),
        Setting.number(JWT_CLOCK_SKEW_SECONDS, 30, 0, 300,
                "leeway for `exp`/`nbf`/`iat`"),
        Setting.number(JWT_MAX_AGE_SECONDS, 86400, 60, 31_622_400,
                "refuse tokens whose lifetime (`exp` − `iat`) or age exceeds this, and any `exp` further in the future"
                        + " (with `jwt.clock-skew-seconds` of leeway)"),
        Setting.text(JWT_REQUIRED_CLAIMS, "sub,exp,iat,jti", "comma list",
                "claims that must be present (`exp` and `iat` always are; revocation needs `sub` and `jti`, which may then not be empty or blank strings); top-level claims, not paths: a URL-named claim (`https://myapp.example.com/tenant`) is one name"),
        Setting.text(JWT_TYPE, null, "text",
                "if set, the `typ` header must name this media type (e.g. `at+jwt`; case aside, `application/at+jwt` names it too); a wildcard or a value that is no media type refuses to start"),
        Setting.text(TOKEN_HEADER, "Authorization", "header name",
                "header carrying `Bearer <token>` (scheme case-insensitive), read as the application sees it: when another filter's request wrapper before JwtGate changes it through `getHeader` or `getHeaders` alone, the changed answer (`getHeader`'s when both are changed; two such headers on the request still make it malformed); not `Cookie`, which browsers send on their own (a cookie is `token.cookie`'s)"),
        Setting.text(TOKEN_COOKIE, "access_token", "cookie name",
                "cookie carrying the token; empty disables cookies"),
        Setting.number(TOKEN_MAX_LENGTH, 8192, 64, 1_048_576,
                "longer tokens are refused before any parsing; the container's request-header limit comes first (8 KiB for the request line and every header by default: Tomcat answers 400, Jetty 431): raise it with this setting (Tomcat's `maxHttpHeaderSize` on the `<Connector>`, Jetty's `jetty.httpConfig.requestHeaderSize`)"),
        Setting.number(TOKEN_CACHE_SIZE, 10000, 0, 10_000_000,
                "verified-token cache entries (0 disables), each about 5× its token's size in heap, up to 20× for claims of many"
                        + " small objects (1.5 GB at 10000 for tokens of 8 KiB); see"
                        + " [the verified-token cache](performance.md#verified-token-cache)"),
        Setting.text(CLAIMS_PRINCIPAL, "sub", "claim name",
                "claim that names the principal: a top-level claim, not a path; a URL-named claim (`https://myapp.example.com/username`) is one name"),
        Setting.text(CLAIMS_ROLES, "groups", "claim or dotted path",
                "claim holding roles: JSON array or space/comma separated (a string is split: `\"Domain Admins\"` is the roles `Domain` and `Admins`, so an issuer whose group names hold spaces must send an array); dotted path for nested, e.g. `realm_access.roles`; a URL-named claim (`https://myapp.example.com/roles`) is one name"),
        Setting.text(PATHS_EXCLUDE, null, "comma list of `/exact`, `/prefix/*`, `*.ext`",
                "public paths: no token is read, even where `paths.roles` covers the path too (`*.css` with `/admin/*=admin`: `/admin/site.css` is public; a rule an exclusion covers wholly, as `/api/*` covers `/api/admin/*=admin`, would protect nothing and is refused, naming both settings and where each was set); a `*.ext` pattern (here and in `paths.optional`) covers only what the container serves by an extension mapping, the default servlet or a servlet on `/*`, not a servlet's exact or prefix mapping (`/admin/users.css` to a `/admin/*` servlet needs its token and roles): with a front controller that answers every path (a servlet on `/`, as Spring's `DispatcherServlet` is mapped, or on `/*`, or a filter that answers requests itself, as Jersey, Struts 2 or Wicket do as filters), the container's mapping is the default servlet's or `/*`, so write prefixes (`/static/*`) instead"),
        Setting.text(PATHS_OPTIONAL, null, "same",
                "a token is verified if present; without one the request proceeds anonymously"),
        Setting.text(PATHS_ROLES, null, "`/admin/*=admin;/reports/*=analyst\\|admin`",
                "403 without one of the roles (first matching rule applies; a rule an earlier one covers with other roles, as `/*=user` covers `/admin/*=admin`, is refused: write the narrower first; the first match, not the most specific as in a servlet security-constraint: `*.pdf=user;/admin/*=admin` lets `user` read `/admin/salaries.pdf`, so write `/admin/*=admin;*.pdf=user` when that is not meant; `/api/admin/` needs an exact `/api/admin` rule's roles as well, unless a rule is written for it (`/api/admin/` or `/api/admin/*`): JAX-RS and Spring MVC serve it as the same resource; a directory URL such as `/reports/` needs the roles of the welcome files the container may serve for it too (`/reports/index.html`: each of `WEB-INF/web.xml`'s welcome files, else of `index.html`, `index.htm`, `index.jsp`, that exists, or every one's when a file servlet finding its own serves it), unless an application's servlet on a path of its own serves it: Jetty's default servlet serves the file without the filter seeing its path)"),
        Setting.choice(CSRF_MODE, "origin", List.of("origin", "off"),
                "cookie-authenticated requests of any method but GET, HEAD, OPTIONS and TRACE (POST, PUT, PATCH, DELETE, CONNECT, WebDAV's, unknown ones), and cookie-authenticated WebSocket handshakes (an `Upgrade` naming `websocket`), must come from the same origin (`Sec-Fetch-Site`, else `Origin`, else `Referer`) or get 403; header-authenticated requests are exempt"),
        Setting.choice(DPOP_MODE, "off", List.of("off", "allowed", "required"),
                "DPoP (RFC 9449). `allowed`: a DPoP-bound token (`cnf.jkt`) must come as `Authorization: DPoP` with a valid `DPoP` proof, bearer tokens still pass; `required`: only DPoP-bound tokens with a proof; `off`: no DPoP, `cnf.jkt` ignored. A certificate binding (`cnf.x5t#S256`, RFC 8705) is checked in every mode ([certificate-bound tokens](security.md#certificate-bound-tokens-rfc-8705)). Needs a `revocation.store` other than `none` (one-time proofs); see [DPoP](security.md#dpop-sender-constrained-tokens)"),
        Setting.text(DPOP_ALGORITHMS, "ES256,EdDSA,RS256,PS256", "comma list",
                "JWS algorithms a DPoP proof may use, sent as `algs` in challenges; public-key algorithms only (`none` and HMAC are refused); an RSA proof key must have 2048–4096 bits and an odd public exponent of at most 32 bits; an EdDSA proof key of small order (the identity and its kin, for which anyone can sign) is refused"),
        Setting.number(DPOP_PROOF_MAX_AGE_SECONDS, 60, 5, 3600,
                "oldest `iat` a proof may have (and at most `jwt.clock-skew-seconds` ahead); its `jti` is remembered this long plus twice the skew and one second"),
        Setting.choice(DPOP_NONCE, "off", List.of("off", "required"),
                "`required`: proofs must carry a server-issued `nonce` (RFC 9449 §8), else `use_dpop_nonce` with a fresh `DPoP-Nonce`; stateless, accepted by every instance with the same `dpop.nonce-secret`"),
        Setting.text(DPOP_NONCE_SECRET, null, "text, or `base64:…`",
                "HMAC key of the nonces, at least 32 bytes; needed by `dpop.nonce=required`; the same on every instance")
                .asSecret(),
        Setting.number(DPOP_NONCE_LIFETIME_SECONDS, 300, 10, 86_400,
                "how long a nonce is accepted; an answer carries a fresh one (`DPoP-Nonce`) once the one used is half that old"),
        Setting.text(DPOP_PUBLIC_BASE_URL, null, "`https://host[:port]` (or `http://`)",
                "the origin clients call: `htu` is compared with it plus the request's path, as the application receives it; unset: the request's own scheme, `Host` and port, as the container reports them (behind a proxy, set this; set it also when other services accept the same tokens, or a client names the origin in `Host`)"),
        Setting.choice(REVOCATION_STORE, null, List.of("redis-cluster", "redis", "memory", "none"),
                "where revocations live; `none` logs a WARN at start-up")
                .require(Setting.Requirement.REQUIRED),
        Setting.choice(REVOCATION_MODE, "denylist", List.of("denylist", "allowlist"),
                "allowlist: a token is accepted only while its registration exists"),
        Setting.choice(REVOCATION_FAILURE_MODE, "closed", List.of("closed", "open"),
                "store unreachable: 503 + `Retry-After` (closed), or let the request through with a WARN audit line (open); a"
                        + " token the near-cache holds as revoked gets 401 either way"),
        Setting.number(REVOCATION_MIN_REPLICAS, null, 0, 16,
                "a revocation is durable only when `WAIT` confirms this many replicas")
                .documentDefaultAs("`1` for `redis-cluster`, else `0`"),
        Setting.number(REVOCATION_REPLICA_TIMEOUT_MS, 200, 1, 60_000,
                "how long `WAIT` may take"),
        Setting.number(REVOCATION_RETRY_AFTER_SECONDS, 5, 1, 3600,
                "`Retry-After` of a 503"),
        Setting.bool(REVOCATION_NEAR_CACHE, true,
                "answer revocation checks from local state kept current by Redis pub/sub, while it is provably fresh (Redis stores, `denylist` mode; not used with `allowlist`); see [the near-cache](revocation.md#the-near-cache)"),
        Setting.number(REVOCATION_MAX_STALENESS_MS, 100, 1, 60_000,
                "the oldest local state a check may be answered from; also how long a revocation call waits after its announcement. Use the same value on every instance"),
        Setting.number(REVOCATION_NEAR_CACHE_CAPACITY, 100000, 1, 50_000_000,
                "revocations held exactly; more go to a Bloom filter whose hits are confirmed in Redis"),
        Setting.number(REVOCATION_NEAR_CACHE_RESYNC_SECONDS, 300, 10, 86_400,
                "period of the near-cache's full reload from Redis (±10 % jitter)"),
        Setting.text(REDIS_NODES, null, "`host:port,…`",
                "cluster seed nodes (one node for `redis`), all of one cluster (seeds of two refuse to start); a host name or address, not a URL: credentials go in `redis.user`/`redis.password`, TLS in `redis.ssl`")
                .require(Setting.Requirement.WITH_REDIS_STORE),
        Setting.text(REDIS_KEY_PREFIX, "jwtgate:", "text without `{}` or spaces",
                "prefix of every key"),
        Setting.number(REDIS_TIMEOUT_MS, 500, 10, 60_000,
                "connect/read timeout and pool wait"),
        Setting.number(REDIS_MAX_ATTEMPTS, 3, 1, 10,
                "cluster command attempts (redirects, retries)"),
        Setting.number(REDIS_POOL_SIZE, 16, 1, 1024,
                "connections per node"),
        Setting.text(REDIS_USER, null, "text",
                "Redis ACL user; needs `redis.password` (any one for a `nopass` user)"),
        Setting.text(REDIS_PASSWORD, null, "text",
                "Redis password; never logged")
                .asSecret(),
        Setting.bool(REDIS_SSL, false,
                "TLS to Redis"),
        Setting.bool(METRICS_JMX, true,
                "register the MBeans `org.jwtgate:type=…,filter=<name>` on the platform MBean server; see [monitoring](monitoring.md#jmx)"),
        Setting.choice(METRICS_MICROMETER, "auto", List.of("auto", "off"),
                "`auto`: with Micrometer on the class path, register the `jwtgate.*` meters in the `MeterRegistry` the ServletContext attribute `io.micrometer.core.instrument.MeterRegistry` holds, else in Micrometer's global registry"),
        Setting.text(REALM, "jwtgate", "printable ASCII, no quotes or backslashes",
                "realm in `WWW-Authenticate`"),
        Setting.text(CONFIG_FILE, null, "path",
                "properties file with any of these keys"));

    /**
     * The text settings read as comma lists ({@link SettingParser#list}, which refuses any other key): a value's items
     * are what it means, so the loader compares {@code a, b} and {@code a,b} alike. The path settings, lists too, have
     * parsers of their own.
     */
    private static final Set<String> LISTS = Set.of(JWT_ALGORITHMS, JWT_AUDIENCE, JWT_REQUIRED_CLAIMS, DPOP_ALGORITHMS,
            REDIS_NODES);

    private static final Map<String, Setting> BY_KEY = index(SETTINGS);

    private ConfigKeys() {
    }

    private static Map<String, Setting> index(List<Setting> settings) {
        Map<String, Setting> byKey = new LinkedHashMap<>();
        for (Setting setting : settings) {
            if (byKey.put(setting.key(), setting) != null) {
                throw new IllegalStateException("Setting described twice: " + setting.key());
            }
        }
        for (String list : LISTS) {
            Setting setting = byKey.get(list);
            if (setting == null || setting.isNumber() || setting.isChoice()) {
                throw new IllegalStateException("Comma list not described as a text setting: " + list);
            }
        }
        return Collections.unmodifiableMap(byKey);
    }

    /**
     * Every setting with its description, in documentation order.
     *
     * @return an unmodifiable list of every setting, one per key
     */
    public static List<Setting> settings() {
        return SETTINGS;
    }

    /**
     * The description of a key: default, range or choices, format, secret or not, meaning.
     *
     * @param key a setting's name, such as {@code jwt.issuer}
     * @return its setting; never null
     * @throws IllegalArgumentException for an unknown key
     */
    public static Setting setting(String key) {
        Setting setting = BY_KEY.get(key);
        if (setting == null) {
            throw new IllegalArgumentException("Unknown setting [" + key + "]");
        }
        return setting;
    }

    /**
     * All known keys, in documentation order.
     *
     * @return an unmodifiable set of the setting names
     */
    public static Set<String> all() {
        return BY_KEY.keySet();
    }

    /**
     * Whether JwtGate knows a key, as an init-param name (not the system property or variable form).
     *
     * @param key the name to look up, case-sensitive
     * @return {@code true} for one of this class's keys
     */
    public static boolean isKnown(String key) {
        return BY_KEY.containsKey(key);
    }

    /**
     * The default value of a key, as text.
     *
     * @param key a setting's name
     * @return its default, or {@code null} when it has none or the key is unknown
     */
    public static String defaultValue(String key) {
        Setting setting = BY_KEY.get(key);
        return setting == null ? null : setting.defaultValue();
    }

    /**
     * Whether a key is read as a comma list ({@link SettingParser#list}).
     *
     * @param key a setting's name
     * @return {@code true} for a comma list; {@code false} also for an unknown key
     */
    static boolean isList(String key) {
        return LISTS.contains(key);
    }

    /**
     * Whether a key holds a secret: secrets are never printed, logged or put in an exception message.
     *
     * @param key a setting's name
     * @return {@code true} for a secret; {@code false} also for an unknown key
     */
    public static boolean isSecret(String key) {
        Setting setting = BY_KEY.get(key);
        return setting != null && setting.secret();
    }

    /**
     * The environment variable that sets a key: {@code jwt.clock-skew-seconds} →
     * {@code JWTGATE_JWT_CLOCK_SKEW_SECONDS}.
     *
     * @param key a setting's name
     * @return {@code JWTGATE_} and the key in upper case, {@code .} and {@code -} as {@code _}
     */
    public static String environmentName(String key) {
        return ENVIRONMENT_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * The system property that sets a key: {@code jwt.issuer} → {@code jwtgate.jwt.issuer}.
     *
     * @param key a setting's name
     * @return {@code jwtgate.} followed by the key
     */
    public static String systemPropertyName(String key) {
        return SYSTEM_PROPERTY_PREFIX + key;
    }

    /**
     * The known key closest to a misspelt one, for a "did you mean" hint; case and {@code _} for {@code .} aside.
     *
     * @param unknown the name that was given
     * @return the nearest key, or {@code null} when none is close
     */
    public static String nearest(String unknown) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String probe = unknown.toLowerCase(Locale.ROOT).replace('_', '.');
        for (String key : BY_KEY.keySet()) {
            int distance = Levenshtein.distance(probe, key);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = key;
            }
        }
        return bestDistance <= Math.max(2, probe.length() / 4) ? best : null;
    }
}
