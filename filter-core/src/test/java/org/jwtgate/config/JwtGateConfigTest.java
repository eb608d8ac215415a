package org.jwtgate.config;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.jwtgate.testkit.tokens.Certificates;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * One case per invalid configuration: each must stop start-up with a {@link ConfigurationException}
 * whose message names the key (and the bad value, unless it is a secret).
 */
class JwtGateConfigTest {

    /** Appears in every secret these tests configure: it must never reach a message. */
    private static final String SECRET_MARKER = "S3CR3T";
    private static final String SECRET = SECRET_MARKER + "-0123456789abcdefghijklmnopqrstuv";

    private static String rsaPem;
    private static String ecPem;
    private static String weakRsaPem;
    /** RFC 4055 keys restricted to RSA-PSS signatures: one left open, one bound to PS384's parameters. */
    private static String pssPem;
    private static String pss384Pem;
    private static String dsaPem;
    private static String ed448Pem;
    /** The RSA public key as a key server publishes it: one JWK, and its set (what jwt.jwks-uri answers anyone). */
    private static String rsaJwk;
    private static String rsaJwks;

    @BeforeAll
    static void keys() throws Exception {
        rsaPem = TestTokens.pem(TestTokens.rsaKeyPair());
        ecPem = TestTokens.pem(TestTokens.ecKeyPair("secp256r1"));
        KeyPairGenerator weak = KeyPairGenerator.getInstance("RSA");
        weak.initialize(1024);
        weakRsaPem = TestTokens.pem(weak.generateKeyPair());
        pssPem = TestTokens.pem(pssKeyPair(null));
        pss384Pem = TestTokens.pem(pssKeyPair(new java.security.spec.PSSParameterSpec("SHA-384", "MGF1",
                java.security.spec.MGF1ParameterSpec.SHA384, 48, 1)));
        dsaPem = TestTokens.pem(KeyPairGenerator.getInstance("DSA").generateKeyPair());
        ed448Pem = TestTokens.pem(KeyPairGenerator.getInstance("Ed448").generateKeyPair());
        org.jose4j.jwk.PublicJsonWebKey jwk = org.jose4j.jwk.PublicJsonWebKey.Factory.newPublicJwk(
                TestTokens.rsaKeyPair().getPublic());
        jwk.setKeyId("k1");
        rsaJwk = jwk.toJson();
        rsaJwks = new org.jose4j.jwk.JsonWebKeySet(List.<org.jose4j.jwk.JsonWebKey>of(jwk)).toJson();
    }

    static java.security.KeyPair pssKeyPair(java.security.spec.PSSParameterSpec parameters) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSASSA-PSS");
        generator.initialize(new java.security.spec.RSAKeyGenParameterSpec(2048,
                java.security.spec.RSAKeyGenParameterSpec.F4, parameters));
        return generator.generateKeyPair();
    }

    /** A minimal valid configuration: HMAC secret, issuer, in-memory revocation. */
    static Map<String, String> valid() {
        Map<String, String> settings = new HashMap<>();
        settings.put(ConfigKeys.JWT_SECRET, SECRET);
        settings.put(ConfigKeys.JWT_ISSUER, TestTokens.ISSUER);
        settings.put(ConfigKeys.REVOCATION_STORE, "memory");
        return settings;
    }

    private static String resourcePath(String name) {
        try {
            return java.nio.file.Path.of(JwtGateConfigTest.class.getResource("/" + name).toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String failureMessage(Map<String, String> settings) {
        return assertThrows(ConfigurationException.class, () -> JwtGateConfig.of(settings)).getMessage();
    }

    static Consumer<Map<String, String>> set(String... keyValues) {
        return settings -> {
            for (int i = 0; i < keyValues.length; i += 2) {
                if (keyValues[i + 1] == null) {
                    settings.remove(keyValues[i]);
                } else {
                    settings.put(keyValues[i], keyValues[i + 1]);
                }
            }
        };
    }

    private static Arguments invalid(String description, Consumer<Map<String, String>> change, String... mustMention) {
        return Arguments.of(description, change, List.of(mustMention));
    }

    static Stream<Arguments> invalidConfigurations() {
        return Stream.of(
                invalid("jwt.issuer missing", set(ConfigKeys.JWT_ISSUER, null), "[jwt.issuer]"),
                invalid("jwt.issuer blank", set(ConfigKeys.JWT_ISSUER, "  "), "[jwt.issuer]"),
                invalid("no key source", set(ConfigKeys.JWT_SECRET, null),
                        "[jwt.secret]", "[jwt.public-key]", "[jwt.jwks-uri]"),
                invalid("secret and jwks-uri", set(ConfigKeys.JWT_JWKS_URI, "https://idp.example/jwks"),
                        "[jwt.secret]", "[jwt.jwks-uri]"),
                invalid("secret and public key", set(ConfigKeys.JWT_PUBLIC_KEY, "-----BEGIN PUBLIC KEY-----"),
                        "[jwt.secret]", "[jwt.public-key]"),
                invalid("HS256 secret of 31 bytes", set(ConfigKeys.JWT_SECRET, SECRET.substring(0, 31)),
                        "[jwt.secret]", "31 bytes", "HS256"),
                invalid("HS384 secret of 47 bytes", set(ConfigKeys.JWT_SECRET, SECRET + "x".repeat(47 - SECRET.length()),
                        ConfigKeys.JWT_ALGORITHMS, "HS384"), "[jwt.secret]", "HS384", "48"),
                invalid("HS512 secret of 63 bytes", set(ConfigKeys.JWT_SECRET, SECRET + "x".repeat(63 - SECRET.length()),
                        ConfigKeys.JWT_ALGORITHMS, "HS256,HS512"), "[jwt.secret]", "HS512", "64"),
                invalid("base64 secret too short once decoded",
                        set(ConfigKeys.JWT_SECRET, "base64:" + Base64.getEncoder().encodeToString(new byte[16])),
                        "[jwt.secret]", "16 bytes"),
                invalid("base64 secret not decodable", set(ConfigKeys.JWT_SECRET, "base64:" + SECRET_MARKER + "!!!"),
                        "[jwt.secret]", "base64"),
                // Taken as text it would pass the length check, and every token would then be refused.
                // The issuer's public key pasted as the HMAC secret: anyone could sign HS256 tokens with it (it is public).
                invalid("a public key's PEM as the HMAC secret", set(ConfigKeys.JWT_SECRET, "@rsa"), "[jwt.secret]", "PEM",
                        "[jwt.public-key]"),
                // Its base64 body without the armour, as Keycloak publishes a realm's "public_key": as public, and the
                // DER it decodes to as well; a token signed HS256 with either got 200 on a role-protected path.
                invalid("a public key's base64 body as the HMAC secret", set(ConfigKeys.JWT_SECRET, "@rsa-body"),
                        "[jwt.secret]", "public key", "[jwt.public-key]"),
                invalid("a public key's DER as a base64: HMAC secret", set(ConfigKeys.JWT_SECRET, "@base64:rsa-body"),
                        "[jwt.secret]", "public key", "[jwt.public-key]"),
                // An RSASSA-PSS key is an RSA key all the same: its DER as the secret was accepted.
                invalid("an RSA-PSS public key's DER as a base64: HMAC secret", set(ConfigKeys.JWT_SECRET,
                        "@base64:pss-body"), "[jwt.secret]", "public key", "[jwt.public-key]"),
                invalid("a certificate's base64 body as the HMAC secret", set(ConfigKeys.JWT_SECRET, "@certificate-body"),
                        "[jwt.secret]", "certificate", "[jwt.public-key]"),
                // The key server's published set (or one key of it) pasted as the secret: as public as the PEM; a token
                // signed HS256 with that text was accepted, with whatever roles it claimed.
                invalid("a JWKS as the HMAC secret", set(ConfigKeys.JWT_SECRET, "@rsa-jwks"), "[jwt.secret]",
                        "JSON Web Key", "[jwt.jwks-uri]"),
                invalid("a public JWK as the HMAC secret", set(ConfigKeys.JWT_SECRET, "@rsa-jwk"), "[jwt.secret]",
                        "JSON Web Key", "[jwt.jwks-uri]"),
                invalid("a public JWK as a base64: HMAC secret", set(ConfigKeys.JWT_SECRET, "@base64:rsa-jwk"),
                        "[jwt.secret]", "JSON Web Key", "[jwt.jwks-uri]"),
                // A file's path, as jwt.public-key takes one: the path itself, no secret, was the HMAC key.
                // A secret not mounted: its path (which anyone reading the manifest knows) would have signed tokens.
                invalid("a missing file's path as the HMAC secret", set(ConfigKeys.JWT_SECRET,
                        "/tmp/jwtgate-not-mounted-" + java.util.UUID.randomUUID() + "/hmac-secret"), "[jwt.secret]", "${file:"),
                invalid("a relative path as the HMAC secret", set(ConfigKeys.JWT_SECRET,
                        "./secrets/jwtgate-hmac-secret-of-thirty-two-bytes"), "[jwt.secret]", "${file:"),
                invalid("a Windows path as the HMAC secret", set(ConfigKeys.JWT_SECRET,
                        "C:\\secrets\\jwtgate-hmac-secret-of-thirty-two-bytes"), "[jwt.secret]", "${file:"),
                invalid("a path under a missing top directory as the HMAC secret", set(ConfigKeys.JWT_SECRET,
                        "/vault-" + java.util.UUID.randomUUID() + "/secrets/jwtgate-hmac-secret"), "[jwt.secret]", "base64:"),
                invalid("a directory's path as the HMAC secret", set(ConfigKeys.JWT_SECRET,
                        System.getProperty("java.io.tmpdir") + "/" + "x".repeat(40) + "/.."), "[jwt.secret]", "${file:"),
                invalid("a file's path as the HMAC secret", set(ConfigKeys.JWT_SECRET, "@keys/README.md"), "[jwt.secret]",
                        "${file:"),
                invalid("Base64: prefix not in lower case", set(ConfigKeys.JWT_SECRET, "Base64:" + SECRET),
                        "[jwt.secret]", "lower case"),
                invalid("BASE64: prefix not in lower case", set(ConfigKeys.JWT_SECRET, "BASE64:" + SECRET),
                        "[jwt.secret]", "lower case"),
                invalid("none in algorithms", set(ConfigKeys.JWT_ALGORITHMS, "HS256,none"), "[jwt.algorithms]", "[none]"),
                invalid("NONE in algorithms", set(ConfigKeys.JWT_ALGORITHMS, "NONE"), "[jwt.algorithms]", "[NONE]"),
                invalid("unknown algorithm", set(ConfigKeys.JWT_ALGORITHMS, "HS999"), "[jwt.algorithms]", "[HS999]"),
                invalid("HMAC and RSA mixed", set(ConfigKeys.JWT_ALGORITHMS, "HS256,RS256"), "[jwt.algorithms]", "mixed"),
                invalid("RS256 with a secret", set(ConfigKeys.JWT_ALGORITHMS, "RS256"), "[jwt.algorithms]", "[RS256]",
                        "[jwt.secret]"),
                // e = 1: a "signature" equals its message. The JDK refuses the key; the message said it was not RSA at all.
                invalid("RSA key with the public exponent 1", set(ConfigKeys.JWT_SECRET, null, ConfigKeys.JWT_PUBLIC_KEY,
                        "@keys/rsa-exponent-1-public.pem"), "[jwt.public-key]", "RSA PUBLIC KEY", "exponent"),
                invalid("RSA-PSS key with the public exponent 1", set(ConfigKeys.JWT_SECRET, null, ConfigKeys.JWT_PUBLIC_KEY,
                        "@keys/rsa-pss-exponent-1-public.pem"), "[jwt.public-key]", "RSA PUBLIC KEY", "exponent"),
                // An even exponent: the JDK takes the key (it refuses only those below 3), and every token was then refused.
                invalid("RSA key with an even public exponent", set(ConfigKeys.JWT_SECRET, null, ConfigKeys.JWT_PUBLIC_KEY,
                        "@keys/rsa-even-exponent-public.pem"), "[jwt.public-key]", "RSA key", "exponent is even"),
                // The identity point: anyone can sign for it (R = its encoding, S = 0). The JDK takes it; so did JwtGate.
                invalid("Ed25519 key of small order", set(ConfigKeys.JWT_SECRET, null, ConfigKeys.JWT_PUBLIC_KEY,
                        "@keys/ed25519-small-order-public.pem"), "[jwt.public-key]", "Ed25519 key", "small order"),
                // One bit of y changed: the JDK takes the point (OpenSSL does not), and every token was then refused.
                invalid("EC key whose point is not on P-256", set(ConfigKeys.JWT_SECRET, null, ConfigKeys.JWT_PUBLIC_KEY,
                        "@keys/p256-off-curve-public.pem", ConfigKeys.JWT_ALGORITHMS, "ES256"), "[jwt.public-key]",
                        "EC key's point is not on P-256"),
                // Read by the JDK's DSA factory, it was refused as "unsupported key type [RSA] (use RSA, …)".
                invalid("RSA key whose key bits are a bare INTEGER", set(ConfigKeys.JWT_SECRET, null,
                        ConfigKeys.JWT_PUBLIC_KEY, "@keys/rsa-bare-integer-public.pem"), "[jwt.public-key]",
                        "not an RSAPublicKey"),
                invalid("EC key on secp256k1", set(ConfigKeys.JWT_SECRET, null, ConfigKeys.JWT_PUBLIC_KEY,
                        "@keys/secp256k1-public.pem"), "[jwt.public-key]", "curve"),
                invalid("EC key on brainpoolP256r1", set(ConfigKeys.JWT_SECRET, null, ConfigKeys.JWT_PUBLIC_KEY,
                        "@keys/brainpoolp256r1-public.pem"), "[jwt.public-key]", "curve"),
                invalid("EC key on P-224", set(ConfigKeys.JWT_SECRET, null, ConfigKeys.JWT_PUBLIC_KEY,
                        "@keys/p224-public.pem"), "[jwt.public-key]", "curve"),
                invalid("Ed448 certificate", set(ConfigKeys.JWT_SECRET, null, ConfigKeys.JWT_PUBLIC_KEY,
                        "@keys/ed448-certificate.pem"), "[jwt.public-key]", "Ed25519"),
                invalid("DSA public key", set(ConfigKeys.JWT_SECRET, null, ConfigKeys.JWT_PUBLIC_KEY, "@dsa"),
                        "[jwt.public-key]", "[DSA]"),
                invalid("Ed448 public key", set(ConfigKeys.JWT_SECRET, null, ConfigKeys.JWT_PUBLIC_KEY, "@ed448"),
                        "[jwt.public-key]", "[Ed448]"),
                // RFC 4055: a key marked RSASSA-PSS is for PSS signatures only, and a restricted one for its own.
                invalid("RSA-PSS key with RS256", set(ConfigKeys.JWT_SECRET, null, ConfigKeys.JWT_PUBLIC_KEY, "@pss",
                        ConfigKeys.JWT_ALGORITHMS, "RS256"), "[jwt.algorithms]", "[RS256]", "RSASSA-PSS"),
                invalid("RSA-PSS key restricted to SHA-384 with PS256", set(ConfigKeys.JWT_SECRET, null,
                        ConfigKeys.JWT_PUBLIC_KEY, "@pss-sha384", ConfigKeys.JWT_ALGORITHMS, "PS256"),
                        "[jwt.algorithms]", "[PS256]", "RSASSA-PSS"),
                invalid("DSA certificate", set(ConfigKeys.JWT_SECRET, null, ConfigKeys.JWT_PUBLIC_KEY,
                        "@keys/dsa-certificate.pem"), "[jwt.public-key]", "[DSA]"),
                // `cat ca.crt signer.crt`: the issuer's key verified no token of the signer's, and nothing said why.
                invalid("certificate chain written issuer first", set(ConfigKeys.JWT_SECRET, null,
                        ConfigKeys.JWT_PUBLIC_KEY, "@keys/chain-issuer-first.pem"), "[jwt.public-key]",
                        "issued a later one", "first"),
                invalid("JWKS URL with a password", set(ConfigKeys.JWT_SECRET, null, ConfigKeys.JWT_JWKS_URI,
                        "https://jwks:" + SECRET + "@idp.example/jwks"), "[jwt.jwks-uri]", "user:password"),
                invalid("JWKS URL over http: to another host, an API key in its query", set(ConfigKeys.JWT_SECRET, null,
                        ConfigKeys.JWT_JWKS_URI, "http://idp.example/jwks?api_key=" + SECRET), "[jwt.jwks-uri]",
                        "[http://idp.example/jwks?api_key=****]"),
                invalid("JWKS URL without a host, a password after one slash", set(ConfigKeys.JWT_SECRET, null,
                        ConfigKeys.JWT_JWKS_URI, "https:/jwks:" + SECRET + "@idp.example/jwks"), "[jwt.jwks-uri]",
                        "[https:/****@idp.example/jwks]"),
                invalid("JWKS URL pasted in quotes, a password after one slash", set(ConfigKeys.JWT_SECRET, null,
                        ConfigKeys.JWT_JWKS_URI, "\"https:/jwks:" + SECRET + "@idp.example/jwks\""), "[jwt.jwks-uri]",
                        "[\"https:/****@idp.example/jwks\"]"),
                invalid("JWKS URL pasted in angle brackets, a password after one slash", set(ConfigKeys.JWT_SECRET, null,
                        ConfigKeys.JWT_JWKS_URI, "<https:/jwks:" + SECRET + "@idp.example/jwks>"), "[jwt.jwks-uri]"),
                invalid("JWKS URL with a password and a host java.net.URI cannot read", set(ConfigKeys.JWT_SECRET, null,
                        ConfigKeys.JWT_JWKS_URI, "https://jwks:" + SECRET + "@my_idp.example/jwks"), "[jwt.jwks-uri]"),
                invalid("Redis node URL with a comma in its password", set(ConfigKeys.REVOCATION_STORE, "redis-cluster",
                        ConfigKeys.REDIS_NODES, "redis://:" + SECRET + ",x@127.0.0.1:7000"), "[redis.nodes]"),
                invalid("Redis node as a URL with a password", set(ConfigKeys.REVOCATION_STORE, "redis-cluster",
                        ConfigKeys.REDIS_NODES, "redis://:" + SECRET + "@127.0.0.1:7000"), "[redis.nodes]", "[redis.password]"),
                invalid("Redis ACL user without a password", set(ConfigKeys.REVOCATION_STORE, "redis-cluster",
                        ConfigKeys.REDIS_NODES, "127.0.0.1:7000", ConfigKeys.REDIS_USER, "jwtgate"), "[redis.user]",
                        "[redis.password]"),
                invalid("Redis node as a TLS URL", set(ConfigKeys.REVOCATION_STORE, "redis-cluster",
                        ConfigKeys.REDIS_NODES, "rediss://redis.example:6380"), "[redis.nodes]"),
                invalid("Redis port with a sign", set(ConfigKeys.REVOCATION_STORE, "redis-cluster",
                        ConfigKeys.REDIS_NODES, "127.0.0.1:+7000"), "[redis.nodes]"),
                invalid("number with a sign", set(ConfigKeys.JWT_CLOCK_SKEW_SECONDS, "+30"), "[jwt.clock-skew-seconds]"),
                invalid("zero with a minus sign", set(ConfigKeys.JWT_CLOCK_SKEW_SECONDS, "-0"), "[jwt.clock-skew-seconds]", "[-0]"),
                invalid("zeros with a minus sign", set(ConfigKeys.TOKEN_CACHE_SIZE, "-00"), "[token.cache-size]"),
                invalid("number in full-width digits", set(ConfigKeys.JWT_CLOCK_SKEW_SECONDS, "\uFF13\uFF10"),
                        "[jwt.clock-skew-seconds]"),
                invalid("EC key with RS256", set(ConfigKeys.JWT_SECRET, null, ConfigKeys.JWT_PUBLIC_KEY, "@ec",
                        ConfigKeys.JWT_ALGORITHMS, "RS256"), "[jwt.algorithms]", "[RS256]", "EC"),
                invalid("P-256 key with ES384", set(ConfigKeys.JWT_SECRET, null, ConfigKeys.JWT_PUBLIC_KEY, "@ec",
                        ConfigKeys.JWT_ALGORITHMS, "ES384"), "[jwt.algorithms]", "[ES384]"),
                invalid("RSA key with HS256", set(ConfigKeys.JWT_SECRET, null, ConfigKeys.JWT_PUBLIC_KEY, "@rsa",
                        ConfigKeys.JWT_ALGORITHMS, "HS256"), "[jwt.algorithms]", "[HS256]"),
                invalid("RSA key of 1024 bits", set(ConfigKeys.JWT_SECRET, null, ConfigKeys.JWT_PUBLIC_KEY, "@weak-rsa"),
                        "[jwt.public-key]", "2048", "1024"),
                invalid("private key PEM", set(ConfigKeys.JWT_SECRET, null, ConfigKeys.JWT_PUBLIC_KEY,
                        "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----END PRIVATE KEY-----"),
                        "[jwt.public-key]", "private key"),
                invalid("public key a directory", set(ConfigKeys.JWT_SECRET, null, ConfigKeys.JWT_PUBLIC_KEY,
                        System.getProperty("java.io.tmpdir")), "[jwt.public-key]", "it is a directory"),
                invalid("public key a relative path of no file", set(ConfigKeys.JWT_SECRET, null, ConfigKeys.JWT_PUBLIC_KEY,
                        "keys/no-such-issuer.pem"), "[jwt.public-key]", "[keys/no-such-issuer.pem]: no such file",
                        "relative path, read from the working directory"),
                invalid("public key neither PEM nor a readable file", set(ConfigKeys.JWT_SECRET, null,
                        ConfigKeys.JWT_PUBLIC_KEY, "/no/such/key.pem"), "[jwt.public-key]", "/no/such/key.pem"),
                invalid("public key PEM with a broken body", set(ConfigKeys.JWT_SECRET, null, ConfigKeys.JWT_PUBLIC_KEY,
                        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"), "[jwt.public-key]"),
                invalid("jwks-uri http to a remote host", set(ConfigKeys.JWT_SECRET, null,
                        ConfigKeys.JWT_JWKS_URI, "http://idp.example/jwks"), "[jwt.jwks-uri]", "[http://idp.example/jwks]", "loopback"),
                invalid("jwks-uri http to a name that only starts like loopback", set(ConfigKeys.JWT_SECRET, null,
                        ConfigKeys.JWT_JWKS_URI, "http://127.0.0.1.nip.io/jwks"), "[jwt.jwks-uri]"),
                invalid("jwks-uri http to localhost.evil", set(ConfigKeys.JWT_SECRET, null,
                        ConfigKeys.JWT_JWKS_URI, "http://localhost.evil.example/jwks"), "[jwt.jwks-uri]"),
                invalid("jwks-uri ftp", set(ConfigKeys.JWT_SECRET, null, ConfigKeys.JWT_JWKS_URI, "ftp://idp.example/jwks"),
                        "[jwt.jwks-uri]", "[ftp://idp.example/jwks]"),
                invalid("jwks-uri garbage", set(ConfigKeys.JWT_SECRET, null, ConfigKeys.JWT_JWKS_URI, "::not a uri::"),
                        "[jwt.jwks-uri]", "[::not a uri::]"),
                invalid("jwks-uri without scheme", set(ConfigKeys.JWT_SECRET, null, ConfigKeys.JWT_JWKS_URI, "idp.example/jwks"),
                        "[jwt.jwks-uri]"),
                invalid("jwks-uri https without host", set(ConfigKeys.JWT_SECRET, null, ConfigKeys.JWT_JWKS_URI, "https:///jwks"),
                        "[jwt.jwks-uri]"),
                invalid("jwks with an HMAC algorithm", set(ConfigKeys.JWT_SECRET, null,
                        ConfigKeys.JWT_JWKS_URI, "https://idp.example/jwks", ConfigKeys.JWT_ALGORITHMS, "HS256"),
                        "[jwt.algorithms]", "[HS256]"),
                invalid("clock skew not a number", set(ConfigKeys.JWT_CLOCK_SKEW_SECONDS, "abc"),
                        "[jwt.clock-skew-seconds]", "[abc]", "whole number"),
                invalid("clock skew negative", set(ConfigKeys.JWT_CLOCK_SKEW_SECONDS, "-1"), "[jwt.clock-skew-seconds]", "[-1]"),
                invalid("clock skew above 300", set(ConfigKeys.JWT_CLOCK_SKEW_SECONDS, "301"), "[jwt.clock-skew-seconds]", "[301]"),
                invalid("clock skew beyond an int: the range, not 'a whole number'",
                        set(ConfigKeys.JWT_CLOCK_SKEW_SECONDS, "99999999999"), "[jwt.clock-skew-seconds]", "[99999999999]",
                        "a number from 0 to 300"),
                invalid("max age zero", set(ConfigKeys.JWT_MAX_AGE_SECONDS, "0"), "[jwt.max-age-seconds]", "[0]"),
                invalid("max age overflowing int", set(ConfigKeys.JWT_MAX_AGE_SECONDS, "99999999999"),
                        "[jwt.max-age-seconds]", "[99999999999]"),
                invalid("max length too small", set(ConfigKeys.TOKEN_MAX_LENGTH, "10"), "[token.max-length]", "[10]"),
                invalid("max length decimal", set(ConfigKeys.TOKEN_MAX_LENGTH, "8192.5"), "[token.max-length]", "[8192.5]"),
                invalid("cache size negative", set(ConfigKeys.TOKEN_CACHE_SIZE, "-5"), "[token.cache-size]", "[-5]"),
                invalid("jwks refresh below 10 s", set(ConfigKeys.JWT_JWKS_REFRESH_SECONDS, "5"),
                        "[jwt.jwks-refresh-seconds]", "[5]"),
                invalid("replica timeout zero", set(ConfigKeys.REVOCATION_REPLICA_TIMEOUT_MS, "0"),
                        "[revocation.replica-timeout-ms]", "[0]"),
                invalid("near cache not a boolean", set(ConfigKeys.REVOCATION_NEAR_CACHE, "yes"),
                        "[revocation.near-cache]", "[yes]", "true or false"),
                // The message quoted it in lower case: not the value written, which an administrator searches for.
                invalid("jmx as On", set(ConfigKeys.METRICS_JMX, "On"), "[metrics.jmx]", "[On]", "true or false"),
                invalid("required claim with a dot", set(ConfigKeys.JWT_REQUIRED_CLAIMS, "sub,exp,iat,jti,a.b"),
                        "[jwt.required-claims]", "[a.b]"),
                invalid("paths.exclude without a leading slash", set(ConfigKeys.PATHS_EXCLUDE, "/health,api/*"),
                        "[paths.exclude]", "api/*"),
                invalid("paths.exclude with a star inside", set(ConfigKeys.PATHS_EXCLUDE, "/a*b"), "[paths.exclude]", "/a*b"),
                invalid("paths.exclude bare extension", set(ConfigKeys.PATHS_EXCLUDE, "*."), "[paths.exclude]"),
                invalid("paths.optional bad pattern", set(ConfigKeys.PATHS_OPTIONAL, "public/*"), "[paths.optional]", "public/*"),
                invalid("paths.roles without =", set(ConfigKeys.PATHS_ROLES, "/admin/*"), "[paths.roles]", "/admin/*"),
                invalid("paths.roles without a role", set(ConfigKeys.PATHS_ROLES, "/admin/*=|"), "[paths.roles]"),
                invalid("paths.roles with a bad pattern", set(ConfigKeys.PATHS_ROLES, "admin=admin"), "[paths.roles]"),
                invalid("csrf.mode unknown", set(ConfigKeys.CSRF_MODE, "strict"), "[csrf.mode]", "[strict]", "origin, off"),
                invalid("revocation.store missing", set(ConfigKeys.REVOCATION_STORE, null), "[revocation.store]"),
                invalid("revocation.store unknown", set(ConfigKeys.REVOCATION_STORE, "postgres"),
                        "[revocation.store]", "[postgres]", "redis-cluster"),
                invalid("revocation.mode unknown", set(ConfigKeys.REVOCATION_MODE, "graylist"), "[revocation.mode]", "[graylist]"),
                invalid("revocation.failure-mode unknown", set(ConfigKeys.REVOCATION_FAILURE_MODE, "maybe"),
                        "[revocation.failure-mode]", "[maybe]"),
                invalid("min replicas with the memory store", set(ConfigKeys.REVOCATION_MIN_REPLICAS, "1"),
                        "[revocation.min-replicas]", "[memory]"),
                invalid("allowlist with no store", set(ConfigKeys.REVOCATION_STORE, "none", ConfigKeys.REVOCATION_MODE, "allowlist"),
                        "[revocation.mode]", "[none]"),
                invalid("required claims without jti while a store is on", set(ConfigKeys.JWT_REQUIRED_CLAIMS, "sub,exp,iat"),
                        "[jwt.required-claims]", "[jti]"),
                invalid("required claims without sub while a store is on", set(ConfigKeys.JWT_REQUIRED_CLAIMS, "exp,iat,jti"),
                        "[jwt.required-claims]", "[sub]"),
                invalid("redis.nodes with the memory store", set(ConfigKeys.REDIS_NODES, "127.0.0.1:7000"),
                        "[redis.nodes]", "[memory]"),
                invalid("redis-cluster without redis.nodes", set(ConfigKeys.REVOCATION_STORE, "redis-cluster"),
                        "[redis.nodes]", "redis-cluster"),
                invalid("redis.nodes without a port", set(ConfigKeys.REVOCATION_STORE, "redis-cluster",
                        ConfigKeys.REDIS_NODES, "127.0.0.1:7000,localhost"), "[redis.nodes]", "[localhost]"),
                invalid("redis.nodes port out of range", set(ConfigKeys.REVOCATION_STORE, "redis-cluster",
                        ConfigKeys.REDIS_NODES, "127.0.0.1:70000"), "[redis.nodes]", "[127.0.0.1:70000]"),
                invalid("single redis with two nodes", set(ConfigKeys.REVOCATION_STORE, "redis",
                        ConfigKeys.REDIS_NODES, "127.0.0.1:7000,127.0.0.1:7001"), "[redis.nodes]"),
                invalid("redis key prefix with a hash tag", set(ConfigKeys.REVOCATION_STORE, "redis-cluster",
                        ConfigKeys.REDIS_NODES, "127.0.0.1:7000", ConfigKeys.REDIS_KEY_PREFIX, "{app}:"),
                        "[redis.key-prefix]", "[{app}:]"),
                invalid("redis timeout not a number", set(ConfigKeys.REVOCATION_STORE, "redis-cluster",
                        ConfigKeys.REDIS_NODES, "127.0.0.1:7000", ConfigKeys.REDIS_TIMEOUT_MS, "fast"),
                        "[redis.timeout-ms]", "[fast]"),
                invalid("realm with a quote", set(ConfigKeys.REALM, "my\"realm"), "[realm]", "my\"realm"),
                invalid("realm with a backslash", set(ConfigKeys.REALM, "a\\b"), "[realm]"),
                invalid("realm with a newline", set(ConfigKeys.REALM, "a\nWWW-Authenticate: x"), "[realm]"),
                invalid("token.header with a space", set(ConfigKeys.TOKEN_HEADER, "X Token"), "[token.header]", "[X Token]"),
                invalid("token.header with a colon", set(ConfigKeys.TOKEN_HEADER, "X-Token:"), "[token.header]"),
                // Browsers send Cookie on their own, cross-site too: "Cookie: Bearer <token>" passed a cross-site POST as
                // header-authenticated (200, no csrf check), Authorization went unread (401), a cookie "bearer=…" got 400.
                invalid("token.header the Cookie header", set(ConfigKeys.TOKEN_HEADER, "cookie"), "[token.header]", "[cookie]",
                        "[token.cookie]"),
                invalid("token.cookie with a semicolon", set(ConfigKeys.TOKEN_COOKIE, "a;b"), "[token.cookie]", "[a;b]"),
                invalid("claims.principal as a path", set(ConfigKeys.CLAIMS_PRINCIPAL, "user.name"),
                        "[claims.principal]", "[user.name]"),
                invalid("claims.roles with a space", set(ConfigKeys.CLAIMS_ROLES, "realm roles"), "[claims.roles]"),
                invalid("unknown key with a typo", set("jwt.isuer", "x"), "[jwt.isuer]", "did you mean [jwt.issuer]"),
                invalid("unknown key with another typo", set("revocation.stor", "memory"),
                        "[revocation.stor]", "did you mean [revocation.store]"),
                invalid("unknown key, nothing close", set("completely.unrelated", "x"), "[completely.unrelated]"),
                // Found by the configuration review of stop 22; each was accepted before.
                invalid("jwt.audience of commas only (audience check off)", set(ConfigKeys.JWT_AUDIENCE, " , "),
                        "[jwt.audience]", "at least one"),
                invalid("jwt.algorithms of commas only", set(ConfigKeys.JWT_ALGORITHMS, ","), "[jwt.algorithms]"),
                invalid("paths.roles rules separated by commas", set(ConfigKeys.PATHS_ROLES,
                        "/admin/*=admin,/reports/*=analyst"), "[paths.roles]", "';'"),
                invalid("paths.roles percent-encoded (matched decoded, the rule never applied: its path open to all)",
                        set(ConfigKeys.PATHS_ROLES, "/reports/Q1%202026/*=finance"), "[paths.roles]",
                        "[/reports/Q1%202026/*=finance]", "decoded"),
                invalid("redis.timeout-ms bad while the store is memory", set(ConfigKeys.REDIS_TIMEOUT_MS, "abc"),
                        "[redis.timeout-ms]", "[abc]"),
                invalid("redis.ssl bad while the store is memory", set(ConfigKeys.REDIS_SSL, "yes"), "[redis.ssl]"),
                invalid("jwks-uri with a password holding a slash", set(ConfigKeys.JWT_SECRET, null,
                        ConfigKeys.JWT_JWKS_URI, "https://user:" + SECRET_MARKER + "/x@idp.example/jwks"),
                        "[jwt.jwks-uri]", "user:password@"),
                invalid("jwks-uri with a password holding a hash", set(ConfigKeys.JWT_SECRET, null,
                        ConfigKeys.JWT_JWKS_URI, "https://user:" + SECRET_MARKER + "#x@idp.example/jwks"),
                        "[jwt.jwks-uri]", "user:password@"),
                invalid("public-base-url with a password holding a hash", set(ConfigKeys.DPOP_MODE, "allowed",
                        ConfigKeys.DPOP_PUBLIC_BASE_URL, "https://user:" + SECRET_MARKER + "#x@api.example"),
                        "[dpop.public-base-url]"),
                invalid("redis.nodes with a password in a query", set(ConfigKeys.REVOCATION_STORE, "redis-cluster",
                        ConfigKeys.REDIS_NODES, "127.0.0.1:6379?password=" + SECRET_MARKER), "[redis.nodes]"),
                invalid("redis.nodes with a password cut at a comma", set(ConfigKeys.REVOCATION_STORE, "redis-cluster",
                        ConfigKeys.REDIS_NODES, "user:" + SECRET_MARKER + ",x@127.0.0.1:6379"), "[redis.nodes]"),
                invalid("redis.nodes IPv6 without brackets", set(ConfigKeys.REVOCATION_STORE, "redis-cluster",
                        ConfigKeys.REDIS_NODES, "2001:db8::1"), "[redis.nodes]", "brackets"),
                invalid("redis.nodes brackets around no IPv6 address", set(ConfigKeys.REVOCATION_STORE, "redis-cluster",
                        ConfigKeys.REDIS_NODES, "[abc]:7000"), "[redis.nodes]", "has no valid host"),
                // Separated as a shell or a Redis CLI list is: it was called an IPv6 address without brackets.
                invalid("redis.nodes separated by a semicolon", set(ConfigKeys.REVOCATION_STORE, "redis-cluster",
                        ConfigKeys.REDIS_NODES, "10.0.0.1:7000;10.0.0.2:7000"), "[redis.nodes]",
                        "[10.0.0.1:7000 10.0.0.2:7000]", "separate nodes with commas"),
                invalid("redis.nodes separated by spaces", set(ConfigKeys.REVOCATION_STORE, "redis-cluster",
                        ConfigKeys.REDIS_NODES, "10.0.0.1:7000 10.0.0.2:7000"), "[redis.nodes]",
                        "separate nodes with commas"),
                invalid("redis.nodes with a password cut at a space", set(ConfigKeys.REVOCATION_STORE, "redis-cluster",
                        ConfigKeys.REDIS_NODES, "user:" + SECRET_MARKER + " 127.0.0.1:6379"), "[redis.nodes]",
                        "separate nodes with commas"),
                invalid("redis.nodes listing a node twice", set(ConfigKeys.REVOCATION_STORE, "redis-cluster",
                        ConfigKeys.REDIS_NODES, "127.0.0.1:7000,127.0.0.1:7000"), "[redis.nodes]", "twice"),
                invalid("redis.nodes listing a node twice in another case (host names ignore case)",
                        set(ConfigKeys.REVOCATION_STORE, "redis-cluster", ConfigKeys.REDIS_NODES,
                                "REDIS-A.example:7000,redis-a.example:7000"), "[redis.nodes]", "twice"),
                invalid("issuer with a no-break space", set(ConfigKeys.JWT_ISSUER, TestTokens.ISSUER + "\u00A0"),
                        "[jwt.issuer]", "U+00A0"),
                invalid("issuer with a zero-width space", set(ConfigKeys.JWT_ISSUER, "\u200B" + TestTokens.ISSUER),
                        "[jwt.issuer]", "U+200B"),
                invalid("issuer with a Hangul filler", set(ConfigKeys.JWT_ISSUER, TestTokens.ISSUER + "\u3164"),
                        "[jwt.issuer]", "U+3164"),
                invalid("issuer with a halfwidth Hangul filler", set(ConfigKeys.JWT_ISSUER, TestTokens.ISSUER + "\uFFA0"),
                        "[jwt.issuer]", "U+FFA0"),
                invalid("audience with the blank Braille pattern", set(ConfigKeys.JWT_AUDIENCE, "api\u2800"),
                        "[jwt.audience]", "U+2800"),
                // jose4j refused these only when the filter started, in its own words, naming no setting.
                invalid("type with a wildcard", set(ConfigKeys.JWT_TYPE, "application/*"), "[jwt.type]", "[application/*]"),
                invalid("type of a wildcard alone", set(ConfigKeys.JWT_TYPE, "*"), "[jwt.type]", "[*]"),
                invalid("type with a wildcard main type", set(ConfigKeys.JWT_TYPE, "*/at+jwt"), "[jwt.type]", "[*/at+jwt]"),
                invalid("type that is no media type", set(ConfigKeys.JWT_TYPE, "at+jwt, jwt"), "[jwt.type]", "[at+jwt, jwt]"),
                invalid("type with two slashes", set(ConfigKeys.JWT_TYPE, "application/at+jwt/v2"), "[jwt.type]",
                        "[application/at+jwt/v2]"),
                invalid("public-base-url with port 99999", set(ConfigKeys.DPOP_MODE, "allowed",
                        ConfigKeys.DPOP_PUBLIC_BASE_URL, "https://api.example:99999"), "[dpop.public-base-url]", "99999"),
                // java.net.URI takes these ports: the filter started, and every token got 503 ("port out of range").
                invalid("jwks-uri with port 99999", set(ConfigKeys.JWT_SECRET, null,
                        ConfigKeys.JWT_JWKS_URI, "https://idp.example:99999/jwks"), "[jwt.jwks-uri]",
                        "[https://idp.example:99999/jwks]", "1 to 65535"),
                invalid("jwks-uri with port 65536", set(ConfigKeys.JWT_SECRET, null,
                        ConfigKeys.JWT_JWKS_URI, "https://idp.example:65536/jwks"), "[jwt.jwks-uri]", "1 to 65535"),
                invalid("jwks-uri with port 0", set(ConfigKeys.JWT_SECRET, null,
                        ConfigKeys.JWT_JWKS_URI, "https://idp.example:0/jwks"), "[jwt.jwks-uri]", "1 to 65535"),
                invalid("jwks-uri on loopback http with port 0", set(ConfigKeys.JWT_SECRET, null,
                        ConfigKeys.JWT_JWKS_URI, "http://127.0.0.1:0/jwks"), "[jwt.jwks-uri]", "1 to 65535"),
                invalid("jwks-uri of a relative file", set(ConfigKeys.JWT_SECRET, null,
                        ConfigKeys.JWT_JWKS_URI, "file:jwks.json"), "[jwt.jwks-uri]", "readable file"),
                invalid("jwks-uri of a missing file", set(ConfigKeys.JWT_SECRET, null,
                        ConfigKeys.JWT_JWKS_URI, "file:///no/such/jwks.json"), "[jwt.jwks-uri]", "readable file"),
                invalid("a secret pasted into jwt.public-key, not shown", set(ConfigKeys.JWT_SECRET, null,
                        ConfigKeys.JWT_PUBLIC_KEY, SECRET), "[jwt.public-key]", "value not shown"),
                invalid("a missing key file, named", set(ConfigKeys.JWT_SECRET, null,
                        ConfigKeys.JWT_PUBLIC_KEY, "/no/such/public.pem"), "[jwt.public-key]", "/no/such/public.pem"),
                invalid("secret with a zero-width space, not shown", set(ConfigKeys.JWT_SECRET, SECRET + "\u200B"),
                        "[jwt.secret]", "U+200B"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidConfigurations")
    void whenConfigurationInvalidThenMessageNamesTheKey(String description, Consumer<Map<String, String>> change,
                                                        List<String> mustMention) {
        Map<String, String> settings = valid();
        change.accept(settings);
        settings.replaceAll((key, value) -> switch (value) {
            case "@rsa" -> rsaPem;
            case "@ec" -> ecPem;
            case "@weak-rsa" -> weakRsaPem;
            case "@pss" -> pssPem;
            case "@pss-sha384" -> pss384Pem;
            case "@dsa" -> dsaPem;
            case "@ed448" -> ed448Pem;
            case "@base64:pss-body" -> "base64:" + pemBody(pssPem);
            case "@rsa-body" -> pemBody(rsaPem);
            case "@base64:rsa-body" -> "base64:" + pemBody(rsaPem);
            case "@certificate-body" -> Certificates.selfSignedRsa().x5c();
            case "@rsa-jwk" -> rsaJwk;
            case "@rsa-jwks" -> rsaJwks;
            case "@base64:rsa-jwk" -> "base64:" + Base64.getEncoder().encodeToString(rsaJwk.getBytes(StandardCharsets.UTF_8));
            default -> value.startsWith("@keys/") ? resourcePath(value.substring(1)) : value;
        });
        String message = failureMessage(settings);
        assertAll(mustMention.stream().map(expected -> () ->
                assertTrue(message.contains(expected), "[" + expected + "] missing from: " + message)));
        assertFalse(message.contains(SECRET_MARKER), "a secret leaked into: " + message);
    }

    /** The base64 lines between a PEM's armour lines. */
    private static String pemBody(String pem) {
        return pem.replaceAll("-----[A-Z ]+-----", "").strip();
    }

    @Test
    void whenUnknownKeyHasNoNearNeighbourThenNoSuggestion() {
        Map<String, String> settings = valid();
        settings.put("completely.unrelated", "x");
        assertFalse(failureMessage(settings).contains("did you mean"));
    }

    @Test
    void whenSecretInvalidThenMessageShowsNeitherTheSecretNorItsDecodedForm() {
        String text = "tiny-" + SECRET_MARKER;
        Map<String, String> settings = valid();
        settings.put(ConfigKeys.JWT_SECRET, text);
        String message = failureMessage(settings);
        assertTrue(message.contains("[jwt.secret]"), message);
        assertFalse(message.contains(text), message);

        settings.put(ConfigKeys.JWT_SECRET, "base64:" + SECRET_MARKER + "%%%");
        message = failureMessage(settings);
        assertFalse(message.contains(SECRET_MARKER), message);
        assertFalse(message.contains("%%%"), message);
    }

    @Test
    void whenSecretHasAMalformedReferenceThenItsValueIsNotShown() {
        Map<String, String> settings = valid();
        settings.put(ConfigKeys.JWT_SECRET, SECRET + "${env:UNCLOSED");
        String message = failureMessage(settings);
        assertTrue(message.contains("[jwt.secret]"), message);
        assertFalse(message.contains(SECRET_MARKER), message);
    }

    @Test
    void whenRedisPasswordGivenThenItNeverAppearsInDescriptions() {
        Map<String, String> settings = valid();
        settings.put(ConfigKeys.REVOCATION_STORE, "redis-cluster");
        settings.put(ConfigKeys.REDIS_NODES, "127.0.0.1:7000");
        settings.put(ConfigKeys.REDIS_PASSWORD, "redis-" + SECRET_MARKER);
        JwtGateConfig config = JwtGateConfig.of(settings);
        assertEquals("redis-" + SECRET_MARKER, config.redis().password());
        for (String text : List.of(config.describe(), config.toString(), config.redis().toString(),
                config.verification().toString(), config.settings().describe())) {
            assertFalse(text.contains(SECRET_MARKER), text);
        }
        assertTrue(config.describe().contains("jwt.secret=****"), config.describe());
        assertTrue(config.describe().contains("redis.password=****"), config.describe());
    }

    @Test
    void whenASecretIsGivenToAnotherSettingThenMessagesAndDescriptionsMaskIt() {
        // The secret pasted into the wrong init-param: the refusal, or the start-up line, printed it whole.
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        String secret = "base64:" + java.util.Base64.getEncoder().encodeToString(bytes);
        // Refused, as no other setting takes a secret: a realm or an issuer was taken, and the start-up line printed it.
        for (String key : List.of(ConfigKeys.JWT_ALGORITHMS, ConfigKeys.PATHS_EXCLUDE, ConfigKeys.TOKEN_HEADER,
                ConfigKeys.REALM, ConfigKeys.JWT_ISSUER)) {
            Map<String, String> settings = valid();
            settings.put(key, secret);
            String message = failureMessage(settings);
            assertFalse(message.contains(secret.substring(7, 30)), message);
            assertTrue(message.startsWith("Illegal value for setting [" + key + "]: [base64:****]; a secret, which only "
                    + "[jwt.secret]"), message);
        }
        Map<String, String> settings = valid();
        settings.put(ConfigKeys.REALM, "base64:short");
        assertEquals("base64:short", JwtGateConfig.of(settings).realm(), "not a secret: 5 characters of base64");
        // A public key's DER in base64 is no secret: its own refusal says what the setting takes, the value not shown.
        Map<String, String> publicKey = valid();
        publicKey.remove(ConfigKeys.JWT_SECRET);
        publicKey.put(ConfigKeys.JWT_PUBLIC_KEY, secret);
        String message = failureMessage(publicKey);
        assertTrue(message.contains("[jwt.public-key]: neither an inline PEM nor a readable file"), message);
        assertFalse(message.contains(secret.substring(7, 30)), message);
    }

    @Test
    void whenAWrappedOrSpacedSecretIsGivenToAnotherSettingThenNoPartOfItIsShown() {
        byte[] bytes = new byte[64];
        new java.security.SecureRandom().nextBytes(bytes);
        String encoded = java.util.Base64.getEncoder().encodeToString(bytes); // 88 characters, as openssl rand -base64 64
        String wrapped = "base64:" + encoded.substring(0, 64) + "\n" + encoded.substring(64);
        String spaced = "base64:" + encoded.replaceAll("(.{8})", "$1 ").strip();
        assertEquals(64, SecretKeys.decode(wrapped).length, "a valid jwt.secret");
        assertEquals(64, SecretKeys.decode(spaced).length, "a valid jwt.secret");
        for (String value : List.of(wrapped, spaced)) {
            for (String key : List.of(ConfigKeys.JWT_ALGORITHMS, ConfigKeys.PATHS_EXCLUDE, ConfigKeys.TOKEN_HEADER,
                    ConfigKeys.REALM, ConfigKeys.JWT_ISSUER)) {
                Map<String, String> settings = valid();
                settings.put(key, value);
                String text;
                try {
                    text = JwtGateConfig.of(settings).describe();
                } catch (ConfigurationException e) {
                    text = e.getMessage();
                }
                assertFalse(text.replaceAll("\\s+", "").contains(encoded.substring(64)), key + ": " + text);
                assertFalse(text.replaceAll("\\s+", "").contains(encoded.substring(8, 24)), key + ": " + text);
            }
        }
    }

    @Test
    void whenThePublicKeyFileIsLargerThanOneMebibyteThenRefusedNamingIt(@org.junit.jupiter.api.io.TempDir
                                                                             java.nio.file.Path directory) throws Exception {
        // Read whole before: a path given by mistake (a log, an archive) ended the start in an OutOfMemoryError.
        java.nio.file.Path file = directory.resolve("public.pem");
        java.nio.file.Files.writeString(file, rsaPem + "#".repeat(1 << 20));
        Map<String, String> settings = valid();
        settings.remove(ConfigKeys.JWT_SECRET);
        settings.put(ConfigKeys.JWT_PUBLIC_KEY, file.toString());
        String message = failureMessage(settings);
        assertTrue(message.contains("[jwt.public-key]") && message.contains("[" + file + "] is larger than 1 MiB"), message);
    }

    @Test
    void whenTheJwksUriCarriesAnApiKeyThenDescriptionsShowItMasked() {
        // A key server that wants a key in the query: the start-up line and check-config printed it whole.
        Map<String, String> settings = valid();
        settings.remove(ConfigKeys.JWT_SECRET);
        settings.put(ConfigKeys.JWT_JWKS_URI, "https://idp.example/jwks.json?api_key=" + SECRET + "&tenant=7");
        JwtGateConfig config = JwtGateConfig.of(settings);
        for (String text : List.of(config.describe(), config.toString(), config.verification().toString(),
                config.settings().describe(), config.settings().explicitValues().toString())) {
            assertFalse(text.contains(SECRET_MARKER), text);
            assertTrue(text.contains("https://idp.example/jwks.json?api_key=****&tenant=****"), text);
        }
        assertEquals("https://idp.example/jwks.json?api_key=" + SECRET + "&tenant=7",
                config.verification().jwksUri().toString(), "the URI fetched keeps its key");
    }

    @Test
    void whenSecretsAreSetThenTheExplicitValuesPrintThemMasked() {
        Map<String, String> settings = valid();
        settings.put(ConfigKeys.REVOCATION_STORE, "redis-cluster");
        settings.put(ConfigKeys.REDIS_NODES, "127.0.0.1:7000");
        settings.put(ConfigKeys.REDIS_PASSWORD, "redis-" + SECRET_MARKER);
        Map<String, String> values = JwtGateConfig.of(settings).settings().explicitValues();
        assertEquals(SECRET, values.get(ConfigKeys.JWT_SECRET), "the values themselves");
        String printed = values.toString(); // what log.info("{}", settings.explicitValues()) writes
        assertFalse(printed.contains(SECRET_MARKER), printed);
        assertTrue(printed.contains("jwt.secret=****") && printed.contains("redis.password=****")
                && printed.contains("redis.nodes=127.0.0.1:7000"), printed);
        assertThrows(UnsupportedOperationException.class, () -> values.put(ConfigKeys.JWT_ISSUER, "x"));
    }

    // ---- what valid configurations produce ---------------------------------------------------

    @Test
    void whenMinimalHmacConfigurationThenDefaultsApply() {
        JwtGateConfig config = JwtGateConfig.of(valid());
        VerificationSettings verification = config.verification();
        assertEquals(Set.of(SigningAlgorithm.HS256), verification.algorithms());
        assertEquals(TestTokens.ISSUER, verification.issuer());
        assertEquals(30, verification.clockSkewSeconds());
        assertEquals(86400, verification.maxAgeSeconds());
        assertEquals(Set.of("sub", "exp", "iat", "jti"), verification.requiredClaims());
        assertNull(verification.type());
        assertEquals(List.of(), verification.audiences());
        assertEquals(SECRET.getBytes(StandardCharsets.UTF_8).length, verification.secret().length);
        assertEquals("Authorization", config.token().header());
        assertEquals("access_token", config.token().cookie());
        assertEquals(8192, config.token().maxLength());
        assertEquals("sub", config.token().principalClaim());
        assertEquals("groups", config.token().rolesClaim());
        assertEquals(CsrfMode.ORIGIN, config.csrfMode());
        assertEquals(RevocationSettings.StoreType.MEMORY, config.revocation().store());
        assertEquals(RevocationSettings.Mode.DENYLIST, config.revocation().mode());
        assertEquals(RevocationSettings.FailureMode.CLOSED, config.revocation().failureMode());
        assertEquals(0, config.revocation().minReplicas());
        assertNull(config.redis());
        assertEquals("jwtgate", config.realm());
        assertEquals(PathRules.Access.PROTECTED, config.paths().access("/anything"));
    }

    @Test
    void whenRequiredClaimsOmitExpAndIatThenTheyAreRequiredAnyway() {
        Map<String, String> settings = valid();
        settings.put(ConfigKeys.REVOCATION_STORE, "none");
        settings.put(ConfigKeys.JWT_REQUIRED_CLAIMS, "sub");
        assertEquals(Set.of("sub", "exp", "iat"), JwtGateConfig.of(settings).verification().requiredClaims());
    }

    /** docs/configuration.md: spaces around a list item are dropped, spaces inside one kept. */
    @Test
    void whenAudienceItemsHaveSpacesAroundThemThenTheSpacesAreDroppedAndThoseInsideKept() {
        Map<String, String> settings = valid();
        settings.put(ConfigKeys.JWT_AUDIENCE, " api-a , api-b,my api ");
        assertEquals(List.of("api-a", "api-b", "my api"), JwtGateConfig.of(settings).verification().audiences());
    }

    @Test
    void whenEmptyCookieThenCookiesDisabled() {
        Map<String, String> settings = valid();
        settings.put(ConfigKeys.TOKEN_COOKIE, "");
        assertNull(JwtGateConfig.of(settings).token().cookie());
    }

    @Test
    void whenBase64SecretThenDecodedBytesAreTheKey() {
        byte[] key = new byte[48];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i * 7);
        }
        Map<String, String> settings = valid();
        settings.put(ConfigKeys.JWT_SECRET, "base64:" + Base64.getUrlEncoder().withoutPadding().encodeToString(key));
        settings.put(ConfigKeys.JWT_ALGORITHMS, "hs384");
        JwtGateConfig config = JwtGateConfig.of(settings);
        assertTrue(java.util.Arrays.equals(key, config.verification().secret()));
        assertEquals(Set.of(SigningAlgorithm.HS384), config.verification().algorithms());
    }

    @Test
    void whenASettingGivenInCodeHasNoValueThenTheMessageSaysItWasGivenInCode() {
        // Before: "has no value in init-param", though JwtGateConfig.of reads no init-param.
        Map<String, String> settings = new java.util.HashMap<>(valid());
        settings.put(ConfigKeys.JWT_AUDIENCE, null);
        assertEquals("Setting [jwt.audience] has no value in settings given in code; give it one or remove it",
                failureMessage(settings));
    }

    @Test
    void whenTheSameSecretIsConfiguredTwiceThenTheVerificationSettingsAreEqual() {
        // A record is a value: its accessor copies the secret, so equality must compare the bytes, as DpopSettings'
        // does for its nonce secret, not the copy each instance holds.
        VerificationSettings first = JwtGateConfig.of(valid()).verification();
        VerificationSettings second = JwtGateConfig.of(valid()).verification();
        assertEquals(first, second, "the same configuration parsed twice");
        assertEquals(first.hashCode(), second.hashCode(), "their hash codes");
        Map<String, String> other = valid();
        other.put(ConfigKeys.JWT_SECRET, SECRET + "-another");
        assertFalse(first.equals(JwtGateConfig.of(other).verification()), "another secret");
    }

    @Test
    void whenBase64SecretIsWrappedOverLinesThenItsDecodedBytesAreTheKey() {
        // A secret may span lines (a web.xml value, `openssl rand -base64 64` wraps at 64 characters): the breaks
        // are not part of the base64 text.
        byte[] key = new byte[64];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i * 13);
        }
        for (String wrapped : List.of(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key),
                Base64.getMimeEncoder().encodeToString(key), "\n    " + Base64.getMimeEncoder(40, "\n    ".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(key) + "\n  ")) {
            Map<String, String> settings = valid();
            settings.put(ConfigKeys.JWT_SECRET, "base64:" + wrapped);
            settings.put(ConfigKeys.JWT_ALGORITHMS, "HS512");
            assertTrue(java.util.Arrays.equals(key, JwtGateConfig.of(settings).verification().secret()), wrapped);
        }
    }

    @Test
    void whenRedisClusterConfiguredThenOneReplicaIsRequiredByDefault() {
        Map<String, String> settings = valid();
        settings.put(ConfigKeys.REVOCATION_STORE, "redis-cluster");
        settings.put(ConfigKeys.REDIS_NODES, "127.0.0.1:7000, 127.0.0.1:7001,[::1]:7002");
        JwtGateConfig config = JwtGateConfig.of(settings);
        assertEquals(1, config.revocation().minReplicas());
        assertEquals(List.of(new RedisNode("127.0.0.1", 7000), new RedisNode("127.0.0.1", 7001), new RedisNode("::1", 7002)),
                config.redis().nodes());
        assertEquals("jwtgate:", config.redis().keyPrefix());
    }

    @Test
    void whenRedisNodeParseListIsGivenAListThenItAnswersAsRedisNodesDoes() {
        // The public helper compared host names case-sensitively: it took a node listed twice in another case.
        for (String twice : List.of("127.0.0.1:7000,127.0.0.1:7000", "REDIS-A.example:7000,redis-a.example:7000",
                "[2001:DB8::1]:7000,[2001:db8::1]:7000")) {
            Map<String, String> settings = valid();
            settings.put(ConfigKeys.REVOCATION_STORE, "redis-cluster");
            settings.put(ConfigKeys.REDIS_NODES, twice);
            assertTrue(failureMessage(settings).contains("is listed twice"), twice);
            String message = assertThrows(ConfigurationException.class, () -> RedisNode.parseList(twice), twice).getMessage();
            assertTrue(message.contains("[redis.nodes]") && message.contains("is listed twice"), message);
        }
        Map<String, String> settings = valid();
        settings.put(ConfigKeys.REVOCATION_STORE, "redis-cluster");
        settings.put(ConfigKeys.REDIS_NODES, "redis-a.example:7000, REDIS-A.example:7001,[::1]:7002");
        assertEquals(JwtGateConfig.of(settings).redis().nodes(), RedisNode.parseList(settings.get(ConfigKeys.REDIS_NODES)));
    }

    /** One node in two spellings of its host (an address's forms, a name's final dot) was taken as two. */
    @Test
    void whenANodeIsListedTwiceInAnotherSpellingThenRefused() {
        for (String twice : List.of("[::1]:7000,[0:0:0:0:0:0:0:1]:7000", "redis-a.example:7000,redis-a.example.:7000",
                "[::ffff:127.0.0.1]:7000,127.0.0.1:7000", "[2001:db8:0::1]:7000,[2001:DB8::0:1]:7000")) {
            String message = assertThrows(ConfigurationException.class, () -> RedisNode.parseList(twice), twice).getMessage();
            assertTrue(message.contains("[redis.nodes]") && message.contains("is listed twice"), message);
        }
        for (String two : List.of("[::1]:7000,[::2]:7000", "redis-a.example:7000,redis-a.example.com:7000",
                "127.0.0.1:7000,127.0.0.10:7000", "[fe80::1%eth0]:7000,[fe80::1%eth1]:7000", "[::1]:7000,[::1]:7001")) {
            assertEquals(2, RedisNode.parseList(two).size(), two);
        }
    }

    @Test
    void whenRedisNodeParseListIsGivenNoNodeThenRefusedAsRedisNodesIs() {
        // It answered an empty list, which its caller then connected to.
        for (String none : List.of(",", " , ,")) {
            Map<String, String> settings = valid();
            settings.put(ConfigKeys.REVOCATION_STORE, "redis-cluster");
            settings.put(ConfigKeys.REDIS_NODES, none);
            String configured = failureMessage(settings);
            assertTrue(configured.endsWith(" (from settings given in code)"), configured);
            String message = assertThrows(ConfigurationException.class, () -> RedisNode.parseList(none),
                    "[" + none + "]").getMessage();
            assertEquals(configured.replace(" (from settings given in code)", ""), message);
        }
        // A blank value the configuration refuses before reading it as a list ("is empty in <its source>").
        for (String blank : List.of("", " ")) {
            assertEquals("Illegal value for setting [redis.nodes]: []; expected at least one comma-separated item",
                    assertThrows(ConfigurationException.class, () -> RedisNode.parseList(blank), "[" + blank + "]")
                            .getMessage());
        }
    }

    @Test
    void whenAnAtSignIsInTheJwksPathOrADirectoryGroupIsARoleThenAccepted() {
        // Firebase's JWKS URL has an '@' in its path; ADFS can send group names with ',' and '='.
        Map<String, String> settings = valid();
        settings.remove(ConfigKeys.JWT_SECRET);
        settings.put(ConfigKeys.JWT_JWKS_URI,
                "https://www.googleapis.com/service_accounts/v1/jwk/securetoken@system.gserviceaccount.com");
        settings.put(ConfigKeys.PATHS_ROLES, "/admin/*=CN=Admins,OU=Groups,DC=corp|role=admin");
        JwtGateConfig config = JwtGateConfig.of(settings);
        assertTrue(config.verification().jwksUri().toString().contains("securetoken@system"));
        assertEquals(Set.of("CN=Admins,OU=Groups,DC=corp", "role=admin"), config.paths().requiredRoles("/admin/x"));
    }

    @Test
    void whenRedisNodesIsAUrlThenTheMessageSaysSoWithoutTheCredentials() {
        Map<String, String> settings = valid();
        settings.put(ConfigKeys.REVOCATION_STORE, "redis-cluster");
        settings.put(ConfigKeys.REDIS_NODES, "redis://:" + SECRET_MARKER + "@host:6379");
        String message = failureMessage(settings);
        assertTrue(message.contains("is a URL, not host:port"), message);
        assertFalse(message.contains(SECRET_MARKER), message);
    }

    @Test
    void whenJwksUriIsLoopbackHttpOrHttpsOrFileThenAccepted(@org.junit.jupiter.api.io.TempDir java.nio.file.Path directory)
            throws Exception {
        java.nio.file.Path jwks = java.nio.file.Files.writeString(directory.resolve("jwks.json"), "{\"keys\":[]}");
        for (String uri : List.of("http://127.0.0.1:8080/jwks", "http://localhost/jwks", "http://[::1]:9000/jwks",
                "https://idp.example/.well-known/jwks.json", "https://idp.example:1/jwks", "https://idp.example:65535/jwks",
                jwks.toUri().toString())) {
            Map<String, String> settings = valid();
            settings.remove(ConfigKeys.JWT_SECRET);
            settings.put(ConfigKeys.JWT_JWKS_URI, uri);
            JwtGateConfig config = JwtGateConfig.of(settings);
            assertEquals(uri, config.verification().jwksUri().toString());
            assertEquals(Set.of(SigningAlgorithm.RS256), config.verification().algorithms());
        }
    }

    @Test
    void whenThePublicKeyIsMarkedRsaPssThenItIsReadAndItsPsAlgorithmInferred() {
        // OpenSSL writes such a key for `genpkey -algorithm RSA-PSS`; it was refused as "not an RSA, EC or Ed25519 key".
        Map<String, String> settings = valid();
        settings.remove(ConfigKeys.JWT_SECRET);
        settings.put(ConfigKeys.JWT_PUBLIC_KEY, pssPem);
        assertEquals(Set.of(SigningAlgorithm.PS256), JwtGateConfig.of(settings).verification().algorithms());
        settings.put(ConfigKeys.JWT_ALGORITHMS, "PS256,PS512");
        assertEquals(Set.of(SigningAlgorithm.PS256, SigningAlgorithm.PS512), JwtGateConfig.of(settings).verification().algorithms());
        settings.remove(ConfigKeys.JWT_ALGORITHMS);
        settings.put(ConfigKeys.JWT_PUBLIC_KEY, pss384Pem);
        assertEquals(Set.of(SigningAlgorithm.PS384), JwtGateConfig.of(settings).verification().algorithms());
    }

    @Test
    void whenTheRsaPublicExponentIs3ThenTheKeyIsRead() {
        // e = 3 is an RSA key (RFC 8017: odd, from 3), unlike 1 or an even one.
        Map<String, String> settings = valid();
        settings.remove(ConfigKeys.JWT_SECRET);
        settings.put(ConfigKeys.JWT_PUBLIC_KEY, resourcePath("keys/rsa-exponent-3-public.pem"));
        java.security.PublicKey key = JwtGateConfig.of(settings).verification().publicKey();
        assertEquals(java.math.BigInteger.valueOf(3), ((java.security.interfaces.RSAPublicKey) key).getPublicExponent());
    }

    @Test
    void whenPublicKeyIsAFilePathThenItIsRead(@org.junit.jupiter.api.io.TempDir java.nio.file.Path directory) throws Exception {
        java.nio.file.Path file = directory.resolve("key.pem");
        java.nio.file.Files.writeString(file, ecPem);
        Map<String, String> settings = valid();
        settings.remove(ConfigKeys.JWT_SECRET);
        settings.put(ConfigKeys.JWT_PUBLIC_KEY, file.toString());
        assertEquals(Set.of(SigningAlgorithm.ES256), JwtGateConfig.of(settings).verification().algorithms());
    }

    @Test
    void whenAnInlinePemCarriesItsLineBreaksAsBackslashNThenItIsRead() {
        // JWTGATE_JWT_PUBLIC_KEY="-----BEGIN PUBLIC KEY-----\nMFkw…\n-----END PUBLIC KEY-----" (a .env or JSON value)
        for (String lineBreak : List.of("\\n", "\\r\\n")) {
            Map<String, String> settings = valid();
            settings.remove(ConfigKeys.JWT_SECRET);
            settings.put(ConfigKeys.JWT_PUBLIC_KEY, ecPem.strip().replace("\r\n", "\n").replace("\n", lineBreak));
            assertEquals(Set.of(SigningAlgorithm.ES256), JwtGateConfig.of(settings).verification().algorithms(), lineBreak);
        }
    }

    @Test
    void whenAPrivateKeyFollowsThePublicKeyThenRefusedLikeAPrivateKeyAlone() throws Exception {
        // A key pair file (public then private, as some tools write it): only the first block was looked at.
        java.security.KeyPair pair = TestTokens.rsaKeyPair();
        String privatePem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        Map<String, String> settings = valid();
        settings.remove(ConfigKeys.JWT_SECRET);
        settings.put(ConfigKeys.JWT_PUBLIC_KEY, TestTokens.pem(pair) + privatePem);
        String message = failureMessage(settings);
        assertTrue(message.contains("[jwt.public-key]") && message.contains("private key"), message);
    }

    @Test
    void whenAPublicKeyLostALineOfItsBlockThenTheMessageSaysItIsCutShort() {
        // A copy that missed a line of the PEM: the JDK's reason for the RSA key was "IOException: null".
        for (java.security.PublicKey key : List.of(TestTokens.rsaKeyPair().getPublic(), TestTokens.ecKeyPair("secp384r1").getPublic())) {
            List<String> lines = new java.util.ArrayList<>(List.of(Base64.getMimeEncoder(64, new byte[] {'\n'})
                    .encodeToString(key.getEncoded()).split("\n")));
            lines.remove(1);
            Map<String, String> settings = valid();
            settings.remove(ConfigKeys.JWT_SECRET);
            settings.put(ConfigKeys.JWT_PUBLIC_KEY, "-----BEGIN PUBLIC KEY-----\n" + String.join("\n", lines)
                    + "\n-----END PUBLIC KEY-----\n");
            int length = key.getEncoded().length;
            String message = failureMessage(settings);
            assertTrue(message.contains("[jwt.public-key]") && message.contains("the PUBLIC KEY is cut short: its block holds "
                    + (length - 48) + " bytes of the " + length + " its DER announces"), message);
        }
    }

    @Test
    void whenAnEncryptedLegacyPrivateKeyPrecedesThePublicKeyThenRefusedLikeAnyPrivateKey() {
        // A key pair file, private first, its key encrypted the OpenSSL 1.x way (`openssl genrsa -aes256`): the
        // Proc-Type/DEK-Info headers keep the block from matching, so the public key after it was the "first" block,
        // and only what followed that was searched for a private key. The docs say any private key refuses to start.
        String encrypted = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
                + "DEK-Info: AES-256-CBC,0123456789ABCDEF0123456789ABCDEF\n\n"
                + Base64.getMimeEncoder().encodeToString(new byte[600]) + "\n-----END RSA PRIVATE KEY-----\n";
        Map<String, String> settings = valid();
        settings.remove(ConfigKeys.JWT_SECRET);
        settings.put(ConfigKeys.JWT_PUBLIC_KEY, encrypted + rsaPem);
        String message = failureMessage(settings);
        assertTrue(message.contains("[jwt.public-key]") && message.contains("private key"), message);
    }

    @Test
    void whenThePemHoldsTwoPublicKeysThenRefusedRatherThanOneSilentlyIgnored() {
        // Both keys of a rotation pasted together: tokens of the second would all be refused, nothing said at start.
        Map<String, String> settings = valid();
        settings.remove(ConfigKeys.JWT_SECRET);
        settings.put(ConfigKeys.JWT_PUBLIC_KEY, rsaPem + TestTokens.pem(TestTokens.rsaKeyPair()));
        String message = failureMessage(settings);
        assertTrue(message.contains("[jwt.public-key]") && message.contains("one public key"), message);
    }

    @Test
    void whenTheCertificateIsFollowedByItsChainThenTheFirstCertificatesKeyIsUsed() {
        // fullchain.pem: the leaf first, then the certificates that issued it (here the same one twice).
        Certificates.SelfSigned leaf = Certificates.selfSignedRsa();
        Map<String, String> settings = valid();
        settings.remove(ConfigKeys.JWT_SECRET);
        settings.put(ConfigKeys.JWT_PUBLIC_KEY, leaf.pem() + leaf.pem());
        assertEquals(leaf.certificate().getPublicKey(), JwtGateConfig.of(settings).verification().publicKey());
    }

    @Test
    void whenTheChainStartsWithTheSignersCertificateThenItsKeyIsUsedNotItsIssuers() throws Exception {
        Map<String, String> settings = valid();
        settings.remove(ConfigKeys.JWT_SECRET);
        settings.put(ConfigKeys.JWT_PUBLIC_KEY, resourcePath("keys/chain-signer-first.pem"));
        java.security.cert.X509Certificate signer = firstCertificate("keys/chain-signer-first.pem");
        assertEquals("CN=jwtgate-test-signer", signer.getSubjectX500Principal().getName());
        assertEquals(signer.getPublicKey(), JwtGateConfig.of(settings).verification().publicKey());
    }

    @Test
    void whenASelfSignedCertificateIsFollowedByAnEarlierOneOfTheSameKeyThenThatKeyIsUsed() throws Exception {
        // A self-signed signer's certificate renewed with its key kept (`cat new.crt old.crt`): the first "issued" the
        // second, but its key is the one that signs tokens. It was refused as a chain written issuer first.
        Map<String, String> settings = valid();
        settings.remove(ConfigKeys.JWT_SECRET);
        settings.put(ConfigKeys.JWT_PUBLIC_KEY, resourcePath("keys/self-signed-renewed-same-key.pem"));
        assertEquals(firstCertificate("keys/self-signed-renewed-same-key.pem").getPublicKey(),
                JwtGateConfig.of(settings).verification().publicKey());
    }

    /** The first certificate of a PEM resource, as a chain file's reader finds it. */
    private static java.security.cert.X509Certificate firstCertificate(String resource) throws Exception {
        try (var in = JwtGateConfigTest.class.getResourceAsStream("/" + resource)) {
            return (java.security.cert.X509Certificate)
                    java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    @Test
    void whenAPublicKeyIsFollowedByACertificateOfAnotherKeyThenRefusedLikeASecondPublicKey() {
        // The old key and the new one's certificate pasted together for a rotation: a public key has no chain, so
        // the certificate's key was ignored without a word and its tokens all refused, as a second PUBLIC KEY was.
        Certificates.SelfSigned other = Certificates.selfSignedRsa();
        Map<String, String> settings = valid();
        settings.remove(ConfigKeys.JWT_SECRET);
        settings.put(ConfigKeys.JWT_PUBLIC_KEY, rsaPem + other.pem());
        String message = failureMessage(settings);
        assertTrue(message.contains("[jwt.public-key]") && message.contains("one public key"), message);

        // A public key with its own certificate is still one key.
        java.security.PublicKey own = other.certificate().getPublicKey();
        settings.put(ConfigKeys.JWT_PUBLIC_KEY, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(own.getEncoded()) + "\n-----END PUBLIC KEY-----\n" + other.pem());
        assertEquals(own, JwtGateConfig.of(settings).verification().publicKey());
    }

    @Test
    void whenThePublicKeyFileStartsWithAByteOrderMarkOrHoldsNonAsciiCommentsThenItIsRead(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path directory) throws Exception {
        // Notepad saves UTF-8 with a BOM; `openssl pkcs12` writes "Bag Attributes" lines (a friendlyName may be
        // any text) before the block. Both were "neither an inline PEM nor a readable file".
        for (String content : List.of("\uFEFF" + ecPem, "Bag Attributes\n    friendlyName: clé de signature\n" + ecPem)) {
            java.nio.file.Path file = java.nio.file.Files.writeString(directory.resolve("key.pem"), content, StandardCharsets.UTF_8);
            Map<String, String> settings = valid();
            settings.remove(ConfigKeys.JWT_SECRET);
            settings.put(ConfigKeys.JWT_PUBLIC_KEY, file.toString());
            assertEquals(Set.of(SigningAlgorithm.ES256), JwtGateConfig.of(settings).verification().algorithms());
        }
    }

    @Test
    void whenThePublicKeyFileIsUtf16ThenRefusedNamingTheFileAndItsEncoding(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path directory) throws Exception {
        // PowerShell's Out-File and Notepad's "Unicode" save UTF-16, which an editor shows as the PEM it holds: the
        // start said only "no PEM block found", naming neither the file nor its encoding.
        for (java.nio.charset.Charset utf16 : List.of(StandardCharsets.UTF_16LE, StandardCharsets.UTF_16)) {
            java.nio.file.Path file = java.nio.file.Files.write(directory.resolve("key.pem"), ecPem.getBytes(utf16));
            Map<String, String> settings = valid();
            settings.remove(ConfigKeys.JWT_SECRET);
            settings.put(ConfigKeys.JWT_PUBLIC_KEY, file.toString());
            String message = failureMessage(settings);
            assertTrue(message.startsWith("Invalid setting [jwt.public-key]: the file [" + file + "] holds no PEM block")
                    && message.contains("UTF-16"), message);
        }
    }

    @Test
    void whenPublicKeyIsACertificateThenItsKeyIsUsed() throws Exception {
        // A self-signed certificate made by the JDK's keytool: the format administrators paste.
        Certificates.SelfSigned selfSigned = Certificates.selfSignedRsa();
        Map<String, String> settings = valid();
        settings.remove(ConfigKeys.JWT_SECRET);
        settings.put(ConfigKeys.JWT_PUBLIC_KEY, selfSigned.pem());
        VerificationSettings verification = JwtGateConfig.of(settings).verification();
        assertEquals(Set.of(SigningAlgorithm.RS256), verification.algorithms());
        assertEquals(selfSigned.certificate().getPublicKey(), verification.publicKey());
    }

    @Test
    void whenPathsConfiguredThenRulesApply() {
        Map<String, String> settings = valid();
        settings.put(ConfigKeys.PATHS_EXCLUDE, "/health, /static/*, *.css");
        settings.put(ConfigKeys.PATHS_OPTIONAL, "/home");
        settings.put(ConfigKeys.PATHS_ROLES, "/admin/*=admin;/reports/*=analyst|admin");
        PathRules paths = JwtGateConfig.of(settings).paths();
        assertEquals(PathRules.Access.PUBLIC, paths.access("/health"));
        assertEquals(PathRules.Access.PUBLIC, paths.access("/static/app.js"));
        assertEquals(PathRules.Access.PUBLIC, paths.access("/x/site.css"));
        assertEquals(PathRules.Access.OPTIONAL, paths.access("/home"));
        assertEquals(PathRules.Access.PROTECTED, paths.access("/api"));
        assertEquals(Set.of("admin"), paths.requiredRoles("/admin/users"));
        assertEquals(Set.of("analyst", "admin"), paths.requiredRoles("/reports/q1"));
        assertEquals(Set.of(), paths.requiredRoles("/api"));
    }

    @Test
    void whenAPathsItemSpansLinesThenRefusedAsForEveryOtherList() {
        // One rule per line in web.xml, the ';' forgotten: read as one rule whose role nobody has, /admin/* was
        // closed to everyone and /reports/* open to any user, with nothing said at start-up.
        Map<String, String> settings = valid();
        settings.put(ConfigKeys.PATHS_ROLES, "/admin/*=admin\n    /reports/*=analyst");
        String roles = failureMessage(settings);
        assertTrue(roles.contains("[paths.roles]") && roles.contains("spans lines"), roles);

        settings = valid();
        settings.put(ConfigKeys.PATHS_EXCLUDE, "/health\n    /static/*");
        String exclude = failureMessage(settings);
        assertTrue(exclude.contains("[paths.exclude]") && exclude.contains("spans lines"), exclude);

        settings = valid();
        settings.put(ConfigKeys.PATHS_OPTIONAL, "/home\t/catalog/*");
        String optional = failureMessage(settings);
        assertTrue(optional.contains("[paths.optional]") && optional.contains("spans lines"), optional);

        // Over several lines with the separators at the ends, as the docs allow, is fine.
        settings = valid();
        settings.put(ConfigKeys.PATHS_EXCLUDE, "\n    /health,\n    /static/*\n");
        settings.put(ConfigKeys.PATHS_ROLES, "\n    /admin/*=admin;\n    /reports/*=analyst|\n    admin\n");
        PathRules paths = JwtGateConfig.of(settings).paths();
        assertEquals(PathRules.Access.PUBLIC, paths.access("/static/app.js"));
        assertEquals(Set.of("admin"), paths.requiredRoles("/admin/x"));
        assertEquals(Set.of("analyst", "admin"), paths.requiredRoles("/reports/q1"));
    }

    @Test
    void whenAPathsValueHoldsOnlySeparatorsThenRefusedAsForEveryOtherList() {
        // Read as no rules, two references that expanded to nothing switched every role check off.
        Map<String, String> settings = valid();
        settings.put(ConfigKeys.PATHS_ROLES, "${env:ADMIN_RULES};${env:REPORT_RULES}");
        String roles = assertThrows(ConfigurationException.class, () -> JwtGateConfig.load(settings,
                ConfigSources.of(Map.of("ADMIN_RULES", "", "REPORT_RULES", ""), Map.of()))).getMessage();
        assertTrue(roles.contains("[paths.roles]") && roles.contains("[;]") && roles.contains("no rule"), roles);

        for (String key : new String[] {ConfigKeys.PATHS_EXCLUDE, ConfigKeys.PATHS_OPTIONAL}) {
            Map<String, String> patterns = valid();
            patterns.put(key, " , ");
            String message = failureMessage(patterns);
            assertTrue(message.contains("[" + key + "]") && message.contains("no pattern"), message);
        }
    }

    @Test
    void whenValuesDifferInCaseThenChoicesAreCaseInsensitive() {
        Map<String, String> settings = valid();
        settings.put(ConfigKeys.REVOCATION_STORE, "MEMORY");
        settings.put(ConfigKeys.CSRF_MODE, "Off");
        settings.put(ConfigKeys.REVOCATION_NEAR_CACHE, "FALSE");
        JwtGateConfig config = JwtGateConfig.of(settings);
        assertEquals(RevocationSettings.StoreType.MEMORY, config.revocation().store());
        assertEquals(CsrfMode.OFF, config.csrfMode());
        assertFalse(config.revocation().nearCache());
    }

    // ---- DPoP ----------------------------------------------------------------------------------

    static Stream<Arguments> invalidDpopConfigurations() {
        String nonceSecret = SECRET; // 36 bytes, holds the marker
        return Stream.of(
                invalid("dpop.mode unknown", set(ConfigKeys.DPOP_MODE, "on"), "[dpop.mode]", "[on]", "off, allowed, required"),
                invalid("dpop with revocation.store=none", set(ConfigKeys.DPOP_MODE, "allowed", ConfigKeys.REVOCATION_STORE, "none"),
                        "[dpop.mode]", "[revocation.store]", "[none]"),
                invalid("dpop required with revocation.store=none", set(ConfigKeys.DPOP_MODE, "required",
                        ConfigKeys.REVOCATION_STORE, "none"), "[dpop.mode]", "[required]", "[none]"),
                invalid("none among the proof algorithms", set(ConfigKeys.DPOP_MODE, "allowed", ConfigKeys.DPOP_ALGORITHMS, "ES256,none"),
                        "[dpop.algorithms]", "[none]"),
                invalid("HMAC among the proof algorithms", set(ConfigKeys.DPOP_MODE, "allowed", ConfigKeys.DPOP_ALGORITHMS, "ES256,HS256"),
                        "[dpop.algorithms]", "[HS256]", "public-key"),
                invalid("unknown proof algorithm", set(ConfigKeys.DPOP_MODE, "allowed", ConfigKeys.DPOP_ALGORITHMS, "ES999"),
                        "[dpop.algorithms]", "[ES999]"),
                invalid("no proof algorithm", set(ConfigKeys.DPOP_MODE, "allowed", ConfigKeys.DPOP_ALGORITHMS, " , "),
                        "[dpop.algorithms]"),
                invalid("proof max age zero", set(ConfigKeys.DPOP_MODE, "allowed", ConfigKeys.DPOP_PROOF_MAX_AGE_SECONDS, "0"),
                        "[dpop.proof-max-age-seconds]", "[0]", "5 to 3600"),
                invalid("proof max age not a number", set(ConfigKeys.DPOP_PROOF_MAX_AGE_SECONDS, "1m"),
                        "[dpop.proof-max-age-seconds]", "[1m]"),
                invalid("dpop.nonce unknown", set(ConfigKeys.DPOP_MODE, "allowed", ConfigKeys.DPOP_NONCE, "optional"),
                        "[dpop.nonce]", "[optional]", "off, required"),
                invalid("nonce required while dpop is off", set(ConfigKeys.DPOP_NONCE, "required",
                        ConfigKeys.DPOP_NONCE_SECRET, nonceSecret), "[dpop.nonce]", "[dpop.mode]", "[off]"),
                invalid("nonce required without a secret", set(ConfigKeys.DPOP_MODE, "allowed", ConfigKeys.DPOP_NONCE, "required"),
                        "[dpop.nonce-secret]", "[dpop.nonce=required]"),
                invalid("nonce secret of 31 bytes", set(ConfigKeys.DPOP_MODE, "allowed", ConfigKeys.DPOP_NONCE, "required",
                        ConfigKeys.DPOP_NONCE_SECRET, nonceSecret.substring(0, 31)), "[dpop.nonce-secret]", "31 bytes", "32"),
                invalid("nonce secret not decodable", set(ConfigKeys.DPOP_MODE, "allowed", ConfigKeys.DPOP_NONCE, "required",
                        ConfigKeys.DPOP_NONCE_SECRET, "base64:" + SECRET_MARKER + "!!"), "[dpop.nonce-secret]", "base64"),
                invalid("nonce secret prefix not in lower case", set(ConfigKeys.DPOP_MODE, "allowed", ConfigKeys.DPOP_NONCE,
                        "required", ConfigKeys.DPOP_NONCE_SECRET, "Base64:" + nonceSecret), "[dpop.nonce-secret]", "lower case"),
                invalid("nonce secret a public key's PEM", set(ConfigKeys.DPOP_MODE, "allowed", ConfigKeys.DPOP_NONCE, "required",
                        ConfigKeys.DPOP_NONCE_SECRET, "@rsa"), "[dpop.nonce-secret]", "PEM"),
                invalid("nonce secret a public key's base64 body", set(ConfigKeys.DPOP_MODE, "allowed", ConfigKeys.DPOP_NONCE,
                        "required", ConfigKeys.DPOP_NONCE_SECRET, "@rsa-body"), "[dpop.nonce-secret]", "public key"),
                invalid("nonce secret a file's path", set(ConfigKeys.DPOP_MODE, "allowed", ConfigKeys.DPOP_NONCE, "required",
                        ConfigKeys.DPOP_NONCE_SECRET, "@keys/README.md"), "[dpop.nonce-secret]", "${file:"),
                invalid("nonce secret without nonces", set(ConfigKeys.DPOP_MODE, "allowed", ConfigKeys.DPOP_NONCE_SECRET, nonceSecret),
                        "[dpop.nonce-secret]", "[dpop.nonce]", "[off]"),
                invalid("nonce lifetime below 10 s", set(ConfigKeys.DPOP_MODE, "allowed", ConfigKeys.DPOP_NONCE_LIFETIME_SECONDS, "9"),
                        "[dpop.nonce-lifetime-seconds]", "[9]"),
                invalid("public base URL while dpop is off", set(ConfigKeys.DPOP_PUBLIC_BASE_URL, "https://api.example.com"),
                        "[dpop.public-base-url]", "[dpop.mode]"),
                invalid("public base URL with a path", set(ConfigKeys.DPOP_MODE, "allowed",
                        ConfigKeys.DPOP_PUBLIC_BASE_URL, "https://api.example.com/app"), "[dpop.public-base-url]", "[https://api.example.com/app]"),
                invalid("public base URL with a query", set(ConfigKeys.DPOP_MODE, "allowed",
                        ConfigKeys.DPOP_PUBLIC_BASE_URL, "https://api.example.com?x=1"), "[dpop.public-base-url]"),
                invalid("public base URL with a user", set(ConfigKeys.DPOP_MODE, "allowed",
                        ConfigKeys.DPOP_PUBLIC_BASE_URL, "https://user@api.example.com"), "[dpop.public-base-url]"),
                invalid("public base URL with a password and a host java.net.URI cannot read", set(ConfigKeys.DPOP_MODE,
                        "allowed", ConfigKeys.DPOP_PUBLIC_BASE_URL, "https://user:" + SECRET + "@my_api.example.com"),
                        "[dpop.public-base-url]", "user:password"),
                invalid("public base URL of another scheme", set(ConfigKeys.DPOP_MODE, "allowed",
                        ConfigKeys.DPOP_PUBLIC_BASE_URL, "ftp://api.example.com"), "[dpop.public-base-url]", "[ftp://api.example.com]"),
                invalid("public base URL without a host", set(ConfigKeys.DPOP_MODE, "allowed",
                        ConfigKeys.DPOP_PUBLIC_BASE_URL, "https:///"), "[dpop.public-base-url]"),
                invalid("public base URL garbage", set(ConfigKeys.DPOP_MODE, "allowed",
                        ConfigKeys.DPOP_PUBLIC_BASE_URL, "::nope::"), "[dpop.public-base-url]", "[::nope::]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidDpopConfigurations")
    void whenDpopConfigurationInvalidThenMessageNamesTheKey(String description, Consumer<Map<String, String>> change,
                                                            List<String> mustMention) {
        whenConfigurationInvalidThenMessageNamesTheKey(description, change, mustMention);
    }

    @Test
    void whenNoDpopKeyThenDpopIsOffWithTheDocumentedDefaults() {
        DpopSettings dpop = JwtGateConfig.of(valid()).dpop();
        assertEquals(DpopSettings.OFF, dpop);
        assertEquals(DpopSettings.Mode.OFF, dpop.mode());
        assertFalse(dpop.enabled());
        assertEquals(List.of(SigningAlgorithm.ES256, SigningAlgorithm.EdDSA, SigningAlgorithm.RS256, SigningAlgorithm.PS256),
                dpop.algorithms());
        assertEquals("ES256 EdDSA RS256 PS256", dpop.challengeAlgorithms());
        assertEquals(60, dpop.proofMaxAgeSeconds());
        assertFalse(dpop.nonceRequired());
        assertNull(dpop.nonceSecret());
        assertEquals(300, dpop.nonceLifetimeSeconds());
        assertNull(dpop.publicBaseUrl());
    }

    @Test
    void whenDpopConfiguredThenEverySettingIsParsed() {
        Map<String, String> settings = valid();
        settings.put(ConfigKeys.DPOP_MODE, "Required");
        settings.put(ConfigKeys.DPOP_ALGORITHMS, "eddsa, ES256, ES256");
        settings.put(ConfigKeys.DPOP_PROOF_MAX_AGE_SECONDS, "30");
        settings.put(ConfigKeys.DPOP_NONCE, "required");
        settings.put(ConfigKeys.DPOP_NONCE_SECRET, "nonce-" + SECRET);
        settings.put(ConfigKeys.DPOP_NONCE_LIFETIME_SECONDS, "120");
        settings.put(ConfigKeys.DPOP_PUBLIC_BASE_URL, "HTTPS://API.Example.com:8443/");
        JwtGateConfig config = JwtGateConfig.of(settings);
        DpopSettings dpop = config.dpop();
        assertEquals(DpopSettings.Mode.REQUIRED, dpop.mode());
        assertEquals(List.of(SigningAlgorithm.EdDSA, SigningAlgorithm.ES256), dpop.algorithms());
        assertEquals(30, dpop.proofMaxAgeSeconds());
        assertTrue(dpop.nonceRequired());
        assertEquals(("nonce-" + SECRET).length(), dpop.nonceSecret().length);
        assertEquals(120, dpop.nonceLifetimeSeconds());
        assertEquals("https://api.example.com:8443", dpop.publicBaseUrl().toString());
        for (String text : List.of(dpop.toString(), config.describe(), config.toString())) {
            assertFalse(text.contains(SECRET_MARKER), text);
        }
        assertTrue(config.describe().contains("dpop.nonce-secret=****"), config.describe());
    }

    @Test
    void whenDpopAllowedWithTheMemoryStoreThenAccepted() {
        Map<String, String> settings = valid();
        settings.put(ConfigKeys.DPOP_MODE, "allowed");
        assertEquals(DpopSettings.Mode.ALLOWED, JwtGateConfig.of(settings).dpop().mode());
    }

    @Test
    void whenNonceSecretIsBase64ThenItsDecodedBytesCount() {
        Map<String, String> settings = valid();
        settings.put(ConfigKeys.DPOP_MODE, "allowed");
        settings.put(ConfigKeys.DPOP_NONCE, "required");
        settings.put(ConfigKeys.DPOP_NONCE_SECRET, "base64:" + Base64.getEncoder().encodeToString(new byte[32]));
        assertEquals(32, JwtGateConfig.of(settings).dpop().nonceSecret().length);
        settings.put(ConfigKeys.DPOP_NONCE_SECRET, "base64:" + Base64.getEncoder().encodeToString(new byte[31]));
        assertTrue(failureMessage(settings).contains("31 bytes"));
    }
}
