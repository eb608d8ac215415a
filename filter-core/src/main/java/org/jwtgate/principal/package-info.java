/**
 * API: {@link org.jwtgate.principal.JwtPrincipal}, the verified caller — name, roles, claims,
 * token identity — that {@code getUserPrincipal()} returns behind the filter.
 *
 * <p>Where it sits in a request's path: the result of verification, handed to the revocation
 * check and then to the application. No servlet type.
 *
 * @since 1.0.0
 */
package org.jwtgate.principal;
