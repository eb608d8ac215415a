/**
 * API: revoking tokens and users and asking whether a token is revoked
 * ({@link org.jwtgate.revocation.RevocationService}), the acknowledgement of a revocation
 * ({@link org.jwtgate.revocation.RevocationResult}), the near-cache's statistics
 * ({@link org.jwtgate.revocation.NearCacheStats}), and the store SPI
 * ({@link org.jwtgate.revocation.RevocationStore}). The stores themselves are internal.
 *
 * <p>Where it sits in a request's path: right after verification — a verified token is refused
 * when revoked; a store that cannot answer throws
 * {@link org.jwtgate.revocation.RevocationUnavailableException} (503 when failing closed).
 * No servlet type.
 *
 * @since 1.0.0
 */
package org.jwtgate.revocation;
