package org.jwtgate.config;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.jwtgate.testkit.tokens.TestTokens;

/** An EC public key the JDK cannot read is refused naming what it likely is, not called "not an EC key". */
class EcKeyRefusalTest {

    private static Map<String, String> valid() {
        Map<String, String> settings = new HashMap<>();
        settings.put(ConfigKeys.JWT_ISSUER, TestTokens.ISSUER);
        settings.put(ConfigKeys.REVOCATION_STORE, "memory");
        return settings;
    }

    /**
     * A P-256 public key with its point compressed (openssl pkey -pubout -ec_conv_form compressed) is refused, which is
     * fine, but the message said it was "not an RSA, EC or EdDSA key": the administrator was told their EC key was not EC.
     */
    @Test
    void whenAnEcKeyHasACompressedPointThenTheRefusalSaysSo() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        assertRefusedAsCompressed((ECPublicKey) generator.generateKeyPair().getPublic());
    }

    /**
     * One key in 512: y even and x starting with 0x1f, the compressed point's bits (0x02, 0x1f, 31 bytes) read as a DER
     * INTEGER, which the JDK's DSA factory took for a key of the algorithm the file names: "unsupported key type [EC]"
     * (a CI run's failure of the test above).
     */
    @Test
    void whenTheCompressedPointReadsAsADerIntegerThenTheRefusalStillSaysSo() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        ECPublicKey key;
        do {
            key = (ECPublicKey) generator.generateKeyPair().getPublic();
        } while (key.getW().getAffineY().testBit(0) || key.getW().getAffineX().shiftRight(248).intValue() != 0x1f);
        assertRefusedAsCompressed(key);
    }

    private static void assertRefusedAsCompressed(ECPublicKey key) {
        byte[] x = unsigned(key.getW().getAffineX().toByteArray());
        boolean odd = key.getW().getAffineY().testBit(0);
        // SubjectPublicKeyInfo: id-ecPublicKey, prime256v1, BIT STRING of the 33-byte compressed point.
        byte[] prefix = Base64.getDecoder().decode("MDkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDIgA=");
        byte[] der = new byte[prefix.length + 33];
        System.arraycopy(prefix, 0, der, 0, prefix.length);
        der[prefix.length] = (byte) (odd ? 3 : 2);
        System.arraycopy(x, 0, der, prefix.length + 1 + 32 - x.length, x.length);
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END PUBLIC KEY-----\n";

        Map<String, String> settings = valid();
        settings.put(ConfigKeys.JWT_PUBLIC_KEY, pem);
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> JwtGateConfig.of(settings));
        assertTrue(e.getMessage().contains("[jwt.public-key]") && e.getMessage().contains("the EC PUBLIC KEY is refused")
                && e.getMessage().contains("compressed point"), e.getMessage());
    }

    private static byte[] unsigned(byte[] bytes) {
        if (bytes.length > 32 && bytes[0] == 0) {
            byte[] shorter = new byte[bytes.length - 1];
            System.arraycopy(bytes, 1, shorter, 0, shorter.length);
            return shorter;
        }
        return bytes;
    }
}
