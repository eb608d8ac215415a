/**
 * Internal: how JwtGate makes the threads it runs in the background (near-cache, cluster discovery, JWKS refresh).
 * No compatibility promise.
 *
 * <p>Where it sits in a request's path: beside it. A first request may start these threads, but no request runs on
 * them; it depends on nothing of JwtGate's.
 */
package org.jwtgate.internal.thread;
