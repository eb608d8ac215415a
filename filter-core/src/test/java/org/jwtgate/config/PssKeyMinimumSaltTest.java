package org.jwtgate.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Map;
import java.util.Set;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;
import org.jwtgate.testkit.tokens.TestTokens;

/**
 * An RSA-PSS key restricted to one hash, as {@code openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_pss_keygen_md:sha256
 * -pkeyopt rsa_pss_keygen_mgf1_md:sha256} writes it: its parameters name SHA-256 and a MINIMUM salt length of 20
 * (openssl prints "Minimum Salt Length: 20 (default)"; RFC 4055 §3.1: in a public key, saltLength is the minimum).
 * PS256 signs with a 32-byte salt, which that minimum allows, and the JDK verifies it with this key. The docs promise
 * such a key is taken ("PS384/PS512 for one restricted to those"); JwtGate refused it at start.
 */
class PssKeyMinimumSaltTest {

    private static KeyPair pss(String digest, MGF1ParameterSpec mgf, int minimumSalt) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSASSA-PSS");
        generator.initialize(new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4,
                new PSSParameterSpec(digest, "MGF1", mgf, minimumSalt, 1)));
        return generator.generateKeyPair();
    }

    /** The key does verify PS256 tokens (jose4j over the JDK): the configuration should take it. */
    @Test
    void opensslSha256RestrictedPssKeyVerifiesPs256AndIsAcceptedAtStart() throws Exception {
        KeyPair pair = pss("SHA-256", MGF1ParameterSpec.SHA256, 20);

        JwtClaims claims = new JwtClaims();
        claims.setIssuer(TestTokens.ISSUER);
        claims.setSubject("alice");
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(pair.getPrivate());
        jws.setAlgorithmHeaderValue("PS256");
        String token = jws.getCompactSerialization();
        assertEquals("alice", new JwtConsumerBuilder().setVerificationKey(pair.getPublic())
                .setExpectedIssuer(TestTokens.ISSUER).setSkipDefaultAudienceValidation().setRequireSubject()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, "PS256").build()
                .processToClaims(token).getSubject(), "the JDK verifies PS256 with this key");

        JwtGateConfig config = assertDoesNotThrow(() -> JwtGateConfig.of(Map.of(
                ConfigKeys.JWT_PUBLIC_KEY, TestTokens.pem(pair),
                ConfigKeys.JWT_ISSUER, TestTokens.ISSUER,
                ConfigKeys.REVOCATION_STORE, "memory")));
        assertEquals(Set.of(SigningAlgorithm.PS256), config.verification().algorithms());
    }

    @Test
    void opensslSha384RestrictedPssKeyIsAcceptedForPs384() throws Exception {
        KeyPair pair = pss("SHA-384", MGF1ParameterSpec.SHA384, 20);
        JwtGateConfig config = assertDoesNotThrow(() -> JwtGateConfig.of(Map.of(
                ConfigKeys.JWT_PUBLIC_KEY, TestTokens.pem(pair),
                ConfigKeys.JWT_ALGORITHMS, "PS384",
                ConfigKeys.JWT_ISSUER, TestTokens.ISSUER,
                ConfigKeys.REVOCATION_STORE, "memory")));
        assertEquals(Set.of(SigningAlgorithm.PS384), config.verification().algorithms());
    }

    /** A minimum beyond the digest's length is one no PS signature meets (RFC 7518: the salt is the digest's length). */
    @Test
    void whenTheMinimumSaltExceedsTheDigestThenTheKeyIsRefused() throws Exception {
        KeyPair pair = pss("SHA-256", MGF1ParameterSpec.SHA256, 33);
        ConfigurationException refused = assertThrows(ConfigurationException.class, () -> JwtGateConfig.of(Map.of(
                ConfigKeys.JWT_PUBLIC_KEY, TestTokens.pem(pair),
                ConfigKeys.JWT_ISSUER, TestTokens.ISSUER,
                ConfigKeys.REVOCATION_STORE, "memory")));
        assertTrue(refused.getMessage().contains("[jwt.public-key]") && refused.getMessage().contains("salt 33"),
                refused.getMessage());
    }
}
