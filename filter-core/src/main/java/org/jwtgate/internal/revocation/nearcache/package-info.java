/**
 * Internal: the revocation near-cache — local state kept current by announcements, with
 * heartbeat-proven freshness, and the write side that announces every revocation
 * ({@code AnnouncingRevocationStore}). Knows its server only through {@code RevocationFeed}: no
 * Redis type here. No compatibility promise.
 *
 * <p>Where it sits in a request's path: in front of the Redis store — a check is answered locally
 * while the state is provably fresh, else by Redis.
 */
package org.jwtgate.internal.revocation.nearcache;
