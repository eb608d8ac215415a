/**
 * Internal: revocations in Redis Cluster or one Redis node through Jedis — connections, retries
 * and redirects, durable writes ({@code WAIT}), the near-cache's feed (pub/sub, scans). The only
 * package that uses Jedis; {@code RedisRevocationStores.create} is the only way to build these
 * stores, always with their announcements. No compatibility promise.
 *
 * <p>Where it sits in a request's path: last — a revocation check that the near-cache cannot
 * answer is one round trip here.
 */
package org.jwtgate.internal.revocation.redis;
