/**
 * API (test kit, optional part): {@link org.jwtgate.testkit.junit.RedisClusterExtension}, a JUnit 5
 * extension that starts one cluster per test class. Needs {@code junit-jupiter-api} (an optional
 * dependency of the test kit).
 *
 * <p>Where it sits in a request's path: outside it — tests only.
 *
 * @since 1.0.0
 */
package org.jwtgate.testkit.junit;
