/**
 * API (test kit): {@link org.jwtgate.testkit.tokens.TestTokens} signs tokens as an issuer would, with
 * the settings the tests configure JwtGate with; {@link org.jwtgate.testkit.tokens.RawJws} builds JWS
 * strings byte by byte, for tokens no well-behaved library would produce;
 * {@link org.jwtgate.testkit.tokens.Certificates} makes a self-signed certificate with the JDK's keytool;
 * {@link org.jwtgate.testkit.tokens.DpopKey} signs DPoP proofs as a client would (RFC 9449), and lets
 * tests break any part of them.
 *
 * <p>Where it sits in a request's path: before it — it makes the bearer token a test request carries.
 *
 * @since 1.0.0
 */
package org.jwtgate.testkit.tokens;
