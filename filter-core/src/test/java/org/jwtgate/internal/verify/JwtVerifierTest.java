package org.jwtgate.internal.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jose4j.jwe.ContentEncryptionAlgorithmIdentifiers;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwe.KeyManagementAlgorithmIdentifiers;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.AesKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.config.JwtGateConfig;
import org.jwtgate.principal.JwtPrincipal;
import org.jwtgate.testkit.tokens.RawJws;
import org.jwtgate.testkit.tokens.TestTokens;
import org.jwtgate.verify.InvalidTokenException;
import org.jwtgate.verify.Rejection;

/**
 * Every algorithm JwtGate accepts, and every refusal asserted by its {@link Rejection} code
 * (never by message text). Tokens are real: signed by jose4j, or byte by byte with {@link RawJws}.
 */
class JwtVerifierTest {

    /** 64 bytes: enough for HS512. */
    private static final String LONG_SECRET = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static KeyPair rsa;
    private static KeyPair otherRsa;

    @BeforeAll
    static void keys() {
        rsa = TestTokens.rsaKeyPair();
        otherRsa = TestTokens.rsaKeyPair();
    }

    // ---- helpers ----------------------------------------------------------------------------

    static Map<String, String> settings(String... keyValues) {
        Map<String, String> settings = new HashMap<>();
        settings.put(ConfigKeys.JWT_ISSUER, TestTokens.ISSUER);
        settings.put(ConfigKeys.JWT_AUDIENCE, TestTokens.AUDIENCE);
        settings.put(ConfigKeys.REVOCATION_STORE, "none");
        for (int i = 0; i < keyValues.length; i += 2) {
            settings.put(keyValues[i], keyValues[i + 1]);
        }
        return settings;
    }

    static JwtVerifier verifier(Map<String, String> settings) {
        JwtGateConfig config = JwtGateConfig.of(settings);
        return JwtVerifier.create(config.verification(), config.token());
    }

    static JwtVerifier hs256Verifier(String... extra) {
        Map<String, String> settings = settings(extra);
        settings.putIfAbsent(ConfigKeys.JWT_SECRET, TestTokens.SECRET);
        return verifier(settings);
    }

    static JwtVerifier rs256Verifier() {
        return verifier(settings(ConfigKeys.JWT_PUBLIC_KEY, TestTokens.pem(rsa), ConfigKeys.JWT_ALGORITHMS, "RS256"));
    }

    static Rejection rejectionOf(JwtVerifier verifier, String token) {
        return assertThrows(InvalidTokenException.class, () -> verifier.verify(token)).rejection();
    }

    static String hs256(JwtClaims claims) {
        return TestTokens.hs256(claims);
    }

    static String hs256(JwtClaims claims, Consumer<JsonWebSignature> headers) {
        return TestTokens.sign(claims, AlgorithmIdentifiers.HMAC_SHA256, TestTokens.hmacKey(TestTokens.SECRET), headers);
    }

    static JwtClaims valid() {
        return TestTokens.claims("alice", "admin", "dev");
    }

    /** A valid claim set as JSON text with one raw member replaced or added, e.g. {@code "exp":1e300}. */
    static String claimsJson(String rawMember) {
        long now = System.currentTimeMillis() / 1000;
        return "{\"iss\":\"" + TestTokens.ISSUER + "\",\"aud\":\"" + TestTokens.AUDIENCE + "\",\"sub\":\"alice\","
                + "\"iat\":" + now + ",\"jti\":\"j-1\"," + rawMember + "}";
    }

    static String validClaimsJson() {
        return claimsJson("\"exp\":" + (System.currentTimeMillis() / 1000 + 600));
    }

    // ---- accepted tokens ------------------------------------------------------------------

    @Test
    void whenValidHs256TokenThenPrincipalCarriesNameRolesAndClaims() {
        try (JwtVerifier verifier = hs256Verifier()) {
            JwtClaims claims = valid();
            JwtPrincipal principal = verifier.verify(hs256(claims));
            assertEquals("alice", principal.getName());
            assertEquals("alice", principal.subject());
            assertEquals(TestTokens.ISSUER, principal.issuer());
            assertEquals(claims.getClaimValue("jti"), principal.tokenId());
            assertEquals(Set.of("admin", "dev"), principal.roles());
            assertEquals(List.of("admin", "dev"), principal.claim("groups"));
            assertEquals(TestTokens.AUDIENCE, principal.claim("aud"));
        }
    }

    static Stream<Arguments> hmacAlgorithms() {
        return Stream.of(Arguments.of("HS256"), Arguments.of("HS384"), Arguments.of("HS512"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hmacAlgorithms")
    void whenHmacTokenSignedWithTheSecretThenAccepted(String algorithm) {
        try (JwtVerifier verifier = verifier(settings(ConfigKeys.JWT_SECRET, LONG_SECRET,
                ConfigKeys.JWT_ALGORITHMS, "HS256,HS384,HS512"))) {
            String token = TestTokens.sign(valid(), algorithm, TestTokens.hmacKey(LONG_SECRET), jws -> { });
            assertEquals("alice", verifier.verify(token).getName());
        }
    }

    static Stream<Arguments> publicKeyAlgorithms() {
        KeyPair p256 = TestTokens.ecKeyPair("secp256r1");
        KeyPair p384 = TestTokens.ecKeyPair("secp384r1");
        KeyPair p521 = TestTokens.ecKeyPair("secp521r1");
        KeyPair ed = TestTokens.ed25519KeyPair();
        return Stream.of(
                Arguments.of("RS256", rsa), Arguments.of("RS384", rsa), Arguments.of("RS512", rsa),
                Arguments.of("PS256", rsa), Arguments.of("PS384", rsa), Arguments.of("PS512", rsa),
                Arguments.of("ES256", p256), Arguments.of("ES384", p384), Arguments.of("ES512", p521),
                Arguments.of("EdDSA", ed));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("publicKeyAlgorithms")
    void whenTokenSignedWithThePrivateKeyThenAccepted(String algorithm, KeyPair pair) {
        try (JwtVerifier verifier = verifier(settings(ConfigKeys.JWT_PUBLIC_KEY, TestTokens.pem(pair),
                ConfigKeys.JWT_ALGORITHMS, algorithm))) {
            String token = TestTokens.sign(valid(), algorithm, pair.getPrivate(), jws -> { });
            assertEquals("alice", verifier.verify(token).getName());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("publicKeyAlgorithms")
    void whenTokenSignedWithAnotherKeyOfTheSameTypeThenSignatureInvalid(String algorithm, KeyPair pair) {
        KeyPair other = switch (algorithm) {
            case "ES256" -> TestTokens.ecKeyPair("secp256r1");
            case "ES384" -> TestTokens.ecKeyPair("secp384r1");
            case "ES512" -> TestTokens.ecKeyPair("secp521r1");
            case "EdDSA" -> TestTokens.ed25519KeyPair();
            default -> otherRsa;
        };
        try (JwtVerifier verifier = verifier(settings(ConfigKeys.JWT_PUBLIC_KEY, TestTokens.pem(pair),
                ConfigKeys.JWT_ALGORITHMS, algorithm))) {
            String token = TestTokens.sign(valid(), algorithm, other.getPrivate(), jws -> { });
            assertEquals(Rejection.SIGNATURE_INVALID, rejectionOf(verifier, token));
        }
    }

    @Test
    void whenAlgorithmsNotSetThenInferredFromTheKey() {
        KeyPair p384 = TestTokens.ecKeyPair("secp384r1");
        try (JwtVerifier verifier = verifier(settings(ConfigKeys.JWT_PUBLIC_KEY, TestTokens.pem(p384)))) {
            assertEquals("alice", verifier.verify(TestTokens.sign(valid(), "ES384", p384.getPrivate(), jws -> { })).getName());
        }
    }

    @Test
    void whenKidHeaderPresentWithAFixedKeyThenItIsIgnoredForKeySelection() {
        try (JwtVerifier verifier = hs256Verifier()) {
            assertEquals("alice", verifier.verify(hs256(valid(), jws -> jws.setKeyIdHeaderValue("any-kid"))).getName());
        }
    }

    /** The forms of jwt.type the configuration takes: compared as media types (RFC 7515 §4.1.9). */
    @ParameterizedTest(name = "jwt.type [{0}]")
    @ValueSource(strings = {"at+jwt", "AT+JWT", "application/at+jwt", "Application/At+Jwt", "application/at+jwt; v=1",
            "at+jwt; v=1"})
    void whenTypeConfiguredAsAMediaTypeThenTheVerifierStartsAndAcceptsTheType(String configured) {
        try (JwtVerifier verifier = hs256Verifier(ConfigKeys.JWT_TYPE, configured)) {
            assertEquals("alice", verifier.verify(hs256(valid(), jws -> jws.setHeader("typ", "at+jwt"))).getName());
            assertEquals(Rejection.TYPE_INVALID, rejectionOf(verifier, hs256(valid(), jws -> jws.setHeader("typ", "jwt"))));
        }
    }

    @Test
    void whenTypeConfiguredAndMatchesThenAccepted() {
        try (JwtVerifier verifier = hs256Verifier(ConfigKeys.JWT_TYPE, "at+jwt")) {
            assertEquals("alice", verifier.verify(hs256(valid(), jws -> jws.setHeader("typ", "at+jwt"))).getName());
        }
    }

    @Test
    void whenAudienceListedAmongSeveralThenAccepted() {
        try (JwtVerifier verifier = hs256Verifier(ConfigKeys.JWT_AUDIENCE, "first, " + TestTokens.AUDIENCE)) {
            JwtClaims claims = valid();
            claims.setAudience("unrelated", TestTokens.AUDIENCE);
            assertEquals("alice", verifier.verify(hs256(claims)).getName());
        }
    }

    @Test
    void whenNoAudienceConfiguredThenAnyAudienceIsAccepted() {
        Map<String, String> settings = settings(ConfigKeys.JWT_SECRET, TestTokens.SECRET);
        settings.remove(ConfigKeys.JWT_AUDIENCE);
        try (JwtVerifier verifier = verifier(settings)) {
            JwtClaims claims = valid();
            claims.setAudience("whatever");
            assertEquals("alice", verifier.verify(hs256(claims)).getName());
        }
    }

    @Test
    void whenRolesClaimIsNamespacedByAUrlThenItsRolesAreRead() {
        // Auth0's form: claims.roles=https://myapp.example.com/roles started fine and then read no role at all.
        try (JwtVerifier verifier = hs256Verifier(ConfigKeys.CLAIMS_ROLES, "https://myapp.example.com/roles")) {
            JwtClaims claims = valid();
            claims.setClaim("https://myapp.example.com/roles", List.of("admin"));
            assertEquals(Set.of("admin"), verifier.verify(hs256(claims)).roles());
        }
    }

    @Test
    void whenPrincipalClaimIsNamespacedByAUrlThenTheNameComesFromIt() {
        // Auth0's form for a custom claim, as for claims.roles: one claim name, though its host has dots.
        try (JwtVerifier verifier = hs256Verifier(ConfigKeys.CLAIMS_PRINCIPAL, "https://myapp.example.com/username")) {
            JwtClaims claims = valid();
            claims.setClaim("https://myapp.example.com/username", "alice.smith");
            assertEquals("alice.smith", verifier.verify(hs256(claims)).getName());
        }
    }

    @Test
    void whenPrincipalClaimConfiguredThenNameComesFromIt() {
        try (JwtVerifier verifier = hs256Verifier(ConfigKeys.CLAIMS_PRINCIPAL, "email",
                ConfigKeys.CLAIMS_ROLES, "realm_access.roles")) {
            JwtClaims claims = valid();
            claims.setClaim("email", "alice@example.com");
            claims.setClaim("realm_access", Map.of("roles", List.of("auditor")));
            JwtPrincipal principal = verifier.verify(hs256(claims));
            assertEquals("alice@example.com", principal.getName());
            assertEquals("alice", principal.subject());
            assertEquals(Set.of("auditor"), principal.roles());
        }
    }

    @Test
    void whenTokenExpiredWithinTheClockSkewThenStillAccepted() {
        try (JwtVerifier verifier = hs256Verifier(ConfigKeys.JWT_CLOCK_SKEW_SECONDS, "120")) {
            JwtClaims claims = valid();
            claims.setIssuedAt(TestTokens.secondsFromNow(-600));
            claims.setExpirationTime(TestTokens.secondsFromNow(-30));
            assertEquals("alice", verifier.verify(hs256(claims)).getName());
        }
    }

    // ---- time claims ----------------------------------------------------------------------

    @Test
    void whenExpiredThenExpired() {
        try (JwtVerifier verifier = hs256Verifier()) {
            JwtClaims claims = valid();
            claims.setIssuedAt(TestTokens.secondsFromNow(-600));
            claims.setExpirationTime(TestTokens.secondsFromNow(-120));
            assertEquals(Rejection.EXPIRED, rejectionOf(verifier, hs256(claims)));
        }
    }

    @Test
    void whenNotBeforeInTheFutureThenNotYetValid() {
        try (JwtVerifier verifier = hs256Verifier()) {
            JwtClaims claims = valid();
            claims.setNotBefore(TestTokens.secondsFromNow(300));
            assertEquals(Rejection.NOT_YET_VALID, rejectionOf(verifier, hs256(claims)));
        }
    }

    /**
     * {@code iat} may lie ahead by {@code jwt.clock-skew-seconds} (30), no more: jose4j adds the skew to the bound it
     * is given, so giving it the skew as well let {@code iat} up to twice the skew ahead (a token 45 s ahead passed).
     */
    @Test
    void whenIssuedAheadWithinTheSkewThenAcceptedAndBeyondItThenIssuedInFuture() {
        try (JwtVerifier verifier = hs256Verifier()) {
            JwtClaims within = valid();
            within.setIssuedAt(TestTokens.secondsFromNow(15));
            assertEquals("alice", verifier.verify(hs256(within)).getName());
            JwtClaims beyond = valid();
            beyond.setIssuedAt(TestTokens.secondsFromNow(45));
            assertEquals(Rejection.ISSUED_IN_FUTURE, rejectionOf(verifier, hs256(beyond)));
        }
    }

    @Test
    void whenIssuedInTheFutureThenIssuedInFuture() {
        try (JwtVerifier verifier = hs256Verifier()) {
            JwtClaims claims = valid();
            claims.setIssuedAt(TestTokens.secondsFromNow(300));
            claims.setExpirationTime(TestTokens.secondsFromNow(900));
            assertEquals(Rejection.ISSUED_IN_FUTURE, rejectionOf(verifier, hs256(claims)));
        }
    }

    /**
     * A token that can never be valid ({@code exp} before {@code iat} or {@code nbf}) has claims no issuer writes: jose4j
     * refuses it without an error code of its own, which left it the catch-all {@code INVALID}.
     */
    @ParameterizedTest(name = "iat {0}, nbf {1}, exp {2}")
    @CsvSource({"+0, , -5", "+20, , +10", "1e308, , +600", "+0, +1200, +600", "+0, +20, +5", "+0, 1e308, +600"})
    void whenExpirationBeforeIssuedAtOrNotBeforeThenClaimMalformed(String iat, String nbf, String exp) {
        try (JwtVerifier verifier = hs256Verifier()) {
            String payload = "{\"iss\":\"" + TestTokens.ISSUER + "\",\"aud\":\"" + TestTokens.AUDIENCE
                    + "\",\"sub\":\"alice\",\"jti\":\"j\",\"iat\":" + epoch(iat) + ",\"exp\":" + epoch(exp)
                    + (nbf == null ? "" : ",\"nbf\":" + epoch(nbf)) + "}";
            assertEquals(Rejection.CLAIM_MALFORMED, rejectionOf(verifier, RawJws.hs256("{\"alg\":\"HS256\"}", payload)));
        }
    }

    @Test
    void whenExpiredAndExpirationBeforeIssuedAtThenStillExpired() {
        try (JwtVerifier verifier = hs256Verifier()) {
            JwtClaims claims = valid();
            claims.setIssuedAt(TestTokens.secondsFromNow(-60));
            claims.setExpirationTime(TestTokens.secondsFromNow(-120));
            assertEquals(Rejection.EXPIRED, rejectionOf(verifier, hs256(claims)));
        }
    }

    /** "+20" or "-5": that many seconds from now; anything else as written. */
    private static String epoch(String value) {
        return value.startsWith("+") || value.startsWith("-")
                ? Long.toString(System.currentTimeMillis() / 1000 + Long.parseLong(value.replace("+", ""))) : value;
    }

    @Test
    void whenIssuedAtMissingThenClaimMissing() {
        try (JwtVerifier verifier = hs256Verifier()) {
            JwtClaims claims = valid();
            claims.unsetClaim("iat");
            assertEquals(Rejection.CLAIM_MISSING, rejectionOf(verifier, hs256(claims)));
        }
    }

    @Test
    void whenExpirationMissingThenClaimMissing() {
        try (JwtVerifier verifier = hs256Verifier()) {
            JwtClaims claims = valid();
            claims.unsetClaim("exp");
            assertEquals(Rejection.CLAIM_MISSING, rejectionOf(verifier, hs256(claims)));
        }
    }

    @Test
    void whenExpirationInYear9999ThenLifetimeTooLong() {
        try (JwtVerifier verifier = hs256Verifier()) {
            JwtClaims claims = valid();
            claims.setExpirationTime(NumericDate.fromSeconds(253402300799L));
            assertEquals(Rejection.LIFETIME_TOO_LONG, rejectionOf(verifier, hs256(claims)));
        }
    }

    @Test
    void whenExpirationIs1e300ThenLifetimeTooLong() {
        try (JwtVerifier verifier = hs256Verifier()) {
            String token = RawJws.hs256("{\"alg\":\"HS256\"}", claimsJson("\"exp\":1e300"));
            assertEquals(Rejection.LIFETIME_TOO_LONG, rejectionOf(verifier, token));
        }
    }

    @Test
    void whenExpirationIsAStringThenClaimMalformed() {
        try (JwtVerifier verifier = hs256Verifier()) {
            long soon = System.currentTimeMillis() / 1000 + 600;
            String token = RawJws.hs256("{\"alg\":\"HS256\"}", claimsJson("\"exp\":\"" + soon + "\""));
            assertEquals(Rejection.CLAIM_MALFORMED, rejectionOf(verifier, token));
        }
    }

    @Test
    void whenLifetimeOrExpReachesTheDocumentedLeewayThenItsEdgeIsTheLastAccepted() {
        // docs/security.md: a lifetime up to max age + skew (86,430 s with the defaults), so an exp up to max age
        // plus twice the skew ahead of now (86,460 s, iat the skew ahead).
        try (JwtVerifier verifier = hs256Verifier()) {
            long now = System.currentTimeMillis() / 1000;
            JwtClaims longest = valid();
            longest.setIssuedAt(NumericDate.fromSeconds(now));
            longest.setExpirationTime(NumericDate.fromSeconds(now + 86_430));
            assertEquals("alice", verifier.verify(hs256(longest)).getName());
            longest.setExpirationTime(NumericDate.fromSeconds(now + 86_431));
            assertEquals(Rejection.LIFETIME_TOO_LONG, rejectionOf(verifier, hs256(longest)));

            JwtClaims furthest = valid();
            furthest.setIssuedAt(NumericDate.fromSeconds(now + 25)); // the skew ahead, with 5 s for this test's run
            furthest.setExpirationTime(NumericDate.fromSeconds(now + 25 + 86_430));
            assertEquals("alice", verifier.verify(hs256(furthest)).getName());
        }
    }

    @Test
    void whenLifetimeLongerThanMaxAgeThenLifetimeTooLong() {
        // iat two hours ago, exp in 23 hours: neither alone breaks a rule, but 25 h of life exceeds 24 h.
        try (JwtVerifier verifier = hs256Verifier()) {
            JwtClaims claims = valid();
            claims.setIssuedAt(TestTokens.secondsFromNow(-2 * 3600));
            claims.setExpirationTime(TestTokens.secondsFromNow(23 * 3600));
            assertEquals(Rejection.LIFETIME_TOO_LONG, rejectionOf(verifier, hs256(claims)));
        }
    }

    @Test
    void whenIssuedLongerAgoThanMaxAgeThenTooOld() {
        try (JwtVerifier verifier = hs256Verifier(ConfigKeys.JWT_MAX_AGE_SECONDS, "3600")) {
            JwtClaims claims = valid();
            claims.setIssuedAt(TestTokens.secondsFromNow(-2 * 3600));
            claims.setExpirationTime(TestTokens.secondsFromNow(60));
            assertEquals(Rejection.TOO_OLD, rejectionOf(verifier, hs256(claims)));
        }
    }

    @ParameterizedTest(name = "iat {0}, exp {1}")
    @CsvSource({"-1e300, 1e300", "-1e300, +600", "-9223372036854775808, +600"})
    void whenIssuedAtIsHugelyNegativeThenRefusedWithoutOverflow(String iat, String exp) {
        // jose4j clamps both to Long.MIN/MAX_VALUE and its own iat check then overflows (no error code):
        // JwtGate's lifetime rule (exp - iat, overflow-safe) names the refusal.
        try (JwtVerifier verifier = hs256Verifier()) {
            String expValue = exp.startsWith("+") ? Long.toString(System.currentTimeMillis() / 1000 + 600) : exp;
            String payload = "{\"iss\":\"" + TestTokens.ISSUER + "\",\"aud\":\"" + TestTokens.AUDIENCE
                    + "\",\"sub\":\"alice\",\"jti\":\"j\",\"iat\":" + iat + ",\"exp\":" + expValue + "}";
            assertEquals(Rejection.LIFETIME_TOO_LONG, rejectionOf(verifier, RawJws.hs256("{\"alg\":\"HS256\"}", payload)));
        }
    }

    @Test
    void whenExpMinusIatOverflowsThenLifetimeValidatorStillRefuses() throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuedAt(NumericDate.fromSeconds(Long.MIN_VALUE));
        claims.setExpirationTime(NumericDate.fromSeconds(Long.MAX_VALUE));
        org.jose4j.jwt.consumer.JwtContext context = new org.jose4j.jwt.consumer.JwtContext("unused", claims, List.of());
        assertEquals(JwtVerifier.LifetimeValidator.ERROR_CODE,
                new JwtVerifier.LifetimeValidator(86400, 30).validate(context).getErrorCode());
    }

    // ---- iss, aud, typ, required claims ----------------------------------------------------

    @ParameterizedTest(name = "iss [{0}]")
    @ValueSource(strings = {"https://ISSUER.example", "https://issuer.example/", "https://issuer.example ",
            "http://issuer.example", "https://issuer.example.evil", ""})
    void whenIssuerDiffersInAnyWayThenIssuerInvalid(String issuer) {
        try (JwtVerifier verifier = hs256Verifier()) {
            JwtClaims claims = valid();
            claims.setIssuer(issuer);
            assertEquals(Rejection.ISSUER_INVALID, rejectionOf(verifier, hs256(claims)));
        }
    }

    @Test
    void whenIssuerMissingThenIssuerInvalid() {
        try (JwtVerifier verifier = hs256Verifier()) {
            JwtClaims claims = valid();
            claims.unsetClaim("iss");
            assertEquals(Rejection.ISSUER_INVALID, rejectionOf(verifier, hs256(claims)));
        }
    }

    @ParameterizedTest(name = "aud [{0}]")
    @ValueSource(strings = {"JWTGATE-TESTS", "jwtgate-tests/", "other", ""})
    void whenAudienceDiffersThenAudienceInvalid(String audience) {
        try (JwtVerifier verifier = hs256Verifier()) {
            JwtClaims claims = valid();
            claims.setAudience(audience);
            assertEquals(Rejection.AUDIENCE_INVALID, rejectionOf(verifier, hs256(claims)));
        }
    }

    @ParameterizedTest(name = "aud {0}")
    @ValueSource(strings = {"[\"jwtgate-tests\",null]", "[null,\"jwtgate-tests\"]", "[\"jwtgate-tests\",5]"})
    void whenAudienceListHoldsANonStringThenClaimMalformed(String audience) {
        // RFC 7519 §4.1.3: an array of strings. jose4j refused a number there but let a null through.
        try (JwtVerifier verifier = hs256Verifier()) {
            String payload = validClaimsJson().replace("\"aud\":\"" + TestTokens.AUDIENCE + "\"", "\"aud\":" + audience);
            assertEquals(Rejection.CLAIM_MALFORMED, rejectionOf(verifier, RawJws.hs256("{\"alg\":\"HS256\"}", payload)));
        }
    }

    @Test
    void whenAudienceMissingThenAudienceInvalid() {
        try (JwtVerifier verifier = hs256Verifier()) {
            JwtClaims claims = valid();
            claims.unsetClaim("aud");
            assertEquals(Rejection.AUDIENCE_INVALID, rejectionOf(verifier, hs256(claims)));
        }
    }

    /**
     * RFC 7515 §4.1.9: "A recipient using the media type value MUST treat it as if "application/" were prepended to any
     * "typ" value not containing a '/'." With parameters too: jose4j's check prepended it to the whole value, so
     * {@code at+jwt; v=1} named no media type while {@code application/at+jwt; v=1} passed.
     */
    @ParameterizedTest(name = "typ [{0}]")
    @ValueSource(strings = {"at+jwt", "application/at+jwt", "AT+JWT", "Application/At+Jwt", "at+jwt; v=1",
            "application/at+jwt; v=1", "At+Jwt ;v=1", "application/at+jwt;v=1;w=\"a/b\""})
    void whenTypNamesTheMediaTypeWithOrWithoutApplicationAndParametersThenAccepted(String type) {
        try (JwtVerifier verifier = hs256Verifier(ConfigKeys.JWT_TYPE, "at+jwt")) {
            assertEquals("alice", verifier.verify(hs256(valid(), jws -> jws.setHeader("typ", type))).getName());
        }
    }

    @ParameterizedTest(name = "typ [{0}]")
    @ValueSource(strings = {"JWT", "at+jwt2", "jwt", "at+jwt2; v=1", "text/at+jwt", "text/at+jwt; v=1", "*", "application/*",
            "*/at+jwt", "", ";at+jwt", "application/at+jwt/x", "at+jwt, jwt", "application/ at +jwt"})
    void whenTypeDiffersFromJwtTypeThenTypeInvalid(String type) {
        try (JwtVerifier verifier = hs256Verifier(ConfigKeys.JWT_TYPE, "at+jwt")) {
            assertEquals(Rejection.TYPE_INVALID, rejectionOf(verifier, hs256(valid(), jws -> jws.setHeader("typ", type))));
        }
    }

    @ParameterizedTest(name = "typ {0}")
    @ValueSource(strings = {"5", "[\"at+jwt\"]", "{\"t\":\"at+jwt\"}", "true"})
    void whenTypeConfiguredAndHeaderIsNoStringThenTypeInvalid(String type) {
        // jose4j's type check cast it to a string, failed, and reported that under no code of its own: INVALID.
        try (JwtVerifier verifier = hs256Verifier(ConfigKeys.JWT_TYPE, "at+jwt")) {
            String token = RawJws.hs256("{\"alg\":\"HS256\",\"typ\":" + type + "}", validClaimsJson());
            assertEquals(Rejection.TYPE_INVALID, rejectionOf(verifier, token));
        }
    }

    @Test
    void whenTypeConfiguredAndHeaderMissingThenTypeInvalid() {
        try (JwtVerifier verifier = hs256Verifier(ConfigKeys.JWT_TYPE, "at+jwt")) {
            assertEquals(Rejection.TYPE_INVALID, rejectionOf(verifier, hs256(valid())));
        }
    }

    @Test
    void whenConfiguredRequiredClaimMissingThenClaimMissing() {
        try (JwtVerifier verifier = hs256Verifier(ConfigKeys.JWT_REQUIRED_CLAIMS, "sub,exp,iat,jti,tenant")) {
            assertEquals(Rejection.CLAIM_MISSING, rejectionOf(verifier, hs256(valid())));
            JwtClaims claims = valid();
            claims.setClaim("tenant", "t1");
            assertEquals("alice", verifier.verify(hs256(claims)).getName());
        }
    }

    @Test
    void whenRequiredClaimIsNamespacedByAUrlThenItMustBePresent() {
        // Auth0's form for a custom claim, as for claims.principal and claims.roles: one claim name, though its host has dots.
        try (JwtVerifier verifier = hs256Verifier(ConfigKeys.JWT_REQUIRED_CLAIMS,
                "sub,exp,iat,jti,https://myapp.example.com/tenant")) {
            assertEquals(Rejection.CLAIM_MISSING, rejectionOf(verifier, hs256(valid())));
            JwtClaims claims = valid();
            claims.setClaim("https://myapp.example.com/tenant", "t1");
            assertEquals("alice", verifier.verify(hs256(claims)).getName());
        }
    }

    @Test
    void whenJtiMissingThenClaimMissing() {
        try (JwtVerifier verifier = hs256Verifier()) {
            JwtClaims claims = valid();
            claims.unsetClaim("jti");
            assertEquals(Rejection.CLAIM_MISSING, rejectionOf(verifier, hs256(claims)));
        }
    }

    @ParameterizedTest(name = "{0} empty")
    @ValueSource(strings = {"jti", "sub"})
    void whenRevocationIdentifierEmptyThenClaimMissing(String claim) {
        try (JwtVerifier verifier = hs256Verifier(ConfigKeys.CLAIMS_PRINCIPAL, "email")) {
            JwtClaims claims = valid();
            claims.setClaim("email", "alice@example.com");
            assertEquals("alice@example.com", verifier.verify(hs256(claims)).getName());
            claims.setClaim(claim, "");
            assertEquals(Rejection.CLAIM_MISSING, rejectionOf(verifier, hs256(claims)));
        }
    }

    @ParameterizedTest(name = "{0} [{1}]")
    @CsvSource(value = {"jti|' '", "jti|'   '", "jti|'\t'", "sub|' '", "sub|'  \n '"}, delimiter = '|')
    void whenRevocationIdentifierBlankThenClaimMissing(String claim, String blank) {
        // Blank is as empty: every such token would share one revocation key, and revoke-user refuses a blank subject.
        try (JwtVerifier verifier = hs256Verifier(ConfigKeys.CLAIMS_PRINCIPAL, "email")) {
            JwtClaims claims = valid();
            claims.setClaim("email", "alice@example.com");
            claims.setClaim(claim, blank.replace("\\t", "\t").replace("\\n", "\n"));
            assertEquals(Rejection.CLAIM_MISSING, rejectionOf(verifier, hs256(claims)));
        }
    }

    @Test
    void whenSubjectIsANumberThenClaimMalformed() {
        try (JwtVerifier verifier = hs256Verifier()) {
            String payload = claimsJson("\"exp\":" + (System.currentTimeMillis() / 1000 + 600)).replace("\"sub\":\"alice\"", "\"sub\":42");
            assertEquals(Rejection.CLAIM_MALFORMED, rejectionOf(verifier, RawJws.hs256("{\"alg\":\"HS256\"}", payload)));
        }
    }

    // ---- forms jose4j would accept but JwtGate refuses ----------------------------------------

    @Test
    void whenUnknownCriticalHeaderThenUnsupportedForm() {
        try (JwtVerifier verifier = hs256Verifier()) {
            String token = RawJws.hs256("{\"alg\":\"HS256\",\"crit\":[\"x-policy\"],\"x-policy\":true}", validClaimsJson());
            assertEquals(Rejection.UNSUPPORTED_FORM, rejectionOf(verifier, token));
        }
    }

    @Test
    void whenCritNamesAHeaderJose4jKnowsThenStillUnsupportedForm() {
        try (JwtVerifier verifier = hs256Verifier()) {
            String token = RawJws.hs256("{\"alg\":\"HS256\",\"crit\":[\"exp\"],\"exp\":1}", validClaimsJson());
            assertEquals(Rejection.UNSUPPORTED_FORM, rejectionOf(verifier, token));
        }
    }

    @Test
    void whenUnencodedPayloadB64FalseWithCritThenRefusedAsMalformed() {
        // jose4j reads an unencoded payload literally: the claims are then never a JSON object.
        try (JwtVerifier verifier = hs256Verifier()) {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
            jws.getHeaders().setObjectHeaderValue("b64", false);
            jws.setCriticalHeaderNames("b64");
            jws.setPayload("payloadWithoutDots");
            jws.setKey(TestTokens.hmacKey(TestTokens.SECRET));
            String token = compact(jws);
            assertEquals(3, token.split("\\.", -1).length, token);
            assertEquals(Rejection.MALFORMED, rejectionOf(verifier, token));
        }
    }

    @Test
    void whenB64TrueIsStatedThenStillUnsupportedForm() {
        // Only the default is tolerated by omission; any b64 header is an unencoded-payload request.
        try (JwtVerifier verifier = hs256Verifier()) {
            String token = RawJws.hs256("{\"alg\":\"HS256\",\"b64\":true,\"crit\":[\"b64\"]}", validClaimsJson());
            assertEquals(Rejection.UNSUPPORTED_FORM, rejectionOf(verifier, token));
        }
    }

    @Test
    void whenJweThenUnsupportedForm() throws Exception {
        try (JwtVerifier verifier = hs256Verifier()) {
            JsonWebEncryption jwe = new JsonWebEncryption();
            jwe.setAlgorithmHeaderValue(KeyManagementAlgorithmIdentifiers.DIRECT);
            jwe.setEncryptionMethodHeaderParameter(ContentEncryptionAlgorithmIdentifiers.AES_128_CBC_HMAC_SHA_256);
            jwe.setKey(new AesKey(TestTokens.SECRET.getBytes(StandardCharsets.UTF_8)));
            jwe.setPayload(valid().toJson());
            String token = jwe.getCompactSerialization();
            assertEquals(5, token.split("\\.", -1).length);
            assertEquals(Rejection.UNSUPPORTED_FORM, rejectionOf(verifier, token));
        }
    }

    @Test
    void whenNestedJwtSignedWithTheRightKeyThenUnsupportedForm() {
        try (JwtVerifier verifier = hs256Verifier()) {
            String inner = hs256(valid());
            JsonWebSignature outer = new JsonWebSignature();
            outer.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
            outer.setContentTypeHeaderValue("JWT");
            outer.setPayload(inner);
            outer.setKey(TestTokens.hmacKey(TestTokens.SECRET));
            assertEquals(Rejection.UNSUPPORTED_FORM, rejectionOf(verifier, compact(outer)));
        }
    }

    @ParameterizedTest(name = "cty {0}")
    @ValueSource(strings = {"5", "[\"JWT\"]", "{\"cty\":\"JWT\"}", "true"})
    void whenContentTypeHeaderIsNoStringThenMalformed(String type) {
        // jose4j casts cty to a string to look for a nested JWT: the failure came back under no error code of its own.
        try (JwtVerifier verifier = hs256Verifier()) {
            String token = RawJws.hs256("{\"alg\":\"HS256\",\"cty\":" + type + "}", validClaimsJson());
            assertEquals(Rejection.MALFORMED, rejectionOf(verifier, token));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"\"crit\":null", "\"b64\":null", "\"zip\":null", "\"\\u0063rit\":null"})
    void whenCritB64OrZipIsPresentWithANullValueThenStillUnsupportedForm(String member) {
        // RFC 7515 §4.1.11: crit is a list of names; a member present with null is no valid header.
        try (JwtVerifier verifier = hs256Verifier()) {
            String token = RawJws.hs256("{\"alg\":\"HS256\"," + member + "}", validClaimsJson());
            assertEquals(Rejection.UNSUPPORTED_FORM, rejectionOf(verifier, token));
        }
    }

    @Test
    void whenZipHeaderThenUnsupportedForm() {
        try (JwtVerifier verifier = hs256Verifier()) {
            String token = RawJws.hs256("{\"alg\":\"HS256\",\"zip\":\"DEF\"}", validClaimsJson());
            assertEquals(Rejection.UNSUPPORTED_FORM, rejectionOf(verifier, token));
        }
    }

    // ---- algorithms ------------------------------------------------------------------------

    @ParameterizedTest(name = "alg [{0}], no signature")
    @ValueSource(strings = {"none", "None", "NONE", "nOnE"})
    void whenAlgNoneWithEmptySignatureThenMalformed(String alg) {
        try (JwtVerifier verifier = hs256Verifier()) {
            String token = RawJws.signingInput("{\"alg\":\"" + alg + "\"}", validClaimsJson()) + ".";
            assertEquals(Rejection.MALFORMED, rejectionOf(verifier, token));
        }
    }

    @ParameterizedTest(name = "alg [{0}], some signature")
    @ValueSource(strings = {"none", "None", "NONE", "nOnE", " none", "none\u0000"})
    void whenAlgNoneWithAnySignatureThenAlgorithmNotAllowed(String alg) {
        try (JwtVerifier verifier = hs256Verifier()) {
            String token = RawJws.hs256("{\"alg\":\"" + alg.replace("\u0000", "\\u0000") + "\"}", validClaimsJson());
            assertEquals(Rejection.ALGORITHM_NOT_ALLOWED, rejectionOf(verifier, token));
        }
    }

    @Test
    void whenAlgHeaderMissingThenAlgorithmNotAllowed() {
        try (JwtVerifier verifier = hs256Verifier()) {
            String token = RawJws.hs256("{\"typ\":\"JWT\"}", validClaimsJson());
            assertEquals(Rejection.ALGORITHM_NOT_ALLOWED, rejectionOf(verifier, token));
        }
    }

    @ParameterizedTest(name = "alg {0}")
    @ValueSource(strings = {"42", "[\"HS256\"]", "{\"alg\":\"HS256\"}", "true"})
    void whenAlgHeaderIsNoStringThenAlgorithmNotAllowed(String alg) {
        // As a missing or null alg: jose4j's cast to a string failed, under no code of its own, which gave INVALID.
        try (JwtVerifier verifier = hs256Verifier()) {
            String token = RawJws.hs256("{\"alg\":" + alg + "}", validClaimsJson());
            assertEquals(Rejection.ALGORITHM_NOT_ALLOWED, rejectionOf(verifier, token));
        }
    }

    @Test
    void whenAlgorithmOutsideTheAllowlistThenAlgorithmNotAllowed() {
        try (JwtVerifier verifier = verifier(settings(ConfigKeys.JWT_SECRET, LONG_SECRET, ConfigKeys.JWT_ALGORITHMS, "HS256"))) {
            String token = TestTokens.sign(valid(), "HS512", TestTokens.hmacKey(LONG_SECRET), jws -> { });
            assertEquals(Rejection.ALGORITHM_NOT_ALLOWED, rejectionOf(verifier, token));
        }
    }

    @Test
    void whenPs256TokenAndOnlyRs256AllowedThenAlgorithmNotAllowed() {
        try (JwtVerifier verifier = rs256Verifier()) {
            String token = TestTokens.sign(valid(), "PS256", rsa.getPrivate(), jws -> { });
            assertEquals(Rejection.ALGORITHM_NOT_ALLOWED, rejectionOf(verifier, token));
        }
    }

    @Test
    void whenHs256SignedWithTheRsaPublicKeyPemTextThenAlgorithmNotAllowed() {
        try (JwtVerifier verifier = rs256Verifier()) {
            byte[] pemBytes = TestTokens.pem(rsa).getBytes(StandardCharsets.US_ASCII);
            String token = RawJws.hmac("HmacSHA256", pemBytes, "{\"alg\":\"HS256\"}", validClaimsJson());
            assertEquals(Rejection.ALGORITHM_NOT_ALLOWED, rejectionOf(verifier, token));
        }
    }

    @Test
    void whenHs256SignedWithTheRsaPublicKeyDerThenAlgorithmNotAllowed() {
        try (JwtVerifier verifier = rs256Verifier()) {
            byte[] der = rsa.getPublic().getEncoded();
            String token = RawJws.hmac("HmacSHA256", der, "{\"alg\":\"HS256\"}", validClaimsJson());
            assertEquals(Rejection.ALGORITHM_NOT_ALLOWED, rejectionOf(verifier, token));
        }
    }

    @Test
    void whenEs256SignatureIsAllZeroThenSignatureInvalid() {
        KeyPair p256 = TestTokens.ecKeyPair("secp256r1");
        try (JwtVerifier verifier = verifier(settings(ConfigKeys.JWT_PUBLIC_KEY, TestTokens.pem(p256)))) {
            String token = RawJws.withSignature("{\"alg\":\"ES256\"}", validClaimsJson(), new byte[64]);
            assertEquals(Rejection.SIGNATURE_INVALID, rejectionOf(verifier, token));
        }
    }

    @Test
    void whenHmacSignedWithAnotherSecretThenSignatureInvalid() {
        try (JwtVerifier verifier = hs256Verifier()) {
            String token = TestTokens.sign(valid(), "HS256", TestTokens.hmacKey("another-secret-0123456789abcdefghij"), jws -> { });
            assertEquals(Rejection.SIGNATURE_INVALID, rejectionOf(verifier, token));
        }
    }

    @Test
    void whenHmacSignedWithAnEmptyKeyThenSignatureInvalid() {
        try (JwtVerifier verifier = hs256Verifier()) {
            String token = RawJws.hmac("HmacSHA256", new byte[1], "{\"alg\":\"HS256\"}", validClaimsJson());
            assertEquals(Rejection.SIGNATURE_INVALID, rejectionOf(verifier, token));
        }
    }

    // ---- structure -------------------------------------------------------------------------

    @Test
    void whenSignatureTruncatedThenSignatureInvalid() {
        try (JwtVerifier verifier = hs256Verifier()) {
            String token = hs256(valid());
            assertEquals(Rejection.SIGNATURE_INVALID, rejectionOf(verifier, token.substring(0, token.length() - 4)));
        }
    }

    @Test
    void whenSignatureStrippedThenMalformed() {
        try (JwtVerifier verifier = hs256Verifier()) {
            String token = hs256(valid());
            String stripped = token.substring(0, token.lastIndexOf('.') + 1);
            assertEquals(Rejection.MALFORMED, rejectionOf(verifier, stripped));
            assertEquals(Rejection.MALFORMED, rejectionOf(verifier, stripped.substring(0, stripped.length() - 1)));
        }
    }

    @Test
    void whenSignatureFromAnotherTokenThenSignatureInvalid() {
        try (JwtVerifier verifier = hs256Verifier()) {
            String mine = hs256(valid());
            String theirs = hs256(TestTokens.claims("mallory", "admin"));
            String spliced = theirs.substring(0, theirs.lastIndexOf('.')) + mine.substring(mine.lastIndexOf('.'));
            assertEquals(Rejection.SIGNATURE_INVALID, rejectionOf(verifier, spliced));
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", "a", "a.b", "a.b.c.d", "a.b.c.d.e.f", "..", "a..c", ".b.c", "a.b.c=", "a.b .c",
            "a.b.c\n", "a+b.c.d", "a/b.c.d", "eyJ.eyJ.sig%3D"})
    void whenNotThreeBase64UrlSegmentsThenMalformedOrUnsupported(String token) {
        try (JwtVerifier verifier = hs256Verifier()) {
            Rejection rejection = rejectionOf(verifier, token);
            assertEquals(Rejection.MALFORMED, rejection);
        }
    }

    @Test
    void whenPaddedBase64UrlThenMalformed() {
        try (JwtVerifier verifier = hs256Verifier()) {
            String token = hs256(valid());
            String[] parts = token.split("\\.");
            assertEquals(Rejection.MALFORMED, rejectionOf(verifier, parts[0] + "==." + parts[1] + "." + parts[2]));
        }
    }

    @Test
    void whenSegmentIsNotValidBase64ThenRefused() {
        try (JwtVerifier verifier = hs256Verifier()) {
            // "A" alone is not decodable: one base64 character carries only 6 bits.
            assertEquals(Rejection.MALFORMED, rejectionOf(verifier, "A." + RawJws.b64(validClaimsJson()) + ".c2ln"));
        }
    }

    @Test
    void whenLongerThanMaxLengthThenTooLongBeforeAnyParsing() {
        try (JwtVerifier verifier = hs256Verifier(ConfigKeys.TOKEN_MAX_LENGTH, "100")) {
            String token = "a".repeat(60) + "." + "b".repeat(60) + ".c";
            assertEquals(Rejection.TOO_LONG, rejectionOf(verifier, token));
        }
    }

    @Test
    void whenHeaderIsNotJsonThenMalformed() {
        try (JwtVerifier verifier = hs256Verifier()) {
            String token = RawJws.hs256("not json", validClaimsJson());
            assertEquals(Rejection.MALFORMED, rejectionOf(verifier, token));
        }
    }

    @ParameterizedTest(name = "payload [{0}]")
    @ValueSource(strings = {"not json", "[1,2,3]", "\"a string\"", "42", "null", "{", "{\"sub\":\"alice\"}}"})
    void whenPayloadIsNotAJsonObjectThenMalformed(String payload) {
        try (JwtVerifier verifier = hs256Verifier()) {
            assertEquals(Rejection.MALFORMED, rejectionOf(verifier, RawJws.hs256("{\"alg\":\"HS256\"}", payload)));
        }
    }

    @Test
    void whenHeaderHasDuplicateNamesThenMalformed() {
        try (JwtVerifier verifier = hs256Verifier()) {
            String token = RawJws.hs256("{\"alg\":\"none\",\"alg\":\"HS256\"}", validClaimsJson());
            assertEquals(Rejection.MALFORMED, rejectionOf(verifier, token));
        }
    }

    @Test
    void whenClaimsHaveDuplicateNamesThenMalformed() {
        try (JwtVerifier verifier = hs256Verifier()) {
            String payload = validClaimsJson().replace("\"sub\":\"alice\"", "\"sub\":\"alice\",\"sub\":\"admin\"");
            assertEquals(Rejection.MALFORMED, rejectionOf(verifier, RawJws.hs256("{\"alg\":\"HS256\"}", payload)));
        }
    }

    @ParameterizedTest(name = "nested in the {0}")
    @ValueSource(strings = {"header", "claims"})
    void whenForgedTokenNestsFiftyThousandDeepThenSignatureInvalidWithoutStackOverflow(String where) {
        try (JwtVerifier verifier = hs256Verifier(ConfigKeys.TOKEN_MAX_LENGTH, Integer.toString(1 << 20))) {
            String deep = "[".repeat(50_000) + "]".repeat(50_000);
            String header = where.equals("header") ? "{\"alg\":\"HS256\",\"x\":" + deep + "}" : "{\"alg\":\"HS256\"}";
            String payload = where.equals("claims") ? claimsJson("\"exp\":" + (System.currentTimeMillis() / 1000 + 600)
                    + ",\"x\":" + deep) : validClaimsJson();
            String token = RawJws.hmac("HmacSHA256", "attacker-key-0123456789abcdefghij".getBytes(StandardCharsets.UTF_8),
                    header, payload);
            assertEquals(Rejection.SIGNATURE_INVALID, rejectionOf(verifier, token));
        }
    }

    @Test
    void whenSignedClaimsNestedFiftyThousandDeepThenRefusedWithoutStackOverflow() {
        try (JwtVerifier verifier = hs256Verifier(ConfigKeys.TOKEN_MAX_LENGTH, Integer.toString(1 << 20))) {
            String deep = "[".repeat(50_000) + "]".repeat(50_000);
            String token = RawJws.hs256("{\"alg\":\"HS256\"}", claimsJson("\"exp\":"
                    + (System.currentTimeMillis() / 1000 + 600) + ",\"x\":" + deep));
            assertEquals(Rejection.CLAIM_MALFORMED, rejectionOf(verifier, token));
        }
    }

    @Test
    void whenClaimsNestedModeratelyThenAccepted() {
        try (JwtVerifier verifier = hs256Verifier()) {
            String nested = "{\"a\":".repeat(20) + "1" + "}".repeat(20);
            String token = RawJws.hs256("{\"alg\":\"HS256\"}", claimsJson("\"exp\":"
                    + (System.currentTimeMillis() / 1000 + 600) + ",\"x\":" + nested));
            assertEquals("alice", verifier.verify(token).getName());
        }
    }

    // ---- keys named by the token are never used ---------------------------------------------

    @ParameterizedTest(name = "kid [{0}]")
    @MethodSource("org.jwtgate.internal.verify.JwtVerifierTest#kidInjections")
    void whenKidIsAnInjectionStringAndTokenSignedWithAGuessedKeyThenSignatureInvalid(String kid) {
        try (JwtVerifier verifier = hs256Verifier()) {
            String header = "{\"alg\":\"HS256\",\"kid\":" + RawJws.jsonString(kid) + "}";
            String token = RawJws.hmac("HmacSHA256", new byte[32], header, validClaimsJson());
            assertEquals(Rejection.SIGNATURE_INVALID, rejectionOf(verifier, token));
        }
    }

    static Stream<String> kidInjections() {
        return Stream.of("../../etc/passwd", "/dev/null", "' OR 1=1 --", "\u0000", "x\u0000../../etc/passwd",
                "k".repeat(4000), "${jndi:ldap://127.0.0.1/a}", "http://127.0.0.1:1/key");
    }

    @Test
    void whenEmbeddedJwkHeaderCarriesTheSigningKeyThenSignatureInvalid() throws Exception {
        KeyPair attacker = TestTokens.rsaKeyPair();
        try (JwtVerifier verifier = rs256Verifier()) {
            PublicJsonWebKey embedded = PublicJsonWebKey.Factory.newPublicJwk(attacker.getPublic());
            String token = TestTokens.sign(valid(), "RS256", attacker.getPrivate(), jws -> jws.setJwkHeader(embedded));
            assertEquals(Rejection.SIGNATURE_INVALID, rejectionOf(verifier, token));
        }
    }

    static String compact(JsonWebSignature jws) {
        try {
            return jws.getCompactSerialization();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void whenRefusedThenExceptionMessageIsTheFixedDetailOnly() {
        try (JwtVerifier verifier = hs256Verifier()) {
            JwtClaims claims = valid();
            claims.setClaim("secret-marker", "s3cr3t-claim-value");
            claims.setExpirationTime(TestTokens.secondsFromNow(-3600));
            claims.setIssuedAt(TestTokens.secondsFromNow(-7200));
            String token = hs256(claims);
            InvalidTokenException e = assertThrows(InvalidTokenException.class, () -> verifier.verify(token));
            assertEquals(Rejection.EXPIRED.detail(), e.getMessage());
            assertFalse(e.getMessage().contains("s3cr3t"));
            assertEquals(0, e.getStackTrace().length, "no stack trace on the hot refusal path");
        }
    }

    @Test
    void whenPublicDescriptionThenCoarseAndFixed() {
        for (Rejection rejection : Rejection.values()) {
            String description = rejection.publicDescription();
            assertTrue(description.startsWith("The access token"), description);
        }
        assertEquals("The access token is invalid", Rejection.ALGORITHM_NOT_ALLOWED.publicDescription());
        assertEquals("The access token expired", Rejection.EXPIRED.publicDescription());
    }

}
