package org.jwtgate.internal.keys;

import java.math.BigInteger;
import java.security.interfaces.RSAPublicKey;

/**
 * An RSA modulus whose factors anyone finds: an even one, one with a small prime factor, or a prime. Its private
 * exponent follows from the public key alone ({@code e⁻¹} modulo {@code n − 1}, or {@code (p − 1)(q − 1)} once a small
 * {@code p} divides {@code n}), so anyone who reads the key signs tokens that verify with it, as anyone does for an
 * Ed25519 point of small order. The JDK and jose4j take such keys. For a JWKS's keys and {@code jwt.public-key}.
 */
public final class RsaModulus {

    /** The product of the primes below 1,000: one gcd finds any of them in a modulus. */
    private static final BigInteger SMALL_PRIMES = smallPrimes(1_000);

    private RsaModulus() {
    }

    /** Whether anyone can work out the private key from {@code key}'s modulus. */
    public static boolean anyoneCanSign(RSAPublicKey key) {
        BigInteger n = key.getModulus();
        return !n.testBit(0) || !n.gcd(SMALL_PRIMES).equals(BigInteger.ONE) || n.isProbablePrime(40);
    }

    private static BigInteger smallPrimes(int below) {
        BigInteger product = BigInteger.ONE;
        for (int candidate = 2; candidate < below; candidate++) {
            if (BigInteger.valueOf(candidate).isProbablePrime(40)) {
                product = product.multiply(BigInteger.valueOf(candidate));
            }
        }
        return product;
    }
}
