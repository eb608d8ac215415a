/**
 * Internal: finding the bearer token in a request — the {@code Authorization} header or the
 * token cookie, refusing malformed or ambiguous requests — and reading a header a request may carry once
 * ({@code SingleHeader}: the token's, and DPoP's proof for {@code internal.web}). No compatibility promise.
 *
 * <p>Where it sits in a request's path: first, once the path is known to be protected or optional.
 */
package org.jwtgate.internal.token;
