/**
 * Internal: the DPoP checks that need no jose4j (RFC 9449 §4.3, §8, §11.1) — matching a proof's
 * {@code htm}/{@code htu}/{@code iat}/{@code ath} to the request ({@code TargetUri} normalises URIs as
 * RFC 3986 §6.2.2–6.2.3 says), the stateless server nonces ({@code DpopNonces}), the key binding, and
 * recording each proof's {@code jti} once in the revocation store — all coordinated by
 * {@code DpopVerifier}, which the engine builds and the front ends reach through
 * {@code JwtGate.verifyDpopProof}. No compatibility promise.
 *
 * <p>Where it sits in a request's path: after the access token of an {@code Authorization: DPoP}
 * request is verified, before the revocation check.
 */
package org.jwtgate.internal.dpop;
