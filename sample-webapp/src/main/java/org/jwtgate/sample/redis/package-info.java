/**
 * Internal (sample): the sample's own Redis client (accounts, refresh-token families, throttling),
 * what its cluster looks like right now (nodes, roles, which answer) and its health.
 *
 * <p>Where it sits in a request's path: behind the sample's servlets, beside the filter's own Redis use.
 */
package org.jwtgate.sample.redis;
