/**
 * API: optional CDI integration — {@link org.jwtgate.cdi.JwtGateExtension} makes
 * {@code @Inject JwtPrincipal} and {@code @Inject RevocationService} work in any CDI 4 container.
 * Loaded only when the application runs CDI; nothing else in JwtGate depends on this package.
 *
 * <p>Where it sits in a request's path: after the filter — beans serving the request read the
 * principal the filter bound for it.
 *
 * @since 1.0.0
 */
package org.jwtgate.cdi;
