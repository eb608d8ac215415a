/**
 * Internal (a measuring tool): JMH benchmarks, the wrk HTTP harness and the revocation
 * propagation harness. Never run by the build beyond a smoke test.
 *
 * <p>Where it sits in a request's path: it times it — verification, revocation, the whole filter.
 */
package org.jwtgate.bench;
