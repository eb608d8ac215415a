package org.jwtgate.internal.keys;

import java.security.interfaces.RSAPublicKey;

/**
 * The rule for an RSA public exponent that the JDK leaves out: it refuses only exponents below 3 (which jose4j then
 * does not read: a JWKS entry skipped, a DPoP proof's {@code jwk} refused), and takes an even one, yet no RSA key has
 * one (RFC 8017 §3.1), so no signature verifies with it. For a JWKS's keys, a DPoP proof's {@code jwk} and
 * {@code jwt.public-key}.
 */
public final class RsaExponent {

    private RsaExponent() {
    }

    /** Whether the key's public exponent is odd, as every RSA key's is. */
    public static boolean isOdd(RSAPublicKey key) {
        return key.getPublicExponent().testBit(0);
    }
}
