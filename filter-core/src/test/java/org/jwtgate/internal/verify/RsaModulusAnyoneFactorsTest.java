package org.jwtgate.internal.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.RSAPrivateKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.List;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jwtgate.config.ConfigKeys;
import org.jwtgate.testkit.tokens.TestTokens;
import org.jwtgate.verify.InvalidTokenException;
import org.jwtgate.verify.KeysUnavailableException;

/**
 * A JWKS RSA key whose modulus is prime, even or has a small factor is a key anyone can sign for (d = e^-1 mod (n-1),
 * or mod (p-1)(q-1) once a small p divides n), as an OKP key of small order is: a third party who only reads the set
 * minted a token that verified (found by a review's hostile key server). The key is left out; the set's others verify.
 */
class RsaModulusAnyoneFactorsTest {

    private static final BigInteger E = BigInteger.valueOf(65537);

    @Test
    void whenTheSetPublishesAnRsaKeyWithAPrimeModulusThenATokenAnyoneSignedIsRefused(@TempDir Path dir) throws Exception {
        BigInteger n = prime(2048);
        assertForgedTokenRefused(dir, n, E.modInverse(n.subtract(BigInteger.ONE)));
    }

    @Test
    void whenTheSetPublishesAnRsaKeyWithAnEvenModulusThenATokenAnyoneSignedIsRefused(@TempDir Path dir) throws Exception {
        BigInteger q = prime(2047);
        assertForgedTokenRefused(dir, q.shiftLeft(1), E.modInverse(q.subtract(BigInteger.ONE)));
    }

    @Test
    void whenTheSetPublishesAnRsaKeyWithASmallFactorThenATokenAnyoneSignedIsRefused(@TempDir Path dir) throws Exception {
        BigInteger p = BigInteger.valueOf(997);
        BigInteger q = prime(2040);
        BigInteger phi = p.subtract(BigInteger.ONE).multiply(q.subtract(BigInteger.ONE));
        assertForgedTokenRefused(dir, p.multiply(q), E.modInverse(phi));
    }

    @Test
    void whenTheSetPublishesAnRsaKeyWhoseModulusIsASquareThenATokenAnyoneSignedIsRefused(@TempDir Path dir)
            throws Exception {
        BigInteger p = prime(1030); // n of 2,059 or 2,060 bits: 2,048 at least, as jose4j requires
        assertForgedTokenRefused(dir, p.multiply(p), E.modInverse(p.multiply(p.subtract(BigInteger.ONE))));
    }

    /** A prime whose {@code p − 1} is prime to e, so that e has an inverse (1 in 65,537 is not). */
    private static BigInteger prime(int bits) {
        while (true) {
            BigInteger p = BigInteger.probablePrime(bits, new SecureRandom());
            if (p.subtract(BigInteger.ONE).gcd(E).equals(BigInteger.ONE)) {
                return p;
            }
        }
    }

    @Test
    void whenAPemKeysModulusIsPrimeThenTheStartIsRefused() throws Exception {
        BigInteger n = BigInteger.probablePrime(2048, new SecureRandom());
        PublicKey weak = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, E));
        String pem = "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(weak.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        java.util.Map<String, String> settings = java.util.Map.of(ConfigKeys.JWT_PUBLIC_KEY, pem,
                ConfigKeys.JWT_ISSUER, TestTokens.ISSUER, ConfigKeys.REVOCATION_STORE, "memory");
        String message = assertThrows(org.jwtgate.config.ConfigurationException.class,
                () -> org.jwtgate.config.JwtGateConfig.of(settings)).getMessage();
        org.junit.jupiter.api.Assertions.assertTrue(message.contains("[jwt.public-key]")
                && message.contains("modulus is even, prime, a square or has a small factor"), message);
    }

    private static void assertForgedTokenRefused(Path dir, BigInteger n, BigInteger d) throws Exception {
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        PublicKey weak = rsa.generatePublic(new RSAPublicKeySpec(n, E));
        PrivateKey anyone = rsa.generatePrivate(new RSAPrivateKeySpec(n, d)); // computed from the public key alone
        PublicJsonWebKey weakJwk = PublicJsonWebKey.Factory.newPublicJwk(weak);
        weakJwk.setKeyId("weak");
        java.security.KeyPair goodPair = TestTokens.rsaKeyPair();
        PublicJsonWebKey good = PublicJsonWebKey.Factory.newPublicJwk(goodPair.getPublic());
        good.setKeyId("good");
        Path file = dir.resolve("jwks.json");
        Files.writeString(file, new JsonWebKeySet(List.<JsonWebKey>of(weakJwk, good)).toJson());
        String forged = TestTokens.sign(TestTokens.claims("mallory", "admin"), "RS256", anyone,
                jws -> jws.setKeyIdHeaderValue("weak"));
        try (JwtVerifier verifier = JwtVerifierTest.verifier(JwtVerifierTest.settings(
                ConfigKeys.JWT_JWKS_URI, file.toUri().toString(), ConfigKeys.JWT_ALGORITHMS, "RS256"))) {
            Exception refusal = assertThrows(Exception.class, () -> verifier.verify(forged),
                    "a token signed by a third party with d derived from the published modulus was accepted");
            assertEquals(true, refusal instanceof InvalidTokenException || refusal instanceof KeysUnavailableException);
            assertEquals("mallory", verifier.verify(TestTokens.sign(TestTokens.claims("mallory", "admin"), "RS256",
                    goodPair.getPrivate(), jws -> jws.setKeyIdHeaderValue("good"))).getName(),
                    "the set's good key still verifies");
        }
    }
}
