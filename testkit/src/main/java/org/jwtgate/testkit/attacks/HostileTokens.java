package org.jwtgate.testkit.attacks;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.jose4j.jwe.ContentEncryptionAlgorithmIdentifiers;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwe.KeyManagementAlgorithmIdentifiers;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.AesKey;
import org.jose4j.lang.JoseException;
import org.jwtgate.testkit.tokens.Certificates;
import org.jwtgate.testkit.tokens.RawJws;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * The hostile tokens of JwtGate's attack suite (issue 2), one catalog for every front end that must
 * refuse them: the filter's {@code AttackSuiteIT} and the Jakarta Authentication module's container
 * tests send the same tokens. Each {@link Attack} names the {@link Target} configuration it is aimed
 * at (the others refuse it too) and the only statuses allowed: 401 {@code invalid_token}, 400
 * {@code invalid_request} for a malformed request, 431 or 400 when the container refuses an oversized
 * header. Tokens are signed with the targets' real keys, so only the attacked property is wrong; their
 * claims carry {@link #ATTACKER} and {@link #MARKER}, so an answer that echoes them is visible.
 *
 * <pre>{@code
 * HostileTokens catalog = new HostileTokens(rsa, ec, "http://127.0.0.1:" + attackerPort);
 * for (HostileTokens.Attack attack : catalog.all()) {
 *     send(attack.target(), "Authorization: Bearer " + attack.token().get());   // never 200, never 500
 * }
 * }</pre>
 *
 * <p>The targets, configured with {@link TestTokens}' issuer and audience: {@code HS256} (its
 * {@link TestTokens#SECRET}), {@code RS256} and {@code ES256} (the public keys of {@code rsa} and
 * {@code ec}), {@code TYPED} ({@code jwt.type=at+jwt}), {@code JWKS} ({@code rsa} as key {@code k1}
 * of a JWKS), {@code BIG_HEADERS} (the container's header limit raised to 4 MiB) and
 * {@code BIG_TOKENS} (that and {@code token.max-length} 1 MiB).
 */
public final class HostileTokens {

    /** The subject of attack tokens. */
    public static final String ATTACKER = "mallory";
    /** A claim of attack tokens: an answer containing it echoes the token's claims. */
    public static final String MARKER = "ATTACK-MARKER-7f3a";
    private static final String SECRET_64 = TestTokens.SECRET + TestTokens.SECRET;

    /** The configurations under attack (see the class comment). */
    public enum Target {
        /** {@link TestTokens#settings()}: HS256 with {@link TestTokens#SECRET}. */
        HS256,
        /** RS256 with the public key of the constructor's {@code rsa} as {@code jwt.public-key}. */
        RS256,
        /** ES256 with the public key of the constructor's {@code ec} as {@code jwt.public-key}. */
        ES256,
        /** {@link #HS256} that also requires {@code jwt.type=at+jwt}. */
        TYPED,
        /** RS256 with {@code rsa}'s public key as key {@code k1} of a JWKS the application fetches. */
        JWKS,
        /** {@link #HS256} with the container's request header limit raised to 4 MiB; {@code token.max-length} as is. */
        BIG_HEADERS,
        /** {@link #BIG_HEADERS} with {@code token.max-length} raised to 1 MiB too, so deep JSON reaches the parser. */
        BIG_TOKENS
    }

    /**
     * One attack: its name, where it is aimed, how the token is made, and the only statuses allowed.
     *
     * @param name    what the attack does, e.g. {@code alg [none], empty signature}; also its {@code toString()}, so
     *                a test's display name never shows the token
     * @param target  the configuration it is aimed at; the others must refuse it too
     * @param token   makes the token on each call (with a fresh {@code jti} and {@code iat} where it has claims): the
     *                bearer value only, without {@code Bearer}
     * @param allowed the only statuses a front end may answer with: 401, 400 for a malformed request, or 431 and 400
     *                for an oversized header
     */
    public record Attack(String name, Target target, Supplier<String> token, Set<Integer> allowed) {

        @Override
        public String toString() {
            return name;
        }
    }

    private final KeyPair rsa;
    private final KeyPair ec;
    private final String attackerBaseUrl;

    /**
     * The attack catalog for targets that trust these keys, with the attacker serving at this base URL.
     *
     * @param rsa             the RSA key pair the {@code RS256} and {@code JWKS} targets trust
     * @param ec              the P-256 key pair the {@code ES256} target trusts
     * @param attackerBaseUrl where the attacker serves {@code /jwks.json} and {@code /cert.pem}: any request
     *                        there proves a header ({@code jku}, {@code x5u}) was followed
     */
    public HostileTokens(KeyPair rsa, KeyPair ec, String attackerBaseUrl) {
        this.rsa = Objects.requireNonNull(rsa, "rsa");
        this.ec = Objects.requireNonNull(ec, "ec");
        this.attackerBaseUrl = Objects.requireNonNull(attackerBaseUrl, "attackerBaseUrl");
    }

    private String attackerUrl(String path) {
        return attackerBaseUrl + path;
    }

    // ---- token material ----------------------------------------------------------------------

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    /**
     * Claims JSON with raw member values. Defaults make a token every application accepts; each
     * override replaces a member's raw JSON ({@code null} removes it; a repeated name is appended).
     *
     * @param overrides pairs of a member name and its raw JSON value ({@code "sub", "\"alice\""};
     *                  {@code "exp", null}); a name starting with {@code +} adds a second member of that name after
     *                  the others
     * @return the JSON object's text: {@link TestTokens#ISSUER}, {@link TestTokens#AUDIENCE}, {@code sub}
     *         {@link #ATTACKER}, {@code iat} now, {@code exp} in 10 minutes, a fresh {@code jti},
     *         {@code groups ["admin"]} and {@code marker} {@link #MARKER}, as changed
     * @throws IllegalArgumentException when {@code overrides} has an odd length: its last name has no value
     */
    public static String claims(String... overrides) {
        if (overrides.length % 2 != 0) {
            throw new IllegalArgumentException("claims overrides come in pairs of a name and a raw JSON value (or null):"
                    + " [" + overrides[overrides.length - 1] + "] has no value");
        }
        Map<String, String> members = new LinkedHashMap<>();
        members.put("iss", "\"" + TestTokens.ISSUER + "\"");
        members.put("aud", "\"" + TestTokens.AUDIENCE + "\"");
        members.put("sub", "\"" + ATTACKER + "\"");
        members.put("iat", Long.toString(now()));
        members.put("exp", Long.toString(now() + 600));
        members.put("jti", "\"" + UUID.randomUUID() + "\"");
        members.put("groups", "[\"admin\"]");
        members.put("marker", "\"" + MARKER + "\"");
        List<String> duplicates = new ArrayList<>();
        for (int i = 0; i < overrides.length; i += 2) {
            if (overrides[i].startsWith("+")) {
                duplicates.add("\"" + overrides[i].substring(1) + "\":" + overrides[i + 1]);
            } else if (overrides[i + 1] == null) {
                members.remove(overrides[i]);
            } else {
                members.put(overrides[i], overrides[i + 1]);
            }
        }
        List<String> parts = new ArrayList<>();
        members.forEach((name, value) -> parts.add("\"" + name + "\":" + value));
        parts.addAll(duplicates);
        return "{" + String.join(",", parts) + "}";
    }

    /**
     * Signed with the application's real HMAC secret: only the attacked property is wrong.
     *
     * @param header  the header JSON, verbatim, whatever {@code alg} it names
     * @param payload the payload, verbatim: it need not be JSON
     * @return the compact JWS, HMAC-SHA256 with {@link TestTokens#SECRET}
     */
    public static String hs256(String header, String payload) {
        return RawJws.hs256(header, payload);
    }

    /**
     * As {@link #hs256(String, String)} with the header {@code {"alg":"HS256","typ":"JWT"}}.
     *
     * @param payload the payload, verbatim, e.g. {@link #claims} with an override
     * @return the compact JWS
     */
    public static String hs256(String payload) {
        return hs256("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", payload);
    }

    /**
     * A token signed with any HMAC and key: see {@link RawJws#hmac}.
     *
     * @param javaAlgorithm the JDK's MAC name ({@code HmacSHA256}, {@code HmacSHA384}, {@code HmacSHA512})
     * @param key           the key's raw bytes, e.g. a public key's for key confusion; not empty
     * @param header        the header JSON, verbatim
     * @param payload       the payload, verbatim
     * @return the compact JWS
     */
    public static String hmac(String javaAlgorithm, byte[] key, String header, String payload) {
        return RawJws.hmac(javaAlgorithm, key, header, payload);
    }

    /**
     * A well-formed token signed by jose4j, as {@link TestTokens#sign} does: for attacks whose only flaw is the
     * algorithm, the key or a header.
     *
     * @param algorithm the JOSE algorithm, also the {@code alg} header
     * @param key       the signing key, the application's own or the attacker's
     * @param claims    the payload, e.g. {@link #attackerClaims()}
     * @param headers   sets other headers ({@code jwk}, {@code jku}, {@code kid}, ...) before signing
     * @return the compact JWS
     */
    public static String signWithJose4j(String algorithm, java.security.Key key, JwtClaims claims,
                                 java.util.function.Consumer<JsonWebSignature> headers) {
        return TestTokens.sign(claims, algorithm, key, headers);
    }

    /**
     * Claims of an otherwise valid token for {@link #ATTACKER}, with the {@code admin} group and {@link #MARKER}.
     *
     * @return new claims, from {@link TestTokens#claims} (a fresh {@code jti}, 10 minutes to live)
     */
    public static JwtClaims attackerClaims() {
        JwtClaims claims = TestTokens.claims(ATTACKER, "admin");
        claims.setClaim("marker", MARKER);
        return claims;
    }

    /**
     * The first segments of a compact token: {@code segmentsOf(token, 2)} strips the signature and its dot.
     *
     * @param token a compact token
     * @param keep  how many segments to keep, from 0 to the token's count
     * @return those segments, joined by dots
     * @throws IllegalArgumentException when {@code keep} is negative or more than the token's segments: the token
     *                                  is not the one the caller meant to cut (the message does not show it)
     */
    public static String segmentsOf(String token, int keep) {
        String[] parts = token.split("\\.", -1);
        if (keep < 0 || keep > parts.length) {
            throw new IllegalArgumentException("keep must be from 0 to the token's " + parts.length + " segments: " + keep);
        }
        return String.join(".", java.util.Arrays.copyOf(parts, keep));
    }

    /**
     * {@code depth} nested empty JSON arrays ({@code [[[]]]}): a value that overflows a recursive parser's stack.
     *
     * @param depth how many levels
     * @return the {@code 2 * depth} characters
     */
    public static String deep(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    // ---- the catalog -------------------------------------------------------------------------

    private static Attack attack(String name, Target target, Supplier<String> token) {
        return new Attack(name, target, token, Set.of(401));
    }

    private static Attack malformedRequest(String name, Target target, Supplier<String> token) {
        return new Attack(name, target, token, Set.of(400));
    }

    private static Attack oversized(String name, Target target, Supplier<String> token) {
        return new Attack(name, target, token, Set.of(431, 400));
    }

    /**
     * Every attack, in a stable order; each call mints fresh tokens lazily through {@link Attack#token()}.
     *
     * @return a new, modifiable list on each call: a test may filter it (e.g. leave out {@link Target#TYPED} for a
     *         front end that requires no {@code typ})
     */
    public List<Attack> all() {
        List<Attack> all = new ArrayList<>();

        // alg none, in every spelling, with and without a signature part
        for (String none : List.of("none", "None", "NONE", "nOnE", "none ", "")) {
            all.add(attack("alg [" + none + "], empty signature", Target.HS256,
                    () -> RawJws.signingInput("{\"alg\":\"" + none + "\",\"typ\":\"JWT\"}", claims()) + "."));
            all.add(attack("alg [" + none + "], HMAC signature by the real secret", Target.HS256,
                    () -> hs256("{\"alg\":\"" + none + "\"}", claims())));
        }
        all.add(attack("alg none against a public-key application", Target.RS256,
                () -> RawJws.signingInput("{\"alg\":\"none\"}", claims()) + "."));
        all.add(attack("alg header missing", Target.HS256, () -> hs256("{\"typ\":\"JWT\"}", claims())));
        all.add(attack("alg as a number", Target.HS256, () -> hs256("{\"alg\":256}", claims())));

        // key confusion: HS256 keyed with the public key the application trusts
        all.add(attack("HS256 signed with the RSA public key PEM text", Target.RS256,
                () -> hmac("HmacSHA256", TestTokens.pem(rsa).getBytes(StandardCharsets.US_ASCII), "{\"alg\":\"HS256\"}", claims())));
        all.add(attack("HS256 signed with the RSA public key PEM text, no final newline", Target.RS256,
                () -> hmac("HmacSHA256", TestTokens.pem(rsa).trim().getBytes(StandardCharsets.US_ASCII), "{\"alg\":\"HS256\"}", claims())));
        all.add(attack("HS256 signed with the RSA public key DER", Target.RS256,
                () -> hmac("HmacSHA256", rsa.getPublic().getEncoded(), "{\"alg\":\"HS256\"}", claims())));
        all.add(attack("HS256 signed with the JWKS key's DER, kid of the real key", Target.JWKS,
                () -> hmac("HmacSHA256", rsa.getPublic().getEncoded(), "{\"alg\":\"HS256\",\"kid\":\"k1\"}", claims())));
        all.add(attack("HS256 signed with the EC public key DER", Target.ES256,
                () -> hmac("HmacSHA256", ec.getPublic().getEncoded(), "{\"alg\":\"HS256\"}", claims())));

        // stripped, truncated, foreign signatures
        all.add(attack("signature stripped, dot kept", Target.HS256, () -> segmentsOf(hs256(claims()), 2) + "."));
        all.add(attack("signature stripped with its dot", Target.HS256, () -> segmentsOf(hs256(claims()), 2)));
        all.add(attack("signature truncated", Target.HS256, () -> {
            String token = hs256(claims());
            return token.substring(0, token.length() - 6);
        }));
        all.add(attack("signature of another token", Target.HS256, () -> {
            String mine = hs256(claims("sub", "\"alice\""));
            return segmentsOf(hs256(claims()), 2) + mine.substring(mine.lastIndexOf('.'));
        }));
        all.add(attack("signature by another secret", Target.HS256,
                () -> hmac("HmacSHA256", "attacker-secret-0123456789abcdefgh".getBytes(StandardCharsets.UTF_8),
                        "{\"alg\":\"HS256\"}", claims())));
        all.add(attack("signature by an empty-ish key", Target.HS256,
                () -> hmac("HmacSHA256", new byte[1], "{\"alg\":\"HS256\"}", claims())));
        all.add(attack("RS256 signature by the attacker's own key", Target.RS256,
                () -> RawJws.rs256(Certificates.selfSignedRsa().privateKey(), "{\"alg\":\"RS256\"}", claims())));
        all.add(attack("RS256 payload swapped under a valid signature", Target.RS256, () -> {
            String valid = RawJws.rs256(rsa.getPrivate(), "{\"alg\":\"RS256\"}", claims("sub", "\"alice\"", "groups", "[]"));
            String[] parts = valid.split("\\.");
            return parts[0] + "." + RawJws.b64(claims()) + "." + parts[2];
        }));

        // algorithms outside the allowlist, even with a valid signature
        all.add(attack("HS384 by the real secret, only HS256 allowed", Target.HS256,
                () -> hmac("HmacSHA384", TestTokens.SECRET.getBytes(StandardCharsets.UTF_8), "{\"alg\":\"HS384\"}", claims())));
        all.add(attack("HS512 by a 64-byte secret, only HS256 allowed", Target.HS256,
                () -> hmac("HmacSHA512", SECRET_64.getBytes(StandardCharsets.UTF_8), "{\"alg\":\"HS512\"}", claims())));
        all.add(attack("RS256 against an HMAC application", Target.HS256,
                () -> RawJws.rs256(rsa.getPrivate(), "{\"alg\":\"RS256\"}", claims())));
        all.add(attack("PS256 by the real RSA key, only RS256 allowed", Target.RS256,
                () -> signWithJose4j("PS256", rsa.getPrivate(), attackerClaims(), jws -> { })));
        all.add(attack("RS512 by the real RSA key, only RS256 allowed", Target.RS256,
                () -> signWithJose4j("RS512", rsa.getPrivate(), attackerClaims(), jws -> { })));
        all.add(attack("ES256 against an RSA application", Target.RS256,
                () -> signWithJose4j("ES256", ec.getPrivate(), attackerClaims(), jws -> { })));
        all.add(attack("alg in lower case (hs256)", Target.HS256, () -> hs256("{\"alg\":\"hs256\"}", claims())));

        // wrong segment counts, bad base64url, padding, whitespace
        all.add(attack("one segment", Target.HS256, () -> RawJws.b64(claims())));
        all.add(attack("four segments", Target.HS256, () -> hs256(claims()) + ".eHh4"));
        all.add(attack("five segments, not a JWE", Target.HS256, () -> hs256(claims()) + ".eHh4.eXl5"));
        all.add(attack("six segments", Target.HS256, () -> hs256(claims()) + ".a.b.c"));
        all.add(attack("empty header segment", Target.HS256, () -> {
            String token = hs256(claims());
            return token.substring(token.indexOf('.'));
        }));
        all.add(attack("base64 '+' and '/' instead of base64url", Target.HS256,
                () -> hs256(claims()).replace('-', '+').replace('_', '/') + "+/"));
        all.add(attack("padding at the end", Target.HS256, () -> hs256(claims()) + "=="));
        all.add(attack("undecodable one-character header", Target.HS256, () -> "A." + RawJws.b64(claims()) + ".c2ln"));
        all.add(malformedRequest("Bearer with an empty token", Target.HS256, () -> ""));
        all.add(malformedRequest("padding inside the token", Target.HS256, () -> {
            String[] parts = hs256(claims()).split("\\.");
            return parts[0] + "==." + parts[1] + "." + parts[2];
        }));
        all.add(malformedRequest("space inside the token", Target.HS256, () -> hs256(claims()).replaceFirst("\\.", ". ")));
        all.add(malformedRequest("tab inside the token", Target.HS256, () -> hs256(claims()).replaceFirst("\\.", ".\t")));
        all.add(malformedRequest("characters outside base64url", Target.HS256, () -> "!!!." + RawJws.b64(claims()) + ".c2ln"));
        all.add(malformedRequest("two tokens in one header", Target.HS256, () -> hs256(claims()) + ", Bearer " + hs256(claims())));

        // non-JSON or non-object documents, signed by the real secret
        all.add(attack("payload not JSON", Target.HS256, () -> hs256("not json " + MARKER)));
        all.add(attack("payload a JSON array", Target.HS256, () -> hs256("[\"" + MARKER + "\"]")));
        all.add(attack("payload a JSON string", Target.HS256, () -> hs256("\"" + MARKER + "\"")));
        all.add(attack("payload truncated JSON", Target.HS256, () -> hs256(claims().substring(0, 40))));
        all.add(attack("payload empty", Target.HS256, () -> hs256("")));
        all.add(attack("header not JSON", Target.HS256, () -> hs256("HS256", claims())));
        all.add(attack("header a JSON array", Target.HS256, () -> hs256("[\"HS256\"]", claims())));
        all.add(attack("header an empty object", Target.HS256, () -> hs256("{}", claims())));

        // duplicate member names
        all.add(attack("duplicate alg: none then HS256", Target.HS256, () -> hs256("{\"alg\":\"none\",\"alg\":\"HS256\"}", claims())));
        all.add(attack("duplicate alg: HS256 twice", Target.HS256, () -> hs256("{\"alg\":\"HS256\",\"alg\":\"HS256\"}", claims())));
        all.add(attack("duplicate sub", Target.HS256, () -> hs256(claims("+sub", "\"admin\""))));
        all.add(attack("duplicate exp: now then far future", Target.HS256,
                () -> hs256(claims("+exp", Long.toString(now() + 10 * 365 * 86400L)))));
        all.add(attack("duplicate groups", Target.HS256, () -> hs256(claims("groups", "[]", "+groups", "[\"admin\"]"))));

        // time claims
        all.add(attack("exp missing", Target.HS256, () -> hs256(claims("exp", null))));
        all.add(attack("exp in the past", Target.HS256, () -> hs256(claims("iat", Long.toString(now() - 3600),
                "exp", Long.toString(now() - 600)))));
        all.add(attack("exp as a string", Target.HS256, () -> hs256(claims("exp", "\"" + (now() + 600) + "\""))));
        all.add(attack("exp in year 9999", Target.HS256, () -> hs256(claims("exp", "253402300799"))));
        all.add(attack("exp 1e300", Target.HS256, () -> hs256(claims("exp", "1e300"))));
        all.add(attack("exp negative", Target.HS256, () -> hs256(claims("exp", "-1"))));
        all.add(attack("exp null", Target.HS256, () -> hs256(claims("exp", "null"))));
        all.add(attack("exp beyond 64 bits", Target.HS256, () -> hs256(claims("exp", "99999999999999999999999999"))));
        all.add(attack("lifetime longer than jwt.max-age-seconds", Target.HS256, () -> hs256(claims(
                "iat", Long.toString(now() - 2 * 3600), "exp", Long.toString(now() + 23 * 3600)))));
        all.add(attack("nbf in the future", Target.HS256, () -> hs256(claims("nbf", Long.toString(now() + 600)))));
        all.add(attack("iat in the future", Target.HS256, () -> hs256(claims("iat", Long.toString(now() + 600),
                "exp", Long.toString(now() + 1200)))));
        all.add(attack("iat missing", Target.HS256, () -> hs256(claims("iat", null))));
        all.add(attack("iat 1e300", Target.HS256, () -> hs256(claims("iat", "1e300"))));
        all.add(attack("iat -1e300", Target.HS256, () -> hs256(claims("iat", "-1e300"))));

        // issuer and audience variants
        for (String issuer : List.of("https://ISSUER.example", "https://issuer.example/", " https://issuer.example",
                "https://issuer.example.evil", "http://issuer.example")) {
            all.add(attack("iss [" + issuer + "]", Target.HS256, () -> hs256(claims("iss", "\"" + issuer + "\""))));
        }
        all.add(attack("iss missing", Target.HS256, () -> hs256(claims("iss", null))));
        all.add(attack("iss as an array", Target.HS256, () -> hs256(claims("iss", "[\"" + TestTokens.ISSUER + "\"]"))));
        for (String audience : List.of("JWTGATE-TESTS", "jwtgate-tests/", "other-service", "")) {
            all.add(attack("aud [" + audience + "]", Target.HS256, () -> hs256(claims("aud", "\"" + audience + "\""))));
        }
        all.add(attack("aud missing", Target.HS256, () -> hs256(claims("aud", null))));
        all.add(attack("aud an empty array", Target.HS256, () -> hs256(claims("aud", "[]"))));

        // typ
        all.add(attack("typ JWT where at+jwt is required", Target.TYPED, () -> hs256("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims())));
        all.add(attack("typ missing where at+jwt is required", Target.TYPED, () -> hs256("{\"alg\":\"HS256\"}", claims())));
        all.add(attack("typ at+jwt+x where at+jwt is required", Target.TYPED,
                () -> hs256("{\"alg\":\"HS256\",\"typ\":\"at+jwt+x\"}", claims())));

        // crit, b64, zip, JWE, nesting
        all.add(attack("unknown crit header", Target.HS256,
                () -> hs256("{\"alg\":\"HS256\",\"crit\":[\"x-policy\"],\"x-policy\":1}", claims())));
        all.add(attack("crit naming a registered header", Target.HS256,
                () -> hs256("{\"alg\":\"HS256\",\"crit\":[\"alg\"]}", claims())));
        all.add(attack("b64 false with crit b64", Target.HS256, () -> {
            // RFC 7797: the payload is signed and sent as is, not base64url-encoded.
            String input = RawJws.b64("{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\"]}") + ".unencodedPayload";
            return input + "." + RawJws.b64(RawJws.hs256Signature(input));
        }));
        all.add(attack("b64 true with crit b64", Target.HS256,
                () -> hs256("{\"alg\":\"HS256\",\"b64\":true,\"crit\":[\"b64\"]}", claims())));
        all.add(attack("zip header on a JWS", Target.HS256, () -> hs256("{\"alg\":\"HS256\",\"zip\":\"DEF\"}", claims())));
        for (String name : List.of("crit", "b64", "zip")) {
            // A member present with null is no valid header either (RFC 7515 §4.1.11 for crit).
            all.add(attack(name + " header null", Target.HS256, () -> hs256("{\"alg\":\"HS256\",\"" + name + "\":null}", claims())));
        }
        all.add(attack("JWE (dir, A128CBC-HS256) keyed with the secret", Target.HS256, HostileTokens::jwe));
        all.add(attack("nested JWT (cty JWT), both levels signed by the real secret", Target.HS256, () -> {
            String inner = hs256(claims());
            return hs256("{\"alg\":\"HS256\",\"cty\":\"JWT\"}", inner);
        }));

        // keys carried by the token itself: never trusted, never fetched
        Supplier<String> embeddedAll = () -> embeddedKeyToken(true, true, true, true, null);
        for (Target app : List.of(Target.RS256, Target.JWKS)) {
            all.add(attack("embedded jwk signs the token (" + app + ")", app, () -> embeddedKeyToken(true, false, false, false, null)));
            all.add(attack("jku points at the attacker's JWKS (" + app + ")", app, () -> embeddedKeyToken(false, true, false, false, null)));
            all.add(attack("x5u points at the attacker's certificate (" + app + ")", app,
                    () -> embeddedKeyToken(false, false, true, false, null)));
            all.add(attack("x5c carries the attacker's certificate (" + app + ")", app,
                    () -> embeddedKeyToken(false, false, false, true, null)));
            all.add(attack("jwk, jku, x5u and x5c together (" + app + ")", app, embeddedAll));
            all.add(attack("jwk, jku, x5u and x5c with the real kid (" + app + ")", app,
                    () -> embeddedKeyToken(true, true, true, true, "k1")));
        }

        // kid injection
        for (String kid : List.of("../../etc/passwd", "/dev/null", "' OR 1=1 --", "\u0000", "x\u0000../../etc/passwd",
                "${jndi:ldap://127.0.0.1:1/a}", "k".repeat(4000))) {
            String shown = kid.length() > 40 ? "very long (" + kid.length() + " chars)" : kid.replace("\u0000", "\\u0000");
            all.add(attack("kid [" + shown + "], HMAC by a guessed key", Target.HS256,
                    () -> hmac("HmacSHA256", new byte[32], "{\"alg\":\"HS256\",\"kid\":" + RawJws.jsonString(kid) + "}", claims())));
            all.add(attack("kid [" + shown + "], signed by the attacker (JWKS)", Target.JWKS,
                    () -> RawJws.rs256(Certificates.selfSignedRsa().privateKey(),
                            "{\"alg\":\"RS256\",\"kid\":" + RawJws.jsonString(kid) + "}", claims())));
        }
        all.add(attack("kid longer than token.max-length", Target.BIG_HEADERS,
                () -> hmac("HmacSHA256", new byte[32], "{\"alg\":\"HS256\",\"kid\":\"" + "k".repeat(9000) + "\"}", claims())));

        // sizes and depth
        oversizedCases(all);

        // ECDSA
        all.add(attack("ES256 all-zero signature", Target.ES256,
                () -> RawJws.withSignature("{\"alg\":\"ES256\"}", claims(), new byte[64])));
        all.add(attack("ES256 r = s = n-ish all-ones signature", Target.ES256,
                () -> RawJws.withSignature("{\"alg\":\"ES256\"}", claims(), filled(64, (byte) 0xFF))));
        all.add(attack("ES256 signature of the wrong length", Target.ES256,
                () -> RawJws.withSignature("{\"alg\":\"ES256\"}", claims(), new byte[63])));
        all.add(attack("ES256 DER-encoded zero signature", Target.ES256,
                () -> RawJws.withSignature("{\"alg\":\"ES256\"}", claims(), new byte[] {0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00})));
        return all;
    }

    private void oversizedCases(List<Attack> all) {
        all.add(oversized("5 MB token", Target.HS256, () -> "a".repeat(5 << 20)));
        all.add(oversized("5 MB token, Jetty's header limit raised to 4 MiB", Target.BIG_HEADERS, () -> "a".repeat(5 << 20)));
        all.add(attack("100 KB token, refused by token.max-length before parsing", Target.BIG_HEADERS,
                () -> hs256(claims("x", "\"" + "a".repeat(100_000) + "\""))));
        all.add(oversized("50,000-deep JSON header, default Jetty", Target.HS256,
                () -> hs256("{\"alg\":\"HS256\",\"x\":" + deep(50_000) + "}", claims())));
        all.add(attack("50,000-deep JSON header, default token.max-length", Target.BIG_HEADERS,
                () -> hs256("{\"alg\":\"HS256\",\"x\":" + deep(50_000) + "}", claims())));
        all.add(attack("50,000-deep JSON header reaching the parser, signed by the attacker", Target.BIG_TOKENS,
                () -> hmac("HmacSHA256", new byte[32], "{\"alg\":\"HS256\",\"x\":" + deep(50_000) + "}", claims())));
        all.add(attack("50,000-deep JSON claims reaching the parser, signed by the attacker", Target.BIG_TOKENS,
                () -> hmac("HmacSHA256", new byte[32], "{\"alg\":\"HS256\"}", claims("x", deep(50_000)))));
        all.add(attack("50,000-deep JSON claims reaching the parser, signed by the real secret", Target.BIG_TOKENS,
                () -> hs256(claims("x", deep(50_000)))));
        all.add(attack("50,000-deep JSON objects in the claims, signed by the real secret", Target.BIG_TOKENS,
                () -> hs256(claims("x", "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000)))));
        all.add(attack("50,000-deep JSON as the whole payload, signed by the real secret", Target.BIG_TOKENS,
                () -> hs256(deep(50_000))));
    }

    private static byte[] filled(int length, byte value) {
        byte[] bytes = new byte[length];
        java.util.Arrays.fill(bytes, value);
        return bytes;
    }

    private static String jwe() {
        try {
            JsonWebEncryption jwe = new JsonWebEncryption();
            jwe.setAlgorithmHeaderValue(KeyManagementAlgorithmIdentifiers.DIRECT);
            jwe.setEncryptionMethodHeaderParameter(ContentEncryptionAlgorithmIdentifiers.AES_128_CBC_HMAC_SHA_256);
            jwe.setKey(new AesKey(TestTokens.SECRET.getBytes(StandardCharsets.UTF_8)));
            jwe.setPayload(claims());
            return jwe.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RS256 signed by the attacker's key, which the chosen headers carry or point at. */
    private String embeddedKeyToken(boolean jwk, boolean jku, boolean x5u, boolean x5c, String kid) {
        Certificates.SelfSigned attacker = Certificates.selfSignedRsa();
        PrivateKey key = attacker.privateKey();
        return signWithJose4j("RS256", key, attackerClaims(), jws -> {
            try {
                if (jwk) {
                    jws.setJwkHeader(PublicJsonWebKey.Factory.newPublicJwk(attacker.certificate().getPublicKey()));
                }
            } catch (JoseException e) {
                throw new IllegalStateException(e);
            }
            if (jku) {
                jws.setHeader("jku", attackerUrl("/jwks.json"));
            }
            if (x5u) {
                jws.setHeader("x5u", attackerUrl("/cert.pem"));
            }
            if (x5c) {
                jws.getHeaders().setObjectHeaderValue("x5c", List.of(attacker.x5c()));
            }
            if (kid != null) {
                jws.setKeyIdHeaderValue(kid);
            }
        });
    }
}
