/**
 * API: {@link org.jwtgate.JwtGateException}, the one unchecked exception family every JwtGate
 * failure belongs to; the bottom of the package graph, imported by every layer and importing none.
 *
 * <p>Where it sits in a request's path: any step that fails throws a subclass of it
 * ({@code ConfigurationException} at start-up, {@code InvalidTokenException} from verification,
 * {@code RevocationUnavailableException} from the revocation check), which the filter turns into
 * an RFC 6750 answer or a 503.
 *
 * @since 1.0.0
 */
package org.jwtgate;
