package org.jwtgate.internal.keys;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EcPointsTest {

    static ECPublicKey generated(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return (ECPublicKey) generator.generateKeyPair().getPublic();
    }

    /** The JDK's key factory takes any point of the curve's field, on the curve or not. */
    static ECPublicKey withPoint(ECPublicKey key, BigInteger x, BigInteger y) throws Exception {
        return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(
                new ECPublicKeySpec(new ECPoint(x, y), key.getParams()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"secp256r1", "secp384r1", "secp521r1"})
    void whenTheKeyIsGeneratedThenItsPointIsOnTheCurve(String curve) throws Exception {
        assertTrue(EcPoints.isOnCurve(generated(curve)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"secp256r1", "secp384r1", "secp521r1"})
    void whenOneBitOfYChangesThenThePointIsOffTheCurve(String curve) throws Exception {
        ECPublicKey key = generated(curve);
        ECPublicKey moved = withPoint(key, key.getW().getAffineX(), key.getW().getAffineY().flipBit(0));
        assertFalse(EcPoints.isOnCurve(moved));
    }

    /** x or y written plus p, the same point mod p: the JDK's factory refuses it for P-256 and P-384, not P-521. */
    @ParameterizedTest
    @ValueSource(strings = {"secp256r1", "secp384r1", "secp521r1"})
    void whenACoordinateIsWrittenPlusPThenItIsRefusedThoughTheSameModP(String curve) throws Exception {
        ECPublicKey key = generated(curve);
        BigInteger p = ((ECFieldFp) key.getParams().getCurve().getField()).getP();
        ECPoint w = key.getW();
        assertFalse(EcPoints.isOnCurve(handMade(key, new ECPoint(w.getAffineX().add(p), w.getAffineY()))));
        assertFalse(EcPoints.isOnCurve(handMade(key, new ECPoint(w.getAffineX(), w.getAffineY().add(p)))));
        assertTrue(EcPoints.isOnCurve(handMade(key, w)), "the same class with the key's own point");
    }

    /** A key no factory checked, as another provider's could be. */
    private static ECPublicKey handMade(ECPublicKey key, ECPoint point) {
        return new ECPublicKey() {
            @Override
            public ECPoint getW() {
                return point;
            }

            @Override
            public java.security.spec.ECParameterSpec getParams() {
                return key.getParams();
            }

            @Override
            public String getAlgorithm() {
                return "EC";
            }

            @Override
            public String getFormat() {
                return null;
            }

            @Override
            public byte[] getEncoded() {
                return null;
            }
        };
    }
}
