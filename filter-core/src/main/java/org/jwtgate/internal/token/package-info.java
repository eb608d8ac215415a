/**
 * Internal: finding the bearer token in a request — the {@code Authorization} header or the
 * token cookie, refusing malformed or ambiguous requests. No compatibility promise.
 *
 * <p>Where it sits in a request's path: first, once the path is known to be protected or optional.
 */
package org.jwtgate.internal.token;
