/**
 * API: what a refused token looks like — {@link org.jwtgate.verify.InvalidTokenException} with a
 * stable {@link org.jwtgate.verify.Rejection} code, and
 * {@link org.jwtgate.verify.KeysUnavailableException} when no key set could be loaded. The
 * verifier itself (jose4j) is internal: {@code org.jwtgate.internal.verify}.
 *
 * <p>Where it sits in a request's path: thrown by verification, turned by the filter into a 401
 * (or a 503 for missing keys).
 *
 * @since 1.0.0
 */
package org.jwtgate.verify;
