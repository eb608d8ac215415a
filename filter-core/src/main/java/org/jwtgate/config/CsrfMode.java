package org.jwtgate.config;

/**
 * {@code csrf.mode}: how cookie-authenticated unsafe requests and WebSocket handshakes are checked.
 *
 * <pre>{@code
 * boolean checked = config.csrfMode() == CsrfMode.ORIGIN;
 * }</pre>
 *
 * @since 1.0.0
 */
public enum CsrfMode {
    /**
     * {@code origin}: a cookie-authenticated unsafe request or WebSocket handshake must come from the same origin
     * ({@code Sec-Fetch-Site}, else {@code Origin}, else {@code Referer}), or gets 403 {@code csrf_refused}.
     */
    ORIGIN,
    /** {@code off}: no origin check; cookie-authenticated requests pass whatever their origin. */
    OFF
}
