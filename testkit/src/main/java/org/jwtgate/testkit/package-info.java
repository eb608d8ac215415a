/**
 * API (test kit): a real local Redis Cluster — {@link org.jwtgate.testkit.RedisCluster} starts
 * masters and replicas on free loopback ports with {@code redis-server} from {@code REDIS_SERVER}
 * or {@code PATH}, else the binary of the embedded-redis jar, and stops, kills, pauses and
 * restarts single nodes; {@link org.jwtgate.testkit.RedisClusterLauncher} runs one from the
 * command line. Used by the tests of every module, and at run time by the sample and the benchmarks.
 *
 * <p>Where it sits in a request's path: outside it — it is the Redis a request's revocation check reaches.
 *
 * @since 1.0.0
 */
package org.jwtgate.testkit;
