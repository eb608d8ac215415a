package org.jwtgate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.ConfigSources;
import org.jwtgate.testing.ClusterApps;
import org.jwtgate.testing.JettyApp;
import org.jwtgate.testkit.http.RawHttp;
import org.jwtgate.testkit.junit.RedisClusterExtension;
import org.jwtgate.testkit.logs.CapturedLog;
import org.jwtgate.testkit.tokens.DpopKey;
import org.jwtgate.testkit.tokens.RawJws;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * Seeded random mutation of valid requests, over HTTP, against two real Jetty 12 instances whose revocations and
 * one-time DPoP proof records live in a real Redis Cluster: one verifying HS256 tokens with a secret, one RS256 and
 * ES256 tokens from a JWKS; both with {@code dpop.mode=allowed}, {@code /admin/*=admin}, {@code /public/*}
 * excluded and {@code /optional/*} optional. Valid tokens (HS256, RS256, ES256, DPoP-bound with their proofs, and
 * some revoked) are mutated: bytes flipped, inserted or deleted in each segment; base64url edge cases (padding,
 * {@code +/}, whitespace, non-ASCII, overlong); JSON edge cases, signed with the real key (duplicate members, deep
 * nesting, huge and exponent numbers, escapes, NUL, lone surrogates, arrays for strings); header, cookie, scheme,
 * path and method variants; and the proofs likewise.
 *
 * <p>The oracle, for every request: an answer (no hang, no dropped connection) of 200, 400, 401, 403 or 503 (or
 * Jetty's own 431 for a head above its limit); a refusal by the filter carries an RFC 6750 / RFC 9449
 * {@code WWW-Authenticate} matching its JSON body (503: {@code Retry-After}); a 200 on a protected path only for a
 * request whose token means the same as the unmutated one (its header and payload segments unchanged), as that
 * token's subject, never for a revoked token; no answer or log line holds a token's segment or its claims.
 *
 * <p>Deterministic: the seed ({@code -Djwtgate.fuzz.seed}) fixes every choice; {@code -Djwtgate.fuzz.cases} sets
 * the number of cases (default 3000). A failure names the case number and seed to replay it.
 */
class TokenFuzzIT {

    @RegisterExtension
    static final RedisClusterExtension REDIS = new RedisClusterExtension();

    private static final long SEED = Long.getLong("jwtgate.fuzz.seed", 0x5EEDF022L);
    private static final int CASES = Integer.getInteger("jwtgate.fuzz.cases", 3000);
    /** Jetty's header limit: above {@code token.max-length} (8192), so overlong tokens reach the filter. */
    private static final int HEADER_LIMIT = 16 * 1024;
    /** In every token's claims: must never appear in an answer or a log line. */
    private static final String MARKER = "FUZZ-MARKER-3c9e";
    private static final String B64URL_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    /** What an insertion puts in: base64 edge characters, separators, whitespace, control, non-ASCII (Latin-1 and UTF-8 bytes). */
    private static final String[] INSERTS = {"A", "-", "_", "+", "/", "=", "==", ".", " ", "\t", "%2E", "\u00c3\u00a9",
        "\u00e9", "\u0000", "\u0001", "\"", ",", ";", "\\", "\u00a0", "~", "\u00ff", "\u007f", "\r", "*", "$"};
    private static final Pattern CHALLENGE = Pattern.compile("(Bearer|DPoP) realm=\"[^\"\\\\]*\""
            + "(, error=\"([a-z_]+)\", error_description=\"[\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]+\")?"
            + "(, scope=\"[\\x21\\x23-\\x5b\\x5d-\\x7e]+( [\\x21\\x23-\\x5b\\x5d-\\x7e]+)*\")?"
            + "(, algs=\"[A-Za-z0-9]+( [A-Za-z0-9]+)*\")?");
    private static final Pattern BODY = Pattern.compile("\\{\"error\":\"([a-z_]+)\",\"error_description\":\"[^\"\\\\]+\"}");
    private static final Set<String> ERRORS = Set.of("invalid_request", "invalid_token", "insufficient_scope",
            "invalid_dpop_proof", "use_dpop_nonce");

    private static final KeyPair RSA = TestTokens.rsaKeyPair();
    private static final KeyPair EC = TestTokens.ecKeyPair("secp256r1");
    private static final DpopKey CLIENT = DpopKey.es256();
    /** What the applications log, from their start to their stop. */
    private static CapturedLog appLog;
    private static JettyApp hmac;
    private static JettyApp publicKeys;
    /** {@code dpop.mode=required} with nonces, behind the public origin {@link #PUBLIC_BASE}. */
    private static JettyApp nonces;
    private static final String PUBLIC_BASE = "https://api.example.com";
    /** A nonce {@link #nonces} issued at the start (valid for the run: the lifetime is 300 s). */
    private static String nonce;
    /** Revoked at the start: a revocation waits for a replica, too slow to make one per case. */
    private static final List<Base> REVOKED_TOKENS = new ArrayList<>();

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        appLog = CapturedLog.standardError();
        PublicJsonWebKey rsa = PublicJsonWebKey.Factory.newPublicJwk(RSA.getPublic());
        rsa.setKeyId("rsa-1");
        rsa.setAlgorithm("RS256");
        PublicJsonWebKey ec = PublicJsonWebKey.Factory.newPublicJwk(EC.getPublic());
        ec.setKeyId("ec-1");
        ec.setAlgorithm("ES256");
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, new JsonWebKeySet(rsa, ec).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
        hmac = start(Map.of());
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put(ConfigKeys.JWT_SECRET, null);
        keys.put(ConfigKeys.JWT_JWKS_URI, jwks.toUri().toString());
        keys.put(ConfigKeys.JWT_ALGORITHMS, "RS256,ES256");
        publicKeys = start(keys);
        nonces = start(Map.of(ConfigKeys.DPOP_MODE, "required", ConfigKeys.DPOP_NONCE, "required",
                ConfigKeys.DPOP_NONCE_SECRET, "fuzz-nonce-secret-0123456789abcdef", ConfigKeys.DPOP_PUBLIC_BASE_URL, PUBLIC_BASE));
        String first = TestTokens.hs256(DpopKey.bind(claims("nonce-seeker", false), CLIENT));
        nonce = RawHttp.get(nonces.port(), "/api/x", "Authorization: DPoP " + first,
                "DPoP: " + CLIENT.proof("GET", PUBLIC_BASE + "/api/x").accessToken(first).sign()).header("DPoP-Nonce");
        assertTrue(nonce != null && nonce.length() > 16, "no DPoP-Nonce from the nonce application");
        Random random = new Random(SEED);
        for (int i = 0; i < 8; i++) {
            String subject = "revoked" + i;
            JwtClaims claims = claims(subject, random.nextBoolean());
            String token = TestTokens.hs256(claims);
            hmac.filter().gate().revocation().revokeToken(ClusterApps.ref(hmac, token));
            REVOKED_TOKENS.add(new Base(Kind.REVOKED, hmac, token, subject, (String) claims.getClaimValue("jti"),
                    claims.getStringListClaimValue("groups").contains("admin")));
        }
    }

    private static JettyApp start(Map<String, String> extra) throws Exception {
        Map<String, String> params = ClusterApps.settings(REDIS.cluster().nodesSpec(),
                ConfigKeys.DPOP_MODE, "allowed", ConfigKeys.PATHS_EXCLUDE, "/public/*",
                ConfigKeys.PATHS_OPTIONAL, "/optional/*", ConfigKeys.PATHS_ROLES, "/admin/*=admin");
        extra.forEach((key, value) -> {
            if (value == null) {
                params.remove(key);
            } else {
                params.put(key, value);
            }
        });
        return JettyApp.start(JwtAuthFilter.builder().sources(ConfigSources.none()).build(), params, HEADER_LIMIT);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            for (JettyApp app : new JettyApp[] {hmac, publicKeys, nonces}) {
                if (app != null) {
                    app.close();
                }
            }
        } finally {
            if (appLog != null) {
                appLog.close();
            }
        }
    }

    // ---- the material: valid tokens and requests ------------------------------------------------------------

    enum Kind { HS256, RS256, ES256, DPOP, REVOKED }

    /** A valid token, the application that accepts it, and whom it authenticates. */
    record Base(Kind kind, JettyApp app, String token, String subject, String tokenId, boolean admin) {
    }

    private static JwtClaims claims(String subject, boolean admin) {
        JwtClaims claims = admin ? TestTokens.claims(subject, "user", "admin") : TestTokens.claims(subject, "user");
        claims.setClaim("marker", MARKER);
        return claims;
    }

    private static Base base(Kind kind, Random random) {
        boolean admin = random.nextInt(4) == 0;
        String subject = "u" + Integer.toString(random.nextInt(1 << 20), 36);
        JwtClaims claims = claims(subject, admin);
        String jti = (String) claims.getClaimValue("jti");
        return switch (kind) {
            case HS256 -> new Base(kind, hmac, TestTokens.hs256(claims), subject, jti, admin);
            case RS256 -> new Base(kind, publicKeys, TestTokens.sign(claims, "RS256", RSA.getPrivate(),
                    jws -> jws.setKeyIdHeaderValue("rsa-1")), subject, jti, admin);
            case ES256 -> new Base(kind, publicKeys, TestTokens.sign(claims, "ES256", EC.getPrivate(),
                    jws -> jws.setKeyIdHeaderValue("ec-1")), subject, jti, admin);
            case DPOP -> new Base(kind, random.nextBoolean() ? hmac : nonces, TestTokens.hs256(DpopKey.bind(claims, CLIENT)),
                    subject, jti, admin);
            case REVOKED -> REVOKED_TOKENS.get(random.nextInt(REVOKED_TOKENS.size()));
        };
    }

    /**
     * One request of the fuzz and what a 200 may be: {@code passAs} null when none may pass, {@code "any"} for a
     * token whose claims the issuer signed as they are, else the subject it must show; {@code admin}: whether it may
     * hold the role admin.
     */
    record Case(String description, JettyApp app, String method, String path, List<String> headers, String passAs,
                boolean admin, List<String> secrets) {
    }

    private static final String[] PATHS = {"/api/x", "/api/x", "/api/x", "/admin/x", "/public/x", "/optional/x",
        "/api/x?a=1", "/api/../admin/x", "/api/%2e%2e/admin/x", "//admin/x", "/admin;x=1/y", "/api/x/",
        "/API/x", "/api/x%00", "/api/%C3%A9"};
    private static final String[] METHODS = {"GET", "GET", "GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH",
        "FROB", "get"};

    private static Case next(int number, Random random) {
        Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
        Base base = base(kind, random);
        String path = random.nextInt(3) == 0 ? PATHS[random.nextInt(PATHS.length)] : "/api/x";
        String method = random.nextInt(4) == 0 ? METHODS[random.nextInt(METHODS.length)] : "GET";
        List<String> secrets = new ArrayList<>(segmentsOf(base.token()));
        int what = random.nextInt(100);
        String name;
        String token = base.token();
        String passAs = kind == Kind.REVOKED ? null : base.subject();
        boolean admin = base.admin();
        List<String> headers = new ArrayList<>();
        if (what < 55) {
            Mutation m = mutate(token, random);
            name = "token " + m.what();
            token = m.token();
            if (!sameClaims(base.token(), token)) {
                passAs = null;
            }
        } else if (what < 75) {
            Json j = json(kind, base, random);
            name = "json " + j.what();
            token = j.token();
            secrets.addAll(segmentsOf(token));
            // A revoked token's claims spelled another way, with the same subject and jti, are as revoked.
            passAs = kind == Kind.REVOKED && j.sameToken() ? null : j.passAs();
            admin = j.admin();
        } else {
            name = "plain";
        }
        boolean dpop = kind == Kind.DPOP;
        String proof = dpop ? proof(base.app(), method, path, token) : null;
        if (dpop && what >= 75 && what < 88) {
            Mutation m = mutateProof(proof, base.app(), method, path, token, random);
            name = "proof " + m.what();
            if (!m.token().equals(proof)) {
                passAs = m.passes() ? passAs : null;
            }
            proof = m.token();
        }
        if (proof != null) {
            secrets.addAll(segmentsOf(proof));
        }
        if (what >= 88) {
            Variant v = variant(token, proof, base, random);
            name = "header " + v.what();
            headers.addAll(v.headers());
            passAs = v.passes() ? passAs : null;
        } else {
            headers.add("Authorization: " + (dpop ? "DPoP " : "Bearer ") + token);
            if (proof != null) {
                headers.add("DPoP: " + proof);
            }
        }
        return new Case("#" + number + " " + kind + " " + method + " " + path + ": " + name, base.app(), method, path,
                headers, passAs, admin, secrets);
    }

    // ---- token text mutations -------------------------------------------------------------------------------

    record Mutation(String what, String token, boolean passes) {
    }

    static Mutation mutate(String token, Random random) {
        List<String> segments = new ArrayList<>(List.of(token.split("\\.", -1)));
        int s = random.nextInt(segments.size());
        String segment = segments.get(s);
        int at = random.nextInt(segment.length() + 1);
        String what;
        switch (random.nextInt(14)) {
            case 0 -> {
                int i = Math.min(at, segment.length() - 1);
                char flipped = (char) (segment.charAt(i) ^ (1 << random.nextInt(7)));
                segments.set(s, segment.substring(0, i) + flipped + segment.substring(i + 1));
                what = "bit flipped in segment " + s;
            }
            case 1 -> {
                String insert = INSERTS[random.nextInt(INSERTS.length)];
                segments.set(s, segment.substring(0, at) + insert + segment.substring(at));
                what = "inserted " + visible(insert) + " in segment " + s;
            }
            case 2 -> {
                int i = Math.min(at, segment.length() - 1);
                segments.set(s, segment.substring(0, i) + segment.substring(i + 1));
                what = "deleted a char of segment " + s;
            }
            case 3 -> {
                segments.set(s, segment + "=".repeat(1 + random.nextInt(3)));
                what = "padding on segment " + s;
            }
            case 4 -> {
                String standard = segment.replace('-', '+').replace('_', '/');
                segments.set(s, standard.equals(segment) ? segment.substring(0, at) + "+/" + segment.substring(at) : standard);
                what = "standard alphabet in segment " + s;
            }
            case 5 -> {
                int extra = random.nextBoolean() ? 1 + random.nextInt(64) : 8200 - token.length();
                StringBuilder more = new StringBuilder(segment);
                for (int i = 0; i < extra; i++) {
                    more.append(B64URL_CHARS.charAt(random.nextInt(B64URL_CHARS.length())));
                }
                segments.set(s, more.toString());
                what = "overlong segment " + s + " (+" + extra + ")";
            }
            case 6 -> {
                segments.set(s, segment.substring(0, Math.min(at, segment.length())));
                what = "segment " + s + " cut to " + at;
            }
            case 7 -> {
                int other = random.nextInt(segments.size());
                segments.set(s, segments.get(other));
                segments.set(other, segment);
                what = "segments " + s + " and " + other + " swapped";
            }
            case 8 -> {
                switch (random.nextInt(4)) {
                    case 0 -> segments.add(segment);
                    case 1 -> segments.addAll(List.of(segment, segment));
                    case 2 -> segments.remove(s);
                    default -> segments.add(s, "");
                }
                what = segments.size() + " segments";
            }
            case 9 -> {
                int i = Math.min(at, segment.length() - 1);
                char c = segment.charAt(i);
                char swapped = Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
                segments.set(s, segment.substring(0, i) + swapped + segment.substring(i + 1));
                what = "case of a char of segment " + s;
            }
            case 10 -> {
                // The last character's unused low bits: another spelling of the same bytes.
                int last = segment.length() - 1;
                int value = B64URL_CHARS.indexOf(segment.charAt(last));
                int unused = switch (segment.length() % 4) {
                    case 2 -> 4;
                    case 3 -> 2;
                    default -> 0;
                };
                int spelled = unused == 0 ? value : (value & ~((1 << unused) - 1)) | random.nextInt(1 << unused);
                segments.set(s, segment.substring(0, last) + B64URL_CHARS.charAt(spelled));
                what = "unused bits of segment " + s;
            }
            case 11 -> {
                String space = List.of(" ", "\t", "\u00a0", "\u000b", "\u000c").get(random.nextInt(5));
                segments.set(s, segment.substring(0, at) + space + segment.substring(at));
                what = "whitespace " + visible(space) + " in segment " + s;
            }
            case 12 -> {
                int i = Math.min(at, segment.length() - 1);
                segments.set(s, segment.substring(0, i) + "%" + String.format("%02X", (int) segment.charAt(i))
                        + segment.substring(i + 1));
                what = "percent-encoded char in segment " + s;
            }
            default -> {
                // ES256's malleability (s -> n - s), or an RSA/HMAC signature with a byte changed.
                byte[] signature = Base64.getUrlDecoder().decode(segments.get(segments.size() - 1));
                if (signature.length == 64 && EC.getPrivate() instanceof ECPrivateKey key) {
                    BigInteger n = key.getParams().getOrder();
                    BigInteger sValue = new BigInteger(1, java.util.Arrays.copyOfRange(signature, 32, 64));
                    byte[] flipped = unsigned(n.subtract(sValue), 32);
                    System.arraycopy(flipped, 0, signature, 32, 32);
                    what = "ECDSA s replaced by n - s";
                } else {
                    signature[random.nextInt(signature.length)] ^= (byte) (1 + random.nextInt(255));
                    what = "signature byte changed";
                }
                segments.set(segments.size() - 1, Base64.getUrlEncoder().withoutPadding().encodeToString(signature));
            }
        }
        return new Mutation(what, String.join(".", segments), false);
    }

    /** Whether a mutated token still carries the original's header and claims, unchanged (only its signature may differ). */
    static boolean sameClaims(String original, String mutated) {
        String[] a = original.split("\\.", -1);
        String[] b = mutated.strip().split("\\.", -1);
        return b.length == 3 && a[0].equals(b[0]) && a[1].equals(b[1]) && b[2].chars().allMatch(c -> B64URL_CHARS.indexOf(c) >= 0);
    }

    // ---- JSON edge cases, signed with the real key ----------------------------------------------------------

    /** {@code admin}: whether the claims grant the role admin. */
    /** {@code sameToken}: the same subject and jti as the base token (revocations are keyed by both, and the issuer). */
    record Json(String what, String token, String passAs, boolean admin, boolean sameToken) {
    }

    private static Json json(Kind kind, Base base, Random random) {
        long now = System.currentTimeMillis() / 1000;
        String sub = base.subject();
        String jti = kind == Kind.REVOKED ? base.tokenId() : UUID.randomUUID().toString();
        Map<String, String> claims = new TreeMap<>(); // name -> JSON text
        claims.put("iss", RawJws.jsonString(TestTokens.ISSUER));
        claims.put("aud", RawJws.jsonString(TestTokens.AUDIENCE));
        claims.put("sub", RawJws.jsonString(sub));
        claims.put("jti", RawJws.jsonString(jti));
        claims.put("iat", Long.toString(now));
        claims.put("exp", Long.toString(now + 600));
        claims.put("groups", "[\"user\"]");
        claims.put("marker", RawJws.jsonString(MARKER));
        if (kind == Kind.DPOP) {
            claims.put("cnf", "{\"jkt\":" + RawJws.jsonString(CLIENT.thumbprint()) + "}");
        }
        String alg = switch (kind) {
            case RS256 -> "RS256";
            case ES256 -> "ES256";
            default -> "HS256";
        };
        String header = "{\"alg\":\"" + alg + "\"" + (kind == Kind.RS256 ? ",\"kid\":\"rsa-1\"" : kind == Kind.ES256
                ? ",\"kid\":\"ec-1\"" : "") + "}";
        String passAs = null;
        boolean admin = false;
        String extra = "";
        String what;
        String payload = null;
        switch (random.nextInt(30)) {
            case 0 -> {
                extra = ",\"sub\":\"mallory\"";
                what = "duplicate sub";
            }
            case 1 -> {
                header = header.substring(0, header.length() - 1) + ",\"alg\":\"none\"}";
                what = "duplicate alg";
            }
            case 2 -> {
                int depth = 1 + random.nextInt(4000);
                claims.put("deep", "[".repeat(depth) + "]".repeat(depth));
                what = "nesting " + depth;
                passAs = sub; // or refused as nested too deep
            }
            case 3 -> {
                int depth = 1 + random.nextInt(3000);
                claims.put("deep", "{\"a\":".repeat(depth) + "1" + "}".repeat(depth));
                what = "object nesting " + depth;
                passAs = sub;
            }
            case 4 -> {
                claims.put("exp", List.of("1e400", "9".repeat(400), "-1", "1.7976931348623157E308", "NaN",
                        "Infinity", "0x7fffffff", "-0", "1e-400").get(random.nextInt(9)));
                what = "exp " + claims.get("exp");
            }
            case 5 -> {
                claims.put("exp", (now + 600) / 10 + "0e0");
                claims.put("iat", new BigInteger(Long.toString(now)).toString() + ".0");
                passAs = sub;
                what = "exponent and fraction notation";
            }
            case 6 -> {
                claims.put("exp", String.format("%.9e", (double) (now + 600)));
                passAs = sub;
                what = "exp in exponent notation";
            }
            case 7 -> {
                claims.put(List.of("iat", "nbf").get(random.nextInt(2)), List.of("1e400", "9".repeat(40), "\"1\"",
                        "[1]", "{}", "true", "null", "-9223372036854775809").get(random.nextInt(8)));
                what = "iat or nbf odd: " + claims.getOrDefault("iat", "") + " " + claims.getOrDefault("nbf", "");
                passAs = "null".equals(claims.get("nbf")) ? sub : null; // a null nbf is no nbf
            }
            case 8 -> {
                claims.put("sub", "\"\\u" + String.format("%04x", (int) sub.charAt(0)) + sub.substring(1) + "\"");
                passAs = sub;
                what = "sub with a unicode escape";
            }
            case 9 -> {
                claims.put("iss", "\"https:\\/\\/issuer.example\"");
                passAs = sub;
                what = "iss with escaped slashes";
            }
            case 10 -> {
                claims.put("sub", "\"" + sub + "\\u0000\"");
                what = "NUL in sub";
                passAs = "any";
            }
            case 11 -> {
                claims.put(List.of("sub", "jti", "iss").get(random.nextInt(3)),
                        List.of("\"\\ud800\"", "\"a\\udc00b\"", "\"\\udbff\"").get(random.nextInt(3)));
                what = "lone surrogate";
                passAs = "any";
            }
            case 12, 13 -> {
                String name = List.of("iss", "sub", "jti", "groups", "cnf", "aud", "exp", "iat").get(random.nextInt(8));
                claims.put(name, List.of("[" + claims.get(name) + "]", "[]", "{}", "null", "1", "true", "[[\"x\"]]",
                        "\"\"").get(random.nextInt(8)));
                what = name + " = " + shorten(claims.get(name));
                // Only the roles may take any form; an array may hold the audience; a null cnf is no binding.
                passAs = name.equals("groups") || name.equals("cnf") && Set.of("null", "{}").contains(claims.get(name))
                        && kind != Kind.DPOP
                        ? "any" : name.equals("aud") && claims.get(name).startsWith("[\"") ? sub : null;
            }
            case 14 -> {
                payload = List.of("[]", "\"s\"", "123", "null", "{", "{}", "", "{\"sub\":\"a\"} x", "\ufeff{}",
                        "{\"a\":1,}").get(random.nextInt(10));
                what = "payload " + shorten(payload);
            }
            case 15 -> {
                header = List.of("{}", "[]", "{\"alg\":\"HS256\"", "{\"alg\":[\"HS256\"]}", "{\"alg\":\"hs256\"}",
                        "{\"alg\":\"" + alg + "\",\"crit\":[\"exp\"]}", "{\"alg\":\"" + alg + "\",\"b64\":false,\"crit\":[\"b64\"]}",
                        "{\"alg\":\"" + alg + "\",\"zip\":\"DEF\"}", "{\"alg\":\"" + alg + "\",\"kid\":[1]}",
                        "{\"alg\":\"" + alg + "\",\"kid\":\"" + "k".repeat(3000) + "\"}",
                        "{\"alg\":\"" + alg + "\",\"jku\":\"http://127.0.0.1:1/jwks\"}",
                        "{\"alg\":\"" + alg + "\",\"typ\":[\"JWT\"]}", "{\"alg\":\"" + alg + "\",\"typ\":\"\\u0000\"}",
                        "{\"alg\":\"" + alg + "\",\"x5c\":[\"AAAA\"]}", "{\"alg\":\"" + alg + "\",\"cty\":\"JWT\"}",
                        "{\"alg\":\"" + alg + "\",\"enc\":\"A128GCM\"}").get(random.nextInt(16));
                what = "header " + shorten(header);
                passAs = "any";
            }
            case 16 -> {
                claims.put("aud", "[" + RawJws.jsonString(TestTokens.AUDIENCE) + ",\"other\"]");
                passAs = sub;
                what = "aud as an array";
            }
            case 17 -> {
                claims.put("groups", List.of("\"admin\"", "\"user admin\"", "[\"admin\",1]", "[\"\\u0000admin\"]",
                        "[\"ADMIN\"]", "[\"admin\\u0000\"]", "{\"admin\":true}").get(random.nextInt(7)));
                what = "groups " + claims.get("groups");
                admin = Set.of("\"admin\"", "\"user admin\"", "[\"admin\",1]").contains(claims.get("groups"));
                passAs = sub;
            }
            case 18 -> {
                claims.put("big", "1" + "0".repeat(1 + random.nextInt(4000)));
                passAs = sub;
                what = "huge number in another claim";
            }
            case 19 -> {
                claims.put("big", "1e" + (1 + random.nextInt(999_999_999)));
                passAs = sub;
                what = "huge exponent in another claim";
            }
            case 20 -> {
                claims.put("s", "\"" + "\\u00e9\\ud83d\\ude00".repeat(1 + random.nextInt(200)) + "\"");
                passAs = sub;
                what = "escapes in another claim";
            }
            case 21 -> {
                claims.put("exp", Long.toString(now + 600) + ".999999999999999999999");
                passAs = sub;
                what = "exp with a long fraction";
            }
            case 22 -> {
                claims.put("sub", RawJws.jsonString(sub + " ".repeat(1 + random.nextInt(3))));
                what = "sub with trailing spaces";
                passAs = "any";
            }
            case 23 -> {
                extra = ",\"exp\":" + (now + 600_000);
                what = "duplicate exp";
            }
            case 24 -> {
                extra = ",\"iss\":\"https://evil.example\"";
                what = "duplicate iss";
            }
            case 25 -> {
                claims.put("cnf", List.of("{\"jkt\":[\"x\"]}", "{\"jkt\":\"\"}", "{\"jkt\":null}", "{\"jwk\":{}}",
                        "{\"jkt\":\"" + CLIENT.thumbprint() + "\",\"jkt\":\"x\"}", "\"" + CLIENT.thumbprint() + "\"")
                        .get(random.nextInt(6)));
                what = "cnf " + shorten(claims.get("cnf"));
                passAs = claims.get("cnf").equals("{\"jwk\":{}}") && kind != Kind.DPOP ? sub : null;
            }
            case 26 -> {
                // Invalid UTF-8 in the payload bytes.
                what = "invalid UTF-8";
                String body = toJson(claims, "");
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                byte[] bad = new byte[bytes.length + 2];
                System.arraycopy(bytes, 0, bad, 0, bytes.length - 1);
                bad[bytes.length - 1] = (byte) 0xC3;
                bad[bytes.length] = (byte) 0x28;
                bad[bytes.length + 1] = '}';
                return new Json(what, signRaw(kind, RawJws.b64(header.getBytes(StandardCharsets.UTF_8)) + "."
                        + RawJws.b64(bad)), null, false, true);
            }
            case 27 -> {
                claims.put("jti", RawJws.jsonString("j".repeat(1 + random.nextInt(5000))));
                passAs = "any";
                what = "long jti";
            }
            case 28 -> {
                claims.put("sub", RawJws.jsonString(List.of("a\r\nb", "\u202e", "a\"b", "a\\b", "*", "..", "{}",
                        "%00", "\u00e9").get(random.nextInt(9))));
                passAs = "any";
                what = "odd sub";
            }
            default -> {
                what = "whitespace around members";
                payload = " {\n\t" + toJson(claims, "").substring(1).replace(",", " ,\r\n ").replace(":", " : ") + " ";
                passAs = sub;
            }
        }
        if (payload == null) {
            payload = toJson(claims, extra);
        }
        String input = RawJws.b64(header) + "." + RawJws.b64(payload);
        boolean sameToken = claims.get("jti").equals(RawJws.jsonString(jti))
                && (claims.get("sub").equals(RawJws.jsonString(sub)) || what.equals("sub with a unicode escape"));
        return new Json(what, signRaw(kind, input), passAs, admin, sameToken);
    }

    private static String toJson(Map<String, String> claims, String extra) {
        StringBuilder json = new StringBuilder("{");
        claims.forEach((name, value) -> json.append(json.length() > 1 ? "," : "").append('"').append(name).append("\":")
                .append(value));
        return json.append(extra).append('}').toString();
    }

    private static String signRaw(Kind kind, String input) {
        byte[] data = input.getBytes(StandardCharsets.US_ASCII);
        try {
            byte[] signature;
            switch (kind) {
                case RS256 -> signature = sign("SHA256withRSA", RSA.getPrivate(), data);
                case ES256 -> signature = sign("SHA256withECDSAinP1363Format", EC.getPrivate(), data);
                default -> {
                    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
                    mac.init(TestTokens.hmacKey(TestTokens.SECRET));
                    signature = mac.doFinal(data);
                }
            }
            return input + "." + RawJws.b64(signature);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sign(String algorithm, PrivateKey key, byte[] data) throws java.security.GeneralSecurityException {
        Signature signature = Signature.getInstance(algorithm);
        signature.initSign(key);
        signature.update(data);
        return signature.sign();
    }

    // ---- DPoP proofs --------------------------------------------------------------------------------------

    private static String htu(JettyApp app, String path) {
        int query = path.indexOf('?');
        return (app == nonces ? PUBLIC_BASE : "http://127.0.0.1:" + app.port()) + (query < 0 ? path : path.substring(0, query));
    }

    /** A valid proof for this request (with the nonce where one is required), before {@link DpopKey.Proof#sign()}. */
    private static DpopKey.Proof freshProof(JettyApp app, String method, String path, String token) {
        DpopKey.Proof proof = CLIENT.proof(method, htu(app, path)).accessToken(token);
        return app == nonces ? proof.nonce(nonce) : proof;
    }

    private static String proof(JettyApp app, String method, String path, String token) {
        return freshProof(app, method, path, token).sign();
    }

    private static Mutation mutateProof(String proof, JettyApp app, String method, String path, String token, Random random) {
        DpopKey.Proof fresh = freshProof(app, method, path, token);
        long now = System.currentTimeMillis() / 1000;
        switch (random.nextInt(15)) {
            case 0, 1, 2, 3 -> {
                Mutation m = mutate(proof, random);
                return new Mutation(m.what(), m.token(), sameClaims(proof, m.token()));
            }
            case 4 -> {
                Object value = List.of("get", "", "GET ", List.of("GET"), 1).get(random.nextInt(5));
                return new Mutation("htm " + value, fresh.claim("htm", value).sign(), value.equals(method));
            }
            case 5 -> {
                String htu = htu(app, path);
                Object value = List.of(htu + "?x=1", htu + "#f", htu.toUpperCase(), htu.replace("127.0.0.1", "localhost"),
                        htu.replace("http:", "https:"), htu + "/", List.of(htu), htu.replace("/api", "/%61pi"),
                        htu.replace(":" + app.port(), ""), "").get(random.nextInt(10));
                // RFC 9449 §4.3: htu is compared without query and fragment; the scheme and host case-insensitively.
                // and percent-encoded unreserved characters decoded (RFC 3986 §6.2.2.2).
                boolean same = value.equals(htu) || value.equals(htu + "?x=1") || value.equals(htu + "#f")
                        || value.equals(htu.replace("/api", "/%61pi"));
                return new Mutation("htu " + shorten(String.valueOf(value)), fresh.claim("htu", value).sign(), same);
            }
            case 6 -> {
                Object value = List.of(now + 3600, now - 3600, 1e300, "now", List.of(now), now + 0.5, -1L, Long.MAX_VALUE)
                        .get(random.nextInt(8));
                return new Mutation("iat " + value, fresh.claim("iat", value).sign(), value.equals(now + 0.5));
            }
            case 7 -> {
                Object value = List.of("", "j".repeat(257), List.of("a"), 7, "\u0000", "\ud800").get(random.nextInt(6));
                return new Mutation("jti " + shorten(String.valueOf(value)), fresh.claim("jti", value).sign(),
                        value.equals("\u0000") || value.equals("\ud800"));
            }
            case 8 -> {
                Object value = List.of("", List.of("x"), DpopKey.tokenHash(token) + "=", DpopKey.tokenHash(token).toUpperCase())
                        .get(random.nextInt(4));
                return new Mutation("ath " + shorten(String.valueOf(value)), fresh.claim("ath", value).sign(), false);
            }
            case 9 -> {
                Map<String, Object> jwk = CLIENT.publicJwk();
                switch (random.nextInt(5)) {
                    case 0 -> jwk.put("d", "AAAA");
                    case 1 -> jwk.put("crv", "P-384");
                    case 2 -> jwk.put("x", "AAAA");
                    case 3 -> jwk.put("kty", "RSA");
                    default -> jwk.put("y", jwk.get("x"));
                }
                return new Mutation("jwk " + jwk.keySet(), fresh.header("jwk", jwk).sign(), false);
            }
            case 10 -> {
                Object typ = List.of("DPOP+JWT", "application/dpop+jwt", "JWT", List.of("dpop+jwt"), "").get(random.nextInt(5));
                return new Mutation("typ " + typ, fresh.header("typ", typ).sign(),
                        typ.equals("DPOP+JWT") || typ.equals("application/dpop+jwt"));
            }
            case 12 -> {
                Mutation m = mutate(nonce, random);
                return new Mutation("nonce " + m.what(), fresh.nonce(m.token()).sign(), app != nonces || sameBytes(nonce, m.token()));
            }
            case 13, 14 -> {
                return rawProof(app, method, path, token, random);
            }
            default -> {
                return new Mutation("signed by another key", fresh.signedBy(OTHER_CLIENT).sign(), false);
            }
        }
    }

    private static final DpopKey OTHER_CLIENT = DpopKey.es256();

    /** Whether two base64url texts spell the same bytes (the last character's unused bits may differ). */
    private static boolean sameBytes(String a, String b) {
        try {
            return b.chars().allMatch(c -> B64URL_CHARS.indexOf(c) >= 0)
                    && java.util.Arrays.equals(Base64.getUrlDecoder().decode(a), Base64.getUrlDecoder().decode(b));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A proof whose JSON is written by hand, signed by the client's key: what no JSON library writes. */
    private static Mutation rawProof(JettyApp app, String method, String path, String token, Random random) {
        String jwk = org.jose4j.json.JsonUtil.toJson(CLIENT.publicJwk());
        Map<String, String> claims = new TreeMap<>();
        claims.put("jti", RawJws.jsonString(UUID.randomUUID().toString()));
        claims.put("htm", RawJws.jsonString(method));
        claims.put("htu", RawJws.jsonString(htu(app, path)));
        claims.put("iat", Long.toString(System.currentTimeMillis() / 1000));
        claims.put("ath", RawJws.jsonString(DpopKey.tokenHash(token)));
        if (app == nonces) {
            claims.put("nonce", RawJws.jsonString(nonce));
        }
        String header = "{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":" + jwk + "}";
        String extra = "";
        String what;
        boolean passes = false;
        switch (random.nextInt(12)) {
            case 0 -> {
                extra = ",\"htm\":" + RawJws.jsonString(method.equals("GET") ? "POST" : "GET");
                what = "duplicate htm";
            }
            case 1 -> {
                header = header.substring(0, header.length() - 1) + ",\"jwk\":" + org.jose4j.json.JsonUtil.toJson(
                        OTHER_CLIENT.publicJwk()) + "}";
                what = "duplicate jwk";
            }
            case 2 -> {
                int depth = 1 + random.nextInt(3000);
                claims.put("deep", "[".repeat(depth) + "]".repeat(depth));
                what = "nesting " + depth;
                passes = true;
            }
            case 3 -> {
                claims.put("iat", List.of("1e400", "1.0e9", "\"" + claims.get("iat") + "\"", "null", "[1]",
                        String.format("%.9e", (double) (System.currentTimeMillis() / 1000)), "-0", "9".repeat(30))
                        .get(random.nextInt(8)));
                what = "iat " + claims.get("iat");
                passes = claims.get("iat").contains("e+09");
            }
            case 4 -> {
                claims.put("htu", "\"" + htu(app, path).replace("/", "\\/") + "\"");
                what = "htu with escaped slashes";
                passes = true;
            }
            case 5 -> {
                claims.put("jti", List.of("\"\\u0000\"", "\"\\ud800\"", "\"a\\u0000b\"", "\"" + "\\u00e9".repeat(300) + "\"")
                        .get(random.nextInt(4)));
                what = "jti " + claims.get("jti");
                passes = !claims.get("jti").contains("e9");
            }
            case 6 -> {
                header = header.replace("\"crv\":\"P-256\"", List.of("\"crv\":\"P-384\"", "\"crv\":\"secp256k1\"",
                        "\"crv\":[\"P-256\"]", "\"crv\":null").get(random.nextInt(4)));
                what = "jwk crv " + shorten(header);
            }
            case 7 -> {
                header = header.replaceFirst("\"x\":\"[^\"]*\"", List.of("\"x\":\"\"", "\"x\":\"AA==\"", "\"x\":1",
                        "\"x\":\"" + "A".repeat(2000) + "\"", "\"x\":\"!!\"").get(random.nextInt(5)));
                what = "jwk x " + shorten(header);
            }
            case 8 -> {
                header = List.of("{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":\"" + jwk.replace("\"", "'") + "\"}",
                        "{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":[" + jwk + "]}",
                        "{\"typ\":\"dpop+jwt\",\"typ\":\"JWT\",\"alg\":\"ES256\",\"jwk\":" + jwk + "}",
                        "{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":" + jwk + ",\"crit\":[]}",
                        "{\"typ\":\"dpop+jwt\",\"alg\":\"none\",\"jwk\":" + jwk + "}",
                        "{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":" + jwk + ",\"kid\":{}}",
                        "{\"typ\":\"dpop+jwt\",\"alg\":\"EdDSA\",\"jwk\":{\"kty\":\"OKP\",\"crv\":\"X25519\",\"x\":\""
                                + "A".repeat(43) + "\"}}",
                        "{\"typ\":\"dpop+jwt\",\"alg\":\"EdDSA\",\"jwk\":{\"kty\":\"OKP\",\"crv\":\"Ed448\",\"x\":\""
                                + "A".repeat(76) + "\"}}",
                        "{\"typ\":\"dpop+jwt\",\"alg\":\"EdDSA\",\"jwk\":{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\""
                                + "_".repeat(43) + "\"}}",
                        "{\"typ\":\"dpop+jwt\",\"alg\":\"RS256\",\"jwk\":{\"kty\":\"RSA\",\"n\":\"" + "_".repeat(700)
                                + "\",\"e\":\"" + "_".repeat(700) + "\"}}",
                        "{\"typ\":\"dpop+jwt\",\"alg\":\"RS256\",\"jwk\":{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AA\"}}")
                        .get(random.nextInt(11));
                what = "header " + shorten(header);
                passes = header.endsWith(",\"kid\":{}}");
            }
            case 9 -> {
                claims.put("htm", List.of("\"G\\u0045T\"", "\"GET\\u0000\"", "[\"GET\"]").get(random.nextInt(3)));
                what = "htm " + claims.get("htm");
                passes = claims.get("htm").equals("\"G\\u0045T\"") && method.equals("GET");
            }
            case 10 -> {
                claims.put("ath", "\"" + DpopKey.tokenHash(token).replace("A", "\\u0041") + "\"");
                what = "ath with escapes";
                passes = true;
            }
            default -> {
                claims.put("nonce", List.of("[\"x\"]", "\"\"", "null", "1", "\"" + "n".repeat(3000) + "\"").get(random.nextInt(5)));
                what = "nonce " + shorten(claims.get("nonce"));
                passes = app != nonces && !claims.get("nonce").startsWith("[") && !claims.get("nonce").equals("1")
                        || claims.get("nonce").equals("null") && app != nonces;
            }
        }
        StringBuilder payload = new StringBuilder("{");
        claims.forEach((name, value) -> payload.append(payload.length() > 1 ? "," : "").append('"').append(name)
                .append("\":").append(value));
        payload.append(extra).append('}');
        String input = RawJws.b64(header) + "." + RawJws.b64(payload.toString());
        try {
            return new Mutation("raw proof " + what, input + "." + RawJws.b64(sign("SHA256withECDSAinP1363Format",
                    CLIENT.keyPair().getPrivate(), input.getBytes(StandardCharsets.US_ASCII))), passes);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- header, cookie and scheme variants ---------------------------------------------------------------

    record Variant(String what, List<String> headers, boolean passes) {
    }

    private static Variant variant(String token, String proof, Base base, Random random) {
        boolean dpop = proof != null;
        String scheme = dpop ? "DPoP" : "Bearer";
        List<String> proofHeader = dpop ? List.of("DPoP: " + proof) : List.of();
        String other = TestTokens.hs256(claims("other", true));
        List<Variant> all = new ArrayList<>();
        // RFC 9110 §11.4: credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
        all.add(new Variant("several spaces", with(proofHeader, "Authorization:   " + scheme + "    " + token + "   "), true));
        all.add(new Variant("tab before the scheme", with(proofHeader, "Authorization:\t" + scheme + " " + token), true));
        all.add(new Variant("tab after the scheme", with(proofHeader, "Authorization: " + scheme + "\t" + token), false));
        all.add(new Variant("lower-case scheme", with(proofHeader, "authorization: " + scheme.toLowerCase() + " " + token), true));
        all.add(new Variant("upper-case scheme", with(proofHeader, "Authorization: " + scheme.toUpperCase() + " " + token), true));
        all.add(new Variant("two Authorization headers", with(proofHeader, "Authorization: " + scheme + " " + token,
                "Authorization: " + scheme + " " + token), false));
        all.add(new Variant("two tokens in one header", with(proofHeader, "Authorization: " + scheme + " " + token + ", "
                + scheme + " " + token), false));
        all.add(new Variant("schemes swapped", with(proofHeader, "Authorization: " + (dpop ? "Bearer " : "DPoP ") + token), false));
        all.add(new Variant("two DPoP headers", with(List.of(), "Authorization: " + scheme + " " + token,
                "DPoP: " + (dpop ? proof : token), "DPoP: " + (dpop ? proof : token)), !dpop));
        all.add(new Variant("DPoP header with a comma", with(List.of(), "Authorization: " + scheme + " " + token,
                "DPoP: " + (dpop ? proof + "," + proof : "a,b")), !dpop));
        all.add(new Variant("very long value", with(proofHeader, "Authorization: " + scheme + " " + token + "."
                + "A".repeat(9000)), false));
        all.add(new Variant("value above Jetty's limit", with(proofHeader, "Authorization: " + scheme + " "
                + "A".repeat(HEADER_LIMIT + 10)), false));
        all.add(new Variant("the token in the cookie", with(proofHeader, "Cookie: access_token=" + token), !dpop));
        all.add(new Variant("header and cookie agree", with(proofHeader, "Authorization: " + scheme + " " + token,
                "Cookie: access_token=" + token), true));
        all.add(new Variant("header and cookie differ", with(proofHeader, "Authorization: " + scheme + " " + token,
                "Cookie: access_token=" + other), false));
        all.add(new Variant("two cookies", with(proofHeader, "Cookie: access_token=" + token + "; access_token=" + other), false));
        all.add(new Variant("quoted cookie", with(proofHeader, "Cookie: access_token=\"" + token + "\""), !dpop));
        all.add(new Variant("scheme only", with(proofHeader, "Authorization: " + scheme), false));
        all.add(new Variant("scheme and spaces", with(proofHeader, "Authorization: " + scheme + "     "), false));
        all.add(new Variant("Basic scheme", with(proofHeader, "Authorization: Basic " + token), false));
        all.add(new Variant("token without a scheme", with(proofHeader, "Authorization: " + token), false));
        all.add(new Variant("NUL in the header", with(proofHeader, "Authorization: " + scheme + " " + token + "\u0000"), false));
        all.add(new Variant("UTF-8 scheme lookalike", with(proofHeader, "Authorization: B\u00d0\u00b5arer " + token), false));
        all.add(new Variant("DPoP header without the DPoP scheme", with(List.of(), "Authorization: Bearer " + token,
                "DPoP: " + (dpop ? proof : "x.y.z")), !dpop));
        Variant chosen = all.get(random.nextInt(all.size()));
        return new Variant(chosen.what(), chosen.headers(), chosen.passes() && base.kind() != Kind.REVOKED);
    }

    private static List<String> with(List<String> tail, String... headers) {
        List<String> all = new ArrayList<>(List.of(headers));
        all.addAll(tail);
        return all;
    }

    // ---- the run ------------------------------------------------------------------------------------------

    @Test
    void whenValidRequestsAreMutatedThenEveryAnswerIsACleanRefusalOrTheSameCaller() {
        Random random = new Random(SEED);
        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        long started = System.nanoTime();
        long slowest = 0;
        long inRequests = 0;
        String slowestCase = "";
        for (int i = 0; i < CASES && failures.size() < 20; i++) {
            Case c = next(i, random);
            int logStart = appLog.position();
            long t0 = System.nanoTime();
            String body = c.method().equalsIgnoreCase("POST") || c.method().equals("PUT") ? "x=1" : "";
            RawHttp.Response answer = RawHttp.request(c.app().port(), c.method(), c.path(), body,
                    c.headers().toArray(String[]::new));
            long took = System.nanoTime() - t0;
            inRequests += took;
            if (took > slowest) {
                slowest = took;
                slowestCase = c.description();
            }
            statuses.merge(answer.status(), 1, Integer::sum);
            String problem = check(c, answer, appLog.since(logStart));
            if (problem != null) {
                failures.add(c.description() + " (seed " + SEED + "): " + problem + "\n    headers: "
                        + c.headers().stream().map(TokenFuzzIT::shorten).toList());
            }
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000;
        System.err.printf("TokenFuzzIT: %d cases, seed %d, %d s (%d s in requests), statuses %s, slowest %d ms (%s)%n",
                CASES, SEED, seconds, inRequests / 1_000_000_000, statuses, slowest / 1_000_000, slowestCase);
        assertEquals(List.of(), failures, String.join("\n", failures));
        assertTrue(statuses.getOrDefault(200, 0) > CASES / 20, "too few controls passed: " + statuses);
    }

    /** What is wrong with an answer, or null. */
    private static String check(Case c, RawHttp.Response answer, String log) {
        int status = answer.status();
        if (status == -1) {
            return "no answer: " + answer.failure();
        }
        int headSize = c.headers().stream().mapToInt(String::length).sum();
        // Jetty's 431 comes near its limit already (its buffer also holds the request line and its own work).
        if (!Set.of(200, 400, 401, 403, 503).contains(status) && !(status == 431 && headSize > HEADER_LIMIT * 3 / 4)) {
            return "status " + status + ": " + answer;
        }
        String everything = answer.headers() + answer.body() + log;
        for (String secret : c.secrets()) {
            if (secret.length() >= 16 && everything.contains(secret)) {
                return "a token's segment is echoed or logged: " + shorten(everything);
            }
        }
        if (everything.contains(MARKER)) {
            return "a token's claims are echoed or logged: " + shorten(everything);
        }
        if (log.contains("at org.jwtgate.")) {
            return "a stack trace through JwtGate was logged: " + shorten(log);
        }
        boolean publicPath = c.path().startsWith("/public/") || c.path().startsWith("/optional/");
        if (status == 200) {
            Matcher user = Pattern.compile("user=(\\S*) ").matcher(answer.body());
            String who = user.find() ? user.group(1) : c.method().equals("HEAD") ? null : "?";
            if (who == null) {
                return c.passAs() != null || publicPath ? null : "HEAD answered 200 for a refused token";
            }
            if (who.equals("anonymous") && publicPath) {
                return null;
            }
            if (c.passAs() == null) {
                return "200 for a request that must be refused: " + answer;
            }
            if (answer.body().contains("admin=true") && !c.admin()) {
                return "200 with the role admin for claims that do not grant it: " + answer;
            }
            if (!c.passAs().equals("any") && !who.equals(c.passAs())) {
                return "200 as " + who + ", expected " + c.passAs() + ": " + answer;
            }
            return null;
        }
        return checkRefusal(answer, c.method().equals("HEAD"));
    }

    /** A refusal is the filter's (JSON body, challenges that say the same) or Jetty's own 400 or 431. */
    private static String checkRefusal(RawHttp.Response answer, boolean head) {
        int status = answer.status();
        List<String> challenges = answer.headers().getOrDefault("www-authenticate", List.of());
        Matcher body = BODY.matcher(answer.body());
        String error;
        if (body.matches()) {
            error = body.group(1);
        } else if (head && answer.body().isEmpty() && status != 503) {
            // No body to HEAD: the first challenge says what it would have said.
            Matcher first = challenges.isEmpty() ? null : CHALLENGE.matcher(challenges.get(0));
            error = first != null && first.matches() ? (first.group(3) == null ? "unauthorized" : first.group(3))
                    : status == 403 ? "csrf_refused" : status == 400 && challenges.isEmpty() ? null : "none";
            if (error == null) {
                return null; // Jetty's own 400
            }
        } else {
            return status == 400 || status == 431 ? null : "a refusal without the filter's JSON body: " + answer;
        }
        if (error.equals("unauthorized")) {
            // No token at all (RFC 6750 §3.1): challenges without an error attribute.
            return status == 401 && !challenges.isEmpty() && challenges.stream().allMatch(
                    each -> CHALLENGE.matcher(each).matches() && !each.contains("error=")) ? null
                    : "a missing-token answer with malformed challenges: " + answer;
        }
        if (status == 503) {
            String retry = answer.header("Retry-After");
            return error.equals("temporarily_unavailable") && retry != null && retry.matches("\\d+") ? null
                    : "a 503 without Retry-After: " + answer;
        }
        if (status == 403 && error.equals("csrf_refused")) {
            return null;
        }
        if (!ERRORS.contains(error)) {
            return "unknown error " + error + ": " + answer;
        }
        if (challenges.isEmpty()) {
            return "no WWW-Authenticate: " + answer;
        }
        for (String challenge : challenges) {
            if (!CHALLENGE.matcher(challenge).matches()) {
                return "malformed WWW-Authenticate [" + challenge + "]: " + answer;
            }
        }
        Matcher first = CHALLENGE.matcher(challenges.get(0));
        first.matches();
        if (!error.equals(first.group(3))) {
            return "the first challenge's error " + first.group(3) + " is not the body's " + error + ": " + answer;
        }
        int expected = switch (error) {
            case "invalid_request" -> 400;
            case "insufficient_scope" -> 403;
            default -> 401;
        };
        if (error.equals("use_dpop_nonce") && answer.header("DPoP-Nonce") == null) {
            return "use_dpop_nonce without a DPoP-Nonce: " + answer;
        }
        return status == expected ? null : "status " + status + " for " + error + ": " + answer;
    }

    private static byte[] unsigned(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(bytes.length, length);
        System.arraycopy(bytes, bytes.length - copy, out, length - copy, copy);
        return out;
    }

    private static List<String> segmentsOf(String token) {
        List<String> segments = new ArrayList<>();
        for (String segment : token.split("\\.")) {
            if (segment.length() >= 16) {
                segments.add(segment.substring(segment.length() / 2 - 8, segment.length() / 2 + 8));
            }
        }
        return segments;
    }

    private static String visible(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            out.append(c < 0x20 || c >= 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }

    private static String shorten(String text) {
        String shown = visible(text);
        return shown.length() > 160 ? shown.substring(0, 160) + "…(" + shown.length() + ")" : shown;
    }
}
