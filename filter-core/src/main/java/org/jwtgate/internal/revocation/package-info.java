/**
 * Internal: the key schema shared by every store ({@code RevocationKeys}), the stores that need
 * no server ({@code memory}, {@code none}), and the one-time record of DPoP proofs
 * ({@code ProofJtiStore}, kept in the same store as the revocations), and the one time budget a request's
 * store calls share ({@code RequestDeadline}). No compatibility promise.
 *
 * <p>Where it sits in a request's path: behind {@code RevocationService}, which asks the store
 * whether a verified token is revoked.
 */
package org.jwtgate.internal.revocation;
