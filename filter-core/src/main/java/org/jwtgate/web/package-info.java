/**
 * API: servlet-level helpers an application may reuse on its own endpoints —
 * {@link org.jwtgate.web.OriginCsrfGuard}, the filter's same-origin check (Fetch Metadata, then
 * Origin, then Referer).
 *
 * <p>Where it sits in a request's path: after verification, for unsafe methods and WebSocket
 * handshakes authenticated by a cookie.
 *
 * @since 1.0.0
 */
package org.jwtgate.web;
