/**
 * Internal: token verification with jose4j — one thread-safe consumer built once
 * ({@code JwtVerifier}), header policy, JWKS fetching and refresh, the verified-token cache and
 * the roles claim. The only package that uses jose4j. Public types here are for JwtGate's own
 * modules only: no compatibility promise.
 *
 * <p>Where it sits in a request's path: after the token is found, before the revocation check.
 */
package org.jwtgate.internal.verify;
