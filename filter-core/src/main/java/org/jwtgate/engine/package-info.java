/**
 * API: {@link org.jwtgate.engine.JwtGate}, the running parts built from one configuration — the
 * verifier with its token cache and key source, and the revocation service with its store — for
 * code that verifies tokens without the filter (the CLI, a WebSocket
 * handshake).
 *
 * <p>Where it sits in a request's path: the middle — after the token is found, it verifies it
 * ({@code verify}) and answers whether it is revoked ({@code revocation().isRevoked}). Builds
 * the internal parts; no servlet type.
 *
 * @since 1.0.0
 */
package org.jwtgate.engine;
