/**
 * Internal: the key schema shared by every store ({@code RevocationKeys}) and the stores that need
 * no server ({@code memory}, {@code none}). No compatibility promise.
 *
 * <p>Where it sits in a request's path: behind {@code RevocationService}, which asks the store
 * whether a verified token is revoked.
 */
package org.jwtgate.internal.revocation;
