package org.jwtgate.internal.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.jwtgate.config.SigningAlgorithm;
import org.jwtgate.dpop.DpopRejection;
import org.jwtgate.dpop.InvalidDpopProofException;
import org.jwtgate.testkit.tokens.RawJws;
import org.jwtgate.testkit.tokens.DpopKey;

/** Every refusal of the proof's form, header, key and claims, asserted by its {@link DpopRejection}. */
class DpopProofParserTest {

    private static final String URI = "https://api.example/orders";
    private static final DpopKey ES256 = DpopKey.es256();
    private static final DpopKey OTHER = DpopKey.es256();
    private static final DpopProofParser PARSER = new DpopProofParser(List.of(SigningAlgorithm.ES256, SigningAlgorithm.EdDSA,
            SigningAlgorithm.RS256, SigningAlgorithm.PS256));

    private static DpopRejection refusal(String proof) {
        return assertThrows(InvalidDpopProofException.class, () -> PARSER.parse(proof).verifySignature()).rejection();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ES256", "EdDSA", "RS256", "PS256"})
    void whenProofWellFormedThenClaimsAndThumbprintAreRead(String algorithm) {
        DpopKey key = DpopKey.of(algorithm);
        DpopKey.Proof built = key.proof("POST", URI).nonce("n-1").claim("ath", "hash");
        DpopProofParser.Proof proof = PARSER.parse(built.sign());
        proof.verifySignature();
        assertEquals(key.thumbprint(), proof.thumbprint());
        assertEquals(built.jti(), proof.jti());
        assertEquals("POST", proof.htm());
        assertEquals(URI, proof.htu());
        assertEquals("hash", proof.ath());
        assertEquals("n-1", proof.nonce());
    }

    /** The bound docs/security.md states (RFC 9449 sets none): 256 characters pass, 257 are refused (below). */
    @Test
    void whenJtiHasTheDocumentedLongestLengthThenAccepted() {
        DpopProofParser.Proof proof = PARSER.parse(ES256.proof("GET", URI).jti("j".repeat(256)).sign());
        proof.verifySignature();
        assertEquals(256, proof.jti().length());
    }

    @Test
    void whenTypeIsTheFullMediaTypeInAnotherCaseThenAccepted() {
        PARSER.parse(ES256.proof("GET", URI).header("typ", "application/DPoP+JWT").sign()).verifySignature();
    }

    @Test
    void whenNoAthOrNonceThenTheyAreNull() {
        DpopProofParser.Proof proof = PARSER.parse(ES256.proof("GET", URI).sign());
        assertNull(proof.ath());
        assertNull(proof.nonce());
    }

    static Stream<Arguments> refusedProofs() {
        return Stream.of(
                refused("typ missing", p -> p.header("typ", null), DpopRejection.TYPE_INVALID),
                refused("typ JWT", p -> p.header("typ", "JWT"), DpopRejection.TYPE_INVALID),
                refused("typ at+jwt", p -> p.header("typ", "at+jwt"), DpopRejection.TYPE_INVALID),
                // RFC 9449 names the value dpop+jwt, no parameters: refused with and without application/ alike.
                refused("typ with a parameter", p -> p.header("typ", "dpop+jwt; v=1"), DpopRejection.TYPE_INVALID),
                refused("typ of the full media type with a parameter", p -> p.header("typ", "application/dpop+jwt; v=1"),
                        DpopRejection.TYPE_INVALID),
                refused("typ a number", p -> p.header("typ", 1), DpopRejection.TYPE_INVALID),
                refused("alg outside the list", p -> p.header("alg", "ES384"), DpopRejection.ALGORITHM_NOT_ALLOWED),
                refused("alg in another case", p -> p.header("alg", "es256"), DpopRejection.ALGORITHM_NOT_ALLOWED),
                refused("alg HS256", p -> p.header("alg", "HS256"), DpopRejection.ALGORITHM_NOT_ALLOWED),
                refused("alg none", p -> p.header("alg", "none"), DpopRejection.ALGORITHM_NOT_ALLOWED),
                refused("alg missing", p -> p.header("alg", null), DpopRejection.ALGORITHM_NOT_ALLOWED),
                refused("crit header", p -> p.header("crit", List.of("exp")), DpopRejection.UNSUPPORTED_HEADER),
                refused("b64 header", p -> p.header("b64", false), DpopRejection.UNSUPPORTED_HEADER),
                refused("zip header", p -> p.header("zip", "DEF"), DpopRejection.UNSUPPORTED_HEADER),
                refused("jwk missing", p -> p.header("jwk", null), DpopRejection.KEY_INVALID),
                refused("jwk a string", p -> p.header("jwk", "key"), DpopRejection.KEY_INVALID),
                refused("jwk with the private key", p -> p.header("jwk", ES256.privateJwk()), DpopRejection.PRIVATE_KEY),
                refused("jwk with a d member only", p -> p.header("jwk", withMember(ES256.publicJwk(), "d", "AAAA")),
                        DpopRejection.PRIVATE_KEY),
                refused("jwk symmetric", p -> p.header("jwk", Map.of("kty", "oct", "k", "c2VjcmV0")), DpopRejection.PRIVATE_KEY),
                refused("jwk RSA for ES256", p -> p.header("jwk", DpopKey.rs256().publicJwk()), DpopRejection.KEY_INVALID),
                refused("jwk P-384 for ES256", p -> p.header("jwk", DpopKey.of("ES384").publicJwk()), DpopRejection.KEY_INVALID),
                refused("jwk kty missing", p -> p.header("jwk", withMember(ES256.publicJwk(), "kty", null)), DpopRejection.KEY_INVALID),
                refused("jwk point not on the curve", p -> p.header("jwk", withMember(ES256.publicJwk(), "y",
                        ES256.publicJwk().get("x"))), DpopRejection.KEY_INVALID),
                refused("signed by another key", p -> p.signedBy(OTHER), DpopRejection.SIGNATURE_INVALID),
                refused("jti missing", p -> p.claim("jti", null), DpopRejection.CLAIM_MISSING),
                refused("htm missing", p -> p.claim("htm", null), DpopRejection.CLAIM_MISSING),
                refused("htu missing", p -> p.claim("htu", null), DpopRejection.CLAIM_MISSING),
                refused("iat missing", p -> p.claim("iat", null), DpopRejection.CLAIM_MISSING),
                refused("iat a string", p -> p.claim("iat", "1700000000"), DpopRejection.CLAIM_MALFORMED),
                refused("jti a number", p -> p.claim("jti", 42), DpopRejection.CLAIM_MALFORMED),
                refused("jti empty", p -> p.claim("jti", ""), DpopRejection.CLAIM_MALFORMED),
                refused("jti of 257 characters", p -> p.claim("jti", "j".repeat(257)), DpopRejection.CLAIM_MALFORMED),
                refused("htu an object", p -> p.claim("htu", Map.of("a", 1)), DpopRejection.CLAIM_MALFORMED),
                refused("ath a number", p -> p.claim("ath", 1), DpopRejection.CLAIM_MALFORMED),
                refused("nonce an array", p -> p.claim("nonce", List.of("n")), DpopRejection.CLAIM_MALFORMED));
    }

    private static Arguments refused(String name, UnaryOperator<DpopKey.Proof> change, DpopRejection expected) {
        return Arguments.of(name, change, expected);
    }

    private static Map<String, Object> withMember(Map<String, Object> jwk, String name, Object value) {
        if (value == null) {
            jwk.remove(name);
        } else {
            jwk.put(name, value);
        }
        return jwk;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedProofs")
    void whenProofBrokenThenRefusedWithItsReason(String name, UnaryOperator<DpopKey.Proof> change, DpopRejection expected) {
        assertEquals(expected, refusal(change.apply(ES256.proof("GET", URI)).sign()));
    }

    @Test
    void whenProofUnsignedThenRefused() {
        assertEquals(DpopRejection.MALFORMED, refusal(ES256.proof("GET", URI).header("alg", "none").unsigned()));
        assertEquals(DpopRejection.ALGORITHM_NOT_ALLOWED, refusal(ES256.proof("GET", URI).header("alg", "none").unsigned() + "AA"));
    }

    @Test
    void whenProofSignedWithHmacThenRefusedByItsAlgorithm() {
        String header = "{\"typ\":\"dpop+jwt\",\"alg\":\"HS256\",\"jwk\":{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}}";
        String claims = "{\"jti\":\"j\",\"htm\":\"GET\",\"htu\":\"" + URI + "\",\"iat\":" + System.currentTimeMillis() / 1000 + "}";
        String proof = RawJws.hmac("HmacSHA256", "secret-secret-secret-secret-32by".getBytes(StandardCharsets.UTF_8), header, claims);
        assertEquals(DpopRejection.ALGORITHM_NOT_ALLOWED, refusal(proof));
    }

    @Test
    void whenRsaKeyShorterThan2048BitsThenRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        var weak = generator.generateKeyPair();
        var jwk = org.jose4j.jwk.PublicJsonWebKey.Factory.newPublicJwk(weak.getPublic())
                .toParams(org.jose4j.jwk.JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        String header = "{\"typ\":\"dpop+jwt\",\"alg\":\"RS256\",\"jwk\":" + org.jose4j.json.JsonUtil.toJson(jwk) + "}";
        String claims = "{\"jti\":\"j\",\"htm\":\"GET\",\"htu\":\"" + URI + "\",\"iat\":" + System.currentTimeMillis() / 1000 + "}";
        assertEquals(DpopRejection.KEY_INVALID, refusal(RawJws.rs256(weak.getPrivate(), header, claims)));
    }

    @Test
    void whenRsaKeyOf4096BitsThenAccepted() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(DpopProofParser.MAX_RSA_MODULUS_BITS);
        var largest = generator.generateKeyPair();
        PARSER.parse(RawJws.rs256(largest.getPrivate(), rsaHeader(largest.getPublic()), claims())).verifySignature();
    }

    /**
     * The sender chooses the key, so a modulus or exponent beyond what real keys use is refused before any
     * signature check: each would make one check cost tens of milliseconds. A junk signature suffices: it
     * shows that the key, not the signature, was refused.
     */
    @ParameterizedTest
    @ValueSource(ints = {4097, 8192, 16384})
    void whenRsaModulusLongerThan4096BitsThenRefusedBeforeTheSignatureCheck(int bits) {
        BigInteger modulus = new BigInteger(bits, new SecureRandom()).setBit(bits - 1).setBit(0);
        String header = rsaHeader(modulus, BigInteger.valueOf(65537));
        assertEquals(DpopRejection.KEY_INVALID, refusal(RawJws.withSignature(header, claims(), new byte[bits / 8])));
    }

    @Test
    void whenRsaPublicExponentLongerThan32BitsThenRefusedBeforeTheSignatureCheck() {
        BigInteger modulus = new BigInteger(2048, new SecureRandom()).setBit(2047).setBit(0);
        BigInteger longest = BigInteger.ONE.shiftLeft(DpopProofParser.MAX_RSA_EXPONENT_BITS).subtract(BigInteger.ONE);
        byte[] junk = new byte[256];
        assertEquals(DpopRejection.SIGNATURE_INVALID,
                refusal(RawJws.withSignature(rsaHeader(modulus, longest), claims(), junk)), "a 32-bit exponent is a key");
        assertEquals(DpopRejection.KEY_INVALID,
                refusal(RawJws.withSignature(rsaHeader(modulus, longest.add(BigInteger.TWO)), claims(), junk)));
    }

    /** With e = 1 a "signature" equals its message, which anyone can compute: the key itself is refused. */
    @Test
    void whenRsaPublicExponentIsOneThenTheKeyIsRefusedBeforeTheSignatureCheck() {
        BigInteger modulus = new BigInteger(2048, new SecureRandom()).setBit(2047).setBit(0);
        assertEquals(DpopRejection.KEY_INVALID,
                refusal(RawJws.withSignature(rsaHeader(modulus, BigInteger.ONE), claims(), new byte[256])));
    }

    /**
     * An Ed25519 key of small order (here the identity) verifies the "signature" R = its own encoding, S = 0 on every
     * message: anyone could sign for it, so the key is refused, as e = 1 is for RSA.
     */
    @Test
    void whenEdDsaKeyIsAPointOfSmallOrderThenTheKeyIsRefused() {
        byte[] identity = new byte[32];
        identity[0] = 1;
        String header = "{\"typ\":\"dpop+jwt\",\"alg\":\"EdDSA\",\"jwk\":{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\""
                + RawJws.b64(identity) + "\"}}";
        byte[] signature = new byte[64];
        signature[0] = 1;
        assertEquals(DpopRejection.KEY_INVALID, refusal(RawJws.withSignature(header, claims(), signature)));
    }

    /** An even exponent is no RSA key's (RFC 8017), refused as e = 1 is; 3 is an RSA key's, and reaches the signature. */
    @Test
    void whenRsaPublicExponentIsEvenThenTheKeyIsRefusedBeforeTheSignatureCheck() {
        BigInteger modulus = new BigInteger(2048, new SecureRandom()).setBit(2047).setBit(0);
        byte[] junk = new byte[256];
        for (long even : new long[] {4, 65538}) {
            assertEquals(DpopRejection.KEY_INVALID,
                    refusal(RawJws.withSignature(rsaHeader(modulus, BigInteger.valueOf(even)), claims(), junk)), "e=" + even);
        }
        assertEquals(DpopRejection.SIGNATURE_INVALID,
                refusal(RawJws.withSignature(rsaHeader(modulus, BigInteger.valueOf(3)), claims(), junk)), "e=3 is a key");
    }

    private static String claims() {
        return "{\"jti\":\"j\",\"htm\":\"GET\",\"htu\":\"" + URI + "\",\"iat\":" + System.currentTimeMillis() / 1000 + "}";
    }

    private static String rsaHeader(java.security.PublicKey key) throws Exception {
        var jwk = org.jose4j.jwk.PublicJsonWebKey.Factory.newPublicJwk(key)
                .toParams(org.jose4j.jwk.JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        return "{\"typ\":\"dpop+jwt\",\"alg\":\"RS256\",\"jwk\":" + org.jose4j.json.JsonUtil.toJson(jwk) + "}";
    }

    private static String rsaHeader(BigInteger modulus, BigInteger exponent) {
        return "{\"typ\":\"dpop+jwt\",\"alg\":\"RS256\",\"jwk\":{\"kty\":\"RSA\",\"n\":\"" + unsigned(modulus)
                + "\",\"e\":\"" + unsigned(exponent) + "\"}}";
    }

    /** A JWK's base64url big-endian unsigned integer (RFC 7518 §2). */
    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return RawJws.b64(bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a.b", "a.b.c.d", "a..c", "a.b.c d", "!!.b.c", "e30.e30.", "bm90IGpzb24.e30.AA"})
    void whenProofNotACompactJwsWithJsonThenMalformed(String proof) {
        assertEquals(DpopRejection.MALFORMED, refusal(proof), proof);
    }

    @Test
    void whenHeaderIsAnEmptyObjectThenItsTypeIsMissing() {
        assertEquals(DpopRejection.TYPE_INVALID, refusal("e30.e30.AA"));
    }

    @Test
    void whenHeaderRepeatsAMemberThenMalformed() {
        String header = "{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"alg\":\"ES256\"}";
        assertEquals(DpopRejection.MALFORMED, refusal(RawJws.withSignature(header, "{}", new byte[64])));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"crit", "b64", "zip"})
    void whenCritB64OrZipIsPresentWithANullValueThenUnsupportedHeader(String name) {
        // Checked before the key and the signature, so neither needs to be real.
        String header = "{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"" + name + "\":null}";
        assertEquals(DpopRejection.UNSUPPORTED_HEADER, refusal(RawJws.withSignature(header, "{}", new byte[64])));
    }

    @Test
    void whenClaimsAreNotJsonThenMalformed() {
        DpopKey.Proof base = ES256.proof("GET", URI);
        String good = base.sign();
        String[] parts = good.split("\\.");
        String notJson = parts[0] + "." + RawJws.b64("not json") + "." + parts[2];
        assertEquals(DpopRejection.MALFORMED, refusal(notJson));
    }

    /** jose4j's lenient parser took these; the parse refuses them before the key or signature is looked at. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"header trailing comma", "header without colon", "claims without commas",
        "claims invalid escape", "claims leading zero", "claims not UTF-8"})
    void whenHeaderOrClaimsAreNotJsonTextThenMalformed(String what) {
        String[] parts = ES256.proof("GET", URI).sign().split("\\.");
        String header = new String(java.util.Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
        String claims = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String proof = switch (what) {
            case "header trailing comma" -> RawJws.b64(header.substring(0, header.length() - 1) + ",}") + "." + parts[1];
            case "header without colon" -> RawJws.b64(header.replace("\"typ\":", "\"typ\" ")) + "." + parts[1];
            case "claims without commas" -> parts[0] + "." + RawJws.b64(claims.replace(",\"", " \""));
            case "claims invalid escape" -> parts[0] + "." + RawJws.b64(claims.replace("\"GET\"", "\"G\\xET\""));
            case "claims leading zero" -> parts[0] + "." + RawJws.b64(claims.replace("}", ",\"n\":007}"));
            case "claims not UTF-8" -> parts[0] + "." + RawJws.b64(concat(claims.substring(0, claims.length() - 1),
                    new byte[] {',', '"', 'x', '"', ':', '"', (byte) 0xC3, '"', '}'}));
            default -> throw new IllegalArgumentException(what);
        } + "." + parts[2];
        assertEquals(DpopRejection.MALFORMED,
                assertThrows(InvalidDpopProofException.class, () -> PARSER.parse(proof)).rejection(), what);
    }

    private static byte[] concat(String text, byte[] tail) {
        byte[] head = text.getBytes(StandardCharsets.UTF_8);
        byte[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    @Test
    void whenProofLongerThanTheLimitThenRefusedBeforeParsing() {
        assertEquals(DpopRejection.TOO_LONG, refusal("a".repeat(DpopProofParser.MAX_LENGTH + 1)));
    }

    @Test
    void whenClaimsNestDeeplyThenRefusedNotThrown() {
        String deep = "{\"jti\":\"j\",\"x\":" + "[".repeat(2000) + "]".repeat(2000) + "}";
        String header = "{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":" + org.jose4j.json.JsonUtil.toJson(ES256.publicJwk()) + "}";
        String proof = RawJws.withSignature(header, deep, new byte[64]);
        DpopRejection rejection = refusal(proof);
        // jose4j parses this depth (or not): either way a refusal, never an escaping error
        assertEquals(true, rejection == DpopRejection.CLAIM_MISSING || rejection == DpopRejection.MALFORMED, rejection.name());
    }

    @Test
    void whenAnHmacAlgorithmIsConfiguredThenTheParserRefusesToBeBuilt() {
        assertThrows(IllegalArgumentException.class, () -> new DpopProofParser(List.of(SigningAlgorithm.HS256)));
    }
}
