package org.jwtgate.internal.keys;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EdwardsPointsTest {

    static final BigInteger P25519 = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
    static final BigInteger P448 = BigInteger.TWO.pow(448).subtract(BigInteger.TWO.pow(224)).subtract(BigInteger.ONE);

    /** The y of every Ed25519 point of order 1, 2, 4 and 8 (libsodium's list), as little-endian encodings. */
    static final String[] SMALL_ORDER_25519 = {
        "0000000000000000000000000000000000000000000000000000000000000000", // order 4
        "0100000000000000000000000000000000000000000000000000000000000000", // the identity
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", // order 8
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", // order 8
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p - 1, order 2
    };

    static EdECPublicKey key(NamedParameterSpec curve, boolean xOdd, BigInteger y) throws Exception {
        return (EdECPublicKey) KeyFactory.getInstance("EdDSA").generatePublic(
                new EdECPublicKeySpec(curve, new EdECPoint(xOdd, y)));
    }

    static BigInteger littleEndian(String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        byte[] reversed = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            reversed[bytes.length - 1 - i] = bytes[i];
        }
        return new BigInteger(1, reversed);
    }

    @Test
    void whenTheKeyIsAPointOfSmallOrderThenItIsWeak() throws Exception {
        for (String encoding : SMALL_ORDER_25519) {
            for (boolean xOdd : new boolean[] {false, true}) {
                assertTrue(EdwardsPoints.isWeak(key(NamedParameterSpec.ED25519, xOdd, littleEndian(encoding))), encoding);
            }
        }
        // Ed448: the identity (0, 1), the point of order 2 (0, −1), those of order 4 (±1, 0).
        for (BigInteger y : new BigInteger[] {BigInteger.ONE, P448.subtract(BigInteger.ONE), BigInteger.ZERO}) {
            assertTrue(EdwardsPoints.isWeak(key(NamedParameterSpec.ED448, false, y)), y.toString());
        }
    }

    @Test
    void whenYIsNotBelowPThenTheEncodingIsNonCanonicalAndWeak() throws Exception {
        for (int above = 0; above < 3; above++) {
            assertTrue(EdwardsPoints.isWeak(key(NamedParameterSpec.ED25519, false, P25519.add(BigInteger.valueOf(above)))));
            assertTrue(EdwardsPoints.isWeak(key(NamedParameterSpec.ED448, false, P448.add(BigInteger.valueOf(above)))));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Ed25519", "Ed448"})
    void whenTheKeyIsAGeneratedOneThenItIsNotWeak(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(curve);
        for (int i = 0; i < 50; i++) {
            assertFalse(EdwardsPoints.isWeak((EdECPublicKey) generator.generateKeyPair().getPublic()));
        }
    }
}
