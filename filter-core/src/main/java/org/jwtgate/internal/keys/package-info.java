/**
 * Internal: the rules for public keys that the JDK and jose4j take although no issuer's key breaks them — an RSA
 * public exponent that is even, an EdDSA point of small order, an EC point off its curve — for every place a key
 * comes from: {@code jwt.public-key}, a JWKS, a DPoP proof's {@code jwk}. No compatibility promise.
 *
 * <p>Where it sits in a request's path: under a DPoP proof's key check and a JWKS fetch; at start, under
 * {@code jwt.public-key}'s reading. It depends on nothing of JwtGate's.
 */
package org.jwtgate.internal.keys;
