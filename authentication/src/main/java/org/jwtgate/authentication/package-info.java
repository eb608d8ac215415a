/**
 * API: {@link org.jwtgate.authentication.JwtServerAuthModule}, JwtGate as a Jakarta Authentication
 * {@code ServerAuthModule} (Servlet Container Profile). The container's own security — web.xml
 * security-constraints, {@code @ServletSecurity}, {@code isUserInRole()} — then sees the JWT's user and
 * roles. A WAR switches it on with the context-param {@code jwtgate.authentication=enabled}; an
 * administrator may instead register it for the container (Tomcat's {@code conf/jaspic-providers.xml},
 * Jetty's {@code ee10-jaspi} module).
 *
 * <p>Where it sits in a request's path: first, in the container's authenticator, before its
 * authorization check and before any filter; it finds and verifies the token (filter-core's shared
 * steps), checks revocation, and hands the container the caller and its groups, or refuses the request
 * as RFC 6750 says.
 *
 * @since 1.0.0
 */
package org.jwtgate.authentication;
