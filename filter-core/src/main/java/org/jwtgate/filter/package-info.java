/**
 * API: {@link org.jwtgate.filter.JwtAuthFilter}, the Jakarta Servlet filter applications add in
 * web.xml, by {@code @WebFilter} or programmatically, and its counters
 * ({@link org.jwtgate.filter.FilterMetrics}).
 *
 * <p>Where it sits in a request's path: the whole of it — the filter coordinates path rules →
 * token extraction → verification → revocation → CSRF → roles → the authenticated request, then
 * continues the chain. It implements none of those steps itself.
 *
 * @since 1.0.0
 */
package org.jwtgate.filter;
