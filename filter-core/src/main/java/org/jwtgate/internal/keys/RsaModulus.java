package org.jwtgate.internal.keys;

import java.math.BigInteger;
import java.security.interfaces.RSAPublicKey;

/**
 * An RSA modulus no issuer's key has (RFC 8017 §3.1: a product of distinct odd primes, none small) and that anyone
 * factors at sight: an even one, one with a prime factor below 1,000, a square, or a prime. For a prime modulus the
 * private exponent follows from the public key alone ({@code e⁻¹} modulo {@code n − 1}), and so it does for the others
 * when what is left once the small factor is out is a prime: anyone who reads such a key may sign tokens that verify
 * with it, as anyone does for an Ed25519 point of small order. The JDK and jose4j take such keys. For a JWKS's keys and
 * {@code jwt.public-key}. A check for what no key generator makes, not for a determined forger's modulus.
 */
public final class RsaModulus {

    /** The product of the primes below 1,000: one gcd finds any of them in a modulus. */
    private static final BigInteger SMALL_PRIMES = smallPrimes(1_000);
    /**
     * Past this size the primality test is left out: it costs one exponentiation as long as the modulus (about 0.15 s
     * at 8,192 bits; more beyond), and no issuer publishes such a key. A JWKS's keys are tested within its fetch's
     * deadline, each modulus once.
     */
    public static final int MAX_BITS_TESTED_FOR_PRIMALITY = 8_192;

    private RsaModulus() {
    }

    /** Whether {@code key}'s modulus is even, has a small prime factor, is a square or (up to 8,192 bits) a prime. */
    public static boolean anyoneCanSign(RSAPublicKey key) {
        BigInteger n = key.getModulus();
        if (!n.testBit(0) || !n.gcd(SMALL_PRIMES).equals(BigInteger.ONE) || n.sqrtAndRemainder()[1].signum() == 0) {
            return true;
        }
        return n.bitLength() <= MAX_BITS_TESTED_FOR_PRIMALITY && passesFermatBaseTwo(n);
    }

    /**
     * Fermat's test to base 2: every prime passes it, an RSA modulus (two large primes) in practice never. One
     * exponentiation whatever the modulus, where {@code isProbablePrime(40)} took Miller-Rabin rounds and a Lucas test
     * for a prime, seconds at 8,192 bits that a key server could send on every fetch. A composite that passes (a
     * pseudoprime made to) is taken for a prime: its key is refused, which only its maker would mind.
     */
    private static boolean passesFermatBaseTwo(BigInteger n) {
        return BigInteger.TWO.modPow(n.subtract(BigInteger.ONE), n).equals(BigInteger.ONE);
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
