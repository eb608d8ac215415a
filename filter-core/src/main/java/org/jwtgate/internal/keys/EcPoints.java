package org.jwtgate.internal.keys;

import java.math.BigInteger;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECPoint;
import java.security.spec.EllipticCurve;

/**
 * The rule for an EC public key that the JDK and jose4j leave out: both take a point that is not on the key's curve
 * (an X.509 key or a JWK with one bit of y changed), with which no signature verifies: a configured or published key
 * that is one is a broken key, and a DPoP proof's {@code jwk}, which the sender picks, is kept away from the JDK's
 * arithmetic on points of another curve (invalid-curve keys). For {@code jwt.public-key}, a JWKS's keys and a DPoP
 * proof's {@code jwk}.
 */
public final class EcPoints {

    private EcPoints() {
    }

    /** y² = x³ + ax + b (mod p), with x and y in [0, p): false for the point at infinity or a curve not over a prime. */
    public static boolean isOnCurve(ECPublicKey key) {
        ECPoint point = key.getW();
        EllipticCurve curve = key.getParams().getCurve();
        if (!(curve.getField() instanceof ECFieldFp field) || point.equals(ECPoint.POINT_INFINITY)) {
            return false;
        }
        BigInteger p = field.getP();
        BigInteger x = point.getAffineX();
        BigInteger y = point.getAffineY();
        if (x.signum() < 0 || y.signum() < 0 || x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger left = y.multiply(y).mod(p);
        BigInteger right = x.pow(3).add(curve.getA().multiply(x)).add(curve.getB()).mod(p);
        return left.equals(right);
    }
}
