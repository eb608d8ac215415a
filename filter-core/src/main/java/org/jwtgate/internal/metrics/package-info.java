/**
 * Internal: {@code GateMetrics}, the counters and gauges one JwtGate keeps about itself (requests by
 * outcome and reason, verification, the token cache, revocation checks by path, the near-cache, Redis
 * calls and failures, the JWKS client). The request path only increments them; the JMX MBeans and the
 * optional Micrometer meters read them. No compatibility promise.
 *
 * <p>Where it sits in a request's path: beside every step — each step counts what it did.
 */
package org.jwtgate.internal.metrics;
