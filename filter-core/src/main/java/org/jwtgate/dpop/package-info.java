/**
 * API: DPoP proofs (RFC 9449) — what a verified proof tells ({@link org.jwtgate.dpop.DpopProof}: the
 * thumbprint of its key, its {@code jti}, a fresh nonce to hand out), and why one was refused
 * ({@link org.jwtgate.dpop.InvalidDpopProofException} with a stable
 * {@link org.jwtgate.dpop.DpopRejection}). Proofs are checked by {@code JwtGate.verifyDpopProof};
 * the jose4j parsing is internal ({@code org.jwtgate.internal.verify}), the nonces and the request
 * matching too ({@code org.jwtgate.internal.dpop}).
 *
 * <p>Where it sits in a request's path: with {@code dpop.mode} {@code allowed} or {@code required},
 * right after the access token of an {@code Authorization: DPoP} request is verified, before the
 * revocation check.
 *
 * @since 1.0.0
 */
package org.jwtgate.dpop;
