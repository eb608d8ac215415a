package org.jwtgate.internal.verify;

import java.security.interfaces.RSAPublicKey;

/**
 * The rule for an RSA public exponent that the JDK leaves out: it refuses only exponents below 3 (which jose4j then
 * does not read: a JWKS entry skipped, a DPoP proof's {@code jwk} refused), and takes an even one, yet no RSA key has
 * one (RFC 8017 §3.1), so no signature verifies with it. For a JWKS's keys and a DPoP proof's {@code jwk};
 * {@code jwt.public-key}'s reader, {@code config.PemKeys}, applies the rule itself: {@code config} may not use this
 * package, which uses it.
 */
final class RsaExponent {

    private RsaExponent() {
    }

    /** Whether the key's public exponent is odd, as every RSA key's is. */
    static boolean isOdd(RSAPublicKey key) {
        return key.getPublicExponent().testBit(0);
    }
}
