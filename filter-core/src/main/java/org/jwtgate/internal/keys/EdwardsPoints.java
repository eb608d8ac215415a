package org.jwtgate.internal.keys;

import java.math.BigInteger;
import java.security.interfaces.EdECPublicKey;

/**
 * Whether an EdDSA public key is one of the few points of small order (the identity, the point of order 2, those of
 * order 4 and 8) or a non-canonical encoding. For such a key a "signature" (R = the key's own encoding, S = 0, or
 * similar) verifies on every message: anyone can sign for it, as anyone can for RSA with e = 1. For a DPoP proof's
 * {@code jwk}, a JWKS's keys and {@code jwt.public-key}.
 */
public final class EdwardsPoints {

    private static final BigInteger TWO = BigInteger.TWO;
    private static final BigInteger P25519 = TWO.pow(255).subtract(BigInteger.valueOf(19));
    private static final Curve ED25519 = new Curve(P25519, P25519.subtract(BigInteger.ONE),
            BigInteger.valueOf(-121665).mod(P25519).multiply(BigInteger.valueOf(121666).modInverse(P25519)).mod(P25519));
    private static final BigInteger P448 = TWO.pow(448).subtract(TWO.pow(224)).subtract(BigInteger.ONE);
    private static final Curve ED448 = new Curve(P448, BigInteger.ONE, BigInteger.valueOf(-39081).mod(P448));

    /** a·x² + y² = 1 + d·x²·y² over the integers mod p. */
    private record Curve(BigInteger p, BigInteger a, BigInteger d) {
    }

    private EdwardsPoints() {
    }

    /** True for a point of order 1, 2, 4 or 8, a y of p or more, or a curve not Ed25519's or Ed448's. */
    public static boolean isWeak(EdECPublicKey key) {
        Curve curve = switch (key.getParams().getName()) {
            case "Ed25519" -> ED25519;
            case "Ed448" -> ED448;
            default -> null;
        };
        BigInteger y = key.getPoint().getY();
        if (curve == null || y.signum() < 0 || y.compareTo(curve.p()) >= 0) {
            return true;
        }
        return hasSmallOrder(curve, y);
    }

    /**
     * Whether 8·P is the identity (both curves' cofactors divide 8). Doubling needs x only as x², which the curve
     * gives from y: x² = (1 − y²) / (a − d·y²), so no square root is taken.
     */
    private static boolean hasSmallOrder(Curve curve, BigInteger y) {
        BigInteger p = curve.p();
        BigInteger a = curve.a();
        BigInteger yy = y.multiply(y).mod(p);
        BigInteger denominator = a.subtract(curve.d().multiply(yy)).mod(p);
        if (denominator.signum() == 0) {
            return true; // no point has this y (d is no square on either curve): not a key
        }
        BigInteger xx = BigInteger.ONE.subtract(yy).mod(p).multiply(denominator.modInverse(p)).mod(p);
        for (int doubling = 0; doubling < 3; doubling++) {
            // 2·(x, y) = (2xy / (a·x² + y²), (y² − a·x²) / (2 − a·x² − y²)), squared in x.
            BigInteger axx = a.multiply(xx).mod(p);
            BigInteger sum = axx.add(yy).mod(p);
            BigInteger rest = TWO.subtract(sum).mod(p);
            if (sum.signum() == 0 || rest.signum() == 0) {
                return true; // only off-curve values reach a zero denominator: not a key
            }
            BigInteger nextXx = BigInteger.valueOf(4).multiply(xx).multiply(yy).mod(p)
                    .multiply(sum.multiply(sum).mod(p).modInverse(p)).mod(p);
            BigInteger nextY = yy.subtract(axx).mod(p).multiply(rest.modInverse(p)).mod(p);
            xx = nextXx;
            yy = nextY.multiply(nextY).mod(p);
            y = nextY;
        }
        return xx.signum() == 0 && y.equals(BigInteger.ONE);
    }
}
